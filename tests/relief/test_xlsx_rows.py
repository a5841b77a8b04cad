"""The roster import's sheet reader gives what openpyxl gives (read-only, cached values), on the
files Excel writes (shared strings, rich text, dates, 1904 dates) and those openpyxl writes;
it refuses too many rows and damaged sheets, and stops at a long run of empty rows."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from org.uploads import XLSX, UploadRefused
from relief.xlsx_rows import check_xlsx, sheet_rows

# Excel's files have a default style openpyxl looks for; these minimal ones do not need one.
pytestmark = pytest.mark.filterwarnings("ignore:Workbook contains no default style")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def openpyxl_rows(data: bytes) -> list[tuple[Any, ...]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [_trim(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _trim(row: tuple[Any, ...]) -> tuple[Any, ...]:
    values = list(row)
    while values and values[-1] is None:
        values.pop()
    return tuple(values)


def ours(data: bytes, **caps: Any) -> list[tuple[Any, ...]]:
    check_xlsx(data, "台账.xlsx")
    return [_trim(row) for row in sheet_rows(data, max_rows=100, message="太多了", **caps)]


def excel_like(sheet: str, *, strings: list[str], date1904: bool = False) -> bytes:
    """A workbook laid out as Excel saves it: shared strings, styles with date formats."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOC}">'
            f'<workbookPr date1904="{1 if date1904 else 0}"/>'
            '<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{RELS}">'
            f'<Relationship Id="rId1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{DOC}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{DOC}/styles" Target="/xl/styles.xml"/>'
            "</Relationships>"
        ),
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{"".join(strings)}</sst>',
        "xl/styles.xml": (
            f'<styleSheet xmlns="{MAIN}"><numFmts count="1">'
            '<numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
            '</numFmts><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/>'
            '<xf numFmtId="164"/><xf numFmtId="2"/></cellXfs></styleSheet>'
        ),
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}">{sheet}</worksheet>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())
    return buffer.getvalue()


SHARED = [
    "<si><t>姓名</t></si>",
    "<si><r><t>身份证</t></r><r><rPr><b/></rPr><t>号</t></r></si>",  # rich text
    "<si><t>王一</t><rPh sb='0' eb='1'><t>ワン</t></rPh></si>",  # a phonetic guide
    "<si><t xml:space='preserve'> 李 二 </t></si>",
]
SHEET = (
    '<dimension ref="A1:E6"/><sheetData>'
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>371302195001020011</v></c>'
    '<c r="C2" s="1"><v>43922</v></c><c r="D2" s="2"><v>43922.5</v></c>'
    '<c r="E2" s="3"><v>700.5</v></c></row>'
    '<row r="4"><c r="B4" t="s"><v>3</v></c><c r="D4" t="b"><v>1</v></c>'
    '<c r="E4" t="str"><f>A1&amp;"x"</f><v>姓名x</v></c></row>'
    '<row r="5"><c r="A5" t="inlineStr"><is><t>赵三</t></is></c><c r="B5" t="e"><v>#N/A</v></c>'
    '<c r="C5"><f>1+1</f><v>2</v></c></row>'
    '<row r="6"><c t="inlineStr"><is><r><t>钱</t></r><r><t>四</t></r></is></c>'
    '<c t="n"><v>1E3</v></c></row>'
    "</sheetData>"
)


@pytest.mark.parametrize("date1904", [False, True])
def test_it_reads_what_openpyxl_reads_from_an_excel_file(db, date1904: bool):
    data = excel_like(SHEET, strings=SHARED, date1904=date1904)
    rows = ours(data)
    assert rows == openpyxl_rows(data)
    assert rows[0] == ("姓名", "身份证号")
    assert rows[1][0] == "王一" and rows[1][1] == 371302195001020011
    # Excel's dates carry no time zone, nor do openpyxl's or ours.
    assert rows[1][2] == datetime.combine(
        date(2024, 4, 2) if date1904 else date(2020, 4, 1), time()
    )
    assert rows[2] == ()  # row 3 is not in the file: an empty row keeps the numbering
    assert rows[3] == (None, " 李 二 ", None, True, "姓名x")
    assert rows[4] == ("赵三", "#N/A", 2)
    assert rows[5] == ("钱四", 1000.0)


def test_it_reads_what_openpyxl_reads_from_an_openpyxl_file(db):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["户编号", "姓名", "纳入日期", "月保障金额", "备注"])
    sheet.append(["A-01", "王一", date(2019, 3, 1), 1050, None])
    sheet.append(
        [None, "李二", datetime.combine(date(2018, 7, 1), time(9, 30)), 700.25, "多行\n说明\t制表"]
    )
    sheet.append([])
    sheet.append(["A-02", "=1+1", time(8, 30), True, "  "])
    sheet["H7"] = "远处的格子"
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    assert ours(data) == openpyxl_rows(data)


def test_it_cuts_columns_and_stops_after_a_long_run_of_empty_rows(db):
    filled = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{n}</t></is></c>'
        f'<c r="D{n}" t="inlineStr"><is><t>远</t></is></c></row>'
        for n in (1, 2, 9)
    )
    data = excel_like(f"<sheetData>{filled}</sheetData>", strings=[])
    assert ours(data, max_cols=3)[:2] == [("1",), ("2",)]
    assert ours(data, blank_run=5) == [("1", None, None, "远"), ("2", None, None, "远")] + [()] * 4


def test_it_refuses_more_rows_than_allowed(db):
    claimed = excel_like('<dimension ref="A1:B5000"/><sheetData></sheetData>', strings=[])
    with pytest.raises(UploadRefused, match="太多了"):
        ours(claimed)
    rows = "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 103)
    )  # no <dimension>: the 101st row is refused as it comes
    with pytest.raises(UploadRefused, match="太多了"):
        ours(excel_like(f"<sheetData>{rows}</sheetData>", strings=[]))


def test_it_refuses_a_damaged_sheet(db):
    data = excel_like("<sheetData><row r='1'><c r='A1'><v>1</v></c></row", strings=[])
    with pytest.raises(UploadRefused) as refused:
        ours(data)
    assert refused.value.message == XLSX.damaged
    broken = excel_like(SHEET, strings=["<si><t>只有一个</t></si>"])  # index 1 is not there
    with pytest.raises(UploadRefused) as refused:
        ours(broken)
    assert refused.value.message == XLSX.damaged
