"""The beat schedule lives in the database and follows the campaigns' dispatch days."""

from __future__ import annotations

import json

from django_celery_beat.models import PeriodicTask

from campaigns.models import Cadence
from campaigns.schedule import PREFIX, schedule_sync
from campaigns.services import plan as plan_services
from tests.conftest import Plan


def entries() -> dict[str, tuple]:
    return {
        t.name: (
            t.task,
            t.crontab.day_of_month,
            t.crontab.hour,
            t.crontab.month_of_year,
            json.loads(t.kwargs),
        )
        for t in PeriodicTask.objects.filter(name__startswith=PREFIX).select_related("crontab")
    }


def test_it_derives_a_dispatch_entry_per_published_campaign(
    plan: Plan, django_capture_on_commit_callbacks
):
    schedule_sync()
    rows = entries()
    mine = rows[f"打擂攻坚：调度《{plan.published.title}》#{plan.published.pk}"]
    assert mine == ("campaigns.dispatch_due", "5", "8", "*", {"campaign_id": plan.published.pk})
    assert rows["打擂攻坚：每日催报"][:3] == ("campaigns.remind", "*", "9")
    assert not any(str(plan.draft.pk) == name.rsplit("#", 1)[-1] for name in rows if "#" in name)
    assert len(rows) == 4


def test_it_follows_a_changed_dispatch_day_and_runs_twice_the_same(
    plan: Plan, office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.campaign_save(
            campaign=plan.published, user=office, dispatch_day=8, cadence=Cadence.QUARTERLY
        )
    first = entries()
    schedule_sync()
    assert entries() == first
    entry = first[f"打擂攻坚：调度《{plan.published.title}》#{plan.published.pk}"]
    assert entry[1:4] == ("8", "8", "1,4,7,10")
    assert PeriodicTask.objects.filter(name__startswith=PREFIX).count() == 4
