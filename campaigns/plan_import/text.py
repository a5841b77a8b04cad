"""Whitespace rules (and the notice's 印发《…》 pattern) shared by the plan readers.

Plan text arrives extracted from PDF (hard line-wraps every ~28 characters, blank lines between
lines, a stray leading space after a page break), from a web page (long lines, mixed half- and
full-width punctuation) or from a .docx. One rule turns all of it into clean running text:

* a line-wrap is whitespace like any other;
* whitespace next to a CJK character or CJK/full-width punctuation is removed, *except* that a
  single space is kept between a CJK ideograph and an ASCII letter or digit (the bureaus write
  "达到 60%" and "2020 年 10 月"; a wrap in "2020 年 10⏎月前" therefore becomes "2020 年 10 月前");
* any other whitespace run (between two ASCII characters) becomes one space.

Punctuation is never converted: "：" and ":", "（" and "(" stay as the document wrote them; the
parser's patterns accept both.
"""

from __future__ import annotations

import re

_WS_RUN = re.compile(r"\s+")
# A notice naming the plan it sends: "关于印发《兰山区民政系统“打擂攻坚”工作方案》的通知".
NAMED_PLAN = re.compile(r"印发\s*《(?P<title>[^《》]{2,80})》")


def is_ideograph(ch: str) -> bool:
    """A CJK ideograph (not punctuation)."""
    code = ord(ch)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FFFF


def is_wide(ch: str) -> bool:
    """A CJK ideograph or a CJK / full-width punctuation mark (including “”‘’ — … ·)."""
    code = ord(ch)
    return (
        is_ideograph(ch)
        or 0x3000 <= code <= 0x303F  # CJK symbols and punctuation: 、。〔〕《》「」
        or 0xFF00 <= code <= 0xFFEF  # full-width forms: （）：，；！？％
        or 0x2010 <= code <= 0x2027  # dashes, quotes “”‘’, ellipsis
        or code in (0x00B7, 0x2E3A, 0x2E3B)
    )


def _ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _joiner(before: str, after: str) -> str:
    """What a whitespace run between ``before`` and ``after`` becomes."""
    if not before or not after:
        return ""
    if is_wide(before) or is_wide(after):
        keep = (is_ideograph(before) and _ascii_alnum(after)) or (
            _ascii_alnum(before) and is_ideograph(after)
        )
        return " " if keep else ""
    if before.isascii() and after.isascii():
        return " "
    return ""


def normalise(text: str) -> str:
    """Apply the whitespace rule of this module to ``text`` (newlines included)."""
    text = text.replace("\u3000", " ").replace("\xa0", " ")
    out: list[str] = []
    pos = 0
    for match in _WS_RUN.finditer(text):
        out.append(text[pos : match.start()])
        before = text[match.start() - 1] if match.start() > 0 else ""
        after = text[match.end()] if match.end() < len(text) else ""
        out.append(_joiner(before, after))
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)


def bracket_depths(text: str, start: int = 0) -> list[int]:
    """How many brackets are open before each character of ``text`` (（ ( 〔 【 [), ``start``
    of them already open before it (a bracket a line-wrap cut)."""
    depth, depths = start, []
    for ch in text:
        depths.append(depth)
        if ch in "（(〔【[":
            depth += 1
        elif ch in "）)〕】]":
            depth = max(0, depth - 1)
    return depths


def open_after(text: str, start: int = 0) -> int:
    """How many brackets are still open at the end of ``text``."""
    depths = bracket_depths(text + " ", start)
    return depths[-1]


def compact(text: str) -> str:
    """``text`` without any whitespace, for comparing headings and titles."""
    return _WS_RUN.sub("", text.replace("\u3000", ""))
