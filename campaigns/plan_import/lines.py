"""From raw text to classified lines and paragraphs.

Lines are cleaned first: navigation and page-furniture noise of scraped pages is dropped ("• 首页",
"索引号 …", "保护视力色 …", "— 1 —"), and a line that glues several things together is cut apart:
an inline label ("…治理。责任单位:组织部…配合单位:宣传部…") starts a new line, and so does a
numbered item glued to the end of a label's value ("…住建局2.提高城乡社区…").

Lines are then joined into paragraphs. Blank lines carry no meaning (PDF text has one after every
line, and also in the middle of sentences). A paragraph ends after a line that ends a sentence or a
label (。！？；：), after a heading without a full stop, and before any heading, numbered item, label
or enumeration ("一是", "（1）", "①").
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from .runon import break_run_on
from .text import bracket_depths, compact, is_ideograph, is_wide, normalise, open_after

LABELS: dict[str, tuple[str, ...]] = {
    "goal": ("任务目标", "工作目标", "目标任务"),
    "content": ("活动内容", "工作内容", "主要内容", "具体内容", "主要措施", "具体措施"),
    "leads": ("牵头领导", "牵头局领导", "责任领导", "分管领导", "牵头市领导", "牵头区领导"),
    "co_leaders": ("配合领导", "协管领导", "配合局领导"),
    "lead_units": ("牵头单位", "牵头科室", "牵头部门", "牵头处室"),
    "responsible": ("责任科室", "责任单位", "责任部门", "责任处室", "责任主体"),
    "cooperating": ("配合单位", "配合科室", "配合部门", "配合处室", "协办单位", "协同单位"),
    "deadline": ("完成时限", "完成时间", "时间节点", "完成期限", "时限要求", "时间安排"),
}
# The fields that name leaders or units (split into names); the others hold text.
NAME_FIELDS = ("leads", "co_leaders", "lead_units", "responsible", "cooperating")
_FIELD_OF = {label: name for name, labels in LABELS.items() for label in labels}
_LABEL_WORDS = "|".join(sorted(_FIELD_OF, key=len, reverse=True))
_QUALIFIER = r"(?:\s*[（(][^（()）]{1,8}[）)])?\s*[：:]"
LABEL = re.compile(rf"^(?P<label>{_LABEL_WORDS}){_QUALIFIER}\s*")
# Labels that a web page glues to the end of the previous paragraph.
_INLINE_LABEL = re.compile(
    rf"(?<=\S)\s*(?=(?:{'|'.join(label for name in (*NAME_FIELDS, 'deadline') for label in LABELS[name])})"
    rf"{_QUALIFIER})"
)
# Any label with its colon, wherever it stands (a run-on line is cut before each).
_ANY_LABEL = re.compile(rf"(?:{_LABEL_WORDS}){_QUALIFIER}")
_GLUED_ITEM = re.compile(r"(?<=[\u4e00-\u9fff）)])(?=\d{1,3}[.．、][\u4e00-\u9fff“《])")

CN_NUM = "一二三四五六七八九十百零〇"
L1 = re.compile(rf"^(?P<num>[{CN_NUM}]+)\s*、")
L2 = re.compile(rf"^(?P<num>[（(]\s*[{CN_NUM}]+\s*[）)])")
# "1." / "1、" numbers an item, but "6.2%" and "3.5万" do not, nor "1、2月份" (a list of months);
# "2、20*年是…" does.
L3 = re.compile(
    r"^(?P<num>\d{1,3})(?!\d)\s*(?:[.．](?![\d．.])|、(?![．.]|\d{1,2}\s*(?:[月日号、至\-－—~～]|$)))"
)
# "（1）" and "①" number items below "1."; they are tasks only where they carry the work's labels.
L4 = re.compile(r"^(?P<num>[（(]\s*\d{1,2}\s*[）)])")
L5 = re.compile(r"^(?P<num>[①-⑳])")
ENUM = re.compile(rf"^(?:[{CN_NUM}]是|第[{CN_NUM}]+[，,、是])")
DATE_LINE = re.compile(
    r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:印发|发布|印)?$"
    r"|^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$"
)
DOC_NO = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,14})\s*[〔［\[【（(]\s*(?P<year>\d{4})\s*[〕］\]】）)]"
    r"\s*(?P<no>\d{1,4})\s*号"
)
_NOISE = re.compile(
    r"^[•·▪■►※>]|索引号|发布机构|公开方式|公开时限|保护视力色|字体颜色|恢复默认|打印本页|关闭窗口"
    r"|【打印】|【关闭】|分享到|扫一扫|浏览次数|访问量|当前位置|^[—\-–－]*\d{1,3}[—\-–－]*$"
)
_ENDS_PARAGRAPH = tuple("。！？；：:!?;")
LEVELS = {"L1": 1, "L2": 2, "L3": 3, "L4": 4, "L5": 5}


def is_noise(line: str) -> bool:
    return bool(_NOISE.search(compact(line)))


def _outside_brackets(line: str, cuts: list[int], open_before: int) -> list[int]:
    """The cut positions not inside a bracket ("（牵头单位：…；责任单位：…）" stays whole, also
    where a line-wrap cut it and ``open_before`` brackets are open at the line's start)."""
    depths = bracket_depths(line, open_before)
    return [cut for cut in cuts if depths[cut] == 0]


def split_glued(line: str, open_before: int = 0) -> list[str]:
    """Cut a line at inline labels and at numbered items glued to a label's value."""
    labels = [m.start() for m in _INLINE_LABEL.finditer(line)]
    cuts = _outside_brackets(line, labels, open_before)
    bounds = [0, *cuts, len(line)]
    pieces = [line[a:b] for a, b in itertools.pairwise(bounds) if line[a:b].strip()]
    out: list[str] = []
    for piece in pieces:
        if LABEL.match(piece.strip()):
            out.extend(p for p in _GLUED_ITEM.split(piece) if p.strip())
        else:
            out.append(piece)
    return out


def clean_lines(text: str) -> list[str]:
    """Non-blank, non-noise lines, stripped and cut apart where they glue things together."""
    out: list[str] = []
    raws = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    alone = sum(1 for raw in raws if raw.strip()) == 1  # the whole text on one line
    depth = 0  # brackets a line left open: a wrapped "（牵头单位：…⏎…）" is not cut at its labels
    for raw in raws:
        line = raw.replace("\u3000", " ").replace("\xa0", " ").strip()
        for part in break_run_on(line, labels=_ANY_LABEL, alone=alone):
            part = part.strip()
            if part and not is_noise(part):
                if classify(part)[0] in ("L1", "L2", "L3", "label"):
                    depth = 0  # a heading or a label starts afresh (an unclosed bracket is a typo)
                out.extend(p.strip() for p in split_glued(part, depth) if p.strip())
                depth = min(open_after(part, depth), 2)
    return out


@dataclass
class Para:
    kind: str  # "L1" … "L5" | "label" | "enum" | "text"
    lines: list[str] = field(default_factory=list)
    marker: str = ""  # "一" | "（一）" | "12" | the label word
    field: str = ""  # for labels: a key of LABELS

    @property
    def text(self) -> str:
        return normalise(" ".join(self.lines))

    @property
    def level(self) -> int:
        return LEVELS.get(self.kind, 0)

    @property
    def rest(self) -> str:
        """The text after the number or the label."""
        text = self.text
        pattern = {"L1": L1, "L2": L2, "L3": L3, "L4": L4, "L5": L5, "label": LABEL}.get(self.kind)
        match = pattern.match(text) if pattern else None
        return text[match.end() :].strip() if match else text

    def value_items(self) -> str:
        """A label's value where spaces inside a line separate names ("于万秀 马仕敏")."""
        first = LABEL.sub("", self.lines[0], count=1)
        parts = [first, *self.lines[1:]]
        spaced = [
            re.sub(r"(?<=[\u4e00-\u9fff）)])[ \t]+(?=[\u4e00-\u9fff（(])", "、", p) for p in parts
        ]
        return normalise(" ".join(spaced)).strip()


def classify(line: str) -> tuple[str, str, str]:
    """(kind, marker, field) of a cleaned line."""
    if m := L1.match(line):
        return "L1", compact(m["num"]), ""
    if m := L2.match(line):
        return "L2", compact(m["num"]), ""
    if m := L3.match(line):
        return "L3", m["num"], ""
    if m := L4.match(line):
        return "L4", compact(m["num"]), ""
    if m := L5.match(line):
        return "L5", m["num"], ""
    if m := LABEL.match(line):
        return "label", m["label"], _FIELD_OF[m["label"]]
    if ENUM.match(line):
        return "enum", "", ""
    return "text", "", ""


def _width(line: str) -> float:
    return sum(1 if is_wide(ch) else 0.5 for ch in line)


def _wrap_width(lines: list[str]) -> float | None:
    """The width a hard-wrapped (PDF) text is set to, or None for unwrapped text."""
    widths = [_width(line) for line in lines if _width(line) >= 10]
    if len(widths) < 20 or sorted(widths)[len(widths) // 2] > 40:
        return None
    return Counter(round(w) for w in widths).most_common(1)[0][0]


def _front_break(line: str) -> bool:
    flat = compact(line)
    return (
        bool(DOC_NO.fullmatch(flat))
        or (flat.endswith("文件") and len(flat) <= 30)
        or (flat.endswith("通知") and len(flat) <= 60)
    )


def paragraphs(lines: list[str], *, front: bool = False) -> list[Para]:
    """Join ``lines`` into paragraphs; ``front`` for a notice's head (title, number, date lines)."""
    paras: list[Para] = []
    closed = True
    wrap = _wrap_width(lines)
    for line in lines:
        kind, marker, label_field = classify(line)
        standalone = bool(DATE_LINE.match(line)) or (front and _front_break(line))
        if kind != "text" or closed or standalone:
            paras.append(Para(kind, [line], marker, label_field))
        else:
            paras[-1].lines.append(line)
        last = paras[-1]
        closed = line.endswith(_ENDS_PARAGRAPH) or standalone
        if closed and line.endswith("。") and wrap is not None and _width(line) >= wrap - 1:
            closed = False  # a full line: the sentence ended exactly at the wrap
        if last.kind in ("L1", "L2") and len(last.lines) == 1 and "。" not in line:
            closed = True
    return paras


def split_names(value: str) -> list[str]:
    """Split a list of leaders or units on 、，,；; outside brackets: "各镇街道（经开区）" stays."""
    names: list[str] = []
    depth, buffer = 0, ""
    for ch in value + "、":
        if ch in "（(〔[【":
            depth += 1
        elif ch in "）)〕]】":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "、，,；;":
            name = buffer.strip().strip("。.").removesuffix("等").strip()
            if name:
                names.append(name)
            buffer = ""
        else:
            buffer += ch
    return _join_levels(names)


_LEVEL_LIST = re.compile(r"^各[县市区乡镇]$")


def _join_levels(names: list[str]) -> list[str]:
    """ "各县、市、区政府" is one name (every county's, city's and district's government), not
    three: a lone 各县 / 各市 … takes the one-character levels after it and the name they end in."""
    out: list[str] = []
    joining = False
    for name in names:
        if joining and (
            len(name) == 1 or re.fullmatch(r"[县市区乡镇](?:人民)?政府|[县市区乡镇]", name)
        ):
            out[-1] = f"{out[-1]}、{name}"
            joining = len(name) == 1
            continue
        out.append(name)
        joining = bool(_LEVEL_LIST.match(name))
    return out


def first_sentence(text: str) -> tuple[str, str]:
    """Split ``text`` at its first "。": (the sentence without the stop, the rest)."""
    head, stop, tail = text.partition("。")
    if not stop:
        return text.rstrip("：:").strip(), ""
    return head.strip(), tail.strip()


def has_cjk(text: str) -> bool:
    return any(is_ideograph(ch) for ch in text)
