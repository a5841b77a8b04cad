"""Suggested indicators: the figures a plan's goal text commits to.

``suggest_indicators`` reads phrases such as "集中供养率达到 60%", "每个街道新建 1 处街道级综合养老
服务中心", "提高到每人每月 700 元" or "到2022年培训1000名以上社区工作者" and returns one
:class:`SuggestedIndicator` per figure: a rate (``%``), an amount (``元``, per person and month
where the text says so), a quantity (处, 个, 张, 名, 家, 户 …) or a dated milestone without a figure
("力争2020年底实现全覆盖"). A suggestion is only a suggestion: the office reviews every one.

Deliberately *not* read: years, months and days ("2020 年 10 月"), durations ("12个月", "24 小时"),
ages ("80 周岁"), ordinals ("第1名"), document numbers ("〔2020〕12号"), codes in quotes
("“55124模式”"), ranges of rates ("10%—30%"), and counts that only locate the work ("在城区 4 个
街道的 68 个城市社区配建…"). A range of counts ("3-5 处") suggests its lower bound.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from .text import normalise

__all__ = ["SuggestedIndicator", "suggest_indicators"]


@dataclass
class SuggestedIndicator:
    name: str
    kind: str  # "rate" | "quantity" | "amount" | "milestone"
    unit: str
    target: Decimal | None
    deadline: date | None
    scope: str
    source_text: str


_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")
_NUM = r"[0-9０-９]+(?:[.．][0-9０-９]+)?"
_UNIT = (
    r"%|％|万元|亿元"
    r"|元(?:\s*/\s*人\s*[/·]\s*[月年]|\s*/\s*月\s*/\s*人|\s*/\s*[月年人])?"
    r"|平方米|㎡|人次|万人|处|个(?!月|百分点|工作日|小时|人)|张|名(?!单|称|义)|家(?!庭)"
    r"|户|所(?!有|属|在)|座|间(?!隔)|项(?!目)|场|支|条|套|辆|台|批|次|床|人(?![均口员民])"
)
_FIGURE = re.compile(
    rf"(?<![0-9０-９.．A-Za-z〔\[第])(?P<num>{_NUM})"
    rf"(?:\s*(?P<sep>[-—–~～至])\s*(?P<num2>{_NUM}))?\s*(?P<unit>{_UNIT})"
)
_RANGE_SEP = "-—–~～至"
_AFTER_FIGURE = re.compile(r"\s*(?:及以上|以上|以下|以内|左右)")
_DATE = re.compile(
    r"(?P<y>\d{4})\s*年(?:\s*(?P<m>\d{1,2})\s*月(?:份)?(?:\s*(?P<d>\d{1,2})\s*日)?)?"
    r"(?P<suf>度|底|末|以前|之前|前|内|以后|之后|后|起)?"
)
_RELATIVE = re.compile(r"年内|年底前|年底|年末|今年|本年度|当年")
_SCOPE = re.compile(
    r"每(?:一)?个?(?:乡镇（街道）|乡镇\(街道\)|乡镇|镇街道|镇街|街道|镇|村（居）|村\(居\)|村|社区"
    r"|县区|区县|县|单位|机构|百户)"
)
_COMPARATOR = re.compile(
    r"提高到|提升到|提高至|提升至|增加到|增长到|增至|降低到|降至|下降到|控制在|保持在|稳定在"
    r"|不少于|不低于|不高于|不超过|不足|超过|高于|低于|达到|(?<![发表传下抵送通])达(?!标)|占|至少"
)
_PER_CAPITA = re.compile(r"每人每月|每月每人|每人每年|每年每人|每人|每月|每年")
# Words that lead into a figure without naming it ("计划年内", "力争", "全区" …).
_HEDGES = sorted(
    [
        "将",
        "把",
        "对",
        "使",
        "计划",
        "年内",
        "今年",
        "全年",
        "力争",
        "争取",
        "确保",
        "要",
        "到",
        "至",
        "于",
        "截至",
        "在",
        "约",
        "其中",
        "各有",
        "均有",
        "至少",
        "全区",
        "全市",
        "全县",
        "全省",
        "新区",
        "本区",
        "并",
        "和",
        "及",
        "与",
        "或",
        "按照",
        "继续",
        "进一步",
        "积极",
        "稳步",
        "着力",
        "大力",
        "同时",
        "另外",
        "再",
        "又",
        "共",
        "实现",
        "逐步",
        "基本",
        "已",
        "全面",
    ],
    key=len,
    reverse=True,
)
_LEAD = re.compile("^(?:" + "|".join(map(re.escape, _HEDGES)) + ")")
_TRAIL = re.compile(r"(?:要|应|将|的|约|共|和|及|与|并|或|各有|均有)$")
_MILESTONE_LEAD = re.compile(r"^(?:力争|争取|确保|计划|截至|到|至|于|在|继续|进一步)")
_LIST_CUT = re.compile(r"^.*(?:、|其中|等领域|等方面)")
_LOCATING_VERB = re.compile(r"建|设|造|育|完成|达|实现|开展|新增|训|评|引进|孵化|创")
_MILESTONE_VERB = re.compile(r"实现|完成|建成|建立|全覆盖|投入使用|启用|出台|落地")
_NOUN_STOP = re.compile(r"[，,。；;：:！？!?\n]|、(?=\s*\d)|\d|约")
_RATE_ENDINGS = ("率", "比例", "比重", "占比", "覆盖面", "人数", "数", "比")
_SHORTEN_AT = ("的", "人员", "社区")


@dataclass
class _Date:
    start: int
    end: int
    when: date | None  # None: not a deadline (a start date, a past date, no plan year)


def _to_decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.translate(_DIGITS))
    except InvalidOperation:
        return None


def _month_end(year: int, month: int) -> date | None:
    if not (1990 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, calendar.monthrange(year, month)[1])


def _dates(sentence: str, plan_year: int | None) -> list[_Date]:
    found: list[_Date] = []
    for m in _DATE.finditer(sentence):
        year, suffix = int(m["y"]), m["suf"] or ""
        when: date | None = None
        if m["d"]:
            end = _month_end(year, int(m["m"]))
            if end is not None and 1 <= int(m["d"]) <= end.day:
                when = date(year, int(m["m"]), int(m["d"]))
        else:
            when = _month_end(year, int(m["m"]) if m["m"] else 12)
        retrospective = sentence[m.end() : m.end() + 1] == "已"
        if suffix in ("后", "以后", "之后", "起") or retrospective:
            when = None
        if when is not None and plan_year is not None and year < plan_year:
            when = None
        found.append(_Date(m.start(), m.end(), when))
    for m in _RELATIVE.finditer(sentence):
        if any(d.start <= m.start() < d.end for d in found):
            continue
        when = date(plan_year, 12, 31) if plan_year and 1990 <= plan_year <= 2100 else None
        found.append(_Date(m.start(), m.end(), when))
    return sorted(found, key=lambda d: d.start)


_MONTH_ONLY = re.compile(
    r"(?<![\d年])(?P<m>\d{1,2})\s*月(?:份)?(?:\s*(?P<d>\d{1,2})\s*日)?(?P<suf>底|末|前|以前|之前|中旬|上旬|下旬)?"
)


def _spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _DATE.finditer(text)]


def deadline_of(text: str, plan_year: int | None) -> date | None:
    """The date a 完成时限 names: "2025年12月底" → 2025-12-31, "8月底前" → the plan year's 31 Aug,
    "2025年6月30日前" → that day; the last date where it names several ("2025年3月至12月").
    None where it names no date ("长期坚持", "按季度", "每月10日前" without a year to place it in).
    """
    if re.search(r"每(?:月|季|年|周)", text):
        return None
    dates = [d.when for d in _dates(text, None) if d.when is not None]
    years = [(m.end(), int(m["y"])) for m in _DATE.finditer(text)]
    if plan_year and 1990 <= plan_year <= 2100 and _RELATIVE.search(text):
        dates.append(date(plan_year, 12, 31))
    for m in _MONTH_ONLY.finditer(text):
        if any(end > m.start() >= start for start, end in _spans(text)):
            continue
        year = next((y for end, y in reversed(years) if end <= m.start()), plan_year)
        month_end = _month_end(year, int(m["m"])) if year else None
        day = int(m["d"]) if m["d"] else month_end.day if month_end else 0
        if month_end is not None and 1 <= day <= month_end.day:
            dates.append(date(month_end.year, month_end.month, day))
    return max(dates) if dates else None


def _deadline(dates: list[_Date], pos: int, clause_end: int) -> date | None:
    before = [d for d in dates if d.end <= pos and d.when is not None]
    if before:
        return before[-1].when
    after = [d for d in dates if pos <= d.start < clause_end and d.when is not None]
    return after[0].when if after else None


def _strip(text: str, lead: re.Pattern[str] = _LEAD) -> str:
    text = _DATE.sub("", text)
    text = _RELATIVE.sub("", text).strip(" \"'")
    previous = None
    while previous != text:
        previous = text
        text = lead.sub("", text).strip()
        text = _TRAIL.sub("", text).strip()
    if text.count("“") != text.count("”"):
        text = text.replace("“", "").replace("”", "")
    return text


def _after_last_de(text: str) -> str:
    _head, sep, tail = text.rpartition("的")
    return tail if sep and len(tail) >= 2 else text


def _rate_name(name: str, comparator: str) -> str:
    if not name.endswith(_RATE_ENDINGS):
        name += "占比" if comparator == "占" else "率"
    if len(name) > 10:
        for token in _SHORTEN_AT:
            _head, sep, tail = name.rpartition(token)
            if sep and len(tail) >= 4:
                return tail
    return name


def _amount_unit(unit: str, prefix: str) -> str:
    unit = re.sub(r"\s+", "", unit)
    if "/" in unit:
        per_person = "人" in unit
        period = "月" if "月" in unit else "年" if "年" in unit else ""
        if per_person and period:
            return f"元/人·{period}"
        return unit
    per = _PER_CAPITA.search(prefix)
    if per is None:
        return unit
    words = per.group()
    if "人" in words and ("月" in words or "年" in words):
        return f"{unit}/人·{'月' if '月' in words else '年'}"
    return f"{unit}/{'人' if '人' in words else '月' if '月' in words else '年'}"


def _clause_start(sentence: str, pos: int) -> int:
    cut = max(sentence.rfind(ch, 0, pos) for ch in "，,：:")
    return cut + 1


def _clause_end(sentence: str, pos: int) -> int:
    ends = [i for i in (sentence.find(ch, pos) for ch in "，,：:") if i >= 0]
    return min(ends) if ends else len(sentence)


def _figure_indicator(
    sentence: str,
    m: re.Match[str],
    seg_start: int,
    dates: list[_Date],
    inherited_verb: str,
) -> tuple[SuggestedIndicator | None, int, str]:
    """The indicator read from one figure, where the phrase ends, and its verb for the next."""
    start, end = m.start(), m.end()
    unit = m["unit"]
    kind = "rate" if unit in ("%", "％") else "amount" if "元" in unit else "quantity"
    extra = _AFTER_FIGURE.match(sentence, end)
    end = extra.end() if extra else end
    clause_start = _clause_start(sentence, start)
    located = sentence[clause_start:start].lstrip()
    if located.startswith("在") and not _LOCATING_VERB.search(located):
        return None, end, ""
    if kind == "rate" and (m["num2"] or re.match(rf"\s*[{_RANGE_SEP}]\s*\d", sentence[end:])):
        return None, end, ""
    back = sentence[:start].rstrip()
    if (
        back
        and back[-1] in _RANGE_SEP
        and len(back) > 1
        and (back[-2].isdigit() or back[-2] in "%％")
    ):
        return None, end, ""
    target = _to_decimal(m["num"])
    raw_prefix = sentence[seg_start:start]
    listed = _LIST_CUT.match(raw_prefix)
    prefix = raw_prefix[listed.end() :] if listed else raw_prefix
    scope = "、".join(s.group() for s in _SCOPE.finditer(prefix))
    prefix = _SCOPE.sub("", prefix)
    if kind == "amount":
        unit = _amount_unit(unit, sentence[clause_start:start])
        prefix = _PER_CAPITA.sub("", prefix)
    comparator = _COMPARATOR.search(prefix)
    name_part = prefix
    if comparator is not None:
        before, after = prefix[: comparator.start()], prefix[comparator.end() :]
        name_part = before if _strip(before) else after
    verb = _after_last_de(_strip(name_part))
    noun_end = end
    if kind == "quantity":
        stop = _NOUN_STOP.search(sentence, end)
        noun_end = stop.start() if stop else len(sentence)
        noun = _after_last_de(_strip(sentence[end:noun_end]))
        if not verb and inherited_verb:
            verb = inherited_verb
        name = verb + noun
    else:
        name = verb
    if kind == "rate" and name:
        name = _rate_name(name, comparator.group() if comparator else "")
    if len(name) > 24:
        name = name[-24:]
    if len(name) < 2 or target is None:
        return None, noun_end, verb
    src_start = seg_start + (listed.end() if listed else 0)
    source = sentence[src_start:noun_end].strip(" ，,、").rstrip("和及与并或")
    deadline = _deadline(dates, start, _clause_end(sentence, start))
    indicator = SuggestedIndicator(
        name=name,
        kind=kind,
        unit=re.sub(r"\s+", "", unit).replace("％", "%"),
        target=target,
        deadline=deadline,
        scope=scope,
        source_text=source,
    )
    return indicator, noun_end, verb if kind == "quantity" else ""


def _milestones(
    sentence: str, dates: list[_Date], figures: list[re.Match[str]]
) -> list[SuggestedIndicator]:
    found: list[SuggestedIndicator] = []
    bounds = [-1, *[i for i, ch in enumerate(sentence) if ch in "，,"], len(sentence)]
    for left, right in pairwise(bounds):
        if any(left < f.start() < right for f in figures):
            continue
        dated = [d for d in dates if left < d.start < right and d.when is not None]
        clause = sentence[left + 1 : right]
        if not dated or not _MILESTONE_VERB.search(clause):
            continue
        name = _strip(clause, _MILESTONE_LEAD)
        if len(name) < 8 and left >= 0:
            previous = sentence[:left].rsplit("，", 1)[-1].rsplit(",", 1)[-1]
            name = _strip(previous, _MILESTONE_LEAD) + name
        if len(name) > 40:
            name = name[-40:]
        if len(name) >= 4:
            found.append(
                SuggestedIndicator(name, "milestone", "", None, dated[0].when, "", clause.strip())
            )
    return found


def _sentence_indicators(sentence: str, plan_year: int | None) -> list[SuggestedIndicator]:
    dates = _dates(sentence, plan_year)
    figures = [m for m in _FIGURE.finditer(sentence) if not _inside_quotes(sentence, m.start())]
    found: list[SuggestedIndicator] = []
    seg_start, verb, clause = 0, "", -1
    for m in figures:
        this_clause = _clause_start(sentence, m.start())
        if this_clause != clause:
            verb, clause = "", this_clause
        indicator, end, verb = _figure_indicator(
            sentence, m, max(seg_start, this_clause), dates, verb
        )
        seg_start = end
        if indicator is not None:
            found.append(indicator)
    found.extend(_milestones(sentence, dates, figures))
    return found


def _inside_quotes(sentence: str, pos: int) -> bool:
    """A figure right after an opening quote is a code ("“2430”培养计划"), not a target."""
    return pos > 0 and sentence[pos - 1] in '“"「'


def suggest_indicators(text: str, *, plan_year: int | None = None) -> list[SuggestedIndicator]:
    """Indicators suggested by the figures in ``text`` (a task's goal, or its content).

    ``plan_year`` (the year the plan was issued) resolves "年内" / "年底前" to 31 December of that
    year and drops dates before it ("2014 年 5 月前已建成的小区" is a description, not a deadline).
    """
    found: list[SuggestedIndicator] = []
    seen: set[tuple[object, ...]] = set()
    sentences = (
        s for line in text.splitlines() for s in re.split(r"[。！？；;!?]", normalise(line))
    )
    for sentence in sentences:
        for indicator in _sentence_indicators(sentence, plan_year):
            key = (
                indicator.kind,
                indicator.name,
                indicator.target,
                indicator.unit,
                indicator.scope,
            )
            if key not in seen:
                seen.add(key)
                found.append(indicator)
    return found
