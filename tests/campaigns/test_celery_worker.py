"""A real Celery worker on the local Redis runs a dispatch sent through the broker.

The worker is celery.contrib.testing's embedded one (a thread of this process, with its own
database connection), so the test needs committed data: it uses the transactional database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal

import pytest
import redis
from celery.contrib.testing.worker import start_worker

from campaigns.models import Bulletin, PeriodStatus, Report, ReportStatus
from campaigns.tasks import dispatch_period
from minzheng.celery import app
from tests.conftest import Plan, Tree

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")


def forget_backend() -> None:
    """Celery caches the backend (per app when thread-safe, else per thread): drop both."""
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def redis_worker() -> Iterator[None]:
    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        pytest.fail(f"这个测试需要本机的 Redis（{BROKER}）：{error}")
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=BROKER, result_backend=BROKER, task_always_eager=False)
    # The app keeps its result backend per thread once asked for it; an earlier test in this
    # process may have made the disabled one (no backend configured): make it afresh.
    forget_backend()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            yield
    finally:
        app.conf.update(saved)
        forget_backend()


def test_it_dispatches_through_redis_on_a_real_worker(
    transactional_db, plan: Plan, tree: Tree, redis_worker
):
    report = Report.objects.get(period=plan.period, task=plan.contest, unit=tree.township_a)
    entry = report.entries.get()
    entry.numerator, entry.denominator = Decimal(30), Decimal(50)
    entry.save()
    report.status = ReportStatus.SUBMITTED
    report.save()
    result = dispatch_period.delay(plan.period.pk)
    bulletin_id = result.get(timeout=60)
    bulletin = Bulletin.objects.get(pk=bulletin_id)
    assert bulletin.content["contests"][0]["rows"][0]["unit"] == "甲街道"
    plan.period.refresh_from_db()
    assert plan.period.status == PeriodStatus.DISPATCHED
    # Sent again (a redelivery after a crash looks the same): the same bulletin, no other.
    assert dispatch_period.delay(plan.period.pk).get(timeout=60) == bulletin_id
    assert Bulletin.objects.count() == 1
