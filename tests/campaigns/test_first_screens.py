"""The first screens of the leader and the office: the leader sees, per contest, the units lit
red at the latest dispatch and the units behind this month, by name; the office sees who has not
reported, what waits for review and the dispatch day; townships never see another's names; the
pages are built in the same number of queries for few units and many."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import IndicatorKind, Period, Report, ReportStatus, TaskKind
from campaigns.services import plan as plan_services
from campaigns.services.dispatch import period_dispatch
from campaigns.services.reporting import period_open
from org import services as org_services
from org.models import UnitKind
from tests.conftest import Plan, Tree, client_for

CONTEST = "特困人员供养水平擂台赛"
PUSH = "甲街道综合养老服务中心攻坚战"


def at(day: date, hour: int = 10) -> time_machine.travel:
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Asia/Shanghai")),
        tick=False,
    )


def submit(period: Period, task, unit, numerator: int = 30) -> None:
    report = Report.objects.get(period=period, task=task, unit=unit)
    entry = report.entries.get()
    entry.numerator, entry.denominator = Decimal(numerator), Decimal(50)
    entry.save()
    report.status = ReportStatus.SUBMITTED
    report.save()


def april_dispatched_may_open(plan: Plan, tree: Tree) -> Period:
    """April: 甲街道 reports its contest figures, 乙镇 does not (red); dispatched on 5 May.
    May (due 3 June, reminders from 1 June): 乙镇 reports, 甲街道 does not."""
    submit(plan.period, plan.contest, tree.township_a)
    period_dispatch(period=plan.period, today=date(2020, 5, 5))
    may = period_open(campaign=plan.published, day=date(2020, 5, 15))
    submit(may, plan.contest, tree.township_b)
    return may


def rows(page: str, panel: str) -> dict[str, dict[str, list[str]]]:
    """The attention card's rows: each task's red and behind names."""
    card = page.split(f'data-panel="{panel}"', 1)[1].split('data-panel="', 1)[0]
    found: dict[str, dict[str, list[str]]] = {}
    for block in card.split('<div class="list-group-item py-2">')[1:]:
        title = re.search(r'fw-medium">(?:<a[^>]*>)?([^<]+)', block)
        if title is None:
            continue
        found[title.group(1)] = {
            kind: [m.split(" · ")[0] for m in re.findall(rf"data-{kind}-unit[^>]*>([^<]+)<", block)]
            for kind in ("red", "behind")
        }
    return found


def test_it_names_the_red_and_the_late_units_of_each_contest_to_the_leader(
    plan: Plan, tree: Tree, leader
):
    april_dispatched_may_open(plan, tree)
    with at(date(2020, 6, 4)):
        response = client_for(leader).get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    found = rows(page, "attention")
    assert found[CONTEST] == {"red": ["乙镇"], "behind": ["甲街道"]}
    # The push is its own short group: 甲街道 sent no April figures and nothing for May.
    assert found[PUSH] == {"red": ["甲街道"], "behind": ["甲街道"]}
    assert page.index(CONTEST) < page.index("攻坚战</div>") < page.rindex(PUSH)
    assert "逾期未报（2020年5月，6月3日截止）" in page
    # The lights chart's data, drawn by the vendored ECharts from a data attribute (no inline
    # script under the CSP).
    assert 'class="app-lights" data-chart="' in page
    assert "vendor/echarts/echarts.min.js" in page and "<script>" not in page


def test_it_names_the_dispatched_months_late_and_missing_units_before_the_reminders_start(
    plan: Plan, tree: Tree, leader
):
    april_dispatched_may_open(plan, tree)
    Report.objects.filter(period=plan.period, task=plan.contest, unit=tree.township_a).update(
        late=True
    )
    with at(date(2020, 5, 31)):
        page = client_for(leader).get(reverse("home")).content.decode()
    found = rows(page, "attention")
    # Nobody is behind on May yet: April says who reported late (甲街道) or not at all (乙镇).
    assert found[CONTEST] == {"red": ["乙镇"], "behind": ["甲街道", "乙镇"]}
    assert "迟报、未报（2020年4月）" in page and "甲街道 · 逾期报送" in page
    assert (
        "2020年5月的月报填报中：已报 1 / 3 份，2020年6月3日截止；6月1日起这里列出未报单位。" in page
    )
    with at(date(2020, 6, 1)):
        page = client_for(leader).get(reverse("home")).content.decode()
    assert rows(page, "attention")[CONTEST]["behind"] == ["甲街道"]
    assert "本月未报（2020年5月，6月3日截止）" in page


def test_it_shows_a_returned_report_as_behind(plan: Plan, tree: Tree, leader):
    may = april_dispatched_may_open(plan, tree)
    Report.objects.filter(period=may, unit=tree.township_b, task=plan.contest).update(
        status=ReportStatus.RETURNED, return_reason="数据有误"
    )
    with at(date(2020, 6, 2)):
        page = client_for(leader).get(reverse("home")).content.decode()
    assert rows(page, "attention")[CONTEST]["behind"] == ["甲街道", "乙镇"]
    assert "乙镇 · 退回待改" in page


def test_it_gives_the_office_who_has_not_reported_the_review_queue_and_the_dispatch_day(
    plan: Plan, tree: Tree, office
):
    april_dispatched_may_open(plan, tree)
    with at(date(2020, 6, 2)):
        response = client_for(office).get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    month = page.split('data-panel="month"', 1)[1]
    assert re.findall(r"data-missing-unit[^>]*>([^<]+)<", month) == ["甲街道 2 份"]
    # 乙镇's May report, and 甲街道's April report nobody has reviewed.
    assert 'data-figure="waiting">2<' in month and "含往期 1 份" in month
    may = Period.objects.get(label="2020年5月")
    assert reverse("campaigns:period_detail", args=[may.pk]) in month
    assert 'data-figure="dispatch-on">6月5日<' in month and "还有 3 天" in month
    # The account warnings stay, below the month.
    assert page.index('data-panel="month"') < page.index("待办事项")
    assert "个镇街还没有填报账号" in page


def test_it_tells_the_office_when_no_period_is_open(plan: Plan, tree: Tree, office):
    submit(plan.period, plan.contest, tree.township_a)
    period_dispatch(period=plan.period, today=date(2020, 5, 5))
    with at(date(2020, 5, 10)):
        page = client_for(office).get(reverse("home")).content.decode()
    assert "没有填报中的调度期" in page and "待办事项" in page


@pytest.mark.parametrize("who", ["township_a", "township_b"])
def test_it_never_shows_a_township_the_names_of_another(
    plan: Plan, tree: Tree, township_a, township_b, who
):
    april_dispatched_may_open(plan, tree)
    user, other = (township_a, "乙镇") if who == "township_a" else (township_b, "甲街道")
    with at(date(2020, 6, 4)):
        response = client_for(user).get(reverse("home"))
    page = response.content.decode()
    assert response.status_code == 200 and "本单位名次与亮灯" in page
    assert other not in page, "another township's name on a township's home"
    assert 'data-panel="attention"' not in page and 'data-panel="month"' not in page


def grow(tree: Tree, office, size: int) -> None:
    """A contest of `size` townships and a push of three: April dispatched with every other
    township red, May open with a third of them reported."""
    towns = [
        org_services.unit_create(name=f"规模{size}-{i}镇", kind=UnitKind.TOWN, parent=tree.bureau)
        for i in range(size)
    ]
    campaign = plan_services.campaign_save(
        bureau=tree.bureau,
        user=office,
        title=f"{size} 镇方案",
        year=2020,
        start=date(2020, 4, 1),
        end=date(2020, 12, 31),
    )
    for kind, title, units in (
        (TaskKind.CONTEST, "擂台赛", towns),
        (TaskKind.PUSH, "攻坚战", towns[:3]),
    ):
        task = plan_services.task_save(
            campaign=campaign,
            kind=kind,
            title=title,
            participants=units,
            responsible_units=[tree.section],
        )
        plan_services.indicator_save(
            task=task,
            name="完成数",
            kind=IndicatorKind.QUANTITY,
            default_target=Decimal(10),
            weight=Decimal(100),
        )
    plan_services.campaign_publish(campaign=campaign, user=office)
    april = period_open(campaign=campaign, day=date(2020, 4, 15))
    for i, report in enumerate(Report.objects.filter(period=april).order_by("pk")):
        if i % 2:
            continue
        entry = report.entries.get()
        entry.value = Decimal(10)
        entry.save()
        report.status = ReportStatus.SUBMITTED
        report.save()
    period_dispatch(period=april, today=date(2020, 5, 5))
    may = period_open(campaign=campaign, day=date(2020, 5, 15))
    for i, report in enumerate(Report.objects.filter(period=may).order_by("pk")):
        if i % 3 == 0:
            report.status = ReportStatus.SUBMITTED
            report.late = True
            report.save()


def count(client, day: date) -> tuple[int, str]:
    with at(day), CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("day", [date(2020, 5, 20), date(2020, 6, 4)], ids=["dispatched", "due"])
@pytest.mark.parametrize("who", ["leader", "office"])
def test_it_builds_the_first_screens_in_the_same_queries_for_5_and_40_units(
    tree: Tree, office, leader, who, day
):
    from campaigns.models import Campaign

    user = {"leader": leader, "office": office}[who]
    grow(tree, office, 5)
    small, page = count(client_for(user), day)
    assert "规模5-1镇" in page, "the names are on the page"
    Campaign.objects.all().delete()
    grow(tree, office, 40)
    large, page = count(client_for(user), day)
    assert "规模40-39镇" in page
    assert large == small
