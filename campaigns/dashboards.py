"""The role dashboards on the home pages: each answers its role's first question at a glance.

Leaders and the office: how do the contests stand (the board's figures, the bulletin's).
Sections: what waits for review, who is late, who is red, what units say is in the way.
Townships and institutions: what is due and when, what came back and why, where they stand.
Each panel is built in a fixed number of queries, whatever the number of units.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Subquery
from django.utils import timezone

from org.access import unit_ids_visible_to
from org.models import Role, User

from .models import (
    CampaignStatus,
    Light,
    PeriodStatus,
    Report,
    ReportStatus,
    Standing,
)
from .selectors.boards import board_for
from .selectors.plan import campaigns_visible_to
from .selectors.ranking import bulletins_visible_to
from .selectors.reporting import open_periods_for, review_queue, reviewable, reviewable_tasks

OPEN_STATES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def board_summary(user: User) -> dict[str, Any]:
    """The newest published plan's board, top three of each contest, and the latest bulletins."""
    campaign = (
        campaigns_visible_to(user)
        .filter(status=CampaignStatus.PUBLISHED)
        .order_by("-year", "-published_at")
        .first()
    )
    board = board_for(campaign) if campaign else None
    return {
        "campaign": campaign,
        "board": board,
        "bulletins": list(bulletins_visible_to(user).order_by("-issued_on", "-id")[:3]),
    }


def section_desk(user: User) -> dict[str, Any]:
    """Reports to review, late units, red lights and the problems units wrote, on my tasks."""
    task_ids = list(reviewable_tasks(user).values_list("pk", flat=True))
    mine = reviewable(user, task_ids)
    queue = list(review_queue(user, task_ids)[:8])
    open_reports = Report.objects.filter(
        mine,
        period__status=PeriodStatus.OPEN,
        status__in=OPEN_STATES,
        period__due__lt=timezone.localdate(),
    ).select_related("unit", "task", "period")
    # The red lights of the latest month that has any, in one query.
    red_lights = Standing.objects.filter(mine, light=Light.RED)
    latest = red_lights.order_by("-period__starts").values("period_id")[:1]
    red = list(
        red_lights.filter(period_id=Subquery(latest))
        .select_related("unit", "task", "period")
        .order_by("task__order", "unit__path")[:12]
    )
    problems = list(
        Report.objects.filter(mine, status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED))
        .exclude(problems="")
        .exclude(problems__in=("无", "暂无"))
        .select_related("unit", "task", "period")
        .order_by("-period__starts", "task__order", "unit__path")[:8]
    )
    return {
        "queue": queue,
        "queue_count": review_queue(user, task_ids).count(),
        "late": list(open_reports[:20]),
        "red": red,
        "problems": problems,
    }


def unit_desk(user: User) -> dict[str, Any]:
    """What is due and when, what was returned and why, and where my units stand."""
    unit_ids = unit_ids_visible_to(user)
    groups = open_periods_for(user, unit_ids)
    today = timezone.localdate()
    for group in groups:
        reports = group["reports"]
        group["todo"] = sum(r.status in OPEN_STATES for r in reports)
        group["days_left"] = (group["period"].due - today).days
    returned = list(
        Report.objects.filter(unit_id__in=unit_ids, status=ReportStatus.RETURNED)
        .select_related("task", "period")
        .order_by("period__due")
    )
    standings = list(
        Standing.objects.filter(unit_id__in=unit_ids)
        .select_related("task", "unit", "period")
        .order_by("-period__starts", "task__order")
    )
    latest_period = standings[0].period_id if standings else None
    mine = [s for s in standings if s.period_id == latest_period]
    sizes: dict[int, int] = {}
    if latest_period is not None:
        for task_id in Standing.objects.filter(period_id=latest_period).values_list(
            "task_id", flat=True
        ):
            sizes[task_id] = sizes.get(task_id, 0) + 1
    # Trend lines: each of my (unit, task) pairs' scores over the months dispatched so far.
    periods = {s.period_id: s.period for s in standings}
    order = sorted(periods, key=lambda pk: periods[pk].starts)
    several_units = len({s.unit_id for s in standings}) > 1
    series: dict[tuple[int, int], dict[str, Any]] = {}
    for s in standings:
        line = series.setdefault(
            (s.unit_id, s.task_id),
            {"name": f"{s.unit.name}·{s.task.title}" if several_units else s.task.title, "by": {}},
        )
        line["by"][s.period_id] = float(s.score)
    trend = {
        "months": [periods[pk].label for pk in order],
        "series": [
            {"name": line["name"], "data": [line["by"].get(pk) for pk in order]}
            for line in series.values()
        ],
    }
    return {
        "trend": trend if len(order) > 1 else None,
        "groups": groups,
        "returned": returned,
        "standings": [{"standing": s, "of": sizes.get(s.task_id, 0)} for s in mine],
        "period": mine[0].period if mine else None,
    }


def register_panels() -> None:
    from org.home import Panel, register

    register(
        Panel(
            "campaigns.board",
            (Role.LEADER, Role.OFFICE),
            "campaigns/dash_board.html",
            board_summary,
            order=5,
        )
    )
    register(
        Panel(
            "campaigns.section",
            (Role.SECTION,),
            "campaigns/dash_section.html",
            section_desk,
            order=5,
        )
    )
    register(
        Panel(
            "campaigns.unit",
            (Role.TOWNSHIP, Role.INSTITUTION),
            "campaigns/dash_unit.html",
            unit_desk,
            order=5,
        )
    )
