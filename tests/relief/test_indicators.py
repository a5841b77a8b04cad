"""集中供养率 and 探访率 against a small roster worked out by hand (as of 2020-06-30 and 05-31).

甲街道 (township A): a1 and a2 are its communities.
  p1  a1  特困 集中 部分不能自理                                   → num, den
  p2  a2  特困 分散 完全不能自理; visited 06-05 and 06-20           → den; visited
  p3  A   特困 分散 能自理; visited 05-28 (last month)             → not counted; not visited
  p4  a1  特困 分散 部分 → 集中 from 06-15; visited 06-03           → 05-31 den; 06-30 num, den
  p5  a1  特困 集中 部分, died 06-10                                → 05-31 num, den; 06-30 gone
  p6  A   城市低保                                                  → never counted
  p7  a2  特困 分散 能自理 → 部分不能自理 from 06-20; visited 07-01 → 06-30 den; not visited
  p8  A   特困 分散 部分, joins 07-05                               → not yet
乙镇 (township B): p10 in b1, 特困 集中 完全不能自理; p11 in b1, 特困 分散 能自理, visited 06-30.
丙镇 (township C) has nobody.

集中供养率 as of 06-30: A 2/4 (p1, p4 of p1 p2 p4 p7), a1 2/2, a2 0/2, B 1/1, C 0/0, bureau 3/5.
            as of 05-31: A 2/4 (p1, p5 of p1 p2 p4 p5), a1 2/3, a2 0/1.
探访率 as of 06-30: A 1/3 (p2 of p2 p3 p7), B 1/1, C 0/0.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from org import computed
from org import services as org_services
from org.models import UnitKind
from relief import services
from relief.indicators import concentrated_care_rate, dispersed_visit_rate
from relief.models import Assistance, PersonStatus, SelfCare, SupportMode
from tests.conftest import Tree
from tests.relief.factories import person

D = Decimal
JUNE = date(2020, 6, 30)
MAY = date(2020, 5, 31)


@pytest.fixture
def roster(tree: Tree):
    a, a1, a2, b, b1 = (
        tree.township_a,
        tree.community_a1,
        tree.community_a2,
        tree.township_b,
        tree.village_b1,
    )
    home = tree.institution_a
    person(a, community=a1, support_mode=SupportMode.CONCENTRATED, institution=home)
    p2 = person(a, community=a2, self_care=SelfCare.NONE)
    p3 = person(a, self_care=SelfCare.FULL)
    p4 = person(a, community=a1)
    services.person_change_support(
        person=p4,
        effective=date(2020, 6, 15),
        support_mode=SupportMode.CONCENTRATED,
        institution=home,
    )
    p5 = person(a, community=a1, support_mode=SupportMode.CONCENTRATED, institution=home)
    services.person_change_support(
        person=p5, effective=date(2020, 6, 10), status=PersonStatus.ENDED
    )
    person(a, assistance=Assistance.URBAN_DIBAO)
    p7 = person(a, community=a2, self_care=SelfCare.FULL)
    services.person_change_support(
        person=p7, effective=date(2020, 6, 20), self_care=SelfCare.PARTIAL
    )
    person(a, since=date(2020, 7, 5))
    person(
        b,
        community=b1,
        self_care=SelfCare.NONE,
        support_mode=SupportMode.CONCENTRATED,
        institution=home,
    )
    p11 = person(b, community=b1, self_care=SelfCare.FULL)
    for who, day in ((p2, 5), (p2, 20), (p4, 3), (p11, 30)):
        services.visit_create(person=who, visited_on=date(2020, 6, day), visitor="民政办")
    services.visit_create(person=p3, visited_on=date(2020, 5, 28), visitor="民政办")
    services.visit_create(person=p7, visited_on=date(2020, 7, 1), visitor="民政办")
    c = org_services.unit_create(name="丙镇", kind=UnitKind.TOWN, parent=tree.bureau)
    return c


def test_it_computes_the_concentrated_care_rate_as_of_the_periods_end(tree: Tree, roster):
    units = [
        tree.township_a,
        tree.community_a1,
        tree.community_a2,
        tree.township_b,
        roster,
        tree.bureau,
    ]
    a, a1, a2, b, c, bureau = (u.pk for u in units)
    june = concentrated_care_rate(units, JUNE)
    assert june == {
        a: (D(2), D(4)),
        a1: (D(2), D(2)),
        a2: (D(0), D(2)),
        b: (D(1), D(1)),
        c: (D(0), D(0)),
        bureau: (D(3), D(5)),
    }
    may = concentrated_care_rate(units, MAY)
    assert (may[a], may[a1], may[a2]) == ((D(2), D(4)), (D(2), D(3)), (D(0), D(1)))


def test_it_computes_the_visit_rate_of_the_month(tree: Tree, roster):
    units = [tree.township_a, tree.township_b, roster]
    result = dispersed_visit_rate(units, JUNE)
    assert result == {
        tree.township_a.pk: (D(1), D(3)),
        tree.township_b.pk: (D(1), D(1)),
        roster.pk: (D(0), D(0)),
    }


def test_it_answers_nothing_for_no_units(db):
    assert concentrated_care_rate([], JUNE) == {}
    assert dispersed_visit_rate([], JUNE) == {}


@pytest.mark.parametrize("compute", [concentrated_care_rate, dispersed_visit_rate])
def test_it_uses_one_query_however_many_units(
    tree: Tree, roster, compute, django_assert_num_queries
):
    few = [tree.township_a]
    many = [
        tree.township_a,
        tree.township_b,
        roster,
        tree.community_a1,
        tree.community_a2,
        tree.bureau,
    ]
    for units in (few, many):
        with django_assert_num_queries(1):
            compute(units, JUNE)


def test_it_registers_the_compute_functions_under_the_plans_keys():
    assert computed.get("relief.concentrated_care_rate").compute is concentrated_care_rate
    assert computed.get("relief.dispersed_visit_rate").compute is dispersed_visit_rate
