"""年终考核: each unit's year from its monthly standings, plus the office's bonus and deduction items.

The rule, as the assessment page and document state it:
- a task's score is the mean of the unit's monthly scores on it over the year's dispatched periods
  (a month the unit was not on the task counts for nothing either way);
- the tasks weigh the same: the task score is the mean of the unit's task scores;
- the total is the task score plus the office's 加分 and 扣分 items (each −20 to +20, with a reason);
- units rank by total, ties sharing a place (1, 2, 2, 4); grades: 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60,
  不合格 below;
- each figure is rounded to 0.01 where it is shown, and the next is worked out from the shown
  figure, so the page adds up by hand.
Every point is kept traceable: `Assessment.details` lists, per task, each month's score, place and
light with the period (and bulletin issue) it came from.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum

from org.models import Unit, User

from ..models import (
    AdjustmentItem,
    Assessment,
    Bulletin,
    BulletinKind,
    Campaign,
    Period,
    PeriodStatus,
    Standing,
)
from ..selectors.plan import can_manage_campaign
from .ranking import _q, competition_ranks

GRADES = ((Decimal(90), "优秀"), (Decimal(80), "良好"), (Decimal(60), "合格"))
FAIL = "不合格"
MAX_POINTS = Decimal(20)


def grade_for(total: Decimal) -> str:
    for floor, name in GRADES:
        if total >= floor:
            return name
    return FAIL


def assessment_periods(campaign: Campaign, year: int) -> list[Period]:
    return list(
        Period.objects.filter(
            campaign=campaign, status=PeriodStatus.DISPATCHED, starts__year=year
        ).order_by("starts")
    )


def _office_only(user: User | None, campaign: Campaign) -> None:
    """Refuse anyone but the campaign's office: an adjustment always has a person behind it."""
    if user is None or not can_manage_campaign(user, campaign):
        raise PermissionDenied("只有局办公室可以录入加扣分")


def _campaign_units(campaign: Campaign) -> set[int]:
    return set(
        Unit.objects.filter(participating_tasks__campaign=campaign).values_list("pk", flat=True)
    ) | set(Standing.objects.filter(task__campaign=campaign).values_list("unit_id", flat=True))


def _refresh(campaign: Campaign, year: int) -> None:
    """Keep an assessment already run in step with its adjustments."""
    if Assessment.objects.filter(campaign=campaign, year=year).exists():
        year_assess(campaign, year)


@transaction.atomic
def adjustment_add(
    campaign: Campaign, year: int, unit: Unit, points: Any, reason: str, user: User | None
) -> AdjustmentItem:
    """Enter a bonus (positive) or deduction (negative) for a unit's year, with its reason."""
    _office_only(user, campaign)
    problems = []
    try:
        value = Decimal(str(points).strip())
    except (InvalidOperation, ValueError):
        value = None
        problems.append("分值应为数字，如 2 或 -1.5")
    if value is not None and not value.is_finite():
        value = None
        problems.append("分值应为数字，如 2 或 -1.5")
    if value is not None and not (-MAX_POINTS <= value <= MAX_POINTS):
        problems.append("分值应在 -20 到 +20 之间")
    elif value is not None and value == 0:
        problems.append("分值不能为 0：加分填正数，扣分填负数")
    elif value is not None and value != _q(value):
        problems.append("分值最多保留两位小数")
    reason = (reason or "").strip()
    if not reason:
        problems.append("请填写加扣分理由")
    elif len(reason) > 300:
        problems.append("理由不能超过 300 字")
    if unit.pk not in _campaign_units(campaign):
        problems.append(f"{unit.name}不是本方案的参赛单位或实施主体")
    if not (campaign.start.year <= year <= campaign.end.year):
        problems.append(f"{year}年不在方案期限内")
    if problems or value is None:
        raise ValidationError(problems)
    item = AdjustmentItem(
        campaign=campaign, year=year, unit=unit, points=value, reason=reason, created_by=user
    )
    item.full_clean()
    item.save()
    _refresh(campaign, year)
    return item


@transaction.atomic
def adjustment_remove(*, item: AdjustmentItem, user: User | None, reason: str) -> None:
    """Take back an item entered by mistake (marked deleted, with the reason); the assessment
    follows."""
    _office_only(user, item.campaign)
    campaign, year = item.campaign, item.year
    item.soft_delete(user=user, reason=reason)
    _refresh(campaign, year)


@transaction.atomic
def year_assess(campaign: Campaign, year: int) -> list[Assessment]:
    """Replace the year's assessment with one worked out afresh from the standings.

    1. Lock the campaign row: two runs for one campaign go one after the other.
    2. Gather every unit's monthly scores per task over the year's dispatched periods.
    3. Work out task scores, adjustments, totals, places and grades; replace the year's rows.
    """
    # documents/ imports this module (grades, periods): its wording is read when the run starts.
    from ..documents.wording import issue_text

    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    periods = assessment_periods(campaign, year)
    if not periods:
        raise ValidationError(f"{year}年还没有已调度的调度期，无法进行年终考核")
    issues = dict(
        Bulletin.objects.filter(
            period__in=periods, kind__in=(BulletinKind.MONTHLY, BulletinKind.CORRECTION)
        )
        .order_by("period_id", "revision")
        .values_list("period_id", "number")
    )
    standings = (
        Standing.objects.filter(period__in=periods)
        .select_related("task", "unit", "period")
        .order_by("unit__path", "task__order", "task_id", "period__starts")
    )
    units: dict[int, Unit] = {}
    tasks: dict[int, dict[int, dict[str, Any]]] = {}
    for s in standings:
        units[s.unit_id] = s.unit
        task = tasks.setdefault(s.unit_id, {}).setdefault(
            s.task_id,
            {"task_id": s.task_id, "task": s.task.title, "kind": s.task.kind, "months": []},
        )
        task["months"].append(
            {
                "period_id": s.period_id,
                "period": s.period.label,
                "issue": issue_text(issues[s.period_id]) if s.period_id in issues else "",
                "score": f"{s.score:.2f}",
                "rank": s.rank,
                "light": s.light,
            }
        )
    adjustments = dict(
        AdjustmentItem.objects.filter(campaign=campaign, year=year)
        .values("unit_id")
        .annotate(total=Sum("points"))
        .values_list("unit_id", "total")
    )
    rows: list[Assessment] = []
    for unit_id, unit_tasks in tasks.items():
        details = []
        for task in unit_tasks.values():
            scores = [Decimal(m["score"]) for m in task["months"]]
            task["score"] = f"{_q(sum(scores, Decimal(0)) / len(scores)):.2f}"
            details.append(task)
        task_score = _q(sum((Decimal(t["score"]) for t in details), Decimal(0)) / len(details))
        adjustment = _q(adjustments.get(unit_id) or Decimal(0))
        total = task_score + adjustment
        rows.append(
            Assessment(
                campaign=campaign,
                year=year,
                unit=units[unit_id],
                task_score=task_score,
                adjustment=adjustment,
                total=total,
                rank=0,
                grade=grade_for(total),
                details=details,
            )
        )
    for row, rank in zip(rows, competition_ranks([r.total for r in rows]), strict=True):
        row.rank = rank
    rows.sort(key=lambda r: (r.rank, r.unit.path))
    Assessment.objects.filter(campaign=campaign, year=year).delete()
    return Assessment.objects.bulk_create(rows)
