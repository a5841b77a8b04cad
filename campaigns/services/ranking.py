"""Standings: each unit's value, completion, score, rank, change and light on each task.

The rules, as the bureau's documents put them:
- completion of an indicator is direction-aware: value / target when higher is better, target /
  value when lower is better, the stage reached over the target stage for a milestone, and the
  share of the best unit's value when no target is set; capped at 100%;
- a task's completion is the weighted mean of its indicators (weights add up to 100) and its
  score is that completion on a 100-point scale;
- 时间过半、任务过半: the expected completion is the share of the time elapsed from the
  campaign's start to each indicator's deadline (the campaign's end when it has none);
  green when completion is not behind it by more than the campaign's tolerance, red when behind
  by more than the red gap or not reported, yellow in between;
- contests rank by score, ties sharing a place (1, 2, 2, 4); pushes and key tasks are not ranked.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from ..models import (
    REPORTED,
    Campaign,
    Direction,
    Entry,
    Indicator,
    IndicatorKind,
    Light,
    Period,
    Report,
    Standing,
    Target,
    TaskKind,
)
from ..rules import effective_target, unit_targets

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def entry_value(entry: Entry) -> Decimal | None:
    """The figure an entry stands for: a rate in %, a stage number, or the value itself."""
    kind = entry.indicator.kind
    if kind == IndicatorKind.RATE:
        if entry.numerator is None or not entry.denominator:
            return None
        return entry.numerator / entry.denominator * HUNDRED
    if kind == IndicatorKind.MILESTONE:
        return Decimal(entry.stage) if entry.stage else None
    return entry.value


def completion_of(
    indicator: Indicator, value: Decimal | None, target: Decimal | None, best: Decimal | None
) -> Decimal:
    """Share of the target reached, 0 to 1, as the module docstring sets out."""
    if value is None:
        return ZERO
    if indicator.kind == IndicatorKind.MILESTONE:
        goal = target or Decimal(len(indicator.stages or []) or 1)
        return min(value / goal, ONE)
    if indicator.direction == Direction.LOWER:
        if target is None:
            target = best
        if target is None or value <= target:
            return ONE
        return target / value if value > 0 else ONE
    if target is None or target == 0:
        if target == 0:
            return ONE
        return min(value / best, ONE) if best else ZERO
    return max(min(value / target, ONE), ZERO)


def elapsed_share(campaign: Campaign, as_of: date, deadline: date | None) -> Decimal:
    """The share of the time from the campaign's start to the deadline that has passed."""
    end = deadline or campaign.end
    total = (end - campaign.start).days + 1
    if total <= 0:
        return ONE
    passed = (min(as_of, end) - campaign.start).days + 1
    return max(min(Decimal(passed) / Decimal(total), ONE), ZERO)


def light_for(
    completion: Decimal, expected: Decimal, *, reported: bool, tolerance: Decimal, red_gap: Decimal
) -> str:
    """Completion and expected in % points."""
    if not reported:
        return Light.RED
    gap = expected - completion
    if gap <= tolerance:
        return Light.GREEN
    if gap > red_gap:
        return Light.RED
    return Light.YELLOW


def competition_ranks(scores: list[Decimal]) -> list[int]:
    """Ranks for scores, ties sharing the better place: 90, 80, 80, 70 → 1, 2, 2, 4."""
    order = sorted(scores, reverse=True)
    return [order.index(score) + 1 for score in scores]


@dataclass
class IndicatorLine:
    indicator: int
    name: str
    kind: str
    unit_of_measure: str
    value: str | None
    target: str | None
    weight: str
    completion: str
    expected: str
    score: str
    source: str  # "reported" | "computed"


@dataclass
class _TaskFigures:
    """What the standings of one task share: each report's values and each indicator's best."""

    campaign: Campaign
    period: Period
    targets: dict[tuple[int, int], Target]
    values: dict[tuple[int, int], Decimal | None]
    best: dict[int, Decimal]


def _task_figures(
    period: Period, targets: dict[tuple[int, int], Target], task_reports: list[Report]
) -> _TaskFigures:
    """The values the task's reports count for (none from a report not reported, except computed
    entries) and the best value of each indicator, which stands in for a missing target."""
    values: dict[tuple[int, int], Decimal | None] = {}
    indicators: dict[int, Indicator] = {}
    for report in task_reports:
        counted = report.status in REPORTED
        for entry in report.entries.all():
            indicators[entry.indicator_id] = entry.indicator
            values[(report.pk, entry.indicator_id)] = (
                entry_value(entry) if counted or entry.computed else None
            )
    best: dict[int, Decimal] = {}
    for (_, indicator_id), value in values.items():
        if value is None:
            continue
        current = best.get(indicator_id)
        lower = indicators[indicator_id].direction == Direction.LOWER
        if current is None or (value < current if lower else value > current):
            best[indicator_id] = value
    return _TaskFigures(period.campaign, period, targets, values, best)


def _standing(report: Report, figures: _TaskFigures) -> Standing:
    """One unit's standing on its report's task, each indicator's figures kept in `details`."""
    campaign, period, task = figures.campaign, figures.period, report.task
    lines: list[IndicatorLine] = []
    total_weight = weighted = expected_sum = ZERO
    for entry in report.entries.all():
        indicator = entry.indicator
        value = figures.values.get((report.pk, indicator.pk))
        indicator.task = task  # the report's task: no query for the deadline's fallback
        target, deadline = effective_target(
            indicator, figures.targets.get((indicator.pk, report.unit_id))
        )
        share = completion_of(indicator, value, target, figures.best.get(indicator.pk))
        expected = elapsed_share(campaign, period.ends, deadline)
        weight = indicator.weight
        total_weight += weight
        weighted += weight * share
        expected_sum += weight * expected
        lines.append(
            IndicatorLine(
                indicator=indicator.pk,
                name=indicator.name,
                kind=indicator.kind,
                unit_of_measure=indicator.unit_of_measure,
                value=None if value is None else f"{_q(value)}",
                target=None if target is None else f"{_q(target)}",
                weight=f"{weight}",
                completion=f"{_q(share * HUNDRED)}",
                expected=f"{_q(expected * HUNDRED)}",
                score=f"{_q(weight * share)}",
                source="computed" if entry.computed else "reported",
            )
        )
    completion = _q(weighted / total_weight * HUNDRED) if total_weight else ZERO
    expected_pct = (
        _q(expected_sum / total_weight * HUNDRED)
        if total_weight
        else _q(elapsed_share(campaign, period.ends, task.deadline) * HUNDRED)
    )
    reported = report.status in REPORTED
    return Standing(
        period=period,
        task=task,
        unit=report.unit,
        reported=reported,
        completion=completion,
        expected=expected_pct,
        score=completion,
        light=light_for(
            completion,
            expected_pct,
            reported=reported,
            tolerance=campaign.yellow_gap,
            red_gap=campaign.red_gap,
        ),
        details=[asdict(line) for line in lines],
    )


def _rank(rows: list[Standing], previous: dict[tuple[int, int], Standing]) -> None:
    """Places for a contest's rows, and every row's change since the previous period."""
    if rows and rows[0].task.kind == TaskKind.CONTEST:
        for row, rank in zip(rows, competition_ranks([r.score for r in rows]), strict=True):
            row.rank = rank
    for row in rows:
        before = previous.get((row.task_id, row.unit_id))
        if before is not None:
            row.score_change = row.score - before.score
            if row.rank is not None and before.rank is not None:
                row.rank_change = before.rank - row.rank


def standings_compute(period: Period) -> list[Standing]:
    """The period's standings, unsaved, computed from its reports in a fixed number of queries."""
    campaign = period.campaign
    reports = list(
        Report.objects.filter(period=period)
        .select_related("task", "unit")
        .prefetch_related("entries__indicator")
    )
    targets = unit_targets(campaign)
    last = (
        Period.objects.filter(campaign=campaign, starts__lt=period.starts)
        .order_by("-starts")
        .first()
    )
    previous = (
        {(s.task_id, s.unit_id): s for s in Standing.objects.filter(period=last)} if last else {}
    )
    by_task: dict[int, list[Report]] = {}
    for report in reports:
        by_task.setdefault(report.task_id, []).append(report)
    standings: list[Standing] = []
    for task_reports in by_task.values():
        figures = _task_figures(period, targets, task_reports)
        rows = [_standing(report, figures) for report in task_reports]
        _rank(rows, previous)
        standings += rows
    return standings


@transaction.atomic
def standings_save(period: Period) -> list[Standing]:
    """Replace the period's standings with freshly computed ones; running it twice changes nothing."""
    fresh = standings_compute(period)
    Standing.objects.filter(period=period).delete()
    return Standing.objects.bulk_create(fresh)
