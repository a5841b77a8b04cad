"""Writes of the month: open a period, save and submit reports, review, reopen, close, remind.

Every write checks the whole input first and saves nothing when a rule fails. A report carries a
version number: the second of two people saving one report is told, and keeps what they typed.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from org import computed
from org.models import Unit, User
from org.services import notify_units

from ..models import (
    REPORTED,
    Cadence,
    Campaign,
    CampaignStatus,
    Entry,
    IndicatorKind,
    IndicatorSource,
    Period,
    PeriodStatus,
    Reminder,
    Report,
    ReportStatus,
    Transition,
)
from ..rules.entry import TEXTS, EntryInvalid, report_problems
from ..rules.entry import EntryInput as EntryInput  # the service's input type, written there

HUNDRED = Decimal(100)


# Periods

QUARTER_NAMES = "一二三四"


def quarter_label(year: int, quarter: int) -> str:
    """The label of a quarter (1-4): "2026年第四季度", the same for a quarterly period and a 小结."""
    return f"{year}年第{QUARTER_NAMES[quarter - 1]}季度"


def period_bounds(campaign: Campaign, day: date) -> tuple[date, date, str]:
    """The period of the campaign's cadence that holds `day`: (starts, ends, label)."""
    if campaign.cadence == Cadence.WEEKLY:
        starts = day - timedelta(days=day.weekday())
        week = starts.isocalendar()[1]
        return starts, starts + timedelta(days=6), f"{starts.year}年第{week}周"
    if campaign.cadence == Cadence.QUARTERLY:
        quarter = (day.month - 1) // 3
        starts = date(day.year, quarter * 3 + 1, 1)
        last = quarter * 3 + 3
        ends = date(day.year, last, calendar.monthrange(day.year, last)[1])
        return starts, ends, quarter_label(day.year, quarter + 1)
    starts = day.replace(day=1)
    ends = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return starts, ends, f"{day.year}年{day.month}月"


@transaction.atomic
def period_open(*, campaign: Campaign, day: date) -> Period:
    """Open the period holding `day` and give every participant its draft reports; idempotent."""
    if campaign.status != CampaignStatus.PUBLISHED:
        raise ValidationError("方案发布后才能开启调度期")
    starts, ends, label = period_bounds(campaign, day)
    if ends < campaign.start or starts > campaign.end:
        raise ValidationError(
            f"{label}不在方案期限内（{campaign.start:%Y年%m月%d日}至{campaign.end:%Y年%m月%d日}）"
        )
    period, _created = Period.objects.get_or_create(
        campaign=campaign,
        starts=starts,
        defaults={
            "ends": ends,
            "label": label,
            "due": ends + timedelta(days=campaign.report_due_day),
            "dispatch_on": ends + timedelta(days=campaign.dispatch_day),
        },
    )
    reports_ensure(period)
    return period


def reports_ensure(period: Period) -> int:
    """Create the draft reports and entries the period lacks; return how many reports it has."""
    tasks = period.campaign.tasks.prefetch_related("participants", "indicators__applies_to")
    wanted: list[Report] = []
    for task in tasks:
        for unit in task.participants.all():
            if unit.is_active:
                wanted.append(Report(period=period, task=task, unit=unit))
    Report.objects.bulk_create(wanted, ignore_conflicts=True)
    reports = Report.objects.filter(period=period).select_related("task")
    indicators = {task.pk: list(task.indicators.all()) for task in tasks}
    entries = []
    for report in reports:
        for indicator in indicators.get(report.task_id, []):
            applies = list(indicator.applies_to.all())
            if applies and report.unit_id not in {u.pk for u in applies}:
                continue
            entries.append(
                Entry(
                    report=report,
                    indicator=indicator,
                    computed=indicator.source == IndicatorSource.COMPUTED,
                )
            )
    Entry.objects.bulk_create(entries, ignore_conflicts=True)
    computed_fill(period)
    return reports.count()


def computed_fill(period: Period) -> int:
    """Fill the computed entries of a period from the records, all units of an indicator at once."""
    filled = 0
    entries = Entry.objects.filter(report__period=period, computed=True).select_related(
        "indicator", "report"
    )
    by_indicator: dict[int, list[Entry]] = {}
    for entry in entries:
        by_indicator.setdefault(entry.indicator_id, []).append(entry)
    now = timezone.now()
    for group in by_indicator.values():
        indicator = group[0].indicator
        spec = computed.get(indicator.computed_key)
        if spec is None or spec.compute is None:
            continue
        units = Unit.objects.filter(pk__in=[e.report.unit_id for e in group])
        values = spec.compute(units, min(period.ends, timezone.localdate()), start=period.starts)
        for entry in group:
            result = values.get(entry.report.unit_id)
            if indicator.kind == IndicatorKind.RATE:
                numerator, denominator = result if result else (None, None)
                entry.numerator, entry.denominator = numerator, denominator
            else:
                entry.value = result
            entry.computed_at = now
        Entry.objects.bulk_update(group, ["numerator", "denominator", "value", "computed_at"])
        filled += len(group)
    return filled


@transaction.atomic
def period_close(*, period: Period, user: User) -> Period:
    locked = Period.objects.select_for_update().get(pk=period.pk)
    if locked.status != PeriodStatus.OPEN:
        raise ValidationError(f"{locked.label}已经截止")
    locked.status = PeriodStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    return locked


# Reports


class ReportConflict(Exception):
    """Someone saved the report after this user opened it."""

    def __init__(self, current: Report):
        super().__init__("月报已被他人修改")
        self.current = current


def report_lock_reason(report: Report, today: date | None = None) -> str | None:
    """Why the report cannot be changed now, or None when it can."""
    today = today or timezone.localdate()
    if report.status in REPORTED:
        return f"月报{report.get_status_display()}，不能再修改"
    if report.unlocked_until and today <= report.unlocked_until:
        return None
    if report.period.status != PeriodStatus.OPEN:
        return f"{report.period.label}已截止，如需补报请联系局办公室重新开放"
    last_day = report.period.due + timedelta(days=report.period.campaign.grace_days)
    if today > last_day:
        return f"已过补报期限（{last_day.month}月{last_day.day}日），如需补报请联系局办公室重新开放"
    return None


def _apply(entry: Entry, data: EntryInput) -> None:
    entry.value, entry.numerator, entry.denominator = data.value, data.numerator, data.denominator
    entry.stage, entry.note = data.stage, data.note.strip()


def _transition(report: Report, to: str, user: User | None, action: str, reason: str = "") -> None:
    Transition.objects.create(
        report=report,
        from_status=report.status,
        to_status=to,
        by=user,
        action=action,
        reason=reason,
    )
    report.status = to


@transaction.atomic
def report_save(
    *,
    report: Report,
    user: User,
    version: int,
    entries: dict[int, EntryInput],
    texts: dict[str, str],
    submit: bool = False,
) -> Report:
    """Save what the user typed (a draft), or save and submit it.

    1. Lock the row and compare versions: a stale version raises ReportConflict, nothing saved.
    2. Check every value (and, to submit, that nothing required is empty) by the entry rules
       (`rules.entry.report_problems`): all problems at once, as `EntryInvalid`.
    3. Save the entries and texts, bump the version, and record the submission if asked.
    """
    locked = (
        Report.objects.select_for_update()
        .select_related("period__campaign", "task")
        .get(pk=report.pk)
    )
    if locked.version != version:
        raise ReportConflict(locked)
    reason = report_lock_reason(locked)
    if reason:
        raise ValidationError(reason)
    rows = list(locked.entries.select_related("indicator"))
    problems = report_problems(rows, entries, texts, submit=submit)
    if problems:
        raise EntryInvalid(problems)
    clean_texts = {key: (texts.get(key) or "").strip() for key in TEXTS}
    for entry in rows:
        if not entry.computed and entry.pk in entries:
            _apply(entry, entries[entry.pk])
            entry.save()
    locked.progress, locked.problems, locked.plans = (clean_texts[k] for k in TEXTS)
    locked.version += 1
    locked.updated_by = user
    if submit:
        today = timezone.localdate()
        _transition(locked, ReportStatus.SUBMITTED, user, "submit")
        locked.submitted_at = timezone.now()
        locked.late = today > locked.period.due
        locked.return_field = ""
    locked.save()
    return locked


def _review_state(report: Report) -> Report:
    locked = Report.objects.select_for_update().select_related("period").get(pk=report.pk)
    if locked.status != ReportStatus.SUBMITTED:
        raise ValidationError(f"只有已提交的月报可以审核，这份月报{locked.get_status_display()}")
    return locked


@transaction.atomic
def report_accept(*, report: Report, user: User) -> Report:
    locked = _review_state(report)
    _transition(locked, ReportStatus.ACCEPTED, user, "accept")
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    return locked


@transaction.atomic
def report_return(*, report: Report, user: User, reason: str, field: str = "") -> Report:
    reason = reason.strip()
    if not reason:
        raise ValidationError("退回时请写明原因，告诉填报单位要改什么")
    locked = _review_state(report)
    _transition(locked, ReportStatus.RETURNED, user, "return", reason)
    locked.return_reason, locked.return_field = reason, field[:40]
    locked.version += 1
    locked.save(update_fields=["status", "return_reason", "return_field", "version", "updated_at"])
    transaction.on_commit(lambda: returned_notify(locked))
    return locked


def returned_notify(report: Report) -> int:
    """Tell the unit its report came back, and why."""
    return notify_units(
        units=[report.unit],
        title=f"{report.period.label}“{report.task.title}”月报被退回",
        body=report.return_reason,
        link=reverse("campaigns:report_detail", args=[report.pk]),
    )


@transaction.atomic
def report_reopen(*, report: Report, user: User, reason: str, until: date) -> Report:
    """The office lets a unit change a report again after its deadline, until `until`."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("重新开放时请写明原因")
    if until < timezone.localdate():
        raise ValidationError("开放截止日不能早于今天")
    locked = Report.objects.select_for_update().get(pk=report.pk)
    _transition(locked, ReportStatus.DRAFT, user, "reopen", reason)
    locked.unlocked_until = until
    locked.version += 1
    locked.save(update_fields=["status", "unlocked_until", "version", "updated_at"])
    return locked


# Reminders


def reminders_from(period: Period) -> date:
    """The first day units are reminded of the period's due day: from then on, a unit that has
    not reported is called behind (the home pages name it)."""
    return period.due - timedelta(days=period.campaign.reminder_days)


def reminders_send(*, day: date, period: Period | None = None, force: bool = False) -> int:
    """Remind the units that have not submitted: from `reminder_days` before the due day, and
    every day after it while the period is open. At most one reminder per unit, period and day.
    `force` (the office's button) reminds before the reminder window too.
    """
    periods = Period.objects.filter(
        status=PeriodStatus.OPEN, campaign__status=CampaignStatus.PUBLISHED
    ).select_related("campaign")
    if period is not None:
        periods = periods.filter(pk=period.pk)
    sent = 0
    for current in periods:
        if day < reminders_from(current) and not force:
            continue
        pending = Report.objects.filter(
            period=current, status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED)
        ).values_list("unit_id", flat=True)
        counts: dict[int, int] = {}
        for unit_id in pending:
            counts[unit_id] = counts.get(unit_id, 0) + 1
        for unit in Unit.objects.filter(pk__in=counts):
            sent += _remind(current, unit, day, counts[unit.pk])
    return sent


def _remind(period: Period, unit: Unit, day: date, count: int) -> int:
    overdue = day > period.due
    with transaction.atomic():
        _reminder, created = Reminder.objects.get_or_create(
            period=period, unit=unit, day=day, defaults={"overdue": overdue, "reports": count}
        )
    if not created:
        return 0
    due = f"{period.due.month}月{period.due.day}日"
    title = (
        f"{period.label}月报已逾期：还有 {count} 份未提交（截止 {due}）"
        if overdue
        else f"{period.label}月报将于 {due} 截止：还有 {count} 份未提交"
    )
    link = reverse("campaigns:my_reports")
    notify_units(units=[unit], title=title, link=link)
    recipients = list(
        User.objects.filter(scope=unit, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if recipients:
        send_mail(
            f"【打擂攻坚】{title}",
            f"{unit.name}：{title}。请登录系统填报。",
            None,
            recipients,
            fail_silently=True,
        )
    return 1


def reports_summary(period: Period) -> dict[str, Any]:
    """Counts of the period's reports by status, and the late ones."""
    rows = Report.objects.filter(period=period)
    summary = {status: rows.filter(status=status).count() for status in ReportStatus.values}
    summary["late"] = rows.filter(late=True).count()
    summary["total"] = rows.count()
    return summary
