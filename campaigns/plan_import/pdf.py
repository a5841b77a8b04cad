"""The text of a plan PDF with a text layer, for :func:`campaigns.plan_import.parse_plan`.

1. Page by page (pdfium; pdfplumber where a page draws ruling lines), line by line as the page sets them: the hard line breaks stay, the
   parser joins wrapped lines (``campaigns.plan_import.lines``).
2. Page furniture goes: page numbers ("— 3 —", "-3-", "3", "第 1 页 共 5 页", "第1页/共5页") and
   the running header and footer (a short line at the top or bottom of most pages).
3. A ruled table whose header names a task table's columns becomes labelled text through
   :mod:`campaigns.plan_import.tables` (its halves on consecutive pages read as one table), and
   its words are not read a second time as lines; any other table stays as the page's lines.

A PDF that cannot be read is a :class:`PdfUnreadable` with one Chinese message: a scan (images,
no text layer), one with an open password, a damaged file, one with too many pages.

Pure Python, no Django.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from .tables import TaskTables, is_continuation_note, plain_lines
from .text import compact, is_wide, normalise

__all__ = ["SCANNED", "PdfUnreadable", "read_pdf_text"]

MAX_PAGES = 300
FPDF_ERR_PASSWORD = 4  # pdfium's error for a document that needs a password
RULED_PATHS = 4  # drawn paths on a page from which it may hold a ruled table
SCANNED = "这个 PDF 是扫描件（只有图片，没有文字），无法读取：请上传 Word 版或可复制文字的 PDF"
ENCRYPTED = "这个 PDF 设置了打开密码，无法读取：请上传没有加密的 PDF，或 Word 版"
DAMAGED = "这个 PDF 文件已损坏，打不开：请重新导出或下载后上传，或上传 Word 版"
TOO_MANY_PAGES = (
    "这个 PDF 有 {pages} 页，超过 {limit} 页的上限：工作方案请只上传方案本身（可删去附表后上传）"
)
MIN_CHARS_PER_PAGE = (
    20  # fewer characters than this a page on average: a scan (with its page numbers)
)

_PAGE_NUMBER = re.compile(
    r"^[—\-–－~～]*\d{1,4}[—\-–－~～]*$"
    r"|^[—\-–－]*第\d{1,4}页[，,/／]?(?:共\d{1,4}页)?[—\-–－]*$"
    r"|^\d{1,4}[/／]\d{1,4}$"
)
SPACE_GAP = 0.25  # of the font size: a gap that stands for a missing space character
LINE_TOLERANCE = 3  # points: characters this close in height are on one line
EDGE_LINES = 2  # how many lines at the top and at the bottom of a page a running header may be
MAX_FURNITURE = 40  # characters: a running header is a short line


class PdfUnreadable(Exception):
    """The PDF cannot be read; ``str(error)`` is the message for the user."""


@dataclass
class _Line:
    top: float
    text: str


@dataclass
class _Table:
    top: float
    rows: list[list[str | None]]


def normalise_lines(text: str) -> str:
    """The whitespace rule of the parser on each line, keeping the line breaks."""
    return "\n".join(normalise(line).strip() for line in text.split("\n"))


def is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(compact(line)))


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", compact(line))


def _running_keys(pages: list[list[_Line]]) -> set[str]:
    """The short lines found at the top or the bottom of most pages."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        edges = lines[:EDGE_LINES] + lines[-EDGE_LINES:]
        seen.update({_furniture_key(line.text) for line in edges})
    needed = max(2, (len(pages) + 1) // 2)
    return {key for key, count in seen.items() if count >= needed and len(key) <= MAX_FURNITURE}


def _edge_furniture(lines: list[_Line], running: set[str]) -> int:
    """How many of ``lines`` from the first are furniture: page numbers and each running line
    once (a title that reads like the running header, just below it, stays)."""
    seen: set[str] = set()
    for count, line in enumerate(lines[:EDGE_LINES]):
        key = _furniture_key(line.text)
        if is_page_number(line.text):
            continue
        if key not in running or key in seen:
            return count
        seen.add(key)
    return min(len(lines), EDGE_LINES)


def _without_furniture(lines: list[_Line], running: set[str]) -> list[_Line]:
    top = _edge_furniture(lines, running)
    bottom = _edge_furniture(lines[top:][::-1], running)
    body = lines[top : len(lines) - bottom]
    return [line for line in body if not is_page_number(line.text)]


def _inside(bbox: tuple[float, float, float, float], line: dict[str, Any]) -> bool:
    x0, top, x1, bottom = bbox
    middle = (line["top"] + line["bottom"]) / 2
    return top <= middle <= bottom and line["x0"] < x1 and line["x1"] > x0


_NO_LINE_START = set("）)]」』】〕〉》，。、；：！？”’…%％")


def _lines_of(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    lines: list[list[dict[str, Any]]] = []
    for char in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if lines and abs(lines[-1][0]["top"] - char["top"]) <= LINE_TOLERANCE:
            lines[-1].append(char)
        else:
            lines.append([char])
    for line in lines:
        line.sort(key=lambda c: c["x0"])
    return lines


def _line_text(line: list[dict[str, Any]]) -> str:
    """The characters of a line, with a space where a gap stands for one ("达到 60%")."""
    text = ""
    for before, char in zip([None, *line[:-1]], line, strict=True):
        if before is not None and char["x0"] - before["x1"] > SPACE_GAP * char["size"]:
            text += " "
        text += char["text"]
    return text


def _lead_width(line: list[dict[str, Any]]) -> float:
    """The width the next line's first character needs, with the punctuation that may not start
    a line and so moved down with it ("区）")."""
    end = 1
    while end < len(line) and line[end]["text"] in _NO_LINE_START:
        end += 1
    return float(line[end - 1]["x1"] - line[0]["x0"])


def _cell_text(chars: list[dict[str, Any]], left: float, right: float) -> str:
    """A cell's characters as text. A line wrapped where the next line's first character would
    not have fitted; a line that stops short of that ended there ("社会救助科⏎各镇街道")."""
    lines = _lines_of(chars)
    if not lines:
        return ""
    margin = min(line[0]["x0"] for line in lines) - left  # the cell's padding, on both sides
    text = ""
    for line, following in zip(lines, [*lines[1:], None], strict=True):
        text += _line_text(line)
        if following is not None:
            room = right - margin - line[-1]["x1"]
            if _lead_width(following) <= room + 1:
                text += "\n"
            elif not (is_wide(line[-1]["text"][-1:]) or is_wide(following[0]["text"][:1])):
                text += " "  # a wrap between two words of Latin text or figures
    return normalise_lines(text)


def _rows(page: Any, table: Any) -> list[list[str | None]]:
    """The table's rows of cell texts; None for a grid cell a merge covers (as pdfplumber)."""
    x0, top, x1, bottom = table.bbox
    chars = [
        c
        for c in page.chars
        if top <= (c["top"] + c["bottom"]) / 2 <= bottom and x0 <= c["x0"] <= x1
    ]
    rows: list[list[str | None]] = []
    for row in table.rows:
        cells: list[str | None] = []
        for bbox in row.cells:
            if bbox is None:
                cells.append(None)
                continue
            left, upper, right, lower = bbox
            inside = [
                c
                for c in chars
                if upper <= (c["top"] + c["bottom"]) / 2 <= lower
                and left <= (c["x0"] + c["x1"]) / 2 <= right
            ]
            cells.append(_cell_text(inside, left, right))
        rows.append(cells)
    return rows


def _task_tables(page: Any, probe: TaskTables) -> list[tuple[Any, list[list[str | None]]]]:
    """The page's ruled tables that read as task tables (or continue one), with their rows."""
    if not (page.rects or page.lines):
        return []  # pdfplumber finds tables by their ruling lines; text alone has none
    found = []
    for table in page.find_tables():
        rows = _rows(page, table)
        if probe.accepts(rows):
            found.append((table, rows))
    return found


def _page_items(page: Any, probe: TaskTables) -> tuple[list[_Line], list[_Table]]:
    tables = _task_tables(page, probe)
    boxes = [table.bbox for table, _rows in tables]
    lines = [
        _Line(line["top"], line["text"])
        for line in page.extract_text_lines(return_chars=False)
        if line["text"].strip() and not any(_inside(box, line) for box in boxes)
    ]
    return lines, [_Table(table.bbox[1], rows) for table, rows in tables]


def _open(data: bytes) -> Any:
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        if getattr(error, "err_code", None) == FPDF_ERR_PASSWORD:
            raise PdfUnreadable(ENCRYPTED) from None
        raise PdfUnreadable(DAMAGED) from None


def _ruled(page: Any) -> bool:
    """Whether the page draws lines enough for a ruled table (pdfium counts them in C)."""
    import pypdfium2.raw as pdfium_c

    paths = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2)
    return sum(1 for _path in zip(range(RULED_PATHS), paths, strict=False)) >= RULED_PATHS


def _plain_page(page: Any) -> list[_Line]:
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
    finally:
        textpage.close()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [_Line(float(top), line) for top, line in enumerate(lines) if line.strip()]


def _pages(data: bytes) -> Iterator[tuple[list[_Line], list[_Table]]]:
    """Each page's lines and task tables, top to bottom; PdfUnreadable when it cannot be read.

    pdfium reads the text of a page (fast, in C); a page that draws ruling lines goes to
    pdfplumber as well, which finds its tables and the lines outside them.
    """
    document = _open(data)
    plumber: Any = None
    try:
        if len(document) > MAX_PAGES:
            raise PdfUnreadable(TOO_MANY_PAGES.format(pages=len(document), limit=MAX_PAGES))
        probe = TaskTables()
        for index in range(len(document)):
            page = document[index]
            if not _ruled(page):
                yield _plain_page(page), []
                continue
            if plumber is None:
                import pdfplumber

                plumber = pdfplumber.open(BytesIO(data))
            ruled = plumber.pages[index]
            yield _page_items(ruled, probe)
            ruled.close()  # pdfplumber keeps every page's objects otherwise
    except PdfUnreadable:
        raise
    except Exception:  # a damaged page stream
        raise PdfUnreadable(DAMAGED) from None
    finally:
        if plumber is not None:
            plumber.close()
        document.close()


def read_pdf_text(data: bytes) -> str:
    """All text of the PDF in ``data``, one line a line of the page, task tables as labelled
    text; PdfUnreadable with the message for the user when there is none to read."""
    pages = list(_pages(data))
    characters = sum(len(compact(line.text)) for lines, _tables in pages for line in lines)
    characters += sum(1 for _lines, tables in pages if tables) * MIN_CHARS_PER_PAGE
    if characters < MIN_CHARS_PER_PAGE * max(1, len(pages)):
        raise PdfUnreadable(SCANNED)
    running = _running_keys([lines for lines, _tables in pages])
    out: list[str] = []
    tables = TaskTables()
    for lines, page_tables in pages:
        items: list[_Line | _Table] = [*_without_furniture(lines, running), *page_tables]
        for item in sorted(items, key=lambda item: item.top):
            if isinstance(item, _Table) and tables.feed(item.rows):
                continue
            if isinstance(item, _Line) and is_continuation_note(item.text):
                continue
            if rendered := tables.flush():
                out.append(rendered)
            tables.end_run()
            out.extend(plain_lines(item.rows) if isinstance(item, _Table) else [item.text])
    if rendered := tables.flush():
        out.append(rendered)
    return "\n".join(out)
