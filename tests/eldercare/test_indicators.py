"""配建率, 四赛 average and 六晒 compliance against small fixtures worked out by hand.

配建率 of 甲街道 (a street) as of 2020-06-30:
  a1  old estate, 1000 households → needs 150 m²; 150 m² since 2019      → meets (exactly)
  a2  new estate, 1000 households → needs 200 m²; 180 m² since 2019      → short
  a3  old estate,  800 households → needs 120 m²; 130 m² from 2020-07-10 → not yet (meets by 07-31)
  a4  no facility listed                                                  → does not count
  a5  two old estates, 1000 + 400 households → 210 m²; 100 + 120 m²      → meets together
  → 2 of 5 on 06-30, 3 of 5 on 07-31. 乙镇 has villages only: 0 of 0.
四赛 of 甲街道敬老院 in June: (90+80+70+60)/4 = 75 and (100+90+90+80)/4 = 90 → 82.5; May's
  inspection is outside; the bureau's institution has none in June and gets no score.
六晒 in June 2020: 30 days × 2 daily items + 5 Mondays (1, 8, 15, 22, 29) × 4 weekly items = 80
  due; 甲街道敬老院 posted meals 06-01 on time, meals 06-02 a day late, food samples 06-01 on
  time, kitchen in the week of 06-29 on time, activity in the week of 05-25 (May's) → 3 / 80.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from eldercare import services
from eldercare.indicators import (
    community_facility_rate,
    four_contests_score,
    six_displays_rate,
    slots_due,
)
from eldercare.models import EstateEra
from org import computed
from org import services as org_services
from org.models import UnitKind
from tests.conftest import Tree
from tests.eldercare.factories import TZ, facility, institution, post

D = Decimal
JUNE = date(2020, 6, 30)


@pytest.fixture
def facilities(tree: Tree):
    a = tree.township_a

    def community(name: str):
        return org_services.unit_create(name=name, kind=UnitKind.COMMUNITY, parent=a)

    a3, a4, a5 = community("甲三社区"), community("甲四社区"), community("甲五社区")
    facility(tree.community_a1, households=1000, area=D(150))
    facility(tree.community_a2, households=1000, estate_era=EstateEra.NEW, area=D(180))
    facility(a3, households=800, area=D(130), completed_on=date(2020, 7, 10))
    facility(a5, households=1000, area=D(100), estate="甲五东区")
    facility(a5, households=400, area=D(120), estate="甲五西区")
    return a4


def test_it_computes_the_facility_rate_of_each_street(tree: Tree, facilities):
    units = [tree.township_a, tree.township_b, tree.community_a1, tree.community_a2]
    assert community_facility_rate(units, JUNE) == {
        tree.township_a.pk: (D(2), D(5)),
        tree.township_b.pk: (D(0), D(0)),
        tree.community_a1.pk: (D(1), D(1)),
        tree.community_a2.pk: (D(0), D(1)),
    }
    assert community_facility_rate([tree.township_a], date(2020, 7, 31)) == {
        tree.township_a.pk: (D(3), D(5))
    }


@pytest.fixture
def inspections(tree: Tree):
    home = institution(tree.institution_a)
    institution(tree.institution_bureau)
    for day, scores in (
        (date(2020, 6, 5), (90, 80, 70, 60)),
        (date(2020, 6, 20), (100, 90, 90, 80)),
        (date(2020, 5, 31), (50, 50, 50, 50)),
    ):
        services.inspection_create(
            institution=home,
            inspected_on=day,
            inspector="养老服务科",
            fine_management=D(scores[0]),
            nutrition=D(scores[1]),
            kitchen=D(scores[2]),
            environment=D(scores[3]),
        )


def test_it_averages_the_four_scores_of_the_period(tree: Tree, inspections):
    units = [tree.institution_a, tree.institution_bureau, tree.township_a]
    assert four_contests_score(units, JUNE) == {
        tree.institution_a.pk: D("82.50"),
        tree.township_a.pk: D("82.50"),
    }
    assert four_contests_score([tree.institution_a], JUNE, start=date(2020, 5, 1)) == {
        tree.institution_a.pk: D("71.67")
    }


def test_it_counts_the_posts_due_by_day_and_by_week():
    assert slots_due(date(2020, 6, 1), JUNE) == 80
    assert slots_due(date(2020, 6, 3), date(2020, 6, 9)) == 7 * 2 + 4
    assert slots_due(date(2020, 6, 2), date(2020, 6, 7)) == 12
    assert slots_due(date(2020, 6, 2), date(2020, 6, 1)) == 0


@pytest.fixture
def posts(tree: Tree):
    institution(tree.institution_bureau)

    def at(day: int, month: int = 6) -> datetime:
        return datetime(2020, month, day, 10, 0, tzinfo=TZ)

    post(tree.institution_a, item="meals", now=at(1))
    post(tree.institution_a, item="meals", day=date(2020, 6, 2), now=at(3))
    post(tree.institution_a, item="food_samples", now=at(1))
    post(tree.institution_a, item="kitchen", now=at(30))
    post(tree.institution_a, item="activity", now=at(27, 5))


def test_it_computes_six_displays_compliance(tree: Tree, posts):
    units = [tree.institution_a, tree.institution_bureau, tree.township_a, tree.township_b]
    assert six_displays_rate(units, JUNE) == {
        tree.institution_a.pk: (D(3), D(80)),
        tree.institution_bureau.pk: (D(0), D(80)),
        tree.township_a.pk: (D(3), D(80)),
        tree.township_b.pk: (D(0), D(0)),
    }


@pytest.mark.parametrize(
    "compute", [community_facility_rate, four_contests_score, six_displays_rate]
)
def test_it_uses_one_query_however_many_units(
    tree: Tree, facilities, inspections, posts, compute, django_assert_num_queries
):
    few = [tree.institution_a]
    many = [
        tree.township_a,
        tree.township_b,
        tree.community_a1,
        tree.community_a2,
        tree.institution_a,
        tree.institution_bureau,
        tree.bureau,
    ]
    for units in (few, many):
        with django_assert_num_queries(1):
            compute(units, JUNE)


def test_it_registers_the_compute_functions_under_the_plans_keys():
    assert computed.get("eldercare.community_facility_rate").compute is community_facility_rate
    assert computed.get("eldercare.four_contests_score").compute is four_contests_score
    assert computed.get("eldercare.six_displays_rate").compute is six_displays_rate
