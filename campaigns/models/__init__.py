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
from .ranking import AdjustmentItem, Assessment, Bulletin, BulletinKind, Light, Standing
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
    "AdjustmentItem",
    "Assessment",
    "Bulletin",
    "BulletinKind",
    "Cadence",
    "Campaign",
    "CampaignStatus",
    "Direction",
    "Entry",
    "Evidence",
    "Indicator",
    "IndicatorKind",
    "IndicatorSource",
    "Light",
    "Period",
    "PeriodStatus",
    "Reminder",
    "Report",
    "ReportStatus",
    "Standing",
    "Target",
    "Task",
    "TaskKind",
    "Transition",
]
