"""What a cell says: reading what a person typed (a number, a stage, a text), and writing an
entry or a target the way the report page shows it.

Each reader returns the value or raises CellError with the second half of a message
("……，请……"); the caller adds the sheet, the cell and the indicator in front of it.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from org.dates import cn_date
from org.templatetags.dalei import num
from org.text import text_problem
from org.xlsx import sheet_text

from ..models import Entry, Indicator, IndicatorKind

LIMIT = Decimal("1000000000000")  # Entry values have 14 digits, two of them after the point
TWO_PLACES = Decimal("0.01")


class CellError(Exception):
    """A cell's content cannot be used; the message says what is wrong and how to fix it."""


def is_formula(value: Any, data_type: str, *, text: bool = False) -> bool:
    """A formula, or (in a number cell) something that reads like one.

    Excel keeps a text cell that starts with "=" as text only when it was typed with a leading
    apostrophe, so in a text cell only a real formula counts.
    """
    if data_type == "f":
        return True
    return not text and isinstance(value, str) and value.lstrip().startswith("=")


def _short(text: str, limit: int = 20) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_number(value: Any) -> Decimal | None:
    """A non-negative number with at most two decimals, or None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("这里要填数字，不能是“是/否”，请改为数字")
    if isinstance(value, datetime | date | time | timedelta):
        raise CellError(
            "这里要填数字，单元格却是日期或时间格式，请把单元格格式改为“常规”后重新填写数字"
        )
    if isinstance(value, int | float):
        number = Decimal(str(value))
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().replace(",", "").replace(" ", "")
        if not text:
            return None
        if text.endswith("%"):
            raise CellError(
                f"“{_short(value)}”带了百分号，请只填数字（比率类指标分别填分子和分母）"
            )
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(f"“{_short(value)}”不是数字，请只填数字，不要带单位或文字") from None
    else:
        raise CellError("这里要填数字，请只填数字")
    if not number.is_finite():
        raise CellError("这里要填数字，请只填数字")
    if number < 0:
        raise CellError(f"不能是负数（填的是 {num(number)}），请填写 0 或正数")
    if number >= LIMIT:
        raise CellError("数字太大，请核对后重新填写")
    if number != number.quantize(TWO_PLACES):
        raise CellError(f"{num(number)} 超过两位小数，请最多保留两位小数")
    return number.quantize(TWO_PLACES)


def read_stage(value: Any, stages: list[str]) -> int | None:
    """A milestone's stage (1-based) from its name, as the drop-down list writes it."""
    if value is None:
        return None
    names = [unicodedata.normalize("NFKC", str(s)).strip() for s in stages]
    listed = "、".join(str(s) for s in stages)
    if isinstance(value, bool | datetime | date | time | timedelta):
        raise CellError(f"请从下拉列表选择节点：{listed}")
    if isinstance(value, int | float):
        if float(value).is_integer() and 1 <= int(value) <= len(stages):
            return int(value)
        raise CellError(f"节点应从下拉列表选择：{listed}")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    if text in names:
        return names.index(text) + 1
    raise CellError(f"“{_short(str(value))}”不是这项指标的节点，请从下拉列表选择：{listed}")


def read_text(value: Any, limit: int) -> str:
    """The text of a cell; a number or date typed into a text cell is kept as written."""
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
    problem = text_problem(text)
    if problem:
        raise CellError(problem)
    if len(text.strip()) > limit:
        raise CellError(f"最多 {limit} 字，现在有 {len(text.strip())} 字，请精简")
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
