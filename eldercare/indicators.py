"""Indicators computed from 养老服务 records, registered for campaigns to use by key.

Each compute function is one aggregate query grouped by the unit the records hang on (community
or institution), rolled up to the requested units by path prefix in Python. `start` defaults to
the first day of as_of's month (每月一调度); a quarterly period passes its own first day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When

from org.computed import ComputedIndicator, Rates, register, roll_up, under_units
from org.models import Unit, UnitKind


def community_facility_rate(
    units: Iterable[Unit], as_of: date, *, start: date | None = None
) -> Rates:
    """配建率: communities whose estates' facilities, completed by as_of, give the area required.

    A community counts when the facilities completed by `as_of` give at least the area its
    listed estates require together (15 m² per 100 households for estates in use before May
    2014, 20 m² after); a community with no facility listed does not count. Villages are not
    城市社区 and are left out.
    """
    from .models import EstateEra

    wanted = list(units)
    if not wanted:
        return {}
    done = Q(eldercare_facilities__completed_on__lte=as_of)
    per_hundred = Case(
        When(eldercare_facilities__estate_era=EstateEra.OLD, then=Value(15)),
        default=Value(20),
        output_field=IntegerField(),
    )
    rows = (
        Unit.objects.filter(under_units(wanted, "path"), kind=UnitKind.COMMUNITY, is_active=True)
        .annotate(
            area=Sum("eldercare_facilities__area", filter=done),
            need=Sum(F("eldercare_facilities__households") * per_hundred),
        )
        .values_list("path", "area", "need")
    )

    def row(path: str, area: Any, need: Any) -> tuple[str, Decimal, Decimal]:
        # need is households × m² per 100 households: compare with area × 100.
        meets = need is not None and area is not None and Decimal(str(area)) * 100 >= need
        return path, Decimal(1 if meets else 0), Decimal(1)

    return roll_up(wanted, (row(*r) for r in rows))


def four_contests_score(
    units: Iterable[Unit], as_of: date, *, start: date | None = None
) -> dict[int, Decimal]:
    """四赛平均分: the mean of the four scores of the inspections from `start` to `as_of`.

    Units with no inspection in the period are left out (no score is not a score of 0).
    """
    from .models import Inspection

    wanted = list(units)
    if not wanted:
        return {}
    start = start or as_of.replace(day=1)
    rows = (
        Inspection.objects.filter(
            under_units(wanted, "institution__unit__path"),
            inspected_on__gte=start,
            inspected_on__lte=as_of,
        )
        .values("institution__unit__path")
        .annotate(
            total=Sum(F("fine_management") + F("nutrition") + F("kitchen") + F("environment")),
            n=Count("id"),
        )
        .values_list("institution__unit__path", "total", "n")
    )
    sums = roll_up(wanted, ((p, Decimal(str(t)), Decimal(n) * 4) for p, t, n in rows))
    return {
        pk: (total / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        for pk, (total, count) in sums.items()
        if count
    }


def slots_due(start: date, end: date) -> int:
    """Posts due per institution from start to end: two a day, four a week (weeks by Monday)."""
    if end < start:
        return 0
    days = (end - start).days + 1
    first_monday = start + timedelta(days=(7 - start.weekday()) % 7)
    weeks = 0 if first_monday > end else (end - first_monday).days // 7 + 1
    return 2 * days + 4 * weeks


def six_displays_rate(units: Iterable[Unit], as_of: date, *, start: date | None = None) -> Rates:
    """六晒完成率: posts made on time ÷ posts due, per institution (and summed above them)."""
    from .models import Institution

    wanted = list(units)
    if not wanted:
        return {}
    start = start or as_of.replace(day=1)
    due = Decimal(slots_due(start, as_of))
    rows = (
        Institution.objects.filter(under_units(wanted, "unit__path"))
        .annotate(
            made=Count(
                "posts",
                filter=Q(posts__on_time=True, posts__day__gte=start, posts__day__lte=as_of),
            )
        )
        .values_list("unit__path", "made")
    )
    return roll_up(wanted, ((path, Decimal(made), due) for path, made in rows))


FACILITY_COVERAGE = ComputedIndicator(
    key="eldercare.community_facility_rate",
    label="城市社区养老服务设施配建率",
    kind="rate",
    unit_of_measure="%",
    description="街道所辖城市社区中，养老服务设施面积达标（2014年5月前建成小区每百户不少于15平方米，之后不少于20平方米）的社区占比。",
    compute=community_facility_rate,
    default_target=Decimal("70"),
)
FOUR_CONTESTS_SCORE = ComputedIndicator(
    key="eldercare.four_contests_score",
    label="“四赛”平均得分",
    kind="quantity",
    unit_of_measure="分",
    description="精细管理、营养膳食、厨房卫生、环境卫生四项检查在调度期内的平均得分（百分制），按养老机构统计。",
    compute=four_contests_score,
)
SIX_DISPLAYS_RATE = ComputedIndicator(
    key="eldercare.six_displays_rate",
    label="“六晒”完成率",
    kind="rate",
    unit_of_measure="%",
    description="调度期内应晒照片（每天晒膳食、食品留样，每周晒厨房、活动场所、老人居室、服务照片）中按时晒出的占比，按养老机构统计。",
    compute=six_displays_rate,
    default_target=Decimal("100"),
)


def register_all() -> None:
    register(FACILITY_COVERAGE)
    register(FOUR_CONTESTS_SCORE)
    register(SIX_DISPLAYS_RATE)
