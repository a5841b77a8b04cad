"""Hostile files, made on the spot: each function returns a `Hostile` (name, data, kind).

Used by tests/test_hostile_files.py (through every upload page) and by bench/ (through
`refusal_cost`, which runs the same checks as the pages, in process). All are small on disk:

- zip_bomb_xlsx(): a workbook whose sheet inflates to 320 MB of spaces (about 330 KB on disk);
- billion_laughs_xlsx(): a workbook whose sheet declares nested entities (10^9 "lol"s);
- million_rows_xlsx(): a workbook whose sheet claims A1:Z1000000 (claim_million_rows(any));
- xlsm(): a macro workbook (vbaProject.bin, macroEnabled content type) named .xlsm;
- html_as_xlsx(): an HTML page named .xlsx;
- huge_png(30000, 30000): a PNG header of 900 million pixels with a tiny compressed body;
- traversal_jpg(): a real JPEG named "../../x.jpg" (to be accepted, stored under a random name);
- and for plan import: zip_bomb_docx(), billion_laughs_docx(), html_as_docx().
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from functools import cache
from io import BytesIO
from typing import NamedTuple

SHEET = "xl/worksheets/sheet1.xml"
DOCUMENT = "word/document.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BOMB_MB = 320


class Hostile(NamedTuple):
    name: str
    data: bytes
    kind: str  # "workbook", "document" or "image": which pages take it


# A zip written by hand, so one part can carry a deflate stream made without deflating 320 MB.


def _zip(parts: dict[str, tuple[bytes, int, int]]) -> bytes:
    """A zip of name → (deflated bytes, CRC-32, inflated size)."""
    out, central = BytesIO(), BytesIO()
    for name, (deflated, crc, size) in parts.items():
        encoded = name.encode()
        offset = out.tell()
        out.write(
            struct.pack(
                "<4s5H3L2H",
                b"PK\x03\x04",
                20,
                0,
                8,
                0,
                0,
                crc,
                len(deflated),
                size,
                len(encoded),
                0,
            )
            + encoded
            + deflated
        )
        central.write(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                len(deflated),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start, directory = out.tell(), central.getvalue()
    count = len(parts)
    out.write(directory)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0))
    return out.getvalue()


def _deflated(data: bytes) -> tuple[bytes, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)


def _inflating(
    head: bytes, megabytes: int, tail: bytes, fill: bytes = b" "
) -> tuple[bytes, int, int]:
    """head + `megabytes` MB of `fill` + tail, deflated by repeating one compressed megabyte.

    A full flush resets the compressor, so every megabyte after one compresses to the same bytes.
    """
    chunk = fill * (1024 * 1024)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return start + block * megabytes + end, crc, len(head) + megabytes * len(chunk) + len(tail)


@cache
def _workbook_parts() -> dict[str, bytes]:
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "姓名"
    buffer = BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@cache
def _document_parts() -> dict[str, bytes]:
    import zipfile

    from docx import Document

    document = Document()
    document.add_paragraph("关于开展打擂攻坚活动的实施方案")
    buffer = BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _office(parts: dict[str, bytes], **replaced: tuple[bytes, int, int] | bytes) -> bytes:
    entries: dict[str, tuple[bytes, int, int]] = {}
    for name, data in parts.items():
        if name not in replaced:
            entries[name] = _deflated(data)
    for name, value in replaced.items():
        entries[name] = _deflated(value) if isinstance(value, bytes) else value
    return _zip(entries)


def _laughs(root: str, body: str) -> bytes:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    ]
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<!DOCTYPE {root} [{''.join(entities)}]>\n{body}"
    ).encode()


# Workbooks


@cache
def zip_bomb_xlsx() -> Hostile:
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
    )
    sheet = _inflating(head, BOMB_MB, b"</sheetData></worksheet>")
    return Hostile("月报.xlsx", _office(_workbook_parts(), **{SHEET: sheet}), "workbook")


@cache
def billion_laughs_xlsx() -> Hostile:
    sheet = _laughs(
        "worksheet",
        f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
        "<is><t>&lol9;</t></is></c></row></sheetData></worksheet>",
    )
    return Hostile("台账.xlsx", _office(_workbook_parts(), **{SHEET: sheet}), "workbook")


def claim_million_rows(workbook: bytes, name: str = "台账.xlsx") -> Hostile:
    """`workbook` with every sheet claiming A1:Z1000000 and holding a value in row 1000000."""
    import re
    import zipfile

    with zipfile.ZipFile(BytesIO(workbook)) as archive:
        parts = {part: archive.read(part) for part in archive.namelist()}
    for part, xml in parts.items():
        if part.startswith("xl/worksheets/sheet") and part.endswith(".xml"):
            xml = re.sub(rb"<dimension ref=\"[^\"]*\"\s*/>", b'<dimension ref="A1:Z1000000"/>', xml)
            if b"<sheetData/>" in xml:
                xml = xml.replace(b"<sheetData/>", b"<sheetData></sheetData>")
            parts[part] = xml.replace(
                b"</sheetData>", b'<row r="1000000"><c r="A1000000"><v>1</v></c></row></sheetData>'
            )
    return Hostile(name, _office(parts), "workbook")


@cache
def million_rows_xlsx() -> Hostile:
    base = _office(_workbook_parts())
    return claim_million_rows(base)


@cache
def xlsm() -> Hostile:
    parts = dict(_workbook_parts())
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    parts["xl/vbaProject.bin"] = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 512
    return Hostile("月报.xlsm", _office(parts), "workbook")


def html_as_xlsx() -> Hostile:
    page = (
        "<html><head><meta charset='utf-8'><title>台账</title></head><body><table>"
        "<tr><td>姓名</td><td>身份证号</td></tr><tr><td>=cmd|'/c calc'!A1</td><td>1</td></tr>"
        "</table><script>alert(1)</script></body></html>"
    )
    return Hostile("月报.xlsx", page.encode(), "workbook")


# Plan documents


@cache
def zip_bomb_docx() -> Hostile:
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{WORD_NS}"><w:body>'.encode()
    )
    document = _inflating(head, BOMB_MB, b"</w:body></w:document>")
    return Hostile("方案.docx", _office(_document_parts(), **{DOCUMENT: document}), "document")


@cache
def billion_laughs_docx() -> Hostile:
    document = _laughs(
        "w:document",
        f'<w:document xmlns:w="{WORD_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
        "</w:body></w:document>",
    )
    return Hostile("方案.docx", _office(_document_parts(), **{DOCUMENT: document}), "document")


def html_as_docx() -> Hostile:
    return Hostile(
        "方案.docx",
        "<html><body><p>关于开展打擂攻坚活动的实施方案</p></body></html>".encode(),
        "document",
    )


# Photos


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">L", len(data)) + kind + data + struct.pack(">L", zlib.crc32(kind + data))


@cache
def huge_png(width: int = 30000, height: int = 30000) -> Hostile:
    """An RGB PNG that says width × height; its body is one compressed empty row (never enough)."""
    header = struct.pack(">2L5B", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\0" * (1 + 3 * min(width, 1024)), 9)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", body)
        + _png_chunk(b"IEND", b"")
    )
    return Hostile("巨图.png", data, "image")


@cache
def traversal_jpg() -> Hostile:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, "JPEG")
    return Hostile("../../x.jpg", buffer.getvalue(), "image")


# The hostile uploads, by the label bench/ prints; each must be refused but the last.
HOSTILE: dict[str, Callable[[], Hostile]] = {
    "zip_bomb_xlsx": zip_bomb_xlsx,
    "billion_laughs_xlsx": billion_laughs_xlsx,
    "million_rows_xlsx": million_rows_xlsx,
    "xlsm": xlsm,
    "html_as_xlsx": html_as_xlsx,
    "huge_png": huge_png,
    "zip_bomb_docx": zip_bomb_docx,
    "billion_laughs_docx": billion_laughs_docx,
    "html_as_docx": html_as_docx,
}
ACCEPTED: dict[str, Callable[[], Hostile]] = {"traversal_jpg": traversal_jpg}


def refuse(hostile: Hostile) -> str:
    """Run the checks the upload pages run on a file of this kind; the refusal's message, or ""
    when it is accepted. Needs Django set up (org.uploads reads its caps from the settings)."""
    from org.uploads import UploadRefused, check_docx, check_image, check_workbook, iter_rows_capped

    try:
        if hostile.kind == "workbook":
            workbook = check_workbook(hostile.data, hostile.name)
            try:
                for sheet in workbook.worksheets:
                    for _row in iter_rows_capped(sheet, max_rows=20_000):
                        pass
            finally:
                workbook.close()
        elif hostile.kind == "document":
            from campaigns.plan_import import read_docx_text

            read_docx_text(BytesIO(check_docx(hostile.data, hostile.name)))
        else:
            check_image(hostile.data)
    except UploadRefused as refused:
        return refused.message
    return ""


def _warm() -> None:
    """Import what a refusal uses and load the settings: a first import is not a refusal's cost."""
    import docx  # noqa: F401
    import openpyxl.reader.excel  # noqa: F401
    from PIL import JpegImagePlugin, PngImagePlugin  # noqa: F401

    import campaigns.plan_import  # noqa: F401
    import org.uploads

    org.uploads.max_expanded()  # loads the settings


def refusal_cost(hostile: Hostile) -> tuple[float, int, str]:
    """(seconds, peak bytes Python allocated, message) of `refuse` on one file, in process.

    tracemalloc sees what Python allocates (zlib's output, openpyxl's and lxml's objects are
    Python objects or bytes); Pillow's pixel buffers are not seen, which is why the tests also
    measure a subprocess's peak RSS.
    """
    import time
    import tracemalloc

    _warm()
    tracemalloc.start()
    try:
        started = time.perf_counter()
        message = refuse(hostile)
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return seconds, peak, message


def bench_hostile() -> list[str]:
    """ "name value unit" lines for bench/: how long each hostile file takes to refuse, and the
    peak memory Python allocated meanwhile (Django must be set up)."""
    lines = []
    for label, make in {**HOSTILE, **ACCEPTED}.items():
        hostile = make()
        seconds, peak, _message = refusal_cost(hostile)
        lines.append(f"hostile_{label}_size {len(hostile.data) / 1024:.1f} KB")
        lines.append(f"hostile_{label}_check {seconds * 1000:.1f} ms")
        lines.append(f"hostile_{label}_peak_python {peak / 1024 / 1024:.2f} MB")
    return lines
