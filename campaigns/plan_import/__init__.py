"""Plan import: read a bureau's plan document (pasted text or .docx) into a reviewable draft.

Pure Python, no Django: :func:`parse_plan` returns a :class:`PlanDraft` of chapters and
:class:`TaskDraft` tasks with :class:`SuggestedIndicator` suggestions; :func:`read_docx_text`
turns an uploaded .docx into the text ``parse_plan`` reads.
"""

from .docx import read_docx_text
from .indicators import SuggestedIndicator, suggest_indicators
from .parser import PlanDraft, TaskDraft, parse_plan

__all__ = [
    "PlanDraft",
    "SuggestedIndicator",
    "TaskDraft",
    "parse_plan",
    "read_docx_text",
    "suggest_indicators",
]
