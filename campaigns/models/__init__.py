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

__all__ = [
    "Cadence",
    "Campaign",
    "CampaignStatus",
    "Direction",
    "Indicator",
    "IndicatorKind",
    "IndicatorSource",
    "Target",
    "Task",
    "TaskKind",
]
