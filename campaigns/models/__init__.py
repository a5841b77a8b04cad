"""Campaign models, split by the part of the month they serve: plan (reporting and ranking follow)."""

from .plan import (
    Cadence,
    Campaign,
    CampaignStatus,
    Direction,
    Indicator,
    IndicatorKind,
    IndicatorSource,
    Target,
    Task,
    TaskKind,
)
from .reporting import (
    Entry,
    Evidence,
    Period,
    PeriodStatus,
    Reminder,
    Report,
    ReportStatus,
    Transition,
)

__all__ = [
    "Cadence",
    "Campaign",
    "CampaignStatus",
    "Direction",
    "Entry",
    "Evidence",
    "Indicator",
    "IndicatorKind",
    "IndicatorSource",
    "Period",
    "PeriodStatus",
    "Reminder",
    "Report",
    "ReportStatus",
    "Target",
    "Task",
    "TaskKind",
    "Transition",
]
