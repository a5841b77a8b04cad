"""The beat schedule, kept in the database (django-celery-beat) and derived from the campaigns.

Three daily jobs serve every campaign (open the period that has begun, remind late units,
dispatch what is due), and each published campaign gets its own dispatch entry on its
dispatch day. `schedule_sync` rewrites the entries from the campaigns and can run any number of
times; publishing or changing a campaign calls it.
"""

from __future__ import annotations

import json

from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from .models import Cadence, Campaign, CampaignStatus

TZ = "Asia/Shanghai"
PREFIX = "打擂攻坚："
DAILY = [
    # (name, task, hour, minute)
    ("每日开启调度期", "campaigns.open_periods", 0, 30),
    ("每日调度到期的调度期", "campaigns.dispatch_due", 7, 0),
    ("每日催报", "campaigns.remind", 9, 0),
]


def _crontab(**fields: str) -> CrontabSchedule:
    values = {
        "minute": "0",
        "hour": "8",
        "day_of_week": "*",
        "day_of_month": "*",
        "month_of_year": "*",
        **fields,
    }
    schedule, _ = CrontabSchedule.objects.get_or_create(timezone=TZ, **values)
    return schedule


def campaign_crontab(campaign: Campaign) -> CrontabSchedule:
    """The campaign's dispatch day as a crontab: the Nth of each month (or quarter's first
    month), or the weekday N days after a week's Sunday."""
    day = str(campaign.dispatch_day)
    if campaign.cadence == Cadence.WEEKLY:
        return _crontab(day_of_week=str(campaign.dispatch_day % 7))
    if campaign.cadence == Cadence.QUARTERLY:
        return _crontab(day_of_month=day, month_of_year="1,4,7,10")
    return _crontab(day_of_month=day)


@transaction.atomic
def schedule_sync() -> int:
    """Make the beat entries match the campaigns; return how many entries there are."""
    wanted: dict[str, tuple[str, CrontabSchedule, dict[str, object]]] = {}
    for name, task, hour, minute in DAILY:
        wanted[PREFIX + name] = (task, _crontab(hour=str(hour), minute=str(minute)), {})
    for campaign in Campaign.objects.filter(status=CampaignStatus.PUBLISHED):
        wanted[f"{PREFIX}调度《{campaign.title}》#{campaign.pk}"] = (
            "campaigns.dispatch_due",
            campaign_crontab(campaign),
            {"campaign_id": campaign.pk},
        )
    PeriodicTask.objects.filter(name__startswith=PREFIX).exclude(name__in=wanted).delete()
    for name, (task, crontab, kwargs) in wanted.items():
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={
                "task": task,
                "crontab": crontab,
                "interval": None,
                "kwargs": json.dumps(kwargs),
                "enabled": True,
            },
        )
    return len(wanted)
