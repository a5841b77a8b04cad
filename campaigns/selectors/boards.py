"""擂台榜: the contests' rankings, lights, changes and the months so far, from the standings.

The board reads the same `Standing` rows the bulletin was made from, so its figures are the
bulletin's. Every board is built from four queries whatever the number of units or months: the
periods, the month's standings, the earlier months' scores (for the sparklines) and the
month's report ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from org.text import screen_json

from ..models import Campaign, Period, PeriodStatus, Report, Standing
from ..rules.standings import TaskStandings, light_counts, standings_grouped


@dataclass
class BoardRow:
    unit_id: int
    unit: str
    rank: int | None
    rank_change: int | None
    score: float
    completion: float
    expected: float
    light: str
    reported: bool
    report_id: int | None
    trend: list[float | None] = field(default_factory=list)
    details: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class BoardTask:
    task_id: int
    title: str
    kind: str
    rows: list[BoardRow] = field(default_factory=list)

    @property
    def chart_json(self) -> str:
        """The data of the task's chart: ranking bars, or done against time for a push."""
        return screen_json(
            {
                "units": [r.unit for r in self.rows],
                "scores": [round(r.score, 1) for r in self.rows],
                "lights": [r.light for r in self.rows],
                "done": [round(r.completion, 1) for r in self.rows],
                "expected": [round(r.expected, 1) for r in self.rows],
            }
        )

    @property
    def lights(self) -> dict[str, int]:
        return light_counts(row.light for row in self.rows)

    @property
    def red_count(self) -> int:
        return self.lights["red"]

    @property
    def blank_cells(self) -> range:
        """Empty cells that keep a top-three row square when fewer than three compete."""
        return range(max(0, 3 - len(self.rows)))


@dataclass
class Board:
    campaign: Campaign
    period: Period | None
    periods: list[Period]
    months: list[str]
    contests: list[BoardTask]
    pushes: list[BoardTask]

    @property
    def lights(self) -> dict[str, int]:
        return light_counts(row.light for task in self.contests + self.pushes for row in task.rows)


def dispatched_periods(campaign: Campaign) -> QuerySet[Period]:
    return Period.objects.filter(campaign=campaign, status=PeriodStatus.DISPATCHED).order_by(
        "starts"
    )


def board_for(campaign: Campaign, period: Period | None = None, units: Any = None) -> Board:
    """The board of `period` (the latest dispatched one by default), optionally only some units."""
    periods = list(dispatched_periods(campaign))
    if period is None and periods:
        period = periods[-1]
    if period is None:
        return Board(campaign, None, periods, [], [], [])
    shown = [p for p in periods if p.starts <= period.starts]
    # The months so far only feed the sparklines: four figures a row, no details, no joins.
    trend_rows = Standing.objects.filter(period__in=shown).order_by()
    current = Standing.objects.filter(period=period).select_related("task", "unit")
    if units is not None:
        trend_rows, current = trend_rows.filter(unit__in=units), current.filter(unit__in=units)
    reports = {
        (r["task_id"], r["unit_id"]): r["pk"]
        for r in Report.objects.filter(period=period).values("pk", "task_id", "unit_id")
    }
    index = {p.pk: i for i, p in enumerate(shown)}
    trends: dict[tuple[int, int], list[float | None]] = {}
    for period_id, task_id, unit_id, score in trend_rows.values_list(
        "period_id", "task_id", "unit_id", "score"
    ):
        trend = trends.setdefault((task_id, unit_id), [None] * len(shown))
        trend[index[period_id]] = float(score)
    groups = standings_grouped(current)

    def board_task(group: TaskStandings) -> BoardTask:
        task = BoardTask(group.task.pk, group.task.title, group.task.kind)
        for standing in group.rows:
            key = (standing.task_id, standing.unit_id)
            task.rows.append(
                BoardRow(
                    unit_id=standing.unit_id,
                    unit=standing.unit.name,
                    rank=standing.rank,
                    rank_change=standing.rank_change,
                    score=float(standing.score),
                    completion=float(standing.completion),
                    expected=float(standing.expected),
                    light=standing.light,
                    reported=standing.reported,
                    report_id=reports.get(key),
                    trend=trends.get(key, [None] * len(shown)),
                    details=standing.details,
                )
            )
        return task

    return Board(
        campaign=campaign,
        period=period,
        periods=periods,
        months=[p.label for p in shown],
        contests=[board_task(g) for g in groups.contests],
        pushes=[board_task(g) for g in groups.pushes],
    )
