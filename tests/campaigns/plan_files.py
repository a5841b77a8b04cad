"""Plan files the import tests and bench/plan_import.py build from the bureau's real plan (seed 000,
campaigns/fixtures/plans/lanshan-2020-dalei-gongjian.txt): its tasks as a 任务分解表 in a .docx,
its text as a .docx with a running header and "— N —" page numbers, those printed to PDF by
LibreOffice, and the bad files (a scan, an encrypted PDF, a nonsense PDF).
"""

from __future__ import annotations

import io
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter

from campaigns.plan_import import parse_plan
from campaigns.plan_import.convert import convert

PLANS = Path(__file__).resolve().parents[2] / "campaigns" / "fixtures" / "plans"
LANSHAN = PLANS / "lanshan-2020-dalei-gongjian.txt"
RUNNING_HEADER = "兰山区民政系统“打擂攻坚”工作方案"
# Columns in an order and with names of their own, as bureaus make them.
HEADER = [
    "完成时限",
    "责任科室（单位）",
    "序号",
    "重点任务",
    "工作任务",
    "任务目标",
    "牵头\n局领导",
]
# The deadlines the table gives each task (the first from its goal: "2020 年 10 月前").
DEADLINES = ["2020年10月底前"] + ["2020年12月底前"] * 6


def has_soffice() -> bool:
    return shutil.which("soffice") is not None


def lanshan_text() -> str:
    return LANSHAN.read_text(encoding="utf-8")


def lanshan_rows() -> list[dict[str, str]]:
    """The seven tasks of the Lanshan plan, as its text import reads them."""
    draft = parse_plan(lanshan_text())
    return [
        {
            "chapter": task.chapter.split("、", 1)[1],
            "title": task.title,
            "goal": task.goal,
            "leaders": "、".join(task.lead_leaders),
            "units": "、".join(task.responsible_units),
            "deadline": deadline,
        }
        for task, deadline in zip(draft.tasks, DEADLINES, strict=True)
    ]


def _east_asian(document) -> None:
    style = document.styles["Normal"]
    style.font.size = Pt(12)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")


def _mark_header(row) -> None:
    """w:tblHeader: Word repeats the row at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    properties.append(header)


def _fill(table, rows: list[dict[str, str]], first_number: int) -> None:
    top: dict[str, object] = {}
    for offset, row in enumerate(rows):
        cells = table.add_row().cells
        values = [
            row["deadline"],
            row["units"],
            str(first_number + offset),
            row["chapter"],
            row["title"],
            row["goal"],
            row["leaders"],
        ]
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
        # 重点任务 merged down the rows of one chapter (python-docx repeats a merged cell)
        if row["chapter"] in top:
            top[row["chapter"]].merge(cells[3])  # type: ignore[attr-defined]
            top[row["chapter"]].text = row["chapter"]  # type: ignore[attr-defined]
        else:
            top[row["chapter"]] = cells[3]


def _header_row(table, *, marked: bool) -> None:
    row = table.add_row()
    for cell, name in zip(row.cells, HEADER, strict=True):
        cell.text = name
    if marked:
        _mark_header(row)


def task_table_docx(rows: list[dict[str, str]] | None = None, *, copies: int = 1) -> bytes:
    """The plan's tasks as a 任务分解表: a marked header row, a hand-copied header row after the
    fourth task, and the table split by a page break into a second table without a header."""
    rows = rows if rows is not None else lanshan_rows()
    document = Document()
    _east_asian(document)
    document.add_paragraph("兰山区民政系统“打擂攻坚”重点任务分解表")
    for copy in range(copies):
        first = document.add_table(rows=0, cols=len(HEADER))
        first.style = "Table Grid"
        _header_row(first, marked=True)
        _fill(first, rows[:4], 1 + copy * len(rows))
        _header_row(first, marked=False)  # repeated by hand where a page once began
        _fill(first, rows[4:5], 5 + copy * len(rows))
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        rest = document.add_table(rows=0, cols=len(HEADER))
        rest.style = "Table Grid"
        _fill(rest, rows[5:], 6 + copy * len(rows))
        document.add_paragraph()
    return _save(document)


def _page_field(paragraph) -> None:
    run = paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    field.append(inner)
    run._r.addnext(field)
    paragraph._p.append(paragraph.add_run(" —")._r)


def plan_docx(
    lines: list[str], *, furniture: bool = True, header: str = RUNNING_HEADER, break_at: str = ""
) -> bytes:
    """A .docx of ``lines``, one paragraph each, with a running ``header`` and a "— N —" footer;
    a page break before each line that starts with ``break_at`` (so the furniture repeats)."""
    document = Document()
    _east_asian(document)
    if furniture:
        section = document.sections[0]
        section.header.paragraphs[0].text = header
        _page_field(section.footer.paragraphs[0])
    for line in lines:
        paragraph = document.add_paragraph(line)
        if break_at and line.startswith(break_at):
            paragraph.paragraph_format.page_break_before = True
    return _save(document)


def lanshan_lines() -> list[str]:
    return [line.strip() for line in lanshan_text().splitlines() if line.strip()]


def to_pdf(docx: bytes) -> bytes:
    return convert(docx, ".docx", "pdf")


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- bad files --------------------------------------------------------------------------------


def scanned_pdf(pages: int = 2) -> bytes:
    """An image-only PDF, as a scanner makes it: grey strokes where the text was, no text layer."""
    images = []
    for page in range(pages):
        image = Image.new("RGB", (1240, 1754), "white")
        draw = ImageDraw.Draw(image)
        for line in range(30):
            y = 150 + line * 48
            draw.rectangle((120, y, 1120 - (line * 37 + page * 11) % 300, y + 22), fill="#444")
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=150)
    return buffer.getvalue()


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _objects(pages: list[list[str]]) -> Iterator[bytes]:
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    font = 3 + 2 * len(pages)
    yield b"<< /Type /Catalog /Pages 2 0 R >>"
    yield f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode()
    for index, lines in enumerate(pages):
        text = "".join(f"({_escape(line)}) Tj T* " for line in lines)
        stream = f"BT /F1 11 Tf 14 TL 72 770 Td {text}ET".encode("latin-1")
        yield (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * index} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>"
        ).encode()
        yield b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    yield b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def text_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with a text layer of ``pages`` (lines of ASCII text), written by hand."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(_objects(pages), start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(offsets) + 1,
        xref,
    )
    return bytes(out)


def nonsense_lines(count: int, seed: int = 7) -> list[str]:
    """Lines of made-up words: text that is no plan."""
    rng = random.Random(seed)
    syllables = ["lan", "shan", "min", "zheng", "da", "lei", "gong", "jian", "xiang", "zhen"]
    return [
        " ".join("".join(rng.choices(syllables, k=rng.randint(1, 3))) for _ in range(10))
        for _ in range(count)
    ]


def nonsense_pdf(pages: int = 200) -> bytes:
    lines = nonsense_lines(pages * 45)
    return text_pdf([lines[i * 45 : (i + 1) * 45] for i in range(pages)])


def encrypted_pdf() -> bytes:
    """A PDF that needs a password to open (AES-256, as Word and WPS export it)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf([nonsense_lines(20)]))))
    writer.encrypt(user_password="minzheng", owner_password="minzheng-owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(buffer, format="PNG")
    return buffer.getvalue()
