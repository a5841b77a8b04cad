"""Dispatch of one month for the whole city: every district's December 2020 through
campaigns.services.dispatch.period_dispatch (computed entries, standings, bulletin), timed
together; then every standing compared with a naive recomputation written plainly below.

The recomputation starts again from the entries: per unit and indicator the value (a rate from
its numerator and denominator, a stage, a figure), the target (the unit's own or the default),
the completion (direction-aware, against the best unit when there is no target, capped at
100%), the weighted score, and the place (one more than the number of better scores).

    .venv/bin/python bench/dispatch.py --districts 10
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from _common import emit, note, setup_django

MONTH = date(2020, 12, 1)


def naive_value(indicator, entry, counted: bool) -> Decimal | None:
    """The entry's value as the ranking reads it: a rate from its parts, a stage, a figure."""
    if not (counted or entry.computed):
        return None
    if indicator.kind == "rate":
        if entry.numerator is not None and entry.denominator:
            return entry.numerator / entry.denominator * 100
        return None
    if indicator.kind == "milestone":
        return Decimal(entry.stage) if entry.stage else None
    return entry.value


def naive_best(values: dict[int, list[tuple]]) -> dict[int, Decimal]:
    """Indicator → the best unit's value (the lowest for lower-is-better)."""
    best: dict[int, Decimal] = {}
    for lines in values.values():
        for indicator, value in lines:
            if value is None:
                continue
            if indicator.pk not in best:
                best[indicator.pk] = value
            elif indicator.direction == "lower":
                best[indicator.pk] = min(best[indicator.pk], value)
            else:
                best[indicator.pk] = max(best[indicator.pk], value)
    return best


def naive_completion(indicator, value, target, best: dict[int, Decimal]) -> Decimal:
    """The share of the target reached, direction-aware, capped at 1."""
    if value is None:
        return Decimal(0)
    if indicator.kind == "milestone":
        goal = target or Decimal(len(indicator.stages) or 1)
        return min(value / goal, Decimal(1))
    if indicator.direction == "lower":
        goal = target if target is not None else best.get(indicator.pk)
        if goal is None or value <= goal or value <= 0:
            return Decimal(1)
        return goal / value
    if target is None:
        top = best.get(indicator.pk)
        return min(value / top, Decimal(1)) if top else Decimal(0)
    if target == 0:
        return Decimal(1)
    return max(min(value / target, Decimal(1)), Decimal(0))


def naive_standings(period) -> dict[tuple[int, int], tuple[Decimal, int | None, bool]]:
    """(task, unit) → (score, place, reported), from the entries, one object at a time."""
    from campaigns.models import Entry, Indicator, Report, Target

    result = {}
    for task in period.campaign.tasks.order_by("order", "id"):
        values: dict[int, list[tuple[Indicator, Decimal | None]]] = {}
        reported: dict[int, bool] = {}
        for report in Report.objects.filter(period=period, task=task):
            counted = report.status in ("submitted", "accepted")
            reported[report.unit_id] = counted
            values[report.unit_id] = []
            for entry in Entry.objects.filter(report=report).order_by("pk"):
                indicator = Indicator.objects.get(pk=entry.indicator_id)
                values[report.unit_id].append((indicator, naive_value(indicator, entry, counted)))
        best = naive_best(values)
        scores: dict[int, Decimal] = {}
        for unit_id, lines in values.items():
            total = weighted = Decimal(0)
            for indicator, value in lines:
                own = Target.objects.filter(indicator=indicator, unit_id=unit_id).first()
                target = own.value if own else indicator.default_target
                total += indicator.weight
                weighted += indicator.weight * naive_completion(indicator, value, target, best)
            score = weighted / total * 100 if total else Decimal(0)
            scores[unit_id] = score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        for unit_id, score in scores.items():
            place = None
            if task.kind == "contest":
                place = 1 + sum(1 for other in scores.values() if other > score)
            result[(task.pk, unit_id)] = (score, place, reported[unit_id])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--districts", type=int, default=10)
    args = parser.parse_args()
    setup_django(args.districts)

    from campaigns.models import Period, Standing
    from campaigns.services.dispatch import period_dispatch
    from minzheng.scale import PREFIX

    periods = list(
        Period.objects.filter(campaign__bureau__name__startswith=PREFIX, starts=MONTH)
        .select_related("campaign")
        .order_by("campaign__bureau__name")
    )
    assert len(periods) == args.districts, "seed_scale first"
    started = time.perf_counter()
    for period in periods:
        period_dispatch(period=period, today=period.dispatch_on)
    elapsed = time.perf_counter() - started
    suffix = f"_n{args.districts}"
    emit(f"dispatch_city_month{suffix}", elapsed, "s")
    emit(f"dispatch_district_month{suffix}", elapsed / len(periods), "s")
    checked = mismatches = 0
    for period in periods:
        naive = naive_standings(period)
        saved = {
            (s.task_id, s.unit_id): (s.score, s.rank, s.reported)
            for s in Standing.objects.filter(period=period)
        }
        if set(saved) != set(naive):
            mismatches += len(set(saved) ^ set(naive))
            note(f"{period}: different (task, unit) pairs")
        for key in saved.keys() & naive.keys():
            checked += 1
            if saved[key] != naive[key]:
                mismatches += 1
                note(
                    f"{period} task {key[0]} unit {key[1]}: saved {saved[key]}, naive {naive[key]}"
                )
    emit(f"dispatch_standings_checked{suffix}", checked, "standings")
    emit(f"dispatch_naive_mismatches{suffix}", mismatches, "standings")


if __name__ == "__main__":
    main()
