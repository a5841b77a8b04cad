"""A plan that arrived as one long line: put back the line breaks the structure needs.

Text copied from some web pages and PDF viewers, or squeezed by a chat tool, loses every line
break: "…的通知各镇街道：现将…印发给你们。兰山区民政局2020年4月10日兰山区…工作方案一、总体要求…（一）…
1.…2.…". A line this long is cut

* before a heading's number when it is the next one in sequence: "一、" after "一、" was seen only
  as "二、", "（二）" after "（一）" (restarting under each "一、"), and "2." after "1." (or a "1."
  that starts again) where a sentence or a heading ends just before; so "统一、规范" and "6.2%"
  stay whole;
* before "（1）" / "①" enumerations that follow a sentence's end;
* after every full stop, and around the notice's date ("兰山区民政局2020年4月10日兰山区…").

Lines of ordinary length are left as they are.
"""

from __future__ import annotations

import itertools
import re

from .text import NAMED_PLAN, bracket_depths

__all__ = ["RUN_ON", "break_run_on"]

RUN_ON = 600  # characters: longer than any paragraph a plan writes on one line
RUN_ON_ALONE = 150  # a text with no line break at all is run-on from this length

_CN = "一二三四五六七八九十"
_L1 = re.compile(rf"(?P<num>[{_CN}]{{1,3}})\s*、")
_L2 = re.compile(rf"[（(]\s*(?P<num>[{_CN}]{{1,3}})\s*[）)]")
_L3 = re.compile(r"(?<!\d)(?P<num>\d{1,2})\s*[.．、](?![\d．.％%])")
_ENUM = re.compile(r"(?<=[。；;：:])\s*(?=[（(]\d{1,2}[）)]|[①-⑳])")
_SENTENCE_END = re.compile(r"(?<=[。！？!?])(?=[^”’」』）)\s])")
_NOTICE_DATE = re.compile(
    r"(?<=[局室委府会办厅部处心])(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
    r"(?=[\u4e00-\u9fff“《])"
)
_FILE_HEAD = re.compile(
    r"文件(?=\s*[\u4e00-\u9fff]{1,10}\s*[〔［\[【（(]\s*\d{4})"
    r"|(?<=[〕］\]】）)])\s*\d{1,4}\s*号(?=[\u4e00-\u9fff])"
)
_NOTICE_END = re.compile(r"的\s*通\s*知(?=\s*各)")
_AIMS_LABEL = re.compile(r"(?:指导思想|基本原则|总体目标|工作原则|主要目标)\s*[：:]")
_AFTER_HEADING_OR_SENTENCE = set("。；;！!？?：:）)")


def _cn_value(numeral: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23."""
    if "十" not in numeral:
        return _CN.index(numeral) + 1 if numeral in _CN else 0
    tens, _, ones = numeral.partition("十")
    return (_CN.index(tens) + 1 if tens else 1) * 10 + (_CN.index(ones) + 1 if ones else 0)


def _cuts(line: str) -> list[int]:
    """Where headings and items begin, taken in sequence."""
    marks: list[tuple[int, str, int]] = []
    for level, pattern in (("L1", _L1), ("L2", _L2), ("L3", _L3)):
        for m in pattern.finditer(line):
            value = _cn_value(m["num"]) if level != "L3" else int(m["num"])
            marks.append((m.start(), level, value))
    marks.sort()
    cuts: list[int] = []
    expected = {"L1": 1, "L2": 1, "L3": 1}
    heading_end = -1  # where the last heading taken ends, roughly: an item may follow it
    for pos, level, value in marks:
        before = line[pos - 1] if pos else "。"
        if level == "L1" and value == expected["L1"]:
            expected.update(L1=value + 1, L2=1)
        elif level == "L2" and value == expected["L2"]:
            expected["L2"] = value + 1
        elif level == "L3" and (
            value in (expected["L3"], expected["L3"] + 1)  # the next, or one unnumbered before
            or (value == 1 and (before in _AFTER_HEADING_OR_SENTENCE or pos - heading_end <= 120))
        ):
            expected["L3"] = value + 1
        else:
            continue
        cuts.append(pos)
        if level != "L3":
            heading_end = pos
    return cuts


def _split_at(line: str, cuts: list[int]) -> list[str]:
    bounds = [0, *sorted(set(cuts)), len(line)]
    return [line[a:b] for a, b in itertools.pairwise(bounds) if line[a:b].strip()]


def _title_cuts(line: str) -> list[int]:
    """Around the plan's own title where the notice names it: "印发《X》的通知…X为全面落实…"."""
    named = NAMED_PLAN.search(line)
    if named is None:
        return []
    spaced = r"\s*".join(re.escape(ch) for ch in re.sub(r"\s+", "", named["title"]))
    for again in re.finditer(spaced, line):
        if line[again.start() - 1 : again.start()] != "《":  # the title, not the notice citing it
            return [again.start(), again.end()]
    return []


def _notice_cuts(line: str) -> list[int]:
    """After "…文件", after the document number, after "…的通知" and after its addressees' "："."""
    cuts = [m.end() for m in _FILE_HEAD.finditer(line[:300])]
    notice = _NOTICE_END.search(line[:400])
    if notice is not None:
        cuts.append(notice.end())
        colon = re.search(r"[：:]", line[notice.end() : notice.end() + 200])
        if colon and "。" not in line[notice.end() : notice.end() + colon.start()]:
            cuts.append(notice.end() + colon.end())
    return cuts


def break_run_on(line: str, *, labels: re.Pattern[str], alone: bool = False) -> list[str]:
    """``line`` cut where its structure begins, if it is a run-on line; else ``[line]``.

    ``labels`` finds the labels with their colon (任务目标：, 责任单位：); each starts a line.
    ``alone``: the line is the whole text, so a shorter one is taken as run-on too. Nothing is
    cut inside a bracket ("（牵头单位：…；责任单位：…）" stays whole).
    """
    if len(line) < (RUN_ON_ALONE if alone else RUN_ON):
        return [line]
    cuts = _cuts(line) + _title_cuts(line) + _notice_cuts(line)
    cuts += [m.start() for m in _AIMS_LABEL.finditer(line)]
    cuts += [m.start() for m in labels.finditer(line)]
    cuts += [m.start() for m in _ENUM.finditer(line)]
    cuts += [m.start() for m in _SENTENCE_END.finditer(line)]
    for m in _NOTICE_DATE.finditer(line):
        cuts += [m.start("date"), m.end("date")]
    depths = bracket_depths(line)
    return _split_at(line, [c for c in cuts if 0 < c < len(line) and depths[c] == 0])
