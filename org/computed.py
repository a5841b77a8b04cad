"""The registry of computed indicators (计算口径).

`relief` and `eldercare` register the indicators they can compute from their records when they
start (AppConfig.ready); `campaigns` looks them up by key. Neither side imports the other: the
registry lives here, in the app both already depend on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

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
