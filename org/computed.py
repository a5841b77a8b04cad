"""The registry of computed indicators (计算口径).

`relief` and `eldercare` register the indicators they can compute from their records when they
start (AppConfig.ready); `campaigns` looks them up by key. Neither side imports the other: the
registry lives here, in the app both already depend on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

# compute(units, as_of, start=period_start) -> {unit_id: (numerator, denominator)} for rates,
# {unit_id: value} otherwise; counts within [start, as_of] where the indicator is per period.
ComputeFn = Callable[..., dict[int, Any]]


@dataclass(frozen=True)
class ComputedIndicator:
    key: str
    label: str
    kind: str  # "rate" | "quantity" | "amount", as campaigns.IndicatorKind
    unit_of_measure: str
    description: str
    compute: ComputeFn | None = None
    default_target: Decimal | None = None


_registry: dict[str, ComputedIndicator] = {}


def register(indicator: ComputedIndicator) -> None:
    existing = _registry.get(indicator.key)
    if existing is not None and existing != indicator:
        raise ValueError(f"computed indicator {indicator.key} registered twice, differently")
    _registry[indicator.key] = indicator


def get(key: str) -> ComputedIndicator | None:
    return _registry.get(key)


def all_indicators() -> list[ComputedIndicator]:
    return sorted(_registry.values(), key=lambda i: i.key)


# Helpers the apps' compute functions share: rows are filtered by unit path and summed up into
# each requested unit above them (a township counts its communities' persons).
Rates = dict[int, tuple[Decimal, Decimal]]


def under_units(units: Iterable[Any], field: str) -> Q:
    """Rows whose `field` (a unit path) lies under any of the units, with the fewest prefixes."""
    roots: list[str] = []
    for path in sorted({u.path for u in units}):
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    condition = Q(pk__in=[])
    for root in roots:
        condition |= Q(**{f"{field}__startswith": root})
    return condition


def roll_up(units: list[Any], rows: Iterable[tuple[str, Decimal, Decimal]]) -> Rates:
    """Sum (path, numerator, denominator) rows into each requested unit whose path covers them."""
    result: Rates = {u.pk: (Decimal(0), Decimal(0)) for u in units}
    for path, num, den in rows:
        for unit in units:
            if path.startswith(unit.path):
                old_num, old_den = result[unit.pk]
                result[unit.pk] = (old_num + num, old_den + den)
    return result
