"""每月一调度: close the period, compute the standings, issue the monthly bulletin (调度通报).

One transaction does it all, so a crash half-way leaves nothing behind and the next run starts
clean. A published bulletin never changes: dispatching again yields the same bulletin when
nothing moved, and a 更正 (correction) that says what changed when something did.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from org.models import User

from ..documents.monthly import MonthFigures, correction_lines, correction_title, monthly_content
from ..documents.wording import issue_text, issued_on_text
from ..models import (
    REPORTED,
    Bulletin,
    BulletinKind,
    Period,
    PeriodStatus,
    Report,
    Standing,
)
from ..rules.standings import standings_grouped
from .ranking import standings_save
from .reporting import computed_fill

# The kinds of one series of bulletins: a monthly bulletin and its corrections share a number.
SERIES = {
    BulletinKind.MONTHLY: (BulletinKind.MONTHLY, BulletinKind.CORRECTION),
    BulletinKind.QUARTERLY: (BulletinKind.QUARTERLY,),
}
NOT_PROBLEMS = ("", "无", "暂无")


def bulletin_figures(period: Period) -> MonthFigures:
    """What the month's bulletin reports, from the period's standings (who reported is
    `Standing.reported`) and its reports (who was late, what is in their way)."""
    campaign = period.campaign
    standings = list(
        Standing.objects.filter(period=period)
        .select_related("task", "unit")
        .prefetch_related("task__lead_units")  # the bulletin names a task's 牵头单位
    )
    reports = list(Report.objects.filter(period=period).select_related("task", "unit"))
    stages = {
        indicator.pk: list(indicator.stages or [])
        for task in campaign.tasks.prefetch_related("indicators")
        for indicator in task.indicators.all()
    }
    rising = sorted(
        (s for s in standings if s.rank_change and s.rank_change > 0),
        key=lambda s: (-(s.rank_change or 0), s.rank or 0),
    )[:5]
    problems = [
        {"unit": r.unit.name, "task": r.task.title, "text": r.problems.strip()}
        for r in sorted(reports, key=lambda r: (r.task.order, r.unit.path))
        if r.problems.strip() not in NOT_PROBLEMS and r.status in REPORTED
    ]
    return MonthFigures(
        period=period,
        groups=standings_grouped(standings),
        stages=stages,
        late=sorted({r.unit.name for r in reports if r.late}),
        problems=problems,
        risers=rising,
    )


def bulletin_content(period: Period) -> dict[str, Any]:
    """Everything the month's bulletin says, as plain data (`documents.monthly` writes it)."""
    return monthly_content(bulletin_figures(period))


def content_fingerprint(content: dict[str, Any]) -> str:
    """What tells two issues of a bulletin apart: the hash of everything they say."""
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def bulletin_issue(
    *,
    period: Period,
    kind: BulletinKind,
    content: dict[str, Any],
    issued_on: Callable[[Bulletin | None], date],
    revise: Callable[[Bulletin, dict[str, Any]], tuple[BulletinKind, str]],
    user: User | None = None,
    published: bool = True,
    text: str = "",
) -> Bulletin:
    """Issue `content` as the period's bulletin of `kind` (monthly or quarterly), or return the
    latest one of its series when it says the same. The caller holds the period's lock.

    1. Fingerprint the content; the latest of the series has the same one → that bulletin.
    2. The first of the series takes the campaign's next number; a later one keeps the
       original's number, the next revision, and `revise(latest, content)` gives its kind and
       title (and adds to the content what it says changed).
    3. Write the issue number and date into the content and create the row.
    """
    fingerprint = content_fingerprint(content)
    latest = (
        Bulletin.objects.filter(period=period, kind__in=SERIES[kind]).order_by("-revision").first()
    )
    if latest is not None and latest.fingerprint == fingerprint:
        return latest
    campaign = period.campaign
    if latest is None:
        series = Bulletin.objects.filter(campaign=campaign, kind=kind)
        number = (series.aggregate(n=Max("number"))["n"] or 0) + 1
        title, corrects, revision = content["title"], None, 1
    else:
        number, revision = latest.number, latest.revision + 1
        corrects = latest.corrects or latest
        kind, title = revise(latest, content)
    day = issued_on(latest)
    content["issue"] = issue_text(number)
    content["issued_on"] = issued_on_text(day)
    return Bulletin.objects.create(
        campaign=campaign,
        period=period,
        kind=kind,
        number=number,
        revision=revision,
        corrects=corrects,
        title=title,
        issued_on=day,
        content=content,
        text=text,
        fingerprint=fingerprint,
        published_at=timezone.now() if published else None,
        created_by=user,
    )


def _correction(latest: Bulletin, content: dict[str, Any]) -> tuple[BulletinKind, str]:
    """A monthly bulletin's revision is a 更正 of the original that says what changed."""
    original = latest.corrects or latest
    content["corrections"] = correction_lines(latest.content, content)
    return BulletinKind.CORRECTION, correction_title(original.title)


@transaction.atomic
def period_dispatch(
    *, period: Period, user: User | None = None, today: date | None = None
) -> Bulletin:
    """Close the period, compute its standings and issue its bulletin (or its correction).

    1. Lock the period row: two dispatches of one period run one after the other.
    2. Refresh the computed entries and the standings (replacing any earlier ones).
    3. Compare with the latest bulletin of the period: identical → return it; different → a 更正.
    """
    locked = Period.objects.select_for_update().select_related("campaign__bureau").get(pk=period.pk)
    today = today or timezone.localdate()
    computed_fill(locked)
    standings_save(locked)
    bulletin = bulletin_issue(
        period=locked,
        kind=BulletinKind.MONTHLY,
        content=bulletin_content(locked),
        # The first issue is dated no earlier than the dispatch day; a correction the day it is made.
        issued_on=lambda latest: max(today, locked.dispatch_on) if latest is None else today,
        revise=_correction,
        user=user,
    )
    if locked.status != PeriodStatus.DISPATCHED:
        locked.status = PeriodStatus.DISPATCHED
        locked.closed_at = locked.closed_at or timezone.now()
        locked.save(update_fields=["status", "closed_at"])
    return bulletin
