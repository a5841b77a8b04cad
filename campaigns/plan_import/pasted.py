"""A 任务分解表 pasted as text: the rows found again and read as a table (:mod:`.tables`).

Copying a table out of a web page or a Word file gives, depending on the browser and the page:

* one row a line with the cells separated by tabs (a browser's copy of an HTML table);
* cells closed by " |" and rows opened by "| " (the text of a page that drew its table so),
  a cell's text on lines of its own: "| 1 |⏎区民政局 |⏎按照…发放。 |⏎2025年12月底 |";
* one row a line with the cells separated by spaces, under a header whose every cell is a
  column name ("序号 重点工作任务 主要责任单位 协同配合单位");
* a table of one task as "label: | value |" lines ("牵头单位: | 市城市管理综合执法局 |").

Each table whose header :func:`.tables.header_fields` knows becomes the labelled text the parser
reads, one task a row; everything else is left as it was. A line "一、…" between the rows is the
chapter of the rows under it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .tables import LABEL_OF, TaskTables, column_field, header_fields

__all__ = ["tables_in_text"]

Rows = list[list[str | None]]

_CHAPTER = re.compile(r"^(?:[一二三四五六七八九十]+\s*、|[（(]\s*[一二三四五六七八九十]+\s*[）)])")
_KEY_VALUE = re.compile(r"^(?P<key>[^|｜:：]{2,20}?)\s*[:：]\s*[|｜]\s*(?P<value>.*?)\s*[|｜]?\s*$")


def _render(rows: Rows) -> str | None:
    """The labelled text of ``rows`` when they are a task table, else None."""
    tables = TaskTables()
    width = max((len(row) for row in rows), default=0)
    padded = [
        [row[0], *[None] * (width - 1)] if len(row) == 1 and _CHAPTER.match(row[0] or "") else row
        for row in rows
    ]
    if not tables.feed(padded):
        return None
    return tables.flush()


def _pipe_rows(lines: list[str]) -> Rows:
    rows: Rows = []
    for line in lines:
        text = line.strip()
        if text.startswith(("|", "｜")) or not rows:
            rows.append([])
            text = text[1:]
        cells = [c.strip() for c in re.split(r"[|｜]", text)]
        if cells and not cells[-1]:
            cells.pop()  # the row's closing bar
        rows[-1].extend(cells)
    return rows


def _tab_rows(lines: list[str]) -> Rows:
    rows: Rows = []
    for line in lines:
        if "\t" in line or not rows:
            rows.append([cell.strip() for cell in line.split("\t")])
        else:  # a cell's second line
            rows[-1][-1] = f"{rows[-1][-1]}\n{line.strip()}"
    return rows


def _space_rows(lines: list[str]) -> Rows:
    """Rows under a header of column names, cells split on spaces; a line that is not a new row
    (no leading number, not a chapter) adds to the row above."""
    header = lines[0].split()
    rows: Rows = [list(header)]
    for line in lines[1:]:
        text = line.strip()
        if _CHAPTER.match(text):
            rows.append([text])
            continue
        cells = text.split(maxsplit=len(header) - 1)
        if re.match(r"^\d{1,3}$", cells[0]) or len(rows) == 1:
            rows.append(list(cells))
        elif len(rows[-1]) < len(header) and _one_name(text) and len(rows[-1]) > 2:
            rows[-1][-1] = f"{rows[-1][-1]}\n{text}"  # a second unit under the first, same cell
        elif len(rows[-1]) < len(header):
            rows[-1].extend(cells)
        else:
            rows[-1][-1] = f"{rows[-1][-1]}\n{text}"
    return rows


def _one_name(text: str) -> bool:
    """A line that is a single unit's name ("区税务局"), not a list or a sentence."""
    return len(text) <= 12 and not re.search(r"[，,、。；;\s]", text)


def _key_values(lines: list[str]) -> str:
    """A one-task table of "label: | value |" lines as the parser's lines."""
    out: list[str] = []
    for line in lines:
        match = _KEY_VALUE.match(line.strip())
        if match is None:
            out.append(line.strip().strip("|｜ "))
            continue
        key, value = match["key"].strip(), match["value"].strip()
        name = column_field(key)
        if name in ("title", "chapter"):
            out.append(value)
        elif name in LABEL_OF:
            # a list of names closes with "。", so the next line is not read as more names
            stop = "。" if name not in ("goal", "content") and value[-1:] not in "。；;" else ""
            out.append(f"{LABEL_OF[name]}：{value}{stop}")
        else:
            out.append(f"{key}：{value}" if value else f"{key}：")
    return "\n".join(out)


def _region(lines: list[str], start: int, belongs: Callable[[str], bool]) -> int:
    """The end of the run of lines from ``start`` that ``belongs`` takes."""
    end = start
    while end < len(lines) and belongs(lines[end]):
        end += 1
    return end


def _is_space_header(line: str) -> bool:
    cells = line.split()
    columns = header_fields(cells) if len(cells) >= 3 else None
    return columns is not None and len(columns) == len(cells)


def _table_at(lines: list[str], i: int) -> tuple[int, str | None]:
    """(end, text) of a pasted table starting at line ``i``; text None when there is none."""
    line = lines[i].strip()
    if line.endswith(("|", "｜")) and _KEY_VALUE.match(line):
        end = _region(lines, i, lambda x: x.strip().endswith(("|", "｜")) or ":" in x or "：" in x)
        text = _key_values(lines[i:end])
        return end, text if any(f"{label}：" in text for label in LABEL_OF.values()) else None
    if line.endswith(("|", "｜")):
        end = _region(lines, i, lambda x: x.strip().endswith(("|", "｜")))
        return end, _render(_pipe_rows(lines[i:end]))
    if "\t" in lines[i]:
        end = i
        while end < len(lines) and (
            "\t" in lines[end] or any("\t" in x for x in lines[end + 1 : end + 4])
        ):
            end += 1  # a line without a tab inside the table: a cell's second line
        return end, _render(_tab_rows(lines[i:end]))
    if _is_space_header(line):
        end = _region(lines, i + 1, lambda x: bool(x.strip()))
        return end, _render(_space_rows(lines[i:end]))
    if (width := _header_run(lines, i)) >= 3:
        rows, end = _cell_per_line_rows(lines, i, width)
        return end, _render(rows)
    return i + 1, None


def _is_header_cell(line: str) -> bool:
    """A line that can be a header cell: short, no sentence in it, not a row's number."""
    text = line.strip()
    return 0 < len(text) <= 12 and not re.search(r"[，,。；;：:]|^\d+$", text)


def _header_run(lines: list[str], i: int) -> int:
    """How many lines from ``i`` make a header copied one cell a line (three or more column names
    among them, a task's text and who carries it included), or 0."""
    end = _region(lines, i, _is_header_cell)
    names = [lines[k].strip() for k in range(i, end)]
    known = sum(column_field(name) is not None for name in names)
    return end - i if known >= 3 and header_fields(names) is not None else 0


def _cell_per_line_rows(lines: list[str], i: int, width: int) -> tuple[Rows, int]:
    """Rows of a table copied one cell a line under a header of ``width`` names: a row opens at
    its number (1, 2, …, or a "一、" chapter line) and takes the lines up to the next."""
    header: list[str | None] = [x.strip() for x in lines[i : i + width]]
    rows: Rows = [header]
    number, k = 0, i + width
    while k < len(lines):
        text = lines[k].strip()
        if text == str(number + 1):
            number += 1
            rows.append([text])
        elif _CHAPTER.match(text) and len(text) <= 40:
            rows.append([text])
            rows.append([])  # the rows under a chapter start with their number
        elif text and rows[-1] and len(rows[-1]) < width and len(rows) > 1:
            rows[-1].append(text)
        elif text:
            break  # the table ended
        k += 1
    return [row for row in rows if row], k


def tables_in_text(text: str) -> str:
    """``text`` with each pasted task table rewritten as labelled text; the rest unchanged."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        end, rendered = _table_at(lines, i)
        out.extend([rendered] if rendered is not None else lines[i:end])
        i = end
    return "\n".join(out)
