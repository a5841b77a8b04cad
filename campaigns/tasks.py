"""Celery tasks: thin wrappers that load by id or date and call the services. Each can run twice
(or again after a crash) with the same result: the services are idempotent."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from .models import Campaign, CampaignStatus
from .services import reporting


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
