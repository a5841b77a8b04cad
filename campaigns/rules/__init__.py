"""The rules of the month that the page, the template, the ranking and the bulletin share.

Each is written here once, so that what a unit is told and what it is judged by cannot drift
apart: the target and deadline a unit works to (`effective_target`, here); the states that count
as reported (`campaigns.models.REPORTED`, beside the states themselves); the checks of an entered
value (`rules.entry`); the grouping and order of standings (`rules.standings`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..models import Campaign, Indicator, Target


def effective_target(
    indicator: Indicator, target: Target | None
) -> tuple[Decimal | None, date | None]:
    """The target value and deadline of one unit on `indicator`, given the unit's own `Target`
    row (None when the office set none): the unit's own value and deadline where set, else the
    indicator's default target and deadline, else the task's deadline. `indicator.task` should
    be loaded with it (select_related) where many are asked."""
    value = target.value if target is not None else indicator.default_target
    deadline = (target.deadline if target is not None else None) or indicator.deadline
    return value, deadline or indicator.task.deadline


def unit_targets(campaign: Campaign) -> dict[tuple[int, int], Target]:
    """Every unit's own target row of a campaign, by (indicator id, unit id), in one query."""
    from ..models import Target

    rows = Target.objects.filter(indicator__task__campaign=campaign)
    return {(t.indicator_id, t.unit_id): t for t in rows}
