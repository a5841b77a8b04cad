"""The role dashboards on the home pages: each answers its role's first question at a glance.

Leaders: who is red and who is behind this month, by name and per contest, and the lights of
each contest, above the fold; then how the contests stand (the board's figures, the bulletin's).
The office: who has not reported this month, what waits for review, the next dispatch day.
Sections: what waits for review, who is late, who is red, what units say is in the way.
Townships and institutions: what is due and when, what came back and why, where they stand.
Each panel is built in a fixed number of queries, whatever the number of units.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db.models import Count, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from org.access import unit_ids_visible_to
from org.dates import cn_date
from org.models import Role, User
from org.text import screen_json

from .models import (
    REPORTED,
    Campaign,
    CampaignStatus,
    Light,
    Period,
    PeriodStatus,
    Report,
    ReportStatus,
    Standing,
    TaskKind,
)
from .selectors.boards import Board, board_for
from .selectors.plan import campaigns_visible_to
from .selectors.ranking import bulletins_visible_to
from .selectors.reporting import (
    open_periods_for,
    periods_visible_to,
    review_queue,
    reviewable,
    reviewable_tasks,
)
from .services.reporting import reminders_from

OPEN_STATES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
CONTEST_SUFFIX = re.compile(r"(打擂台赛|擂台赛|打擂赛)$")


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


def open_month(user: User, campaign: Campaign | None = None) -> dict[str, Any]:
    """The open periods of the user's bureau (of one campaign if given), the earliest due first,
    and their reports not reported yet or reported late, in two queries whatever the units.

    "Reported" is the ranking's rule (`models.REPORTED`: submitted or accepted). A unit counts as
    behind from the day reminders start (`reminders_from`, a few days before the due day):
    earlier in the month nobody has reported yet, and naming everyone says nothing.
    """
    today = timezone.localdate()
    periods = periods_visible_to(user).filter(status=PeriodStatus.OPEN).order_by("due", "pk")
    if campaign is not None:
        periods = periods.filter(campaign=campaign)
    rows: list[dict[str, Any]] = []
    for period in periods:
        rows.append(
            {
                "period": period,
                "behind_from": reminders_from(period),
                "counting": today >= reminders_from(period),
                "overdue": today > period.due,
                "days_to_due": (period.due - today).days,
                "days_to_dispatch": (period.dispatch_on - today).days,
            }
        )
    reports = reports_behind([row["period"] for row in rows]) if rows else []
    return {"periods": rows, "reports": reports}


def reports_behind(periods: list[Period]) -> list[Report]:
    """The periods' reports not reported (`models.REPORTED`) or reported after the due day."""
    return list(
        Report.objects.filter(period__in=periods)
        .filter(~Q(status__in=REPORTED) | Q(late=True))
        .select_related("task", "unit")
        .order_by("period__due", "task__order", "task_id", "unit__path")
    )


def _names(reports: list[Report]) -> list[dict[str, Any]]:
    return [
        {
            "unit": r.unit.name,
            "missing": r.status not in REPORTED,
            "returned": r.status == ReportStatus.RETURNED,
        }
        for r in reports
    ]


def lights_chart(board: Board | None) -> str | None:
    """The data of the lights-per-contest chart (green, yellow, red units of each contest)."""
    if board is None or not board.contests:
        return None
    return screen_json(
        {
            # The card says 擂台赛: the axis keeps what tells the contests apart.
            "tasks": [CONTEST_SUFFIX.sub("", task.title) or task.title for task in board.contests],
            **{
                light: [task.lights[light] for task in board.contests]
                for light in ("green", "yellow", "red")
            },
        }
    )


def _attention_group(title: str, kind: str, red: list[dict[str, Any]]) -> dict[str, Any]:
    """One row of the leader's 需要关注 card: a task, its red units and (filled later) who is behind."""
    return {"title": title, "contest": kind == TaskKind.CONTEST, "red": red, "behind": []}


def leader_desk(user: User) -> dict[str, Any]:
    """The leader's first screen: per contest (pushes after, as a short group) the units lit
    red at the latest dispatch and the units behind this month, by name; the lights chart;
    then the board's top three and the latest bulletins."""
    summary = board_summary(user)
    campaign, board = summary["campaign"], summary["board"]
    month = open_month(user, campaign) if campaign else {"periods": [], "reports": []}
    counting = [row for row in month["periods"] if row["counting"]]
    behind_title, behind_reports = "", []
    if counting:
        first = counting[0]
        counted = {row["period"].pk for row in counting}
        behind_reports = [r for r in month["reports"] if r.period_id in counted]
        behind_title = (
            f"{'逾期未报' if first['overdue'] else '本月未报'}"
            f"（{first['period'].label}，{cn_date(first['period'].due)[5:]}截止）"
        )
    elif board is not None and board.period is not None:
        # Between a dispatch and the next reminders nobody is behind yet: the month just
        # dispatched says who reported late or not at all.
        behind_reports = reports_behind([board.period])
        behind_title = f"迟报、未报（{board.period.label}）" if behind_reports else ""
    tasks: dict[int, dict[str, Any]] = {}
    if board is not None:
        for task in board.contests + board.pushes:
            # Furthest behind first: the first screen names the first six of them.
            red = [
                {
                    "unit": row.unit,
                    "reported": row.reported,
                    "completion": row.completion,
                    "expected": row.expected,
                }
                for row in reversed(task.rows)
                if row.light == Light.RED
            ]
            tasks[task.task_id] = _attention_group(task.title, task.kind, red)
    behind: dict[int, list[Report]] = {}
    for report in behind_reports:
        behind.setdefault(report.task_id, []).append(report)
        if report.task_id not in tasks:
            tasks[report.task_id] = _attention_group(report.task.title, report.task.kind, [])
    for task_id, reports in behind.items():
        tasks[task_id]["behind"] = _names(reports)
    groups = list(tasks.values())
    pushes = [g for g in groups if not g["contest"] and (g["red"] or g["behind"])]
    return {
        **summary,
        "contests": [g for g in groups if g["contest"]],
        "pushes": pushes,
        "month": month["periods"],
        "counting": counting,
        "behind_title": behind_title,
        "red_total": sum(len(g["red"]) for g in groups),
        "behind_units": len({r.unit_id for r in behind_reports if r.status not in REPORTED}),
        "late_units": len({r.unit_id for r in behind_reports if r.status in REPORTED}),
        "chart": lights_chart(board),
    }


def office_month(user: User) -> dict[str, Any]:
    """The office's first screen: each open period's units that have not reported (by name,
    with their reports), what waits for review, and the dispatch day."""
    month = open_month(user)
    today = timezone.localdate()
    waiting = dict(
        review_queue(user)
        .order_by()
        .values_list("period_id")
        .annotate(n=Count("pk"))
        .values_list("period_id", "n")
    )
    periods = []
    for row in month["periods"]:
        period: Period = row["period"]
        units: dict[int, dict[str, Any]] = {}
        late: list[str] = []
        for report in month["reports"]:
            if report.period_id != period.pk:
                continue
            if report.status in REPORTED:
                late.append(report.unit.name)
                continue
            unit = units.setdefault(
                report.unit_id, {"unit": report.unit, "reports": [], "returned": 0}
            )
            unit["reports"].append(report)
            unit["returned"] += report.status == ReportStatus.RETURNED
        periods.append(
            {
                **row,
                "missing": list(units.values()),
                "late": sorted(set(late), key=late.index),
                "waiting": waiting.get(period.pk, 0),
            }
        )
    next_dispatch: date | None = min(
        (row["period"].dispatch_on for row in periods if row["period"].dispatch_on >= today),
        default=None,
    )
    reports_url = reverse("campaigns:my_reports")
    open_ids = {row["period"].pk for row in periods}
    # The reports waiting are listed on their period's page (each report's status, by unit).
    waiting_in = next((row["period"] for row in periods if row["waiting"]), None)
    return {
        "periods": periods,
        "missing_units": len({m["unit"].pk for row in periods for m in row["missing"]}),
        "waiting_total": sum(waiting.values()),
        "waiting_earlier": sum(n for pk, n in waiting.items() if pk not in open_ids),
        "review_url": reverse("campaigns:period_detail", args=[waiting_in.pk])
        if waiting_in
        else reports_url,
        "next_dispatch": next_dispatch,
        "days_to_dispatch": (next_dispatch - today).days if next_dispatch else None,
        "reports_url": reports_url,
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
        Report.objects.filter(mine, status__in=REPORTED)
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
            "campaigns.leader",
            (Role.LEADER,),
            "campaigns/dash_leader.html",
            leader_desk,
            order=5,
            slot="top",
        )
    )
    register(
        Panel(
            "campaigns.office_month",
            (Role.OFFICE,),
            "campaigns/dash_office_month.html",
            office_month,
            order=5,
            slot="top",
        )
    )
    register(
        Panel(
            "campaigns.board",
            (Role.OFFICE,),
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
