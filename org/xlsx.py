"""Spreadsheet helpers every export uses (plans, bulletins, rosters): text stays text, headers freeze, columns fit Chinese."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .text import clean_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
FONT = "宋体"


def _width(value: Any) -> float:
    text = str(value or "")
    longest = max(
        (sum(2 if ord(ch) > 0x2E80 else 1 for ch in line) for line in text.split("\n")), default=0
    )
    return longest


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def sheet_text(value: str) -> str:
    """A text cell as its writer meant it. OOXML writes a character XML cannot hold as _xHHHH_
    (Excel writes a pasted Windows line end as _x000D_, a vertical tab as _x000B_, a literal
    "_x" as _x005F_x); openpyxl leaves them as they are. Line ends become "\n"."""
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def write_cell(cell: Cell, value: Any, number_format: str | None = None) -> None:
    """Write a value; text from users is always stored as text, never as a formula."""
    if isinstance(value, str):
        cell.value = clean_text(value)  # what XML cannot hold never reaches the file
        cell.data_type = "s"  # "=SUM(...)" typed into a plan stays the words the user typed
    elif isinstance(value, Decimal):
        cell.value = float(value)
    else:
        cell.value = value
    if number_format:
        cell.number_format = number_format


def add_table(
    workbook: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    formats: dict[int, str] | None = None,
    max_width: int = 60,
) -> Worksheet:
    """One sheet, one table: bold bordered header, frozen, widths fitted, long text wrapped."""
    sheet = workbook.create_sheet(title=clean_text(title)[:31])
    widths = [_width(h) for h in headers]
    for col, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=col)
        write_cell(cell, header)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=col)
            write_cell(cell, value, (formats or {}).get(col - 1))
            cell.font = Font(name=FONT)
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            widths[col - 1] = max(widths[col - 1], _width(value))
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 6), max_width)
    sheet.freeze_panes = "A2"
    return sheet


def new_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook
