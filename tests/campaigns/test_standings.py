"""Standings on fixtures worked out by hand: ties, lower-is-better, missing reports, per-unit
targets, milestones, and the light at months 3, 6 and 10 of a year-long target."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from campaigns.models import (
    Direction,
    IndicatorKind,
    Light,
    Report,
    ReportStatus,
    Standing,
    TaskKind,
)
from campaigns.services import plan as plan_services
from campaigns.services.ranking import (
    competition_ranks,
    elapsed_share,
    light_for,
    standings_save,
)
from campaigns.services.reporting import period_open
from org import services as org_services
from org.models import UnitKind
from tests.conftest import Tree

D = Decimal


@pytest.fixture
def towns(tree: Tree) -> list:
    extra = [
        org_services.unit_create(name=name, kind=UnitKind.TOWN, parent=tree.bureau)
        for name in ("丙镇", "丁镇")
    ]
    return [tree.township_a, tree.township_b, *extra]


@pytest.fixture
def year_campaign(tree: Tree, office):
    return plan_services.campaign_save(
        bureau=tree.bureau,
        user=office,
        title="全年方案",
        year=2020,
        start=date(2020, 1, 1),
        end=date(2020, 12, 31),
        red_gap=D(20),
        yellow_gap=D(0),
    )


def contest(campaign, units, *indicators) -> object:
    task = plan_services.task_save(
        campaign=campaign, kind=TaskKind.CONTEST, title="擂台赛", participants=units
    )
    for spec in indicators:
        plan_services.indicator_save(task=task, **spec)
    plan_services.campaign_publish(campaign=campaign, user=campaign.created_by)
    return task


def fill(period, unit, values: dict[str, dict], status=ReportStatus.SUBMITTED) -> None:
    report = Report.objects.get(period=period, unit=unit)
    for entry in report.entries.select_related("indicator"):
        for field, value in values.get(entry.indicator.name, {}).items():
            setattr(entry, field, value)
        entry.save()
    report.status = status
    report.save()


def by_unit(period) -> dict[str, Standing]:
    return {s.unit.name: s for s in Standing.objects.filter(period=period).select_related("unit")}


def test_it_shares_places_between_ties():
    assert competition_ranks([D(90), D(80), D(80), D(70)]) == [1, 2, 2, 4]
    assert competition_ranks([D(50), D(50), D(50)]) == [1, 1, 1]


@pytest.mark.parametrize(
    ("month_end", "expected"),
    # 2020 has 366 days: 31 March is day 91, 30 June day 182, 31 October day 305.
    [
        (date(2020, 3, 31), D(91) / 366),
        (date(2020, 6, 30), D(182) / 366),
        (date(2020, 10, 31), D(305) / 366),
    ],
)
def test_it_measures_time_elapsed_against_the_deadline(year_campaign, month_end, expected):
    assert elapsed_share(year_campaign, month_end, None) == expected


@pytest.mark.parametrize(
    ("completion", "expected", "light"),
    [
        # month 3: 24.86% of the year gone; 30% done is ahead, 10% is 14.9 points behind, 0 is 24.9 behind
        (D("30"), D("24.86"), Light.GREEN),
        (D("10"), D("24.86"), Light.YELLOW),
        (D("0"), D("24.86"), Light.RED),
        # month 6: 49.73%; half done is on schedule
        (D("50"), D("49.73"), Light.GREEN),
        (D("35"), D("49.73"), Light.YELLOW),
        # month 10: 83.33%; 60% done is 23.3 points behind
        (D("60"), D("83.33"), Light.RED),
        (D("70"), D("83.33"), Light.YELLOW),
    ],
)
def test_it_lights_by_time_progress(completion, expected, light):
    assert light_for(completion, expected, reported=True, tolerance=D(0), red_gap=D(20)) == light


def test_it_lights_red_whoever_did_not_report():
    assert light_for(D(100), D(10), reported=False, tolerance=D(0), red_gap=D(20)) == Light.RED


def test_it_ranks_a_rate_contest_with_ties_targets_and_a_missing_report(year_campaign, towns):
    contest(
        year_campaign,
        towns,
        {
            "name": "集中供养率",
            "kind": IndicatorKind.RATE,
            "unit_of_measure": "%",
            "default_target": D(60),
            "weight": D(100),
        },
    )
    task = year_campaign.tasks.get()
    # 乙镇 has its own, higher target of 80%.
    plan_services.targets_set(indicator=task.indicators.get(), values={towns[1]: (D(80), None, "")})
    period = period_open(campaign=year_campaign, day=date(2020, 6, 15))
    fill(
        period, towns[0], {"集中供养率": {"numerator": D(30), "denominator": D(50)}}
    )  # 60% of 60 → 100
    fill(
        period, towns[1], {"集中供养率": {"numerator": D(48), "denominator": D(80)}}
    )  # 60% of 80 → 75
    fill(
        period, towns[2], {"集中供养率": {"numerator": D(36), "denominator": D(40)}}
    )  # 90% of 60 → 100
    fill(
        period,
        towns[3],
        {"集中供养率": {"numerator": D(10), "denominator": D(10)}},
        status=ReportStatus.DRAFT,
    )  # not submitted: counts as nothing
    standings_save(period)
    rows = by_unit(period)
    assert {name: (row.score, row.rank) for name, row in rows.items()} == {
        "甲街道": (D(100), 1),
        "丙镇": (D(100), 1),
        "乙镇": (D(75), 3),
        "丁镇": (D(0), 4),
    }
    assert rows["丁镇"].light == Light.RED and not rows["丁镇"].reported
    assert rows["甲街道"].expected == D("49.73")  # 182 of 366 days by 30 June
    assert rows["乙镇"].light == Light.GREEN  # 75 ≥ 49.73
    assert rows["乙镇"].details[0]["target"] == "80.00"


def test_it_ranks_lower_is_better_and_untargeted_against_the_best(year_campaign, towns):
    contest(
        year_campaign,
        towns[:3],
        {
            "name": "投诉件数",
            "kind": IndicatorKind.QUANTITY,
            "unit_of_measure": "件",
            "direction": Direction.LOWER,
            "default_target": D(5),
            "weight": D(50),
        },
        {
            "name": "新建站点",
            "kind": IndicatorKind.QUANTITY,
            "unit_of_measure": "处",
            "weight": D(50),
        },
    )
    period = period_open(campaign=year_campaign, day=date(2020, 3, 10))
    fill(period, towns[0], {"投诉件数": {"value": D(4)}, "新建站点": {"value": D(8)}})  # 50 + 50
    fill(period, towns[1], {"投诉件数": {"value": D(10)}, "新建站点": {"value": D(4)}})  # 25 + 25
    fill(period, towns[2], {"投诉件数": {"value": D(5)}, "新建站点": {"value": D(6)}})  # 50 + 37.5
    standings_save(period)
    rows = by_unit(period)
    assert [(rows[n].score, rows[n].rank) for n in ("甲街道", "乙镇", "丙镇")] == [
        (D(100), 1),
        (D(50), 3),
        (D("87.50"), 2),
    ]


def test_it_measures_a_push_by_its_milestones_without_ranking(year_campaign, towns, office):
    task = plan_services.task_save(
        campaign=year_campaign,
        kind=TaskKind.PUSH,
        title="日间照料中心攻坚战",
        participants=towns[:2],
    )
    plan_services.indicator_save(
        task=task,
        name="建设进度",
        kind=IndicatorKind.MILESTONE,
        weight=D(100),
        stages=["选址", "开工", "主体完工", "投入运营"],
        deadline=date(2020, 10, 31),
    )
    plan_services.campaign_publish(campaign=year_campaign, user=office)
    period = period_open(campaign=year_campaign, day=date(2020, 6, 15))
    fill(period, towns[0], {"建设进度": {"stage": 2}})  # 2 of 4 = 50%
    fill(period, towns[1], {"建设进度": {"stage": 1}})  # 25%
    standings_save(period)
    rows = by_unit(period)
    # 1 Jan – 31 Oct is 305 days, 182 of them gone by 30 June: 59.67% expected.
    assert rows["甲街道"].expected == D("59.67")
    assert (rows["甲街道"].completion, rows["甲街道"].rank, rows["甲街道"].light) == (
        D(50),
        None,
        Light.YELLOW,
    )
    assert (rows["乙镇"].completion, rows["乙镇"].light) == (D(25), Light.RED)


def test_it_records_the_change_since_last_month_and_is_idempotent(year_campaign, towns):
    contest(
        year_campaign,
        towns[:2],
        {
            "name": "完成数",
            "kind": IndicatorKind.QUANTITY,
            "default_target": D(10),
            "weight": D(100),
        },
    )
    march = period_open(campaign=year_campaign, day=date(2020, 3, 1))
    fill(march, towns[0], {"完成数": {"value": D(8)}})
    fill(march, towns[1], {"完成数": {"value": D(4)}})
    standings_save(march)
    april = period_open(campaign=year_campaign, day=date(2020, 4, 1))
    fill(april, towns[0], {"完成数": {"value": D(5)}})
    fill(april, towns[1], {"完成数": {"value": D(9)}})
    standings_save(april)
    first = [
        (s.unit_id, s.score, s.rank, s.rank_change, s.score_change)
        for s in Standing.objects.filter(period=april).order_by("unit_id")
    ]
    standings_save(april)
    again = [
        (s.unit_id, s.score, s.rank, s.rank_change, s.score_change)
        for s in Standing.objects.filter(period=april).order_by("unit_id")
    ]
    assert first == again
    rows = by_unit(april)
    assert (rows["乙镇"].rank, rows["乙镇"].rank_change, rows["乙镇"].score_change) == (1, 1, D(50))
    assert (rows["甲街道"].rank, rows["甲街道"].rank_change) == (2, -1)
