"""Who a task is assigned to when the document says it in a bracket, and when it is due.

Plans assign work in three ways: label lines (牵头单位：… in :mod:`.lines`), table columns (rendered
as label lines by the table reader) and a bracket at the end of a sentence:

* "（区民政局牵头，区财政局、区人社局配合）", "（由区民政局牵头负责）";
* "（牵头单位：区民政局；责任单位：各镇街道）", "〔责任单位：区民政局〕";
* "（各部门按职责分工负责）", "（区民政局负责，2025年底前完成）";
* "…下同" makes the bracket hold for the tasks after it too, until one says otherwise; a bracket
  that begins "以下…" holds for the tasks after it only.

A bracket that names nobody ("（以下简称“三社联动”）", "（含分散供养）") is left in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lines import LABELS, NAME_FIELDS, split_names

__all__ = ["Assignment", "assignments_in", "closing_deadline", "read_bracket"]

_INNER = r"[^（()）〔〕【】\[\]]"
# A bracket (one level of nested round brackets inside) that ends a sentence or the text.
_BRACKET = re.compile(
    rf"[（(〔【\[](?P<inner>{_INNER}*(?:[（(]{_INNER}*[）)]{_INNER}*)*)[）)〕】\]]"
    r"(?=\s*(?:[。；;.，,（(〔【\[]|$))"
)
_FIELD_OF = {label: name for name, labels in LABELS.items() for label in labels}
_LABELLED = re.compile(
    "^(?P<label>" + "|".join(sorted(_FIELD_OF, key=len, reverse=True)) + r")\s*[：:]\s*(?P<v>.*)$"
)
_ROLE_ENDINGS: list[tuple[str, re.Pattern[str]]] = [
    ("lead_units", re.compile(r"^(?P<names>.+?)(?:为)?(?:共同)?牵头(?:负责|单位|落实|推进)?$")),
    (
        "cooperating",
        re.compile(r"^(?P<names>.+?)(?:共同|积极|等)?(?:配合|协助|协同|参与)(?:落实|推进|实施)?$"),
    ),
    (
        "responsible",
        re.compile(
            r"^(?P<names>.+?)(?:按照?职责分工|按职责|分工|分别|共同|具体)?(?:负责|落实|组织实施)$"
        ),
    ),
]
_LEAD_IN = re.compile(r"^(?:以下(?:各项)?(?:任务|工作)?(?:均|都)?|此项工作|本项工作|均)?(?:由)?")
_CLAUSES = re.compile(r"[；;。]")
_COMMAS = re.compile(r"[，,]")
# A bracket of bare names, each a unit by its ending: "（工资处、就管中心）" names the 责任单位.
_UNIT_NAME = re.compile(
    r"^[\u4e00-\u9fff（()）]{2,20}(?:处|局|中心|科|室|委|办|部|厅|院|会|站|所|队|政府|街道|镇|乡"
    r"|公司|集团|管委会|办事处|联合会)$"
)
_NOTE = re.compile(r"下同|不再(?:另行|做|作|单独)?(?:分工|列出|标注)")
_DUE = re.compile(r"(?:\d{4}\s*年|\d{1,2}\s*月|年底|年内|长期|长年|常年|持续|按季度|每月|每季度)")
# A task's closing sentence that only says when: "长年实施。", "力争2020年11月末完成。".
_WHEN_SENTENCE = re.compile(r"^.{0,14}(?:完成|实施|坚持|到位|完工|启动|推进)$")


@dataclass
class Assignment:
    """The names and deadline a bracket gives, by field (as in :data:`.lines.NAME_FIELDS`)."""

    names: dict[str, list[str]] = field(default_factory=dict)
    deadline_text: str = ""
    sticky: bool = False  # "…下同" / "以下…": it holds for the tasks after this one too
    later_only: bool = False  # "以下…": not for the task it stands in

    def add(self, name: str, values: list[str]) -> None:
        bucket = self.names.setdefault(name, [])
        bucket.extend(v for v in values if v not in bucket)


def _names(text: str) -> list[str]:
    text = _LEAD_IN.sub("", text.strip(), count=1)
    names = [n.removeprefix("由") for n in split_names(text)]
    return [n for n in names if 1 < len(n) <= 30 and not re.search(r"\d{4}|[。！？]", n)]


def _part(part: str, found: Assignment) -> bool:
    """Read one comma-separated part of a bracket into ``found``; False when it is no assignment."""
    part = part.strip()
    if labelled := _LABELLED.match(part):
        name, value = _FIELD_OF[labelled["label"]], labelled["v"].strip()
        if name == "deadline":
            found.deadline_text = value
        elif name in NAME_FIELDS and (names := _names(value)):
            found.add(name, names)
        else:
            return False
        return True
    for name, pattern in _ROLE_ENDINGS:
        if (m := pattern.match(part)) and (names := _names(m["names"])):
            found.add(name, names)
            return True
    if _DUE.search(part) and re.search(r"完成|前|底|坚持|推进|开展", part) and len(part) <= 20:
        found.deadline_text = part
        return True
    return False


def read_bracket(inner: str) -> Assignment | None:
    """The assignment a bracket's inside makes, or None when it names nobody."""
    found = Assignment()
    inner = inner.strip()
    found.later_only = inner.startswith("以下")
    found.sticky = found.later_only or bool(_NOTE.search(inner))
    recognised = 0
    for clause in _CLAUSES.split(_NOTE.sub("", inner)):
        parts = [clause] if _LABELLED.match(clause.strip()) else _COMMAS.split(clause)
        recognised += sum(_part(part, found) for part in parts if part.strip())
    if not recognised and (names := split_names(inner)) and all(map(_UNIT_NAME.match, names)):
        found.add("responsible", names)
        recognised = 1
    return found if recognised and (found.names or found.deadline_text) else None


def assignments_in(text: str) -> tuple[str, list[Assignment]]:
    """The text without its assignment brackets, and the assignments they made, in order."""
    found: list[Assignment] = []
    kept: list[str] = []
    pos = 0
    for match in _BRACKET.finditer(text):
        assignment = read_bracket(match["inner"])
        if assignment is None:
            continue
        found.append(assignment)
        kept.append(text[pos : match.start()])
        pos = match.end()
    kept.append(text[pos:])
    cleaned = "".join(kept)
    cleaned = re.sub(r"^[。；;，,\s]+|(?<=[。；;])[。；;，,]+", "", cleaned).strip()
    return cleaned, found


def closing_deadline(text: str) -> str:
    """The 完成时限 a task's text ends with as a sentence of its own ("11月末完成。"), or ""."""
    sentences = [s for s in re.split(r"[。；;]", text) if s.strip()]
    last = sentences[-1].strip() if len(sentences) > 1 else ""
    return last if _WHEN_SENTENCE.match(last) and _DUE.search(last) else ""
