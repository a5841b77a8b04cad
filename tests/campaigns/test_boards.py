"""The boards: the bulletin's figures, the screen link, each role's dashboard, and query counts
that do not grow with the number of units."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import DisplayLink, IndicatorKind, Report, ReportStatus, TaskKind
from campaigns.services import plan as plan_services
from campaigns.services.dispatch import period_dispatch
from campaigns.services.reporting import period_open
from org import services as org_services
from org.models import Role, UnitKind
from tests.conftest import Plan, Tree, client_for, make_user


def dispatched(plan: Plan, tree: Tree):
    for unit, num in ((tree.township_a, 30), (tree.township_b, 12)):
        report = Report.objects.get(period=plan.period, task=plan.contest, unit=unit)
        entry = report.entries.get()
        entry.numerator, entry.denominator = Decimal(num), Decimal(50)
        entry.save()
        report.status, report.problems = ReportStatus.SUBMITTED, f"{unit.name}的问题"
        report.save()
    return period_dispatch(period=plan.period, today=date(2020, 5, 5))


def test_it_shows_the_bulletins_ranking_on_the_board(plan: Plan, tree: Tree, leader):
    bulletin = dispatched(plan, tree)
    response = client_for(leader).get(reverse("campaigns:board", args=[plan.published.pk]))
    board = response.context["board"]
    contest = board.contests[0]
    assert [(r.rank, r.unit, f"{r.score:.1f}", r.light) for r in contest.rows] == [
        (row["rank"], row["unit"], row["score"], row["light"])
        for row in bulletin.content["contests"][0]["rows"]
    ]
    # Both ahead of April's time share (7.9%); 甲街道's push report is missing: red.
    assert board.lights == {"green": 2, "yellow": 0, "red": 1}
    page = response.content.decode()
    report = Report.objects.get(period=plan.period, task=plan.contest, unit=tree.township_a)
    assert reverse("campaigns:report_detail", args=[report.pk]) in page, (
        "a cell drills down to the report"
    )


def test_it_keeps_the_board_from_townships(plan: Plan, tree: Tree, township_a):
    dispatched(plan, tree)
    assert (
        client_for(township_a).get(reverse("campaigns:board", args=[plan.published.pk])).status_code
        == 403
    )
    assert client_for(township_a).get(reverse("campaigns:boards")).status_code == 403


def test_it_shows_a_township_only_its_own_place(plan: Plan, tree: Tree, township_b):
    dispatched(plan, tree)
    page = client_for(township_b).get(reverse("home")).content.decode()
    assert "本单位名次与亮灯" in page and '第 <strong data-figure="rank">2</strong> 名 / 2' in page
    assert "甲街道" not in page


def test_it_opens_the_screen_without_login_and_nothing_else(plan: Plan, tree: Tree, office, client):
    dispatched(plan, tree)
    client_for(office).post(
        reverse("campaigns:display_links", args=[plan.published.pk]), {"label": "三楼会议室"}
    )
    link = DisplayLink.objects.get()
    response = client.get(reverse("screen", args=[link.token]))
    page = response.content.decode()
    assert response.status_code == 200 and "特困人员供养水平擂台赛" in page and "甲街道" in page
    assert "<a " not in page and "nav-link" not in page, "the screen links nowhere"
    assert client.get(reverse("home")).status_code == 302, "the link logs nobody in"
    client_for(office).post(
        reverse("campaigns:display_links", args=[plan.published.pk]), {"revoke": link.pk}
    )
    assert client.get(reverse("screen", args=[link.token])).status_code == 404
    assert client.get(reverse("screen", args=["not-a-token"])).status_code == 404


def test_it_lets_only_the_office_make_screen_links(plan: Plan, leader, section):
    for user in (leader, section):
        url = reverse("campaigns:display_links", args=[plan.published.pk])
        assert client_for(user).post(url, {"label": "x"}).status_code == 403
    assert not DisplayLink.objects.exists()


def test_it_gives_the_section_its_review_desk(plan: Plan, tree: Tree, section, township_a):
    report = Report.objects.get(period=plan.period, task=plan.contest, unit=tree.township_a)
    report.status, report.problems = ReportStatus.SUBMITTED, "部分老人不愿入住"
    report.save()
    page = client_for(section).get(reverse("home")).content.decode()
    assert 'data-figure="queue">1<' in page and "部分老人不愿入住" in page


def grow(tree: Tree, office, size: int) -> None:
    """A published contest with `size` townships, one dispatched month."""
    towns = [
        org_services.unit_create(name=f"测试{size}-{i}镇", kind=UnitKind.TOWN, parent=tree.bureau)
        for i in range(size)
    ]
    for i, town in enumerate(towns[:3]):
        make_user(f"town-{size}-{i}", Role.TOWNSHIP, town)
    campaign = plan_services.campaign_save(
        bureau=tree.bureau,
        user=office,
        title=f"{size} 镇方案",
        year=2020,
        start=date(2020, 4, 1),
        end=date(2020, 12, 31),
    )
    task = plan_services.task_save(
        campaign=campaign,
        kind=TaskKind.CONTEST,
        title="擂台赛",
        participants=towns,
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
    period = period_open(campaign=campaign, day=date(2020, 4, 15))
    for report in Report.objects.filter(period=period):
        entry = report.entries.get()
        entry.value = Decimal(report.unit_id % 10)
        entry.save()
        report.status = ReportStatus.SUBMITTED
        report.problems = "场地不足"
        report.save()
    period_dispatch(period=period)


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["leader", "office", "section", "township"])
def test_it_builds_each_dashboard_in_the_same_queries_for_5_and_50_units(
    tree: Tree, office, leader, section, who, django_db_blocker
):
    from campaigns.models import Campaign
    from org.models import User

    grow(tree, office, 5)
    user = {"leader": leader, "office": office, "section": section}.get(who) or User.objects.get(
        username="town-5-0"
    )
    client = client_for(user)
    small = count(client, reverse("home"))
    Campaign.objects.all().delete()
    grow(tree, office, 50)
    if who == "township":
        client = client_for(User.objects.get(username="town-50-0"))
    assert count(client, reverse("home")) == small


def test_it_builds_the_board_in_the_same_queries_for_5_and_50_units(tree: Tree, office, leader):
    from campaigns.models import Campaign

    grow(tree, office, 5)
    small = count(client_for(leader), reverse("campaigns:board", args=[Campaign.objects.get().pk]))
    Campaign.objects.all().delete()
    grow(tree, office, 50)
    assert (
        count(client_for(leader), reverse("campaigns:board", args=[Campaign.objects.get().pk]))
        == small
    )
