"""The roster as a spreadsheet: the empty template to fill in, and the export (always masked)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, NamedStyle
from openpyxl.utils import get_column_letter

from org.shortcuts import workbook_response

from .models import Person
from .roster import HEADERS


def template_response() -> HttpResponse:
    from org.xlsx import add_table, new_workbook

    workbook = new_workbook()
    add_table(
        workbook,
        "救助对象台账",
        HEADERS,
        [
            [
                "LS-0001",
                "兰山街道",
                "沂州路社区",
                "（示例）张三",
                "请填写 18 位身份证号",
                "户主",
                "",
                "特困人员",
                "分散供养",
                "部分不能自理",
                "",
                "2020-04-10",
                "1000",
                "",
                "示例行，导入前请删除",
            ]
        ],
    )
    return workbook_response(workbook, "救助对象台账模板.xlsx")


def _styles() -> tuple[NamedStyle, NamedStyle]:
    from org.xlsx import BORDER, FONT, HEADER_FILL

    header = NamedStyle(name="roster_header")
    header.font = Font(name=FONT, bold=True)
    header.fill = HEADER_FILL
    header.border = BORDER
    header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    body = NamedStyle(name="roster_body")
    body.font = Font(name=FONT)
    body.border = BORDER
    body.alignment = Alignment(vertical="top")
    return header, body


EXPORT_WIDTHS = [10, 12, 14, 10, 22, 10, 14, 10, 10, 14, 18, 12, 12, 30, 18]


def export_response(persons: Iterable[Person], filename: str) -> HttpResponse:
    """The roster as the user may see it: ID numbers always masked.

    Written in openpyxl's write-only mode with two named styles, so tens of thousands of rows
    take seconds, not minutes; text is always stored as text (never a formula).
    """
    from org.xlsx import write_cell

    workbook = Workbook(write_only=True)
    header_style, body_style = _styles()
    workbook.add_named_style(header_style)
    workbook.add_named_style(body_style)
    sheet = workbook.create_sheet("救助对象台账")
    for col, width in enumerate(EXPORT_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A2"

    def cell(value: Any, style: str, number_format: str | None = None) -> WriteOnlyCell:
        written = WriteOnlyCell(sheet)
        written.style = style
        write_cell(written, value, number_format)  # text stays text, never a formula
        return written

    sheet.append([cell(h, "roster_header") for h in [*HEADERS[:-1], "状态"]])
    for p in persons:
        values = [
            p.household.number if p.household else "",
            p.unit.name,
            p.community.name if p.community else "",
            p.name,
            p.masked_id_number,
            p.relation,
            p.phone,
            p.get_assistance_display(),
            p.get_support_mode_display(),
            p.get_self_care_display(),
            p.institution.name if p.institution else "",
        ]
        row = [cell(v, "roster_body") for v in values]
        row.append(cell(p.since, "roster_body", "yyyy-mm-dd"))
        row.append(cell(p.monthly_amount, "roster_body", "0.00"))
        row.append(cell(p.household.address if p.household else "", "roster_body"))
        status = p.get_status_display() + (f"（{p.ended_on:%Y-%m-%d}退出）" if p.ended_on else "")
        row.append(cell(status, "roster_body"))
        sheet.append(row)
    return workbook_response(workbook, filename)
