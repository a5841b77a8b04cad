"""Celery tasks: thin wrappers that load by id or date and call the services. Each can run twice
(or again after a crash) with the same result: the services are idempotent."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from .models import Campaign, CampaignStatus, Period, PeriodStatus
from .services import reporting
from .services.dispatch import period_dispatch


def _day(iso: str | None) -> date:
    return date.fromisoformat(iso) if iso else timezone.localdate()


@shared_task(name="campaigns.remind")
def remind(day: str | None = None) -> int:
    """Remind units with reports still to submit (before the due day and each day after)."""
    return reporting.reminders_send(day=_day(day))


@shared_task(name="campaigns.open_periods")
def open_periods(day: str | None = None) -> list[int]:
    """Open the period holding `day` for every published campaign running on that day."""
    today = _day(day)
    opened = []
    for campaign in Campaign.objects.filter(
        status=CampaignStatus.PUBLISHED, start__lte=today, end__gte=today
    ):
        opened.append(reporting.period_open(campaign=campaign, day=today).pk)
    return opened


@shared_task(name="campaigns.dispatch_period", acks_late=True)
def dispatch_period(period_id: int) -> int:
    """Dispatch one period; a second run (or a run after a crash) gives the same bulletin."""
    return period_dispatch(period=Period.objects.get(pk=period_id)).pk


@shared_task(name="campaigns.dispatch_due")
def dispatch_due(day: str | None = None, campaign_id: int | None = None) -> list[int]:
    """Dispatch every period whose dispatch day has come and that is not dispatched yet."""
    today = _day(day)
    due = Period.objects.filter(
        dispatch_on__lte=today,
        status__in=(PeriodStatus.OPEN, PeriodStatus.CLOSED),
        campaign__status=CampaignStatus.PUBLISHED,
    )
    if campaign_id is not None:
        due = due.filter(campaign_id=campaign_id)
    return [period_dispatch(period=period, today=today).pk for period in due]
