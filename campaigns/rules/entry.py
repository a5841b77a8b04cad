"""What makes a report's entry valid: the one set of checks and messages that the report form,
the Excel upload and `services.reporting.report_save` share.

Two steps, each written once:

1. Reading what a person typed or a cell holds (`read_number`, `read_stage`): a browser's text
   and an Excel cell's number, text, date or true/false become a value or raise `EntryError`.
2. Checking the values of a whole report (`report_problems`): ranges and decimals, a rate's
   numerator and denominator, a milestone's stage, text lengths, and on submit what is required.
   `report_save` runs it; an upload runs it only through the service (or, for a file already
   refused for what its cells hold, once beside those problems).

Every message names the indicator and the field, so it reads the same beside a field, at the top
of the form, after an Excel cell's place and in the office's bulk results.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from org.templatetags.dalei import num

from ..models import IndicatorKind

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from ..models import Entry, Indicator

LIMIT = Decimal("1000000000000")  # Entry values have 14 digits, two of them after the point
TWO_PLACES = Decimal("0.01")
MAX_TEXT = 5000  # 工作进展, 存在问题, 下步打算
MAX_NOTE = 300  # an entry's 说明 (Entry.note)
TEXTS = {"progress": "工作进展", "problems": "存在问题", "plans": "下步打算"}
PARTS = {
    "value": "",
    "numerator": "分子",
    "denominator": "分母",
    "stage": "达到节点",
    "note": "说明",
}
DRAFT = "也可以先保存为草稿"


@dataclass
class EntryInput:
    """What was typed for one entry, read but not yet checked."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    stage: int | None = None
    note: str = ""


@dataclass(frozen=True)
class EntryProblem:
    """One rule a report's input breaks: the entry (0 for the report's texts), its field, and
    the message."""

    entry: int
    field: str
    message: str


class EntryError(ValueError):
    """What was typed cannot be read as the field's value; the message says why and the fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EntryInvalid(ValidationError):
    """The report's input breaks the rules; nothing was saved. `problems` says where."""

    def __init__(self, problems: list[EntryProblem]) -> None:
        super().__init__([p.message for p in problems])
        self.problems = problems


def subject(indicator_name: str, field: str) -> str:
    """How a message names a field: “新建助餐点” for a value, “集中供养率”的分子 for a part."""
    if field in TEXTS:
        return f"“{TEXTS[field]}”"
    part = PARTS.get(field, "")
    return f"“{indicator_name}”的{part}" if part else f"“{indicator_name}”"


def _short(text: str, limit: int = 20) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# 1. Reading


def read_number(value: Any, name: str) -> Decimal | None:
    """A number from what was typed (`name` says whose field: `subject`), or None when empty.
    Its range and decimals are checked with the report (`number_problem`)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise EntryError(f"{name}要填数字，不能是“是/否”，请改为数字")
    if isinstance(value, datetime | date | time | timedelta):
        raise EntryError(
            f"{name}要填数字，单元格却是日期或时间格式，请把单元格格式改为“常规”后重新填写数字"
        )
    if isinstance(value, int | float):
        number = Decimal(str(value))
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().replace(",", "").replace(" ", "")
        if not text:
            return None
        number = _from_text(text, value, name)
    else:
        raise EntryError(f"{name}要填数字，请只填数字")
    if not number.is_finite():
        raise EntryError(f"{name}要填数字，请只填数字")
    return number


def _from_text(text: str, typed: str, name: str) -> Decimal:
    if text.endswith("%"):
        raise EntryError(
            f"{name}填的“{_short(typed)}”带了百分号，请只填数字（比率类指标分别填分子和分母）"
        )
    try:
        return Decimal(text)
    except InvalidOperation:
        raise EntryError(
            f"{name}填的“{_short(typed)}”不是数字，请只填数字，不要带单位或文字"
        ) from None


def read_stage(value: Any, stages: list[str], name: str) -> int | None:
    """A milestone's stage (1-based) from its name, as the drop-down list writes it, or its
    number, as the form posts it; None when empty. Its range is checked with the report."""
    if value is None:
        return None
    if isinstance(value, bool | datetime | date | time | timedelta):
        raise EntryError(f"{name}请从下拉列表选择：{_listed(stages)}")
    if isinstance(value, int | float):
        if float(value).is_integer():
            return int(value)
        raise EntryError(unknown_stage(name, num(Decimal(str(value))), stages))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    names = [unicodedata.normalize("NFKC", str(s)).strip() for s in stages]
    if text in names:
        return names.index(text) + 1
    if text.isdigit():
        return int(text)
    raise EntryError(unknown_stage(name, _short(str(value)), stages))


def _listed(stages: list[str]) -> str:
    return "、".join(str(s) for s in stages)


def unknown_stage(name: str, typed: str, stages: list[str]) -> str:
    return f"{name}填的“{typed}”不是这项指标的节点，请从下拉列表选择：{_listed(stages)}"


# 2. Checking


def number_problem(name: str, number: Decimal | None) -> str | None:
    """A number's range and decimals: 0 or more, below 10¹², at most two decimals."""
    if number is None:
        return None
    if number < 0:
        return f"{name}不能是负数（填的是 {num(number)}），请填写 0 或正数"
    if number >= LIMIT:
        return f"{name}数字太大（填的是 {num(number)}），请核对后重新填写"
    if number != number.quantize(TWO_PLACES):
        return f"{name}填的 {number.normalize():f} 超过两位小数，请最多保留两位小数"
    return None


def text_problem(name: str, text: str, limit: int) -> str | None:
    length = len(text.strip())
    if length > limit:
        return f"{name}最多 {limit} 字，现在有 {length} 字，请精简"
    return None


def required(name: str, fix: str = "请填写") -> str:
    return f"{name}还没有填写，提交前{fix}；{DRAFT}"


def entry_problems(indicator: Indicator, data: EntryInput, *, submit: bool) -> list[EntryProblem]:
    """Every rule one entry's input breaks (`entry` left 0; `report_problems` sets it)."""
    name = indicator.name
    found: list[tuple[str, str | None]] = [
        ("note", text_problem(subject(name, "note"), data.note, MAX_NOTE))
    ]
    if indicator.kind == IndicatorKind.RATE:
        found += _rate_problems(name, data, submit=submit)
    elif indicator.kind == IndicatorKind.MILESTONE:
        stages = list(indicator.stages or [])
        who = subject(name, "stage")
        if data.stage is not None and not 1 <= data.stage <= len(stages):
            found.append(("stage", unknown_stage(who, str(data.stage), stages)))
        elif data.stage is None and submit:
            found.append(("stage", required(who, "请从下拉列表选择达到的节点")))
    else:
        who = subject(name, "value")
        found.append(("value", number_problem(who, data.value)))
        if data.value is None and submit:
            found.append(("value", required(who, "请填写数字")))
    return [EntryProblem(0, field, message) for field, message in found if message]


def _rate_problems(name: str, data: EntryInput, *, submit: bool) -> list[tuple[str, str | None]]:
    numerator, denominator = data.numerator, data.denominator
    found = [
        ("numerator", number_problem(subject(name, "numerator"), numerator)),
        ("denominator", number_problem(subject(name, "denominator"), denominator)),
    ]
    if any(message for _field, message in found):
        return found
    if numerator is None and denominator is None:
        if submit:
            found += [(f, required(subject(name, f))) for f in ("numerator", "denominator")]
    elif denominator is None:
        found.append(("denominator", f"“{name}”的分子和分母要一起填，请填写分母"))
    elif numerator is None:
        found.append(("numerator", f"“{name}”的分子和分母要一起填，请填写分子"))
    elif denominator == 0 and numerator > 0:
        found.append(("denominator", f"“{name}”的分母为 0 时分子也只能是 0，请核对分子和分母"))
    elif numerator > denominator:
        found.append(
            (
                "numerator",
                f"“{name}”的分子 {num(numerator)} 大于分母 {num(denominator)}，"
                "比率会超过 100%，请核对分子和分母",
            )
        )
    return found


def texts_problems(texts: Mapping[str, str], *, submit: bool) -> list[EntryProblem]:
    """The report's three texts: their length, and on submit that none is empty."""
    problems = []
    for field, label in TEXTS.items():
        text = (texts.get(field) or "").strip()
        message = text_problem(f"“{label}”", text, MAX_TEXT)
        if message is None and submit and not text:
            message = required(f"“{label}”")
        if message:
            problems.append(EntryProblem(0, field, message))
    return problems


def report_problems(
    entries: Iterable[Entry],
    inputs: Mapping[int, EntryInput],
    texts: Mapping[str, str],
    *,
    submit: bool,
) -> list[EntryProblem]:
    """Every rule a report's input breaks, in the order of its entries, then its texts.

    `entries` are the report's rows (with their indicators); computed ones are not typed and not
    checked; one without input counts as empty."""
    problems = []
    for entry in entries:
        if entry.computed:
            continue
        data = inputs.get(entry.pk, EntryInput())
        for problem in entry_problems(entry.indicator, data, submit=submit):
            problems.append(EntryProblem(entry.pk, problem.field, problem.message))
    return problems + texts_problems(texts, submit=submit)
