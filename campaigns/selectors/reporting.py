"""Reads of the month: whose reports a user sees, reviews or fills, and a period's progress."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from org.access import REPORT, get_or_404, has_unit_perm, home_bureaus, units_visible_to
from org.models import Role, Unit, User

from ..models import (
    REPORTED,
    CampaignStatus,
    Entry,
    Evidence,
    Period,
    PeriodStatus,
    Report,
    ReportStatus,
    Task,
)
from ..rules import effective_target
from .plan import can_manage_campaign


def reviewable_tasks(user: User) -> QuerySet[Task]:
    """The published tasks a section of the user's is responsible for."""
    sections = user.scope.filter(kind="section").values("pk")
    return Task.objects.filter(
        responsible_units__in=sections, campaign__status=CampaignStatus.PUBLISHED
    )


def reviewable(user: User, task_ids: list[int] | None = None) -> Q:
    """Rows (reports, standings) on the tasks of `reviewable_tasks`, or on `task_ids` when the
    caller has read those once (the section's desk runs several queries on them).

    Task ids, not a join through the tasks' responsible units (a task lists every township
    among them) nor through the campaigns: either way the database would read the whole
    city's reports before keeping the section's.
    """
    if task_ids is None:
        return Q(task__in=reviewable_tasks(user).values("pk"))
    return Q(task_id__in=task_ids)


def reports_visible_to(user: User) -> QuerySet[Report]:
    if not user.is_authenticated or not user.is_active:
        return Report.objects.none()
    if user.role == Role.SECTION:
        return Report.objects.filter(reviewable(user))
    reports = Report.objects.filter(period__campaign__status=CampaignStatus.PUBLISHED)
    if user.role in (Role.LEADER, Role.OFFICE):
        return reports.filter(period__campaign__bureau__in=home_bureaus(user))
    return reports.filter(unit__in=units_visible_to(user))


def get_report_for_user(user: User, pk: Any) -> Report:
    return get_or_404(
        reports_visible_to(user).select_related("period__campaign__bureau", "task", "unit"),
        pk,
        "月报不存在或无权查看",
    )


def can_fill(user: User, report: Report) -> bool:
    return user.role in (Role.TOWNSHIP, Role.INSTITUTION) and has_unit_perm(
        user, report.unit, REPORT
    )


def can_review(user: User, report: Report) -> bool:
    return (
        user.role == Role.SECTION
        and user.is_active
        and report.task.responsible_units.filter(pk__in=user.scope.values("pk")).exists()
    )


def can_run_periods(user: User, report_or_period: Report | Period) -> bool:
    campaign = (
        report_or_period.period.campaign
        if isinstance(report_or_period, Report)
        else report_or_period.campaign
    )
    return can_manage_campaign(user, campaign)


def report_page(report: Report) -> dict[str, Any]:
    """Everything the report page shows, in a fixed number of queries."""
    entries = list(
        report.entries.select_related("indicator__task").prefetch_related(
            Prefetch("indicator__targets"),
        )
    )
    previous = previous_entries(report)
    for entry in entries:
        target = next(
            (t for t in entry.indicator.targets.all() if t.unit_id == report.unit_id), None
        )
        value, deadline = effective_target(entry.indicator, target)
        extra: dict[str, Any] = {
            "previous": previous.get(entry.indicator_id),
            "target_value": value,
            "target_deadline": deadline,
        }
        entry.__dict__.update(extra)  # shown beside the field on the report page
    labels = {f"entry:{e.pk}": e.indicator.name for e in entries}
    labels.update({"progress": "工作进展", "problems": "存在问题", "plans": "下步打算"})
    flagged = report.return_field if report.status == ReportStatus.RETURNED else ""
    for entry in entries:
        entry.__dict__["flagged"] = flagged == f"entry:{entry.pk}"
    return {
        "return_label": labels.get(report.return_field, ""),
        "flagged": flagged,
        "entries": entries,
        "evidence": list(report.evidence.all()),
        "transitions": list(report.transitions.select_related("by")),
    }


def previous_entries(report: Report) -> dict[int, Entry]:
    """Last period's entries of the same unit and task, by indicator."""
    last = (
        Report.objects.filter(
            task=report.task, unit=report.unit, period__starts__lt=report.period.starts
        )
        .order_by("-period__starts")
        .first()
    )
    if last is None:
        return {}
    return {entry.indicator_id: entry for entry in last.entries.all()}


def unit_period_reports(user: User, period: Period) -> QuerySet[Report]:
    return (
        reports_visible_to(user)
        .filter(period=period)
        .select_related("task", "unit")
        .order_by("unit__path", "task__order")
    )


def open_periods_for(user: User, unit_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """For a reporting unit: each open period with its reports, due date first.

    `unit_ids`: the user's units (org.access.unit_ids_visible_to) when the caller has them.
    """
    visible = (
        Report.objects.filter(
            period__campaign__status=CampaignStatus.PUBLISHED, unit_id__in=unit_ids
        )
        if unit_ids is not None
        else reports_visible_to(user)
    )
    reports = (
        visible.filter(period__status=PeriodStatus.OPEN)
        .select_related("period__campaign", "task", "unit")
        .order_by("period__due", "unit__path", "task__order")
    )
    grouped: dict[int, dict[str, Any]] = {}
    for report in reports:
        group = grouped.setdefault(report.period_id, {"period": report.period, "reports": []})
        group["reports"].append(report)
    return list(grouped.values())


def past_reports_for(user: User) -> QuerySet[Report]:
    """Reports to look back on, the latest period first. A township or institution: its reports
    of the periods no longer open (往期月报; what is open is in `open_periods_for`). A section:
    the reports it has reviewed (已审核), accepted or returned, on the tasks it carries."""
    if user.role in (Role.TOWNSHIP, Role.INSTITUTION):
        reports = reports_visible_to(user).exclude(period__status=PeriodStatus.OPEN)
    elif user.role == Role.SECTION:
        reports = reports_visible_to(user).filter(
            status__in=(ReportStatus.ACCEPTED, ReportStatus.RETURNED)
        )
    else:
        return Report.objects.none()
    return reports.select_related("period__campaign", "task", "unit").order_by(
        "-period__starts", "-period_id", "unit__path", "task__order", "task_id"
    )


def past_periods(reports: QuerySet[Report]) -> list[Period]:
    """The periods of `reports`, the latest first: the choices of the list's period filter."""
    return list(
        Period.objects.filter(pk__in=reports.order_by().values("period_id"))
        .select_related("campaign")
        .order_by("-starts", "-pk")
    )


def review_queue(user: User, task_ids: list[int] | None = None) -> QuerySet[Report]:
    reports = (
        Report.objects.filter(reviewable(user, task_ids))
        if user.role == Role.SECTION and user.is_active
        else reports_visible_to(user)
    )
    return (
        reports.filter(status=ReportStatus.SUBMITTED)
        .select_related("period", "task", "unit")
        .order_by("submitted_at")
    )


def periods_visible_to(user: User) -> QuerySet[Period]:
    """The period overviews (every unit's status) are for the bureau's leaders, office, sections."""
    if user.role not in (Role.LEADER, Role.OFFICE, Role.SECTION) or not user.is_active:
        return Period.objects.none()
    return (
        Period.objects.filter(
            campaign__bureau__in=home_bureaus(user), campaign__status=CampaignStatus.PUBLISHED
        )
        .select_related("campaign")
        .annotate(
            report_count=Count("reports"),
            submitted_count=Count(
                "reports",
                filter=Q(reports__status__in=REPORTED),
            ),
            late_count=Count("reports", filter=Q(reports__late=True)),
        )
        .order_by("-starts", "campaign_id")
    )


def get_period_for_user(user: User, pk: Any) -> Period:
    return get_or_404(periods_visible_to(user), pk, "调度期不存在或无权查看")


def period_matrix(period: Period, units: QuerySet[Unit] | None = None) -> dict[str, Any]:
    """Units × tasks of a period with each report's status, for the office's overview."""
    reports = period.reports.select_related("task", "unit").order_by("unit__path", "task__order")
    if units is not None:
        reports = reports.filter(unit__in=units)
    tasks: dict[int, Any] = {}
    rows: dict[int, dict[str, Any]] = {}
    for report in reports:
        tasks.setdefault(report.task_id, report.task)
        row = rows.setdefault(report.unit_id, {"unit": report.unit, "reports": {}})
        row["reports"][report.task_id] = report
    ordered_tasks = sorted(tasks.values(), key=lambda t: (t.order, t.pk))
    return {
        "tasks": ordered_tasks,
        "rows": [
            {"unit": row["unit"], "cells": [row["reports"].get(t.pk) for t in ordered_tasks]}
            for row in rows.values()
        ],
    }


def evidence_for_user(user: User, pk: Any) -> Evidence:
    evidence = get_or_404(Evidence.objects.select_related("report"), pk, "材料不存在或无权查看")
    get_report_for_user(user, evidence.report_id)
    return evidence
