"""Indicators computed from 社会救助 records, registered for campaigns to use by key.

Each compute function reads the support periods that covered the day `as_of` (a reporting
period's end) in one aggregate query grouped by the place the periods hang on, then rolls the
counts up to the requested units by path prefix in Python: a township gets its own persons and
those of its communities and villages. Every requested unit gets a (numerator, denominator)
pair; (0, 0) means the unit has nobody to count.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q

from org.computed import ComputedIndicator, Rates, register, roll_up, under_units
from org.models import Unit


def _units(units: Iterable[Unit]) -> list[Unit]:
    return list(units)  # a QuerySet costs one query here; callers that care pass a list


def _covering(day: date) -> Q:
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gt=day))


def concentrated_care_rate(
    units: Iterable[Unit], as_of: date, *, start: date | None = None
) -> Rates:
    """集中供养率: 特困 persons who cannot fully care for themselves, living in an institution."""
    from .models import NEEDS_CARE, Assistance, SupportMode, SupportPeriod

    wanted = _units(units)
    if not wanted:
        return {}
    rows = (
        SupportPeriod.objects.filter(
            _covering(as_of),
            under_units(wanted, "unit__path"),
            assistance=Assistance.TEKUN,
            self_care__in=NEEDS_CARE,
        )
        .values("unit__path")
        .annotate(den=Count("id"), num=Count("id", filter=Q(support_mode=SupportMode.CONCENTRATED)))
    )
    return roll_up(wanted, ((r["unit__path"], Decimal(r["num"]), Decimal(r["den"])) for r in rows))


def dispersed_visit_rate(units: Iterable[Unit], as_of: date, *, start: date | None = None) -> Rates:
    """探访率: 分散供养 特困 persons (as of `as_of`) with a visit between `start` and `as_of`.

    `start` defaults to the first day of as_of's month: the plan asks for a visit every month.
    """
    from .models import Assistance, SupportMode, SupportPeriod, Visit

    wanted = _units(units)
    if not wanted:
        return {}
    start = start or as_of.replace(day=1)
    visited = Exists(
        Visit.objects.filter(
            person=OuterRef("person_id"), visited_on__gte=start, visited_on__lte=as_of
        )
    )
    rows = (
        SupportPeriod.objects.filter(
            _covering(as_of),
            under_units(wanted, "unit__path"),
            assistance=Assistance.TEKUN,
            support_mode=SupportMode.DISPERSED,
        )
        .values("unit__path")
        .annotate(den=Count("id"), num=Count("id", filter=Q(visited)))
    )
    return roll_up(wanted, ((r["unit__path"], Decimal(r["num"]), Decimal(r["den"])) for r in rows))


CONCENTRATED_CARE_RATE = ComputedIndicator(
    key="relief.concentrated_care_rate",
    label="特困人员集中供养率",
    kind="rate",
    unit_of_measure="%",
    description="完全及部分不能自理的特困人员中，集中供养（入住供养机构）的人数占比；按镇街统计，截至调度期末。",
    compute=concentrated_care_rate,
    default_target=Decimal("60"),
)
VISIT_RATE = ComputedIndicator(
    key="relief.dispersed_visit_rate",
    label="分散供养特困人员月探访率",
    kind="rate",
    unit_of_measure="%",
    description="分散供养特困人员中，当月有探访记录的人数占比；按镇街统计。",
    compute=dispersed_visit_rate,
    default_target=Decimal("100"),
)


def register_all() -> None:
    register(CONCENTRATED_CARE_RATE)
    register(VISIT_RATE)
