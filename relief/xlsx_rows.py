"""The rows of a workbook's first sheet, streamed straight from its XML: the roster import's reader.

openpyxl's read-only mode takes about 8 seconds for a 20,000-row roster on this machine (and
twice that when the file has no `<dimension>`, as write-only files such as our own exports do:
it reads the whole sheet once just to size it). This reader walks the sheet once with lxml's
iterparse, keeps one row in memory at a time, and gives what openpyxl gives with
`read_only=True, data_only=True, values_only=True`: strings (shared, inline, rich text without
its phonetic runs), ints and floats, datetimes and timedeltas for cells whose number format is
one, booleans, error codes as text, the cached result of a formula; `None` for empty cells and
an empty tuple for each row the file skips, so a row's place is its number in Excel.

It reads only what org.uploads has already checked (`org.uploads.check_xlsx`, re-exported here): a plain Office zip,
within the size caps, with no DTD in any part; the parser also resolves no entities and fetches
nothing. Limits as org.uploads.iter_rows_capped: refused when the sheet claims or holds more
rows than allowed, cut at `max_cols` columns, ended by a long run of empty rows.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from io import BytesIO
from typing import IO, Any

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel
from openpyxl.utils.datetime import from_ISO8601 as from_iso8601

from org.uploads import BLANK_RUN, MAX_COLUMNS, XLSX, UploadRefused, check_xlsx

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
ROW, CELL, VALUE, INLINE = f"{MAIN}row", f"{MAIN}c", f"{MAIN}v", f"{MAIN}is"
TEXT, RUN = f"{MAIN}t", f"{MAIN}r"
DIGITS = "0123456789"

__all__ = ["check_xlsx", "sheet_rows"]


def _parser_options() -> dict[str, Any]:
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def _xml(archive: zipfile.ZipFile, path: str) -> Any:
    with archive.open(path) as stream:
        return etree.parse(stream, etree.XMLParser(**_parser_options())).getroot()


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, part path) of a part, from its .rels."""
    folder, name = posixpath.split(part)
    path = posixpath.join(folder, "_rels", f"{name}.rels")
    if path not in archive.namelist():
        return {}
    result = {}
    for rel in _xml(archive, path).iter(f"{REL}Relationship"):
        target = rel.get("Target", "")
        target = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        result[rel.get("Id", "")] = (rel.get("Type", ""), posixpath.normpath(target))
    return result


def _text(node: Any) -> str:
    """A string item's text: its <t>, or its runs' <t>, without phonetic guides (openpyxl's)."""
    if len(node) == 1 and node[0].tag == TEXT:  # the usual <si><t>…</t></si>
        return node[0].text or ""
    parts = [node.findtext(TEXT) or ""]
    parts += [run.findtext(TEXT) or "" for run in node.iterchildren(RUN)]
    return "".join(parts)


class _Book:
    """The parts the first sheet's cells refer to: shared strings, date formats, the epoch."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        workbook = next(
            (
                path
                for kind, path in _rels(archive, "").values()
                if kind.endswith("/officeDocument")
            ),
            "xl/workbook.xml",
        )
        rels = _rels(archive, workbook)
        root = _xml(archive, workbook)
        properties = root.find(f"{MAIN}workbookPr")
        date1904 = properties is not None and properties.get("date1904") in ("1", "true")
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.sheet = ""
        for sheet in root.iter(f"{MAIN}sheet"):
            kind, path = rels.get(sheet.get(f"{DOC_REL}id", ""), ("", ""))
            if kind.endswith("/worksheet"):
                self.sheet = path
                break
        self.strings: list[str] = []
        self.dates: set[int] = set()
        self.durations: set[int] = set()
        self.moments: dict[tuple[int | float, bool], Any] = {}
        for kind, path in rels.values():
            if kind.endswith("/sharedStrings") and path in archive.namelist():
                with archive.open(path) as stream:
                    for _event, item in etree.iterparse(
                        stream, tag=f"{MAIN}si", **_parser_options()
                    ):
                        self.strings.append(_text(item))
                        item.clear()
            elif kind.endswith("/styles") and path in archive.namelist():
                self._styles(_xml(archive, path))

    def _styles(self, root: Any) -> None:
        formats = dict(BUILTIN_FORMATS)
        for fmt in root.iter(f"{MAIN}numFmt"):
            formats[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "")
        cell_xfs = root.find(f"{MAIN}cellXfs")
        for index, xf in enumerate(cell_xfs if cell_xfs is not None else ()):
            code = formats.get(int(xf.get("numFmtId", "0")), "")
            if code and is_date_format(code):
                self.dates.add(index)
                if is_timedelta_format(code):
                    self.durations.add(index)


def _number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _typed(kind: str | None, text: str, style: str | None, book: _Book) -> Any:
    """A cell's value from its type, the text of its <v> and its style (for dates)."""
    if kind is None or kind == "n":
        number = _number(text)
        if style and int(style) in book.dates:
            key = (number, int(style) in book.durations)
            if key not in book.moments:  # a roster's dates repeat: convert each once
                try:
                    book.moments[key] = from_excel(number, book.epoch, timedelta=key[1])
                except (OverflowError, ValueError):
                    book.moments[key] = "#VALUE!"
            return book.moments[key]
        return number
    if kind == "s":
        return book.strings[int(text)]
    if kind == "b":
        return bool(int(text))
    if kind == "d":
        return from_iso8601(text)
    return text  # "str" (a formula's text), "e" (an error code)


class _Columns(dict[str, int]):
    """The column number of letters (A → 1), remembered: a sheet uses few."""

    def __missing__(self, letters: str) -> int:
        index = self[letters] = column_index_from_string(letters)
        return index


_COLUMNS = _Columns()


def _claimed_rows(archive: zipfile.ZipFile, path: str) -> int | None:
    """The last row the sheet's <dimension> claims, read from the part's first bytes."""
    with archive.open(path) as stream:
        head = stream.read(4096)
    start = head.find(b"<dimension")
    if start < 0:
        start = head.find(b":dimension")
    end = head.find(b"/>", start)
    if start < 0 or end < 0:
        return None
    ref = head[start:end].split(b'ref="', 1)[-1].split(b'"', 1)[0].decode("ascii", "ignore")
    try:
        return coordinate_from_string(ref.split(":")[-1])[1]
    except ValueError:
        return None


def _blank(row: tuple[Any, ...]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def sheet_rows(
    data: bytes,
    *,
    max_rows: int,
    message: str,
    max_cols: int = MAX_COLUMNS,
    blank_run: int = BLANK_RUN,
) -> Iterator[tuple[Any, ...]]:
    """The first sheet's rows, one tuple each (as wide as its last filled cell, at most
    `max_cols`); UploadRefused with `message` past `max_rows`, or XLSX.damaged when a part
    cannot be read. Call `check_xlsx` on the bytes first."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        book = _Book(archive)
        if not book.sheet or book.sheet not in archive.namelist():
            raise UploadRefused(XLSX.damaged)
        claimed = _claimed_rows(archive, book.sheet)
        if claimed is not None and claimed > max_rows:
            raise UploadRefused(message)
        with archive.open(book.sheet) as stream:
            yield from _rows(stream, book, max_rows, max_cols, blank_run, message)
    except (
        zipfile.BadZipFile,
        etree.LxmlError,
        KeyError,
        IndexError,
        ValueError,
        EOFError,
        OSError,
    ):
        raise UploadRefused(XLSX.damaged) from None


def _rows(
    stream: IO[bytes], book: _Book, max_rows: int, max_cols: int, blank_run: int, message: str
) -> Iterator[tuple[Any, ...]]:
    number = 0  # the last row given
    blanks = 0
    for _event, row in etree.iterparse(stream, tag=ROW, **_parser_options()):
        place = row.get("r")
        at = int(float(place)) if place else number + 1
        found = _row_values(row, book, max_cols)
        row.clear()
        while row.getprevious() is not None:
            del row.getparent()[0]
        for _ in range(number + 1, at):  # rows the file leaves out are empty rows
            blanks += 1
            if blanks >= blank_run:
                return
            yield ()
        number = at
        if _blank(found):
            blanks += 1
            if blanks >= blank_run:
                return
            yield found
            continue
        if at > max_rows:
            raise UploadRefused(message)
        blanks = 0
        yield found


def _row_values(row: Any, book: _Book, max_cols: int) -> tuple[Any, ...]:
    """One <row>'s values by column, as wide as its last filled cell (at most `max_cols`)."""
    values: list[Any] = []
    column = 0
    columns, strings = _COLUMNS, book.strings
    for cell in row.iterchildren(CELL):
        reference = cell.get("r")
        if reference:
            column = columns[reference.rstrip(DIGITS)]
        else:
            column += 1
        if column > max_cols:
            break
        kind = cell.get("t")
        value = None
        # The children by hand: lxml's find() and findtext() go through its path engine,
        # which doubles the time of a large sheet.
        if kind == "inlineStr":  # usually <c t="inlineStr"><is><t>…</t></is></c>
            value = _inline_value(cell)
        else:
            for node in cell:
                if node.tag == VALUE:
                    text = node.text
                    if text and kind == "s":  # Excel's files: nearly every text is shared
                        value = strings[int(text)]
                    elif text:
                        value = _typed(kind, text, cell.get("s"), book)
                    break
        if value is None:
            continue
        if column > len(values):
            values.extend([None] * (column - len(values)))
        values[column - 1] = value
    return tuple(values)


def _inline_value(cell: Any) -> str | None:
    for node in cell:
        if node.tag == INLINE:
            first = node[0] if len(node) == 1 else None
            return first.text or "" if first is not None and first.tag == TEXT else _text(node)
    return None
