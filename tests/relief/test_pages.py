"""The relief pages: who sees which persons, masked ID numbers, the recorded full view."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from django.urls import reverse

from relief.models import IdNumberView, Person, SupportPeriod, Visit
from tests.conftest import Tree, client_for
from tests.relief.factories import person


@pytest.fixture
def people(tree: Tree):
    return (
        person(
            tree.township_a, community=tree.community_a1, name="甲社区对象", household_number="A-1"
        ),
        person(tree.township_b, community=tree.village_b1, name="乙村对象"),
    )


def test_it_lists_only_the_townships_own_persons(tree: Tree, people, township_a, township_b):
    mine, theirs = people
    page = client_for(township_a).get(reverse("relief:person_list")).content.decode()
    assert "甲社区对象" in page and "乙村对象" not in page
    # However the query is made: another township's id, name or number finds nothing.
    for query in (
        f"?unit={tree.township_b.pk}",
        "?q=乙村对象",
        f"?q={theirs.id_number[-4:]}",
        "?status=all&assistance=tekun",
    ):
        response = client_for(township_a).get(reverse("relief:person_list") + query)
        assert theirs not in response.context["page"].object_list, query
        assert reverse("relief:person_detail", args=[theirs.pk]) not in response.content.decode()
    for name in ("relief:person_detail", "relief:person_edit", "relief:visit_create"):
        assert client_for(township_b).get(reverse(name, args=[mine.pk])).status_code == 404
    household = reverse("relief:household_detail", args=[mine.household_id])
    assert client_for(township_b).get(household).status_code == 404


def test_it_lets_the_relief_section_keep_every_roster(tree: Tree, people, section):
    tree.section.keeps_records = "relief"
    tree.section.save(update_fields=["keeps_records"])
    page = client_for(section).get(reverse("relief:person_list")).content.decode()
    assert "甲社区对象" in page and "乙村对象" in page


@pytest.mark.parametrize("role", ["leader", "office", "township_a"])
def test_it_shows_masked_numbers_on_every_page(request, tree: Tree, people, role, caplog):
    user = request.getfixturevalue(role)
    mine = people[0]
    client = client_for(user)
    caplog.set_level(logging.DEBUG)
    for url in (
        reverse("relief:person_list"),
        reverse("relief:person_detail", args=[mine.pk]),
        reverse("relief:household_detail", args=[mine.household_id]),
        reverse("relief:household_list"),
    ):
        page = client.get(url).content.decode()
        assert mine.id_number not in page, url
    assert mine.masked_id_number in client.get(reverse("relief:person_list")).content.decode()
    export = client.get(reverse("relief:person_export"))
    if role == "leader":
        assert export.status_code == 403, "a bulk export of personal data needs the permission"
        assert "导出 Excel" not in client.get(reverse("relief:person_list")).content.decode()
    else:
        assert export.status_code == 200
        assert mine.id_number.encode() not in export.content
    assert mine.id_number not in caplog.text


def test_it_shows_the_full_number_to_the_township_once_and_records_it(
    tree: Tree, people, township_a, caplog
):
    mine = people[0]
    url = reverse("relief:person_detail", args=[mine.pk])
    client = client_for(township_a)
    page = client.get(url).content.decode()
    assert "查看完整身份证号" in page and mine.id_number not in page
    caplog.set_level(logging.DEBUG)
    for reason in ("", "   ", "核对"[:1]):
        refused = client.post(url, {"reason": reason}, REMOTE_ADDR="10.1.2.3").content.decode()
        assert "请写明查看完整身份证号的事由" in refused and mine.id_number not in refused
    assert not IdNumberView.objects.exists(), "no reason, no number and no record"
    response = client.post(url, {"reason": "办理低保年审核对身份"}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert mine.id_number in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    view = IdNumberView.objects.get()
    assert (view.user, view.person, view.ip) == (township_a, mine, "10.1.2.3")
    assert view.reason == "办理低保年审核对身份"
    assert mine.id_number not in caplog.text
    # The next visit is masked again.
    assert mine.id_number not in client.get(url).content.decode()


@pytest.mark.parametrize("role", ["leader", "office", "institution"])
def test_it_never_shows_the_full_number_to_readers(request, tree: Tree, people, role):
    user = request.getfixturevalue(role)
    mine = people[0]
    url = reverse("relief:person_detail", args=[mine.pk])
    client = client_for(user)
    if role == "institution":
        assert client.get(url).status_code == 404  # institutions see no relief rosters
    else:
        assert "查看完整身份证号" not in client.get(url).content.decode()
    response = client.post(url, {"reason": "领导要求核对身份"})
    assert response.status_code in (403, 404)
    assert mine.id_number not in response.content.decode()
    assert IdNumberView.objects.count() == 0


def test_it_refuses_the_full_number_to_another_township(tree: Tree, people, township_b):
    response = client_for(township_b).post(
        reverse("relief:person_detail", args=[people[0].pk]), {"reason": "核对身份信息"}
    )
    assert response.status_code == 404
    assert IdNumberView.objects.count() == 0


def test_it_registers_a_person_through_the_page(tree: Tree, township_a):
    from tests.relief.factories import id_number

    number = id_number(date(1948, 2, 29), 101)
    response = client_for(township_a).post(
        reverse("relief:person_create"),
        {
            "unit": tree.township_a.pk,
            "community": tree.community_a2.pk,
            "household_number": "A-9",
            "name": "新对象",
            "id_number": number,
            "assistance": "tekun",
            "support_mode": "dispersed",
            "self_care": "partial",
            "since": "2020-03-01",
        },
    )
    assert response.status_code == 302
    created = Person.objects.get(name="新对象")
    assert (created.birth_date, created.gender, created.household.number) == (
        date(1948, 2, 29),
        "M",
        "A-9",
    )
    assert SupportPeriod.objects.filter(person=created, ends_on=None).count() == 1


def test_it_refuses_a_wrong_id_number_in_the_form(tree: Tree, township_a):
    response = client_for(township_a).post(
        reverse("relief:person_create"),
        {
            "unit": tree.township_a.pk,
            "name": "错号",
            "id_number": "110105194912310021",
            "assistance": "urban_dibao",
            "since": "2020-03-01",
        },
    )
    assert response.status_code == 200
    assert "身份证号校验位不正确，应为 X" in response.content.decode()
    assert not Person.objects.exists()


def test_it_keeps_another_townships_community_out_of_the_form(tree: Tree, township_a):
    response = client_for(township_a).post(
        reverse("relief:person_create"),
        {
            "unit": tree.township_a.pk,
            "community": tree.village_b1.pk,
            "name": "越界",
            "id_number": "11010519491231002X",
            "assistance": "urban_dibao",
            "since": "2020-03-01",
        },
    )
    assert response.status_code == 200 and not Person.objects.exists()


def test_it_records_a_change_of_support_and_a_visit(tree: Tree, people, township_a, township_b):
    mine = people[0]
    client = client_for(township_a)
    response = client.post(
        reverse("relief:person_support_edit", args=[mine.pk]),
        {
            "effective": "2020-06-15",
            "status": "active",
            "assistance": "tekun",
            "support_mode": "concentrated",
            "self_care": "partial",
            "institution": tree.institution_a.pk,
        },
    )
    assert response.status_code == 302
    periods = list(SupportPeriod.objects.filter(person=mine).order_by("starts_on"))
    assert [(p.starts_on, p.ends_on, p.support_mode) for p in periods] == [
        (date(2019, 1, 1), date(2020, 6, 15), "dispersed"),
        (date(2020, 6, 15), None, "concentrated"),
    ]
    response = client_for(township_b).post(
        reverse("relief:visit_create", args=[mine.pk]),
        {"visited_on": "2020-06-01", "kind": "home", "visitor": "乙"},
    )
    assert response.status_code == 404 and not Visit.objects.exists()
    response = client.post(
        reverse("relief:visit_create", args=[mine.pk]),
        {"visited_on": "2020-06-01", "kind": "home", "visitor": "甲"},
    )
    assert response.status_code == 302 and Visit.objects.get().visitor == "甲"
    page = client.get(reverse("relief:person_detail", args=[mine.pk])).content.decode()
    assert "2020-06-15 起" in page and "甲街道敬老院" in page


def test_it_shows_the_township_its_unvisited_persons_at_home(tree: Tree, people, township_a):
    page = client_for(township_a).get(reverse("home")).content.decode()
    assert "尚未探访的分散供养特困人员" in page and "甲社区对象" in page


def test_it_lists_persons_in_a_fixed_number_of_queries(
    tree: Tree, township_a, django_assert_max_num_queries
):
    client = client_for(township_a)
    for n in range(3):
        person(tree.township_a, name=f"对象{n}")
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("relief:person_list"))
    for n in range(30):
        person(tree.township_a, community=tree.community_a2, name=f"更多{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("relief:person_list"))


def test_it_shows_the_history_in_words_with_the_number_masked(tree: Tree, people, township_a):
    mine = people[0]
    client = client_for(township_a)
    client.post(
        reverse("relief:person_support_edit", args=[mine.pk]),
        {
            "effective": "2020-06-15",
            "status": "active",
            "assistance": "tekun",
            "support_mode": "concentrated",
            "self_care": "none",
            "institution": tree.institution_a.pk,
        },
    )
    page = client.get(reverse("relief:person_detail", args=[mine.pk])).content.decode()
    assert "供养方式：分散供养 → 集中供养" in page
    assert "供养机构：— → 甲街道敬老院" in page
    assert mine.id_number not in page
