"""每季一小结: after a quarter's last period is dispatched, the quarter's trends, who rose and who
fell, the red lights month by month, and a draft text the office edits before publishing.

One summary per campaign and quarter, attached to the quarter's last period. Summarizing again
returns the same row while the figures are the same, and a new revision when a month's standings
changed (a correction to a monthly bulletin); the office's edits stay with the revision they were
made on. Until the office publishes it, a summary is seen by the office only.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from org.dates import cn_date
from org.models import User

from ..documents.quarterly import draft_text, quarterly_title
from ..documents.wording import addressees_of, issue_text, issuer_of, one_decimal
from ..models import (
    Bulletin,
    BulletinKind,
    Campaign,
    CampaignStatus,
    Light,
    Period,
    PeriodStatus,
    Standing,
)
from ..rules.standings import (
    StandingGroups,
    TaskStandings,
    light_counts,
    standing_order,
    standings_grouped,
)
from ..selectors.plan import can_manage_campaign
from .dispatch import bulletin_issue
from .ranking import _q
from .reporting import period_bounds, quarter_label


def parse_quarter(text: str) -> tuple[int, int]:
    """ "2020-Q2" (or "2020Q2", "2020-2") → (2020, 2)."""
    match = re.fullmatch(r"\s*(\d{4})\s*-?\s*[Qq]?([1-4])\s*", text or "")
    if not match:
        raise ValidationError(f"季度应写成 2020-Q2 的形式，收到“{text}”")
    return int(match.group(1)), int(match.group(2))


def campaign_quarters(campaign: Campaign) -> list[dict[str, Any]]:
    """The quarters a campaign runs through, oldest first: year, quarter, label, key."""
    quarters = []
    for year in range(campaign.start.year, campaign.end.year + 1):
        for quarter in (1, 2, 3, 4):
            first = date(year, 3 * quarter - 2, 1)
            last_month = 3 * quarter
            last = date(year, last_month, calendar.monthrange(year, last_month)[1])
            if last >= campaign.start and first <= campaign.end:
                quarters.append(
                    {
                        "year": year,
                        "quarter": quarter,
                        "label": quarter_label(year, quarter),
                        "key": f"{year}-Q{quarter}",
                    }
                )
    return quarters


def _office_only(user: User | None, campaign: Campaign, action: str) -> None:
    """Refuse anyone but the campaign's office; `user=None` is a job or command, not a person."""
    if user is not None and not can_manage_campaign(user, campaign):
        raise PermissionDenied(f"只有局办公室可以{action}")


def quarter_periods(campaign: Campaign, year: int, quarter: int) -> list[Period]:
    """The quarter's periods, oldest first; refused unless every one inside the plan is dispatched."""
    if quarter not in (1, 2, 3, 4):
        raise ValidationError("季度应为 1 到 4")
    if campaign.status != CampaignStatus.PUBLISHED:
        raise ValidationError("方案发布后才能做季度小结")
    if not campaign.quarterly_summary:
        raise ValidationError(f"《{campaign.title}》没有开启“每季一小结”，可在方案信息中开启")
    first = date(year, 3 * quarter - 2, 1)
    after = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    expected: dict[date, str] = {}
    day = first
    while day < after:
        starts, ends, label = period_bounds(campaign, day)
        if first <= starts < after and ends >= campaign.start and starts <= campaign.end:
            expected[starts] = label
        day += timedelta(days=1)
    label = quarter_label(year, quarter)
    if not expected:
        raise ValidationError(
            f"{label}不在方案期限内（{cn_date(campaign.start)}至{cn_date(campaign.end)}）"
        )
    periods = {
        p.starts: p
        for p in Period.objects.filter(campaign=campaign, starts__in=list(expected)).order_by(
            "starts"
        )
    }
    missing = [
        text
        for starts, text in sorted(expected.items())
        if starts not in periods or periods[starts].status != PeriodStatus.DISPATCHED
    ]
    if missing:
        raise ValidationError(
            f"{label}还不能小结：{'、'.join(missing)}尚未调度，请先完成这些调度期的调度"
        )
    return [periods[starts] for starts in sorted(expected)]


def _short(period: Period) -> str:
    return f"{period.starts.month}月" if period.label.endswith("月") else period.label


def _mean(values: list[Decimal]) -> Decimal | None:
    return _q(sum(values, Decimal(0)) / len(values)) if values else None


def _text(value: Decimal | None) -> str | None:
    return None if value is None else one_decimal(value)


def _months(periods: list[Period], groups: StandingGroups) -> list[dict[str, Any]]:
    """Each month's reports, how many reported, its lights and its red units (in the one order)."""
    issues = dict(
        Bulletin.objects.filter(
            period__in=periods, kind__in=(BulletinKind.MONTHLY, BulletinKind.CORRECTION)
        )
        .order_by("period_id", "revision")
        .values_list("period_id", "number")
    )
    months: list[dict[str, Any]] = []
    for p in periods:
        standings = [s for group in groups.tasks for s in group.rows if s.period_id == p.pk]
        months.append(
            {
                "period_id": p.pk,
                "label": p.label,
                "short": _short(p),
                "issue": issue_text(issues[p.pk]) if p.pk in issues else "",
                "reports": len(standings),
                "reported": sum(s.reported for s in standings),
                "lights": light_counts(s.light for s in standings),
                "red": [
                    {"unit": s.unit.name, "task": s.task.title}
                    for s in standings
                    if s.light == Light.RED
                ],
            }
        )
    return months


def _unit_rows(group: TaskStandings, index: dict[int, int]) -> list[dict[str, Any]]:
    """A task's units over the quarter, ordered as the quarter ended: each unit's last month
    in the standings' one order (place, score, unit tree)."""
    n = len(index)
    by_unit: dict[int, list[Standing]] = {}
    for s in group.rows:
        by_unit.setdefault(s.unit_id, []).append(s)
    ends = {uid: max(rows, key=lambda s: index[s.period_id]) for uid, rows in by_unit.items()}
    rows = []
    for uid in sorted(by_unit, key=lambda uid: standing_order(ends[uid])):
        scores: list[Decimal | None] = [None] * n
        completions: list[Decimal | None] = [None] * n
        ranks: list[int | None] = [None] * n
        lights: list[str | None] = [None] * n
        for s in by_unit[uid]:
            at = index[s.period_id]
            scores[at], completions[at], ranks[at], lights[at] = (
                s.score,
                s.completion,
                s.rank,
                s.light,
            )
        ranked = [r for r in ranks if r is not None]
        first_rank, last_rank = (ranked[0], ranked[-1]) if ranked else (None, None)
        rows.append(
            {
                "unit": ends[uid].unit.name,
                "scores": [_text(v) for v in scores],
                "completions": [_text(v) for v in completions],
                "ranks": ranks,
                "lights": lights,
                "mean": _text(_mean([v for v in scores if v is not None])),
                "first_rank": first_rank,
                "last_rank": last_rank,
                "change": None
                if first_rank is None or last_rank is None
                else first_rank - last_rank,
                "_scores": scores,
            }
        )
    return rows


def _task(group: TaskStandings, index: dict[int, int]) -> dict[str, Any]:
    rows = _unit_rows(group, index)
    averages = [
        _text(_mean([v for r in rows if (v := r["_scores"][i]) is not None]))
        for i in range(len(index))
    ]
    for row in rows:
        del row["_scores"]
    return {"task_id": group.task.pk, "task": group.task.title, "rows": rows, "averages": averages}


def summary_content(campaign: Campaign, year: int, quarter: int, periods: list[Period]) -> dict:
    """Everything the summary says, as plain data: the page, .xlsx and .docx all render this."""
    index = {p.pk: i for i, p in enumerate(periods)}
    groups = standings_grouped(
        Standing.objects.filter(period__in=periods).select_related("task", "unit")
    )
    months = _months(periods, groups)
    contests = [_task(g, index) for g in groups.contests]
    pushes = [_task(g, index) for g in groups.pushes]
    moves = [
        {
            "task": c["task"],
            "unit": r["unit"],
            "from": r["first_rank"],
            "to": r["last_rank"],
            "change": r["change"],
        }
        for c in contests
        for r in c["rows"]
        if r["change"]
    ]
    risers = sorted((m for m in moves if m["change"] > 0), key=lambda m: (-m["change"], m["to"]))
    fallers = sorted((m for m in moves if m["change"] < 0), key=lambda m: (m["change"], m["to"]))
    red_sets: list[set[tuple[str, str]]] = [
        {(x["unit"], x["task"]) for x in m["red"]} for m in months
    ]
    always_red = set.intersection(*red_sets) if len(months) > 1 else set()
    label = quarter_label(year, quarter)
    content: dict[str, Any] = {
        "title": quarterly_title(label),
        "campaign": campaign.title,
        "addressees": addressees_of(campaign),
        "issuer": issuer_of(campaign),
        "year": year,
        "quarter": quarter,
        "quarter_label": label,
        "months": months,
        "contests": contests,
        "pushes": pushes,
        "risers": risers[:5],
        "fallers": fallers[:5],
        "always_red": [
            {"unit": unit, "task": task}
            for unit, task in sorted(always_red, key=lambda x: (x[1], x[0]))
        ],
    }
    content["draft_text"] = draft_text(content)
    return content


@transaction.atomic
def quarter_summarize(
    campaign: Campaign,
    year: int,
    quarter: int,
    user: User | None = None,
    *,
    today: date | None = None,
) -> Bulletin:
    """Draft the quarter's summary (季度小结), or return the one already drafted on the same figures.

    1. Check every period of the quarter is dispatched (a Chinese message names those that are not).
    2. Lock the quarter's last period: two runs for one quarter go one after the other.
    3. Same figures as the latest revision → that revision; otherwise a new, unpublished revision.
    """
    _office_only(user, campaign, "做季度小结")
    periods = quarter_periods(campaign, year, quarter)
    anchor = Period.objects.select_for_update().get(pk=periods[-1].pk)
    content = summary_content(campaign, year, quarter, periods)
    return bulletin_issue(
        period=anchor,
        kind=BulletinKind.QUARTERLY,
        content=content,
        issued_on=lambda latest: today or timezone.localdate(),
        # A new revision of a summary is a new draft of the same issue, under the same title.
        revise=lambda latest, content: (BulletinKind.QUARTERLY, content["title"]),
        user=user,
        published=False,
        text=content["draft_text"],
    )


def _summary_for_update(bulletin: Bulletin) -> Bulletin:
    if bulletin.kind != BulletinKind.QUARTERLY:
        raise ValidationError("这不是季度小结")
    return (
        Bulletin.objects.select_for_update().select_related("campaign__bureau").get(pk=bulletin.pk)
    )


@transaction.atomic
def summary_text_save(*, bulletin: Bulletin, text: str, user: User) -> Bulletin:
    """Keep the office's edited text of an unpublished summary."""
    locked = _summary_for_update(bulletin)
    _office_only(user, locked.campaign, "修改季度小结")
    if locked.published_at is not None:
        raise ValidationError("季度小结已发布，不能再修改；数据有变化时请重新生成")
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    if not text:
        raise ValidationError("小结正文不能为空")
    locked.text = text
    locked.save(update_fields=["text"])
    return locked


@transaction.atomic
def summary_publish(*, bulletin: Bulletin, user: User, today: date | None = None) -> Bulletin:
    """Publish a summary: dated the day it is published, visible to all who see its bulletins."""
    locked = _summary_for_update(bulletin)
    _office_only(user, locked.campaign, "发布季度小结")
    if locked.published_at is not None:
        return locked
    today = today or timezone.localdate()
    locked.issued_on = today
    locked.content = {**locked.content, "issued_on": cn_date(today)}
    locked.text = locked.text or locked.content["draft_text"]
    locked.published_at = timezone.now()
    locked.save(update_fields=["issued_on", "content", "text", "published_at"])
    return locked
