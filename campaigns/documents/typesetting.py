"""Typesetting rules the documents share: how wide text is, where a title breaks, which lines
of plain text are headings, how wide a table's columns are. Pure Python, no python-docx."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

TEXT_WIDTH_MM = 156  # GB/T 9704's text block: 156 x 225 mm
CELL_MARGIN_MM = 1.5

HEADING_1 = re.compile(r"^[一二三四五六七八九十]+、")
HEADING_2 = re.compile(r"^（[一二三四五六七八九十]+）")

FULL_WIDTH_PUNCTUATION = "“”‘’—…·"


def _full(ch: str) -> bool:
    return ord(ch) > 0x2E80 or ch in FULL_WIDTH_PUNCTUATION


def text_width(text: str) -> float:
    """Width in characters of body text: Chinese is one, Latin letters and digits half, plus a
    quarter where the two meet (Word and LibreOffice space Chinese from digits: 升 2 位)."""
    width = sum(1 if _full(ch) else 0.5 for ch in text)
    return width + 0.25 * sum(_full(a) != _full(b) for a, b in pairwise(text))


def title_lines(title: str, per_line: float = 20) -> list[str]:
    """Break a long title where it reads well: before an opening quote, after a closing one,
    after 的 / 于 / 和, never inside a number; lines as even as possible (梯形 or 菱形)."""
    if text_width(title) <= per_line:
        return [title]
    best: tuple[float, int] | None = None
    for i in range(2, len(title) - 1):
        before, after = title[i - 1], title[i]
        good = after == "“" or before in "”的于和及与" or title.startswith(("工作", "情况"), i)
        if not good or (before.isascii() and after.isascii()):
            continue
        first, second = text_width(title[:i]), text_width(title[i:])
        if first <= per_line and second <= per_line:
            score = abs(first - second)
            if best is None or score < best[0]:
                best = (score, i)
    if best is None:
        return [title]
    return [title[: best[1]], title[best[1] :]]


def text_blocks(text: str) -> list[tuple[str, str, str]]:
    """Plain text as (kind, heading, rest) per non-blank line: kind "h1" for "一、…", "h2" for
    "（一）…", else "p". A heading followed by text on its line ("（一）特困人员供养。本季度…")
    is run in: the words up to the first "。" are the heading, the rest is body text."""
    blocks = []
    for line in (line.strip() for line in text.splitlines()):
        if not line:
            continue
        kind = "h1" if HEADING_1.match(line) else "h2" if HEADING_2.match(line) else "p"
        head, rest = line, ""
        if kind != "p" and "。" in line[:-1]:
            cut = line.index("。") + 1
            head, rest = line[:cut], line[cut:]
        blocks.append((kind, head, rest) if kind != "p" else (kind, "", line))
    return blocks


def column_widths(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    size_pt: float = 12,
    total_mm: float = TEXT_WIDTH_MM,
) -> list[float]:
    """Fit the columns to the text block.

    Each column asks for its longest cell (names and reasons up to 12 characters) and, at
    least, its header wrapped to two lines. Spare width first unwraps the headers that need
    least, then is shared out in proportion; when the asks do not fit, the long text columns
    give way first (down to 5 characters), numbers last.
    """
    char_mm = size_pt * 25.4 / 72
    pad_mm = 2 * CELL_MARGIN_MM + 1.5
    wants, whole = [], []
    for col, header in enumerate(headers):
        head = text_width(str(header))
        wrapped = head if head <= 3 else max(math.ceil(head / 2), math.ceil(head / 4), 2)
        cells = min(max((text_width(str(r[col])) for r in rows if col < len(r)), default=0), 12)
        wants.append(max(wrapped, cells, 1.5))
        whole.append(max(min(head, 8), cells, 1.5))
    widths = [want * char_mm + pad_mm for want in wants]
    spare = total_mm - sum(widths)
    if spare < 0:
        give = [max(want - 5, 0) * char_mm for want in wants]
        if sum(give) > 0:
            share = min(-spare / sum(give), 1.0)
            widths = [width - g * share for width, g in zip(widths, give, strict=True)]
    else:
        for col in sorted(range(len(wants)), key=lambda c: whole[c] - wants[c]):
            need = (whole[col] - wants[col]) * char_mm
            if 0 < need <= spare:
                widths[col] += need
                spare -= need
    return [width * total_mm / sum(widths) for width in widths]
