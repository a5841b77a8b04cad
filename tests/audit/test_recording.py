"""What the middleware and the commands write: one row per write, export and refusal."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from campaigns.models import Report
from relief.models import Person
from tests.conftest import Plan, Tree, client_for
from tests.relief.factories import id_number, person

BEFORE_DUE = time_machine.travel(date(2020, 5, 2), tick=False)


@pytest.fixture
def mine(tree: Tree) -> Person:
    return person(tree.township_a, community=tree.community_a1, household_number="A-1")


def new_rows(before: int = 0) -> list[tuple]:
    return list(
        Event.objects.exclude(action="login")
        .filter(id__gt=before)
        .order_by("id")
        .values_list("action", "outcome", "object_type", "object_id")
    )


def person_form(tree: Tree, number: str, **changes) -> dict:
    return {
        "unit": tree.township_a.pk,
        "community": tree.community_a2.pk,
        "household_number": "A-9",
        "name": "新对象",
        "id_number": number,
        "assistance": "tekun",
        "support_mode": "dispersed",
        "self_care": "partial",
        "since": "2020-03-01",
        **changes,
    }


def test_it_records_a_refused_read_and_a_refused_write(plan: Plan, mine: Person, township_b):
    client = client_for(township_b)
    assert client.get(reverse("relief:person_detail", args=[mine.pk])).status_code == 404
    review = reverse("campaigns:report_review", args=[plan.report_a.pk])
    assert client.post(review, {"decision": "accept"}).status_code == 404
    assert new_rows() == [
        ("refused", "refused", "relief.person", str(mine.pk)),
        ("refused", "refused", "campaigns.report", str(plan.report_a.pk)),
    ]
    refused = Event.objects.filter(action="refused").order_by("id")
    assert [e.detail for e in refused] == [{"status": 404}, {"status": 404, "attempted": "accept"}]
    assert all(e.user == township_b and e.role == "township" for e in refused)
    # A path that is no page at all (a browser asking for /favicon.ico) refuses nothing.
    assert client.get("/favicon.ico").status_code == 404
    assert Event.objects.count() == 3  # the login and the two refusals


def test_it_records_a_403_as_refused(plan: Plan, leader):
    url = reverse("campaigns:period_close", args=[plan.period.pk])
    assert client_for(leader).post(url).status_code == 403
    event = Event.objects.get(action="refused")
    assert (event.object_type, event.object_id, event.detail) == (
        "campaigns.period",
        str(plan.period.pk),
        {"status": 403, "attempted": "close"},
    )


def test_it_writes_nothing_for_plain_reading(plan: Plan, mine: Person, township_a):
    client = client_for(township_a)
    for url in (
        reverse("home"),
        reverse("relief:person_list"),
        reverse("relief:person_detail", args=[mine.pk]),
        reverse("campaigns:report_detail", args=[plan.report_a.pk]),
        reverse("campaigns:evidence_thumb", args=[plan.evidence_a.pk]),
    ):
        assert client.get(url).status_code == 200, url
    assert new_rows() == []


def test_it_records_a_create_with_the_new_object_and_a_refused_form_as_invalid(
    tree: Tree, township_a
):
    client = client_for(township_a)
    url = reverse("relief:person_create")
    bad = client.post(url, person_form(tree, "110105194912310021"))
    assert bad.status_code == 200 and not Person.objects.exists()
    good = client.post(url, person_form(tree, id_number(date(1948, 2, 29), 101)))
    assert good.status_code == 302
    created = Person.objects.get()
    assert new_rows() == [
        ("create", "invalid", "relief.person", ""),
        ("create", "success", "relief.person", str(created.pk)),
    ]


def test_it_keeps_the_parent_of_what_is_created(plan: Plan, tree: Tree, township_a):
    with BEFORE_DUE:
        report = Report.objects.get(period=plan.period, task=plan.contest, unit=tree.township_a)
        url = reverse("campaigns:evidence_upload", args=[report.pk])
        upload = SimpleUploadedFile("说明.pdf", b"%PDF-1.4 audit")
        assert client_for(township_a).post(url, {"file": upload}).status_code == 302
    event = Event.objects.get(action="create")
    assert (event.object_type, event.outcome, event.detail) == (
        "campaigns.evidence",
        "success",
        {"parent": f"campaigns.report:{report.pk}"},
    )


def test_a_redirect_with_an_error_message_is_not_a_success(plan: Plan, tree: Tree, section):
    report = Report.objects.get(period=plan.period, task=plan.contest, unit=tree.township_a)
    review = reverse("campaigns:report_review", args=[report.pk])
    # A draft cannot be returned: the view says so and sends the section back.
    assert (
        client_for(section).post(review, {"decision": "return", "reason": "缺数据"}).status_code
        == 302
    )
    assert new_rows() == [("return", "invalid", "campaigns.report", str(report.pk))]


def test_it_records_exports_but_not_the_empty_template(plan: Plan, mine: Person, township_a):
    client = client_for(township_a)
    assert client.get(reverse("relief:person_export")).status_code == 200
    assert client.get(reverse("relief:roster_template")).status_code == 200
    assert (
        client.get(reverse("campaigns:evidence_file", args=[plan.evidence_a.pk])).status_code == 200
    )
    template = reverse("campaigns:report_template", args=[plan.period.pk, plan.report_a.unit_id])
    assert client.get(template).status_code == 200
    assert new_rows() == [
        ("export", "success", "relief.person", ""),
        ("export", "success", "campaigns.evidence", str(plan.evidence_a.pk)),
        ("export", "success", "campaigns.period", str(plan.period.pk)),
    ]
    last = Event.objects.filter(action="export").order_by("id").last()
    assert last is not None and last.detail == {"unit_pk": plan.report_a.unit_id}


def test_a_full_id_view_keeps_the_reason_and_never_the_number(mine: Person, township_a):
    client = client_for(township_a)
    url = reverse("relief:person_detail", args=[mine.pk])
    assert mine.id_number not in client.post(url, {"reason": ""}).content.decode()
    reason = f"核对 {mine.id_number} 是否重复登记"
    assert mine.id_number in client.post(url, {"reason": reason}).content.decode()
    assert new_rows() == [
        ("view_id", "invalid", "relief.person", str(mine.pk)),
        ("view_id", "success", "relief.person", str(mine.pk)),
    ]
    shown = Event.objects.get(action="view_id", outcome="success")
    masked = f"{mine.id_number[:6]}********{mine.id_number[-4:]}"
    assert shown.detail == {"reason": f"核对 {masked} 是否重复登记"}
    assert mine.id_number not in repr(list(Event.objects.values()))


def test_each_data_command_run_is_one_row_of_the_system(plan: Plan):
    call_command("remind", "--date", "2020-05-01")
    with pytest.raises(CommandError):
        call_command("dispatch", "--campaign", str(plan.published.pk), "--period", "2020-13")
    events = list(Event.objects.order_by("id"))
    assert [(e.action, e.outcome, e.user, e.role, e.ip) for e in events] == [
        ("remind", "success", None, "system", None),
        ("dispatch", "invalid", None, "system", None),
    ]
    assert events[0].detail == {"command": "remind", "options": {"date": "2020-05-01"}}
    assert events[1].detail["command"] == "dispatch"
    assert events[1].detail["options"]["period"] == "2020-13"
    assert "YYYY-MM" in events[1].detail["message"]


def test_the_admin_shows_the_rows_read_only(db, django_user_model):
    from audit.services import record

    event = record(None, "import")
    admin = django_user_model.objects.create_superuser("root", password="Ceshi-mima-2020-x")
    # Not a password the office set and the owner must change: the admin opens at once.
    django_user_model.objects.filter(pk=admin.pk).update(password_changed_at=timezone.now())
    client = client_for(admin)
    assert client.get(reverse("admin:audit_event_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_event_change", args=[event.pk])).status_code == 200
    assert client.get(reverse("admin:audit_event_add")).status_code == 403
    assert client.post(reverse("admin:audit_event_delete", args=[event.pk])).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


def test_a_post_sent_to_sign_in_or_change_the_password_first_is_not_a_write(tree: Tree, township_a):
    client = client_for(township_a)
    type(township_a).objects.filter(pk=township_a.pk).update(must_change_password=True)
    form = person_form(tree, id_number(date(1948, 2, 29), 101))
    response = client.post(reverse("relief:person_create"), form)
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    assert not Person.objects.exists()
    assert new_rows() == []
