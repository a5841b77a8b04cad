"""The Lanshan demo's plan (`plan`) and its months (`months`), as `seed_demo` loads them."""

from .months import PLANS, PROBLEMS, PROGRESS, seed_months, settle_notices
from .plan import (
    CAMPAIGN_SETTINGS,
    DOC_NUMBER,
    INDICATORS,
    PLAN_FILE,
    _set_indicators,
    _set_project_targets,
    seed_plan,
)

__all__ = [
    "CAMPAIGN_SETTINGS",
    "DOC_NUMBER",
    "INDICATORS",
    "PLANS",
    "PLAN_FILE",
    "PROBLEMS",
    "PROGRESS",
    "_set_indicators",
    "_set_project_targets",
    "seed_months",
    "seed_plan",
    "settle_notices",
]
