"""How standings are grouped and ordered, wherever they are shown: the bulletin, the boards, the
dashboards and the quarterly summary.

Tasks come in the plan's order (`Task.order`, then id); contests (擂台赛) apart from pushes and key
tasks (攻坚战); within a task, ranked units by place, then the higher score, then the unit tree
(`Unit.path`), so that a tie reads the same on every page and in every document. Light counts are
always green, yellow, red.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from ..models.plan import TaskKind
from ..models.ranking import Light

if TYPE_CHECKING:
    from ..models import Standing, Task


def task_order(task: Task) -> tuple[int, int]:
    """Where a task comes: the plan's order, then the order it was written in."""
    return (task.order, task.pk)


def standing_order(standing: Standing) -> tuple[bool, int, Decimal, str]:
    """Where a standing comes within its task: place (unranked last), higher score, unit tree.
    `unit` should be loaded with it (select_related)."""
    rank = standing.rank
    return (rank is None, rank or 0, -standing.score, standing.unit.path)


def light_counts(lights: Iterable[str]) -> dict[str, int]:
    """How many of each light: {"green": …, "yellow": …, "red": …}."""
    counts = dict.fromkeys(Light.values, 0)
    for light in lights:
        counts[light] += 1
    return counts


@dataclass
class TaskStandings:
    """One task's standings, in `standing_order`."""

    task: Task
    rows: list[Standing] = field(default_factory=list)

    @property
    def contest(self) -> bool:
        return self.task.kind == TaskKind.CONTEST

    @property
    def lights(self) -> dict[str, int]:
        return light_counts(s.light for s in self.rows)


@dataclass
class StandingGroups:
    """Standings by task: contests first, then pushes and key tasks, each in the plan's order."""

    contests: list[TaskStandings]
    pushes: list[TaskStandings]

    @property
    def tasks(self) -> list[TaskStandings]:
        return self.contests + self.pushes

    @property
    def lights(self) -> dict[str, int]:
        return light_counts(s.light for group in self.tasks for s in group.rows)


def standings_grouped(standings: Iterable[Standing]) -> StandingGroups:
    """Group standings (with `task` and `unit` loaded) by task, in the one order."""
    groups: dict[int, TaskStandings] = {}
    for standing in standings:
        groups.setdefault(standing.task_id, TaskStandings(standing.task)).rows.append(standing)
    ordered = sorted(groups.values(), key=lambda g: task_order(g.task))
    for group in ordered:
        group.rows.sort(key=standing_order)
    return StandingGroups(
        contests=[g for g in ordered if g.contest],
        pushes=[g for g in ordered if not g.contest],
    )
