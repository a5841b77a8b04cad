"""The audit trail of a working session: log in, import, accept, return, export, view an ID number, try a
foreign URL, log out; exactly these rows, in this order, and no ID number in any of them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from audit.models import Event
from campaigns.models import Report, ReportStatus
from campaigns.services.reporting import EntryInput, report_save
from relief.models import Person
from tests.conftest import PASSWORD, Plan, Tree
from tests.relief.factories import person
from tests.relief.test_roster import good_rows, xlsx

TEXTS = {"progress": "已完成选址", "problems": "无", "plans": "开工建设"}


def submitted(report: Report, user, **entry) -> Report:
    """Submit through the service: the scenario's rows start at the login."""
    return report_save(
        report=report,
        user=user,
        version=report.version,
        entries={report.entries.get().pk: EntryInput(**entry)},
        texts=TEXTS,
        submit=True,
    )


def log_in(username: str, ip: str) -> Client:
    client = Client(REMOTE_ADDR=ip)
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


@time_machine.travel(date(2020, 5, 2), tick=False)
def test_it_records_exactly_the_scenario(plan: Plan, tree: Tree, township_a, township_b, section):
    report_a = submitted(plan.report_a, township_a, stage=1)
    contest = Report.objects.get(period=plan.period, task=plan.contest, unit=tree.township_a)
    contest = submitted(contest, township_a, numerator=Decimal(30), denominator=Decimal(50))
    mine = person(tree.township_a, community=tree.community_a1, household_number="A-9")
    assert not Event.objects.exists(), "set-up through the services writes no audit row"

    # 1. Township A logs in through the form and imports its roster.
    a = log_in("township_a", "10.0.0.1")
    upload = SimpleUploadedFile("台账.xlsx", xlsx(good_rows()))
    assert a.post(reverse("relief:roster_import"), {"file": upload}).status_code == 302
    # 2. The section logs in, accepts one report and returns the other.
    s = log_in("section", "10.0.0.2")
    review_a = reverse("campaigns:report_review", args=[report_a.pk])
    assert s.post(review_a, {"decision": "accept"}).status_code == 302
    review_c = reverse("campaigns:report_review", args=[contest.pk])
    reason = "分母应为全部不能自理人数"
    assert s.post(review_c, {"decision": "return", "reason": reason}).status_code == 302
    report_a.refresh_from_db()
    contest.refresh_from_db()
    assert (report_a.status, contest.status) == (ReportStatus.ACCEPTED, ReportStatus.RETURNED)
    # 3. Township A exports its roster and views one full ID number, with a reason.
    export = a.get(reverse("relief:person_export"))
    assert export.status_code == 200
    shown = a.post(reverse("relief:person_detail", args=[mine.pk]), {"reason": "办理低保年审核对"})
    assert mine.id_number in shown.content.decode()
    # 4. Township B tries township A's report.
    b = log_in("township_b", "10.0.0.3")
    assert b.get(reverse("campaigns:report_detail", args=[report_a.pk])).status_code == 404
    # 5. Township A logs out.
    assert a.post(reverse("logout")).status_code == 302

    rows = list(
        Event.objects.order_by("id").values_list(
            "action", "outcome", "object_type", "username", "role", "ip"
        )
    )
    assert rows == [
        ("login", "success", "org.user", "township_a", "township", "10.0.0.1"),
        ("import", "success", "relief.person", "township_a", "township", "10.0.0.1"),
        ("login", "success", "org.user", "section", "section", "10.0.0.2"),
        ("accept", "success", "campaigns.report", "section", "section", "10.0.0.2"),
        ("return", "success", "campaigns.report", "section", "section", "10.0.0.2"),
        ("export", "success", "relief.person", "township_a", "township", "10.0.0.1"),
        ("view_id", "success", "relief.person", "township_a", "township", "10.0.0.1"),
        ("login", "success", "org.user", "township_b", "township", "10.0.0.3"),
        ("refused", "refused", "campaigns.report", "township_b", "township", "10.0.0.3"),
        ("logout", "success", "org.user", "township_a", "township", "10.0.0.1"),
    ]
    events = list(Event.objects.order_by("id"))
    assert [e.object_id for e in events] == [
        str(township_a.pk),
        "",
        str(section.pk),
        str(report_a.pk),
        str(contest.pk),
        "",
        str(mine.pk),
        str(township_b.pk),
        str(report_a.pk),
        str(township_a.pk),
    ]
    assert [e.user for e in events] == [
        township_a,
        township_a,
        section,
        section,
        section,
        township_a,
        township_a,
        township_b,
        township_b,
        township_a,
    ]
    assert events[4].detail["reason"] == reason
    assert events[6].detail["reason"] == "办理低保年审核对"
    assert events[6].object_repr == mine.name
    assert (events[8].method, events[8].path) == ("GET", f"/plans/reports/{report_a.pk}/")
    # No ID number, imported or shown, in any column of any row.
    numbers = [p.id_number for p in Person.objects.all()]
    assert len(numbers) == 5
    dumped = repr(list(Event.objects.values()))
    assert not [n for n in numbers if n in dumped or n[:17] in dumped]
