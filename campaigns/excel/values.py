"""What a cell says: whether it is a formula, its text, and writing an entry or a target the way
the report page shows it. Numbers and stages are read by the entry rules (`rules.entry`), as the
report form reads them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from org.dates import cn_date
from org.templatetags.dalei import num
from org.text import text_error
from org.xlsx import sheet_text

from ..models import Entry, Indicator, IndicatorKind


class CellError(Exception):
    """A text cell's content cannot be used; the message names the field and the fix."""


def is_formula(value: Any, data_type: str, *, text: bool = False) -> bool:
    """A formula, or (in a number cell) something that reads like one.

    Excel keeps a text cell that starts with "=" as text only when it was typed with a leading
    apostrophe, so in a text cell only a real formula counts.
    """
    if data_type == "f":
        return True
    return not text and isinstance(value, str) and value.lstrip().startswith("=")


def read_text(value: Any, label: str) -> str:
    """The text of a cell; a number or date typed into a text cell is kept as written. Its
    characters take org.text's rule, named by `label` as the form names its field; its length
    is the entry rules' (`rules.entry`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "是" if value else "否"
    elif isinstance(value, datetime):
        text = f"{value.year}年{value.month}月{value.day}日"
    elif isinstance(value, int | float):
        text = num(Decimal(str(value)))
    else:
        text = sheet_text(str(value))
    problem = text_error(label, text)
    if problem:
        raise CellError(problem)
    return text


def entry_text(entry: Entry | None) -> str:
    """An entry's value as the report page shows it: 12 / 20（60%）, 开工, 35 处."""
    if entry is None:
        return "—"
    indicator = entry.indicator
    if indicator.kind == IndicatorKind.RATE:
        if entry.numerator is None or entry.denominator is None:
            return "未填"
        if not entry.denominator:
            return "0 / 0"
        share = entry.numerator / entry.denominator * 100
        return f"{num(entry.numerator)} / {num(entry.denominator)}（{share:.1f}%）"
    if indicator.kind == IndicatorKind.MILESTONE:
        return stage_label(entry.indicator.stages, entry.stage) or "尚未开始"
    if entry.value is None:
        return "未填"
    return f"{num(entry.value)} {indicator.unit_of_measure}".strip()


def stage_label(stages: list[str], stage: int | Decimal | None) -> str:
    if stage is None:
        return ""
    index = int(stage) - 1
    return str(stages[index]) if 0 <= index < len(stages or []) else ""


def target_text(indicator: Indicator, target: Decimal | None, deadline: date | None) -> str:
    """A target as the plan states it: ≥60%, 投入运营, with its deadline below."""
    if target is None:
        text = "—"
    elif indicator.kind == IndicatorKind.MILESTONE:
        text = stage_label(indicator.stages, target) or num(target)
    else:
        sign = "≤" if indicator.direction == "lower" else "≥"
        text = f"{sign}{num(target)}{indicator.unit_of_measure}"
    if deadline:
        text += f"\n{cn_date(deadline)}前"
    return text
