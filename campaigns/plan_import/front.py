"""The front matter of a plan: the notice around it, its title, number, issuer, date, addressees.

A bureau's plan usually comes wrapped in a notice (通知)::

    临沂市兰山区民政局文件                      <- issuing unit ("…文件")
    临兰民〔2020〕22 号                          <- document number
    临沂市兰山区民政局关于印发《…工作方案》的通知  <- the notice names the plan in 《》
    各镇街道民政办公室、…，局机关各科室：          <- addressees
    现将《…》印发给你们，…。
    兰山区民政局
    2020 年 4 月 10 日                           <- issue date
    兰山区民政系统“打擂攻坚”工作方案             <- the plan's own title: the body starts after it

A scraped page gives the number and date in a metadata line instead ("文号 银兴党办发〔2020〕38号
生成日期 2020-05-20"). A plan pasted without its notice starts with its title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from .lines import DATE_LINE, DOC_NO, L1, L2, L3, LABEL, Para, classify, paragraphs
from .text import NAMED_PLAN, compact, normalise

_PLAN_SUFFIX = re.compile(
    r"(方案|要点|计划|意见|办法|细则|安排|规划|规定|通知|纲要|分解|分解表|清单|分工|任务表)$"
)
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_META_DATE = re.compile(
    r"(?:生成日期|发布日期|成文日期|发文日期|印发日期)\s*[:：]?\s*(\d{4})\s*[-/.年]\s*(\d{1,2})"
    r"\s*[-/.月]\s*(\d{1,2})"
)
_META_ISSUER = re.compile(r"发布机构\s*[:：]?\s*(?P<unit>[\u4e00-\u9fff]{2,30})")
_ISSUER_BEFORE_PRINT = re.compile(r"^(?P<unit>[^《》。，,：:]{2,40}?)\s*(?:关于)?印发")
_ORG_LINE = re.compile(r"(局|办公室|委员会|委|政府|中心|办|室|厅|部|处|科|院|会)$")
_CITING = ("(", "（", "《")
_ATTACHMENT = re.compile(r"^(?:附件\d*[:：]?|[（(]此件[^）)]*[）)]|[（(]此件公开发布[）)])$")
_FOOTER_START = re.compile(r"^(抄送|抄报|附件|主题词|联系人|联系电话|（此件|\(此件)")


@dataclass
class Front:
    title: str = ""
    doc_number: str = ""
    issuing_unit: str = ""
    issue_date: date | None = None
    addressees: str = ""
    body: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _to_date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _starts_title(line: str, title: str) -> bool:
    return line == title or (len(line) >= 4 and title.startswith(line))


def _find_title(lines: list[str], head: str) -> tuple[str, int, int]:
    """(title, first line of the title, first line of the body); -1 when not found."""
    named = NAMED_PLAN.search(head)
    if named is not None:
        wanted = compact(named["title"])
        for start in range(len(lines)):
            for size in (1, 2, 3):
                window = lines[start : start + size]
                if compact("".join(window)) == wanted:
                    return normalise(" ".join(window)), start, start + size
        return normalise(named["title"]), -1, -1
    for index, line in enumerate(lines[:10]):
        flat = compact(line)
        if (
            len(flat) <= 60
            and _PLAN_SUFFIX.search(flat)
            and not flat.endswith("文件")
            and not DOC_NO.search(flat)
            and not DATE_LINE.match(line)
            and classify(line)[0] == "text"
        ):
            if flat.endswith("通知") and (after := _after_notice(lines)) is not None:
                return after
            return normalise(line), index, index + 1
    return "", -1, -1


def _after_notice(lines: list[str]) -> tuple[str, int, int] | None:
    """A notice that does not name its plan in 《》: the plan follows the notice's date, after
    "（此件公开发布）" and "附件1", under its own title (or none); None when no date ends a notice."""
    for index, line in enumerate(lines[:40]):
        if not DATE_LINE.match(line) or not any("：" in x or ":" in x for x in lines[:index]):
            continue
        start = index + 1
        while start < len(lines) and _ATTACHMENT.match(compact(lines[start])):
            start += 1
        if start < len(lines) and classify(lines[start])[0] == "text" and len(lines[start]) <= 60:
            return normalise(lines[start]), start, start + 1
        return "", start, start
    return None


def _first_numbered(lines: list[str]) -> int:
    """The first heading or item ("一、", "（一）", "1."); the notice comes before it."""
    return next((i for i, x in enumerate(lines) if classify(x)[0] in ("L1", "L2", "L3")), 40)


def _body_start_without_title(lines: list[str]) -> int:
    """Where the body starts when the plan's title line was not found: after the notice's date."""
    for index, line in enumerate(lines[: min(40, _first_numbered(lines))]):
        if "印发" in line:
            for later in range(index + 1, min(len(lines), index + 20)):
                if DATE_LINE.match(lines[later]):
                    return later + 1
            return index + 1
    return 0


def _strip_footer(body: list[str]) -> list[str]:
    """The lines after the plan's last paragraph: issuing office, print date, 抄送."""
    footer: list[str] = []
    while body:
        line = body[-1]
        flat = compact(line)
        is_org = (
            len(flat) <= 30
            and _ORG_LINE.search(flat)
            and not re.search(r"[。，,；;：:]", flat)
            and classify(line)[0] == "text"
        )
        if DATE_LINE.match(line) or _FOOTER_START.match(flat) or is_org:
            footer.insert(0, body.pop())
        else:
            break
    return footer


def _issuing_unit(front: list[Para], raw_head: str, footer: list[str]) -> str:
    for para in front:
        flat = compact(para.text)
        if flat.endswith("文件") and len(flat) <= 40:
            return flat.removesuffix("文件")
    for para in front:
        if "印发" in para.text and (m := _ISSUER_BEFORE_PRINT.match(compact(para.text))):
            return m["unit"]
    if m := _META_ISSUER.search(raw_head):
        return m["unit"]
    for before, after in pairwise(front):
        if DATE_LINE.match(after.text) and len(compact(before.text)) <= 30:
            return compact(before.text)
    for line in footer:
        if _ORG_LINE.search(compact(line)) and not DATE_LINE.match(line):
            return compact(line)
    return ""


def _issue_date(front: list[Para], raw_head: str, footer: list[str]) -> date | None:
    for para in front:
        if DATE_LINE.match(para.text) and (m := _DATE.search(para.text)):
            return _to_date(*m.groups())
    if m := _META_DATE.search(raw_head):
        return _to_date(*m.groups())
    for line in footer:
        if m := _DATE.search(line):
            return _to_date(*m.groups())
    return None


def _addressees(front: list[Para]) -> str:
    for para in front:
        text = para.text
        if (
            text.endswith(("：", ":"))
            and "。" not in text
            and not LABEL.match(text)
            and not (L1.match(text) or L2.match(text) or L3.match(text))
        ):
            return text
    return ""


def read_front(text: str, lines: list[str]) -> Front:
    """Split the cleaned ``lines`` into front matter and body; ``text`` is the raw input."""
    result = Front()
    raw_lines = [normalise(line) for line in text.splitlines() if line.strip()]
    # The notice is before the first heading or item: a 《》 inside a task is no plan's title.
    head = " ".join(normalise(line) for line in lines[: min(40, _first_numbered(lines))])
    title, title_start, body_start = _find_title(lines, head)
    if not title and title_start >= 0:
        result.warnings.append("通知之后没有找到方案标题，请手工填写")
    elif title_start < 0:
        body_start = _body_start_without_title(lines)
        title_start = body_start
        if title:
            result.warnings.append(f"未在正文中找到方案标题“{title}”，请核对正文的起止位置")
        else:
            result.warnings.append("未找到方案标题，请手工填写")
    result.title = title
    front_lines = lines[:title_start]
    body = lines[body_start:]
    footer = _strip_footer(body)
    result.body = body

    # The raw head keeps the metadata lines a scraped page carries (dropped from ``lines`` as noise).
    cut = 15
    if title:
        wanted = compact(title)
        starts = (i for i, line in enumerate(raw_lines) if _starts_title(compact(line), wanted))
        cut = min(next(starts, cut), 40)
    raw_head = " ".join(raw_lines[:cut])
    # A number in brackets is a document the text cites: "（宁党办〔2020〕12号）".
    numbered = [m for m in DOC_NO.finditer(raw_head) if raw_head[: m.start()][-1:] not in _CITING]
    if numbered:
        m = numbered[0]
        prefix = re.sub(r"^.*文件", "", m["prefix"].removeprefix("文号"))  # "…民政局文件临兰民"
        result.doc_number = compact(f"{prefix}〔{m['year']}〕{m['no']}号")
    front = paragraphs(front_lines, front=True)
    result.issuing_unit = _issuing_unit(front, raw_head, footer)
    result.issue_date = _issue_date(front, raw_head, footer)
    result.addressees = _addressees(front)
    if not result.doc_number and front_lines:
        result.warnings.append("未找到发文字号，请核对")
    if result.issue_date is None:
        result.warnings.append("未找到印发日期，请手工填写")
    return result
