"""身份证号核实: a number on a roster the user cannot see is never confirmed
to them. The registration is held for the 社会救助科 with one answer, whatever roster holds the
number; the section decides on its desk and the township hears the result by notice; a user's
held registrations are limited to five a day, and every one (held or refused) is audited."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from org import services as org_services
from org.models import Notice, Role, UnitKind
from relief import roster, services
from relief.models import Household, IdClaim, Person, SupportPeriod
from tests.conftest import Tree, client_for, make_user
from tests.relief.factories import claim, id_number, person
from tests.relief.test_roster import HEADER, good_rows, upload, xlsx
from tests.test_personal_data_scan import id_numbers_in

HELD = "“新对象”的登记已提交社会救助科核实，核实后登记或告知结果。"


@pytest.fixture
def desk(tree: Tree, section):
    """The section keeps the relief rosters: its staff hold the desk."""
    tree.section.keeps_records = "relief"
    tree.section.save(update_fields=["keeps_records"])
    return section


@pytest.fixture
def theirs(tree: Tree) -> Person:
    return person(tree.township_b, community=tree.village_b1, name="乙镇的人")


def form(tree: Tree, number: str, **extra: Any) -> dict[str, Any]:
    return {
        "unit": tree.township_a.pk,
        "community": tree.community_a1.pk,
        "household_number": "A-7",
        "name": "新对象",
        "id_number": number,
        "assistance": "urban_dibao",
        "since": "2020-03-01",
        "monthly_amount": "700",
        **extra,
    }


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def answer(client, data: dict[str, Any]) -> tuple[int, str, str]:
    """The POST's status and redirect, and the page it leads to without its CSRF token."""
    response = client.post(reverse("relief:person_create"), data)
    page = client.get(response["Location"]).content.decode() if response.status_code == 302 else ""
    return response.status_code, response.get("Location", ""), CSRF.sub("", page)


def test_it_holds_another_townships_number_and_confirms_nothing(
    tree: Tree, theirs: Person, township_a
):
    client = client_for(township_a)
    before = (Person.objects.count(), Household.objects.count(), SupportPeriod.objects.count())
    status, location, page = answer(client, form(tree, theirs.id_number))
    assert (status, location) == (302, reverse("relief:person_create"))
    assert HELD in page
    for hint in ("乙镇", "乙镇的人", "已登记为救助对象", theirs.masked_id_number, theirs.id_number):
        assert hint not in page
    assert (Person.objects.count(), Household.objects.count(), SupportPeriod.objects.count()) == (
        before
    ), "nothing is added to the roster, not even the household"
    held = IdClaim.objects.get()
    assert (held.unit, held.requested_by, held.person, held.status) == (
        tree.township_a,
        township_a,
        theirs,
        "pending",
    )
    assert held.id_number == theirs.id_number  # as the Person model stores it
    assert held.data["community"] == tree.community_a1.pk
    assert (held.data["household_number"], held.data["monthly_amount"]) == ("A-7", "700")
    theirs.refresh_from_db()
    assert theirs.unit == tree.township_b


def test_the_answer_is_the_same_whatever_roster_holds_the_number(tree: Tree, township_a):
    """The no-leak property: the answer to a held registration depends on nothing the user cannot
    see. A number on another township's roster, on it but ended, on another bureau's roster, or
    already waiting on the desk: byte for byte the same answer (but for the CSRF token)."""
    ended = person(tree.township_b, name="已退出的人")
    services.person_change_support(person=ended, effective=date(2020, 1, 1), status="ended")
    other_bureau = org_services.unit_create(name="外区民政局", kind=UnitKind.BUREAU, parent=None)
    far = org_services.unit_create(name="外区街道", kind=UnitKind.STREET, parent=other_bureau)
    active = person(tree.township_b, name="乙镇的人")
    numbers = {
        "another township's": active.id_number,
        "ended elsewhere": ended.id_number,
        "another bureau's": person(far, name="外区的人").id_number,
        "already held": active.id_number,
    }
    client = client_for(township_a)
    answers = {case: answer(client, form(tree, number)) for case, number in numbers.items()}
    first = answers["another township's"]
    assert first[0] == 302 and HELD in first[2]
    for case, seen in answers.items():
        assert seen == first, case
    assert IdClaim.objects.count() == 4 and Person.objects.count() == 3
    # What remains to tell the cases apart from a fresh number: a fresh number is registered at
    # once (its page), a held one is not (the form again, with the note that the section decides).
    fresh = client.post(reverse("relief:person_create"), form(tree, id_number()))
    assert fresh.status_code == 302 and fresh["Location"] != first[1]


def test_a_township_is_told_plainly_of_its_own_person(tree: Tree, township_a):
    mine = person(tree.township_a, name="甲街道的人")
    response = client_for(township_a).post(
        reverse("relief:person_create"), form(tree, mine.id_number)
    )
    assert response.status_code == 200
    assert "身份证号已登记为救助对象（甲街道 甲街道的人）" in response.content.decode()
    assert not IdClaim.objects.exists()


def test_the_claim_waits_on_the_sections_desk_masked(tree: Tree, theirs: Person, township_a, desk):
    held = claim(township_a, tree.township_b, name="新对象")
    client = client_for(desk)
    home = client.get(reverse("home")).content.decode()
    assert "待核实的身份证号" in home and "1 件" in home
    assert reverse("relief:claim_detail", args=[held.pk]) in home
    listing = client.get(reverse("relief:claim_list"))
    assert listing.status_code == 200 and held in listing.context["page"].object_list
    page = client.get(reverse("relief:claim_detail", args=[held.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "新对象" in text and "他处对象" in text and "乙镇" in text  # side by side
    assert held.masked_id_number in text
    for response in (home, listing.content.decode(), text):
        assert not id_numbers_in(response.encode()), "masked as everywhere"
    assert "身份证号核实" in client.get(reverse("relief:person_list")).content.decode()


def test_accepting_moves_the_person_and_tells_both_townships(
    tree: Tree, township_a, township_b, desk, django_capture_on_commit_callbacks
):
    held = claim(
        township_a,
        tree.township_b,
        name="新对象",
        community=tree.community_a2,
        household_number="A-8",
        existing_name="转出的人",
    )
    moved = held.person
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(desk).post(
            reverse("relief:claim_detail", args=[held.pk]),
            {"decision": "accept", "effective": today.isoformat(), "note": ""},
        )
    assert response.status_code == 302
    held.refresh_from_db()
    moved.refresh_from_db()
    assert (held.status, held.decided_by, held.effective) == ("accepted", desk, today)
    assert (moved.unit, moved.community, moved.household.number) == (
        tree.township_a,
        tree.community_a2,
        "A-8",
    )
    assert (moved.assistance, moved.support_mode, moved.status) == ("urban_dibao", "", "active")
    periods = list(SupportPeriod.objects.filter(person=moved).order_by("starts_on"))
    assert [(p.unit, p.starts_on, p.ends_on) for p in periods] == [
        (tree.township_b, date(2019, 1, 1), today),
        (tree.community_a2, today, None),
    ], "the past counts where it happened"
    assert moved.history.count() >= 3  # created, moved, support changed
    told = Notice.objects.get(recipient=township_a)
    assert "已登记" in told.title and told.link == reverse("relief:person_detail", args=[moved.pk])
    assert "乙镇" not in told.title + told.body and "转出的人" not in told.title + told.body
    left = Notice.objects.get(recipient=township_b)
    assert "转出" in left.title and "甲街道" in left.body
    assert client_for(township_a).get(told.link).status_code == 200
    assert client_for(township_b).get(told.link).status_code == 404
    event = Event.objects.get(object_type="relief.idclaim", action="accept")
    assert (event.user, event.object_id, event.outcome) == (desk, str(held.pk), "success")


def test_refusing_tells_the_township_the_reason_and_nothing_else(
    tree: Tree, township_a, township_b, desk, django_capture_on_commit_callbacks
):
    held = claim(township_a, tree.township_b, name="新对象", existing_name="乙镇的人")
    url = reverse("relief:claim_detail", args=[held.pk])
    client = client_for(desk)
    missing = client.post(url, {"decision": "reject", "note": ""})
    assert missing.status_code == 200 and "请写明不予登记的原因" in missing.content.decode()
    held.refresh_from_db()
    assert held.status == "pending" and not Notice.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"decision": "reject", "note": "户籍不在本区，请核实后重新申请"}
        )
    assert response.status_code == 302
    held.refresh_from_db()
    assert (held.status, held.decided_by, held.decision_note) == (
        "rejected",
        desk,
        "户籍不在本区，请核实后重新申请",
    )
    told = Notice.objects.get(recipient=township_a)
    assert "不予登记" in told.title and "户籍不在本区" in told.body
    assert held.masked_id_number in told.body
    assert "乙镇" not in told.title + told.body and "乙镇的人" not in told.body
    assert not Notice.objects.filter(recipient=township_b).exists()
    assert held.person.unit == tree.township_b
    again = client.post(url, {"decision": "accept", "effective": timezone.localdate().isoformat()})
    assert "该申请已经核实处理" in again.content.decode()
    decisions = Event.objects.filter(object_type="relief.idclaim", user=desk)
    assert sorted(decisions.values_list("action", "outcome")) == [
        ("accept", "invalid"),  # the second decision, refused
        ("return", "invalid"),  # no reason given
        ("return", "success"),
    ]


@pytest.mark.parametrize("role", ["township_a", "township_b", "leader", "institution"])
def test_only_the_desk_opens_or_decides_a_claim(request, tree: Tree, township_a, desk, role):
    held = claim(township_a, tree.township_b)
    client = client_for(request.getfixturevalue(role))
    url = reverse("relief:claim_detail", args=[held.pk])
    assert client.get(url).status_code == 404
    decided = client.post(
        url, {"decision": "accept", "effective": timezone.localdate().isoformat()}
    )
    assert decided.status_code == 404
    assert client.get(reverse("relief:claim_list")).status_code == 404
    held.refresh_from_db()
    assert held.status == "pending" and held.person.unit == tree.township_b
    assert "待核实对象" not in client.get(reverse("home")).content.decode()


def test_a_section_that_keeps_no_rosters_has_no_desk(tree: Tree, township_a):
    other = make_user("eldercare", Role.SECTION, tree.other_section)
    held = claim(township_a, tree.township_b)
    client = client_for(other)
    assert client.get(reverse("relief:claim_detail", args=[held.pk])).status_code == 404
    assert client.get(reverse("relief:claim_list")).status_code == 404


def test_another_bureaus_person_is_not_the_sections_to_move(tree: Tree, township_a, desk):
    other_bureau = org_services.unit_create(name="外区民政局", kind=UnitKind.BUREAU, parent=None)
    far = org_services.unit_create(name="外区街道", kind=UnitKind.STREET, parent=other_bureau)
    held = claim(township_a, far, existing_name="外区的人")
    url = reverse("relief:claim_detail", args=[held.pk])
    page = client_for(desk).get(url).content.decode()
    assert "本局辖区以外" in page and "外区的人" not in page and "外区街道" not in page
    assert 'value="accept"' not in page
    response = client_for(desk).post(
        url, {"decision": "accept", "effective": timezone.localdate().isoformat()}
    )
    assert response.status_code == 200 and "不在本局辖区内" in response.content.decode()
    held.refresh_from_db()
    assert held.status == "pending" and held.person.unit == far


def test_the_limit_refuses_the_sixth_and_audits_every_hit(tree: Tree, township_a):
    others = [person(tree.township_b, name=f"乙镇{n}") for n in range(6)]
    client = client_for(township_a)
    for other in others[:5]:
        assert answer(client, form(tree, other.id_number))[2].count(HELD) == 1
    refused = client.post(reverse("relief:person_create"), form(tree, others[5].id_number))
    assert refused.status_code == 200
    assert services.ID_CLAIM_REFUSED in refused.content.decode()
    assert IdClaim.objects.filter(requested_by=township_a).count() == 5
    held_rows = Event.objects.filter(user=township_a, object_type="relief.idclaim")
    assert held_rows.filter(action="create", outcome="success").count() == 5
    refusal = Event.objects.get(user=township_a, action="refused")
    assert (refusal.outcome, refusal.detail["reason"]) == ("refused", "id_claim_limit")
    assert refusal.username == "township_a"
    for event in Event.objects.all():
        assert not any(p.id_number in str(event.detail) + event.object_repr for p in others)
    # The limit holds held registrations back, not the township's work.
    fresh = client.post(reverse("relief:person_create"), form(tree, id_number(), name="新人"))
    assert fresh.status_code == 302 and Person.objects.filter(name="新人").exists()
    # A day later the user may send more.
    day_ago = timezone.now() - timedelta(hours=25)
    IdClaim.objects.update(created_at=day_ago)
    assert HELD in answer(client, form(tree, others[5].id_number))[2]


def test_the_import_sets_a_row_aside_without_naming_the_other_township(
    tree: Tree, theirs: Person, township_a
):
    rows = good_rows()
    rows.insert(
        1,
        ["A-5", "甲一社区", "新对象", theirs.id_number, "城市低保", "", "", "", "2020-01-01", 700],
    )
    client = client_for(township_a)
    response = upload(client, xlsx(rows))
    assert response.status_code == 302
    assert Person.objects.count() == 5  # the file's four, and 乙镇's own
    assert not Person.objects.filter(name="新对象").exists()
    held = IdClaim.objects.get()
    assert (held.source, held.line, held.unit, held.person) == (
        "import",
        4,
        tree.township_a,
        theirs,
    )
    assert held.data["household_number"] == "A-5" and held.data["since"] == "2020-01-01"
    page = client.get(response["Location"]).content.decode()
    assert "第 4 行：已转社会救助科核实" in page
    assert "乙镇" not in page and "乙镇的人" not in page
    event = Event.objects.get(object_type="relief.idclaim", action="create")
    assert (event.user, event.detail["line"], event.object_id) == (township_a, 4, str(held.pk))


def test_the_import_over_the_limit_saves_nothing_and_audits_the_refusal(
    tree: Tree, theirs: Person, township_a
):
    for _ in range(services.ID_CLAIM_LIMIT):
        claim(township_a, tree.township_b)
    before = (Person.objects.count(), Household.objects.count(), IdClaim.objects.count())
    rows = [
        *good_rows(),
        ["", "", "新对象", theirs.id_number, "城市低保", "", "", "", "2020-01-01", ""],
    ]
    response = upload(client_for(township_a), xlsx(rows))
    assert response.status_code == 200
    assert response.context["result"].errors == [services.ID_CLAIM_REFUSED]
    assert (Person.objects.count(), Household.objects.count(), IdClaim.objects.count()) == before
    refusal = Event.objects.get(action="refused", object_type="relief.idclaim")
    assert (refusal.user, refusal.detail["line"]) == (township_a, 7)


def test_a_roster_cell_with_a_vertical_tab_is_refused(tree: Tree, township_a, monkeypatch):
    """A vertical tab cannot stand in a sheet's XML, but a reader that lets one through (or a
    later one) must not save it: the importer applies the text rule to every cell itself."""
    read = roster.sheet_rows

    def with_tab(*args: Any, **kwargs: Any):
        for row in read(*args, **kwargs):
            yield tuple(v.replace("王一", "王\x0b一") if isinstance(v, str) else v for v in row)

    monkeypatch.setattr(roster, "sheet_rows", with_tab)
    response = upload(client_for(township_a), xlsx(good_rows()))
    assert response.status_code == 200
    errors = response.context["result"].errors
    assert len(errors) == 1
    assert errors[0].startswith(
        "第 3 行 C 列：含有看不见的特殊字符（第 2 个字符是垂直制表符（U+000B）"
    )
    assert not Person.objects.exists() and not Household.objects.exists()


def test_a_roster_cell_with_a_c1_control_is_refused_from_a_real_file(tree: Tree, township_a):
    rows = good_rows()
    rows[2][0] = "A-\x8502"  # what a cp1252 text pasted as Latin-1 leaves; XML 1.0 allows it
    response = upload(client_for(township_a), xlsx(rows))
    assert response.status_code == 200
    assert response.context["result"].errors == [
        "第 5 行 A 列：含有看不见的特殊字符（第 3 个字符是控制字符（U+0085）），"
        "常见于从 WPS、PDF 或网页复制的文字，请删除后重新输入"
    ]
    assert not Person.objects.exists() and not Household.objects.exists()
    assert HEADER[0] == "户编号"


def test_the_person_page_shows_the_age_not_the_birth_month(tree: Tree, township_a, desk):
    """出生 as year and month beside the masked number gave away six of its eight hidden digits."""
    born = date(1950, 3, 7)
    mine = person(tree.township_a, name="甲街道的人", id_number=id_number(born))
    today = timezone.localdate()
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    assert mine.age == age
    page = client_for(township_a).get(reverse("relief:person_detail", args=[mine.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and mine.masked_id_number in text
    assert f"{age} 岁" in text
    for hint in ("1950年3月", "1950-03", "1950年03月", "195003", "出生"):
        assert hint not in text, hint
    held = claim(township_a, tree.township_b, existing_name="乙镇的人")
    detail = client_for(desk).get(reverse("relief:claim_detail", args=[held.pk])).content.decode()
    for hint in ("1950年3月", "1950-03", "1950年03月"):
        assert hint not in detail, hint


def test_the_office_keeps_the_desk_too(
    tree: Tree, township_a, office, django_capture_on_commit_callbacks
):
    """The office keeps the bureau's relief rosters with the section (ROSTER_EXPORT_ROLES)."""
    held = claim(township_a, tree.township_b, name="新对象", existing_name="转出的人")
    client = client_for(office)
    home = client.get(reverse("home")).content.decode()
    assert "待核实的身份证号" in home and reverse("relief:claim_detail", args=[held.pk]) in home
    listing = client.get(reverse("relief:claim_list"))
    assert listing.status_code == 200 and held in listing.context["page"].object_list
    assert not id_numbers_in(listing.content)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("relief:claim_detail", args=[held.pk]),
            {"decision": "accept", "effective": timezone.localdate().isoformat(), "note": ""},
        )
    assert response.status_code == 302
    held.refresh_from_db()
    assert (held.status, held.decided_by, held.person.unit) == (
        "accepted",
        office,
        tree.township_a,
    )
    told = Notice.objects.get(recipient=township_a)
    assert "转出的人" not in told.title + told.body and "乙镇" not in told.title + told.body
