"""org.uploads on its own: the checks every upload page shares, the start-up check of the XML
parsers, and the response that serves stored files."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import xml.etree.ElementTree
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml.etree import XMLSyntaxError
from openpyxl import Workbook, load_workbook
from PIL import Image

from campaigns.plan_import import read_docx_text
from org import uploads
from org.uploads import (
    UploadRefused,
    check_docx,
    check_image,
    check_parsers,
    check_workbook,
    display_name,
    file_response,
    iter_rows_capped,
    read_capped,
)
from tests import hostile_files as hostile

MB = 1024 * 1024


def workbook_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(UploadRefused) as caught:
        call(*args, **kwargs)
    return caught.value.message


# Size


def test_it_refuses_by_declared_size_before_reading():
    class Unreadable(BytesIO):
        size = 11 * MB

        def read(self, *args):  # pragma: no cover - must not be called
            raise AssertionError("read before the size was checked")

    assert "超过 10 MB" in refused(read_capped, Unreadable(), 10 * MB)


def test_it_reads_no_more_than_one_byte_past_the_cap_when_no_size_is_declared():
    stream = BytesIO(b"x" * 1000)
    assert "文件太大" in refused(read_capped, stream, 100)
    assert stream.tell() == 101
    assert read_capped(BytesIO(b"x" * 100), 100) == b"x" * 100


def test_it_keeps_no_more_than_the_ceiling_of_an_upload_on_disk(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    handler = uploads.CappedUploadHandler()
    handler.new_file("file", "big.xlsx", "application/octet-stream", None)
    for start in range(0, 5000, 500):
        assert handler.receive_data_chunk(b"x" * 500, start) is None
    upload = handler.file_complete(5000)
    assert upload.size == 5000  # the size received: read_capped refuses it
    upload.seek(0, os.SEEK_END)
    assert upload.tell() <= 1000  # what was kept
    assert "文件太大" in refused(read_capped, upload, 1000)


# Workbooks


def test_it_opens_a_plain_workbook_read_only():
    workbook = check_workbook(workbook_bytes([["姓名", "身份证号"], ["王一", "1"]]), "台账.xlsx")
    try:
        rows = list(iter_rows_capped(workbook.worksheets[0], max_rows=10))
    finally:
        workbook.close()
    assert rows[0][:2] == ("姓名", "身份证号") and rows[1][:2] == ("王一", "1")


def test_it_refuses_a_part_that_inflates_too_far_even_under_the_total_cap():
    parts = dict(hostile._workbook_parts())
    head = b'<?xml version="1.0"?><sst xmlns="' + hostile.MAIN_NS.encode() + b'">'
    entries = {name: hostile._deflated(data) for name, data in parts.items()}
    entries["xl/sharedStrings.xml"] = hostile._inflating(head, 20, b"</sst>")  # 20 MB < 50 MB
    data = hostile._zip(entries)
    assert len(data) < 100_000
    assert "压缩异常" in refused(check_workbook, data, "月报.xlsx")


def test_it_refuses_a_workbook_of_too_many_parts():
    parts = dict(hostile._workbook_parts())
    parts.update({f"xl/media/{i}.bin": b"" for i in range(uploads.MAX_ENTRIES)})
    assert "部件过多" in refused(check_workbook, hostile._office(parts), "月报.xlsx")


def test_it_finds_a_dtd_behind_a_comment():
    sheet = hostile.billion_laughs_xlsx().data
    with zipfile.ZipFile(BytesIO(sheet)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[hostile.SHEET] = parts[hostile.SHEET].replace(
        b"<!DOCTYPE", b"<!-- <worksheet> " + b"x" * 2000 + b" --><!DOCTYPE", 1
    )
    assert "DOCTYPE" in refused(check_workbook, hostile._office(parts), "台账.xlsx")


def test_it_refuses_macros_by_name_by_part_and_by_content_type():
    plain = workbook_bytes([["a"]])
    assert "含有宏" in refused(check_workbook, plain, "月报.XLSM")
    assert "含有宏" in refused(check_workbook, hostile.xlsm().data, "月报.xlsx")
    parts = dict(hostile._workbook_parts())
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"officedocument.spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
    )
    assert "含有宏" in refused(check_workbook, hostile._office(parts), "月报.xlsx")


def test_it_stops_after_a_long_run_of_blank_rows():
    rows: list[list[object]] = [["表头"], ["数据"]]
    rows += [[None]] * 20 + [["远处的一行"]]
    workbook = check_workbook(workbook_bytes(rows))
    try:
        sheet = workbook.worksheets[0]
        assert len(list(iter_rows_capped(sheet, max_rows=100, blank_run=5))) == 2
        assert len(list(iter_rows_capped(sheet, max_rows=100, blank_run=50))) == 23
    finally:
        workbook.close()


def test_it_refuses_rows_past_the_cap_even_without_a_dimension():
    data = workbook_bytes([[i] for i in range(30)])
    with zipfile.ZipFile(BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[hostile.SHEET] = parts[hostile.SHEET].replace(b'<dimension ref="A1:A30"/>', b"")
    workbook = check_workbook(hostile._office(parts))
    try:
        assert workbook.worksheets[0].max_row is None
        message = refused(list, iter_rows_capped(workbook.worksheets[0], max_rows=20))
    finally:
        workbook.close()
    assert "超过 20 行" in message


def test_it_refuses_a_sheet_claiming_a_million_rows_before_reading_a_row():
    workbook = check_workbook(hostile.million_rows_xlsx().data)
    try:
        started = time.perf_counter()
        message = refused(iter_rows_capped, workbook.worksheets[0], max_rows=20_000)
        assert time.perf_counter() - started < 0.1
    finally:
        workbook.close()
    assert "1000000 行" in message


def test_it_gives_a_docx_the_same_checks():
    from docx import Document

    document = Document()
    document.add_paragraph("关于开展打擂攻坚活动的实施方案")
    buffer = BytesIO()
    document.save(buffer)
    assert "实施方案" in read_docx_text(BytesIO(check_docx(buffer.getvalue(), "方案.docx")))
    assert "解压后超过" in refused(check_docx, hostile.zip_bomb_docx().data)
    assert "DOCTYPE" in refused(check_docx, hostile.billion_laughs_docx().data)
    assert "网页（HTML）" in refused(check_docx, hostile.html_as_docx().data)
    assert "含有宏" in refused(check_docx, buffer.getvalue(), "方案.docm")
    assert "这个 .docx 文件打不开" in refused(check_docx, b"PK\x03\x04 broken")


# The parsers behind the checks: a DTD that got past them still expands nothing.


def test_openpyxl_refuses_entities_through_defusedxml():
    started = time.perf_counter()
    with pytest.raises(Exception) as caught:  # openpyxl wraps what defusedxml raises
        book = load_workbook(BytesIO(hostile.billion_laughs_xlsx().data), read_only=True)
        list(book.worksheets[0].iter_rows(values_only=True))
    assert time.perf_counter() - started < 1
    assert uploads._caused_by(caught.value, DefusedXmlException)


def test_python_docx_expands_no_entity():
    started = time.perf_counter()
    try:
        text = read_docx_text(BytesIO(hostile.billion_laughs_docx().data))
    except XMLSyntaxError as error:  # libxml2 stops the amplification itself
        text = str(error)
    assert time.perf_counter() - started < 1
    assert "lol" not in text and len(text) < 1000


def test_it_checks_the_parsers_at_start_up():
    check_parsers()  # the installed ones pass


def test_it_refuses_to_start_when_openpyxl_has_no_defusedxml(monkeypatch):
    import openpyxl

    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(ImproperlyConfigured, match="defusedxml"):
        check_parsers()


def test_it_refuses_to_start_when_sheets_are_read_by_a_plain_parser(monkeypatch):
    from openpyxl.xml import functions

    monkeypatch.setattr(functions, "iterparse", xml.etree.ElementTree.iterparse)
    with pytest.raises(ImproperlyConfigured, match="defusedxml"):
        check_parsers()


def test_it_refuses_to_start_without_defusedxml(monkeypatch):
    monkeypatch.setitem(sys.modules, "defusedxml", None)
    with pytest.raises(ImproperlyConfigured, match="没有安装 defusedxml"):
        check_parsers()


def test_it_refuses_to_start_when_docx_parsing_expands_entities(monkeypatch):
    from docx.oxml import parser
    from lxml import etree

    resolving = etree.XMLParser(resolve_entities=True)
    monkeypatch.setattr(parser, "parse_xml", lambda xml: etree.fromstring(xml, resolving))
    with pytest.raises(ImproperlyConfigured, match="python-docx"):
        check_parsers()


def test_the_app_does_not_start_when_openpyxl_would_parse_without_defusedxml():
    """The check runs in OrgConfig.ready: a process whose openpyxl skips defusedxml stops."""
    env = {**os.environ, "OPENPYXL_DEFUSEDXML": "False"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "minzheng.settings.test")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "defusedxml" in result.stderr


# Photos


def picture(size: tuple[int, int], fmt: str, **options: object) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (10, 200, 30)).save(buffer, fmt, **options)
    return buffer.getvalue()


def test_it_takes_jpeg_and_png_by_their_bytes_only():
    assert check_image(picture((40, 30), "PNG")).size == (40, 30)
    assert check_image(picture((40, 30), "JPEG")).mode == "RGB"
    for fmt in ("GIF", "BMP", "WEBP", "TIFF"):
        assert "只能上传 JPG 或 PNG" in refused(check_image, picture((40, 30), fmt))
    assert "只能上传 JPG 或 PNG" in refused(check_image, b"<svg onload=alert(1)>")


def test_it_caps_the_pixels_before_decoding(settings):
    settings.UPLOAD_MAX_PIXELS = 1000
    message = refused(check_image, picture((50, 30), "PNG"))
    assert "50×30 像素" in message
    settings.UPLOAD_MAX_PIXELS = 40_000_000
    assert "像素" in refused(check_image, hostile.huge_png(8000, 6000).data)
    assert "像素" in refused(check_image, hostile.huge_png(30000, 30000).data)


def test_it_drops_the_metadata_and_keeps_the_photo_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90°
    exif[0x010F] = "PhoneMaker"
    image = check_image(picture((40, 30), "JPEG", exif=exif))
    assert image.size == (30, 40)
    again = Image.open(BytesIO(uploads.jpeg_bytes(image)))
    assert not again.getexif() and again.format == "JPEG"


def test_it_refuses_a_truncated_photo():
    data = picture((400, 300), "PNG")
    assert "图片已损坏" in refused(check_image, data[: len(data) // 2])


# Names and serving


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("../../x.jpg", "x.jpg"),
        ("..\\..\\windows\\x.jpg", "x.jpg"),
        ("/etc/passwd", "passwd"),
        ("照片\u202egpj.exe", "照片gpj.exe"),
        ("a\nb.jpg", "ab.jpg"),
        ("..", "文件"),
        ("", "文件"),
    ],
)
def test_it_keeps_the_client_name_only_as_a_label(name: str, label: str):
    assert display_name(name) == label
    stored = uploads.stored_name(".jpg")
    assert len(stored) == 36 and "/" not in stored


def test_it_serves_files_with_a_fixed_type_and_nosniff():
    response = file_response(BytesIO(b"x"), content_type="text/html", filename="../a.html")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    photo = file_response(
        BytesIO(b"x"), content_type="image/jpeg", filename="现场.jpg", inline=True
    )
    assert photo["Content-Type"] == "image/jpeg"
    assert (
        photo["Content-Disposition"].startswith("inline;")
        and "%E7%8E%B0" in photo["Content-Disposition"]
    )


def test_an_upload_object_reads_the_same_as_bytes():
    data = workbook_bytes([["a"]])
    assert read_capped(SimpleUploadedFile("a.xlsx", data), MB) == data
