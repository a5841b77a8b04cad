"""Every uploaded file passes here before anything parses it, and is served back from here.

1. Size: `read_capped` (and `check_size`) refuse a file by its size before a byte is parsed;
   `CappedUploadHandler` keeps no more than UPLOAD_MAX_BYTES of any file on disk meanwhile.
2. Workbooks, Word documents and PDFs: `check_workbook` / `check_docx` take only a real zip (an old
   .xls, an HTML page or any other file renamed is refused by its bytes), without macros, with few
   parts, a bounded size once inflated, no part inflating more than MAX_RATIO times and no DTD in
   any XML part (billion laughs); a workbook is then opened by openpyxl in read-only mode, and
   `iter_rows_capped` reads a sheet's rows within a cap, refusing one that claims more before
   reading any. `check_pdf` takes what starts as a PDF and ends as one (a file cut short is
   refused), `check_old_word` an OLE file for a .doc or .wps. `check_parsers` (run at start-up) refuses to start unless the XML parsers behind
   openpyxl and python-docx cannot expand entities.
3. Photos: `check_image` takes JPEG and PNG only, by their bytes; the pixel count comes from the
   header and is capped before anything is decoded; `jpeg_bytes` re-encodes from the pixels alone
   (no EXIF, GPS, ICC or comments survive).
4. Storage and serving: files are stored under `stored_name` (random); the client's name is only
   a label (`display_name`), never a path. `file_response` serves a stored file with a fixed
   type, a Content-Disposition and nosniff, from views that check access first.

Every refusal is an `UploadRefused` (a ValidationError) with one Chinese message.
"""

from __future__ import annotations

import re
import uuid
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import FileResponse
from PIL import Image, ImageOps

from .text import clean_text

__all__ = [
    "DOCX",
    "XLSX",
    "CappedUploadHandler",
    "UploadRefused",
    "check_docx",
    "check_image",
    "check_old_word",
    "check_parsers",
    "check_pdf",
    "check_size",
    "check_workbook",
    "display_name",
    "file_response",
    "image_type",
    "iter_rows_capped",
    "jpeg_bytes",
    "read_capped",
    "stored_name",
]

MB = 1024 * 1024
MAX_ENTRIES = 1000  # parts of one workbook or document; a monthly template has about 15
MAX_RATIO = 100  # how far one part may inflate, for parts above RATIO_FLOOR
RATIO_FLOOR = 1 * MB
PROLOG_BYTES = 64 * 1024  # how much of each XML part is read for a DTD before the parsers run
XML_PARTS = (".xml", ".rels", ".vml")
BLANK_RUN = 500  # this many empty rows in a row end a sheet, whatever it claims
MAX_COLUMNS = 100
OLE_HEADER = bytes.fromhex("D0CF11E0A1B11AE1")  # .xls, .doc and password-protected files
JPEG, PNG = "image/jpeg", "image/png"
SERVED_TYPES = {JPEG, PNG, "application/pdf"}


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_bytes() -> int:
    return _setting("UPLOAD_MAX_BYTES", 50 * MB)


def max_expanded() -> int:
    return _setting("UPLOAD_MAX_EXPANDED_BYTES", 50 * MB)


def max_pixels() -> int:
    return _setting("UPLOAD_MAX_PIXELS", 40_000_000)


class UploadRefused(ValidationError):
    """An uploaded file refused before anything used it: one message saying what and how to fix."""

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message, code="upload")


def _size_text(size: int) -> str:
    if size >= MB:
        return f"{size / MB:g} MB" if size % MB == 0 else f"{size / MB:.1f} MB"
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} 字节"


# 1. Size


def _too_large(limit: int) -> UploadRefused:
    return UploadRefused(
        f"文件太大，超过 {_size_text(limit)} 的上限：请压缩图片或把文件分成几个后再上传"
    )


def check_size(file: Any, limit: int) -> None:
    """Refuse a file (an upload, bytes, or its size) larger than `limit`, by the size it declares."""
    if isinstance(file, int):
        size: int | None = file
    elif isinstance(file, bytes | bytearray):
        size = len(file)
    else:
        size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise _too_large(limit)


def read_capped(file: IO[bytes] | Any, limit: int) -> bytes:
    """The file's bytes, refused before reading when it says it is larger than `limit`, and
    never reading more than one byte past it when it does not say."""
    check_size(file, limit)
    if hasattr(file, "seek"):
        file.seek(0)
    data: bytes = file.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    return data


class CappedUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file handler that stops writing a file past UPLOAD_MAX_BYTES.

    The file's `size` stays the size received, so `check_size` refuses it; the disk holds no more
    than the cap meanwhile. (The web server's own body limit should stop such requests first.)
    """

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > max_bytes():
            return None  # dropped: the file is refused by its size
        return super().receive_data_chunk(raw_data, start)


# 2. Workbooks and Word documents


@dataclass(frozen=True)
class Kind:
    """What an Office file must be, and the words for telling the user it is not."""

    ext: str
    noun: str
    app: str
    parts: tuple[str, ...]  # parts it cannot lack, lower-case
    macro_exts: tuple[str, ...]
    not_it: str
    old: str
    damaged: str

    @property
    def save_as(self) -> str:
        return f"请在 {self.app} 中打开后“另存为”{self.noun}（{self.ext}）再上传"

    @property
    def macro(self) -> str:
        return (
            f"文件含有宏，系统不接受含宏的 {self.macro_exts[0]} 文件：请在 {self.app} 中"
            f"“另存为”{self.noun}（{self.ext}）再上传"
        )

    @property
    def html(self) -> str:
        return (
            f"这是网页（HTML）或文本文件，只是扩展名改成了 {self.ext}，不是 {self.noun}："
            + self.save_as
        )

    @property
    def abnormal(self) -> str:
        return (
            f"文件解压后超过 {_size_text(max_expanded())}、部件过多或压缩异常，"
            f"不像正常的 {self.noun}，没有读取：{self.save_as}"
        )

    @property
    def dtd(self) -> str:
        return f"文件里有不允许的 XML 声明（DOCTYPE），不是 {self.app} 保存的文件：{self.save_as}"


XLSX = Kind(
    ext=".xlsx",
    noun="Excel 工作簿",
    app="Excel",
    parts=("[content_types].xml", "xl/workbook.xml"),
    macro_exts=(".xlsm", ".xltm", ".xlam"),
    not_it="这不是 Excel 工作簿（.xlsx）文件，只能上传 .xlsx 文件",
    old=(
        "这是旧版 Excel（.xls）文件或加了打开密码的文件，只能上传 .xlsx 文件："
        "请去掉密码后“另存为”Excel 工作簿（.xlsx）再上传"
    ),
    damaged="文件已损坏，打不开，请用 Excel 打开检查后另存为 .xlsx 再上传",
)
DOCX = Kind(
    ext=".docx",
    noun="Word 文档",
    app="Word",
    parts=("[content_types].xml", "word/document.xml"),
    macro_exts=(".docm", ".dotm"),
    not_it="这个 .docx 文件打不开，它不是 Word 文档（.docx）",
    old=(
        "这是旧版 Word（.doc）文件或加了打开密码的文件：请去掉密码后“另存为”Word 文档（.docx）"
        "再上传，或粘贴文字"
    ),
    damaged="这个 .docx 文件打不开，可能已损坏；请另存后重试，或粘贴文字",
)

ELEMENT_START = re.compile(r"<[A-Za-z_]")
COMMENT = re.compile(r"<!--.*?-->", re.S)


def _prolog_has_dtd(head: bytes, complete: bool) -> bool:
    """Whether the start of an XML part declares a DTD (or hides its root past PROLOG_BYTES)."""
    encoding = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8"
    text = COMMENT.sub("", head.decode(encoding, "ignore"))
    root = ELEMENT_START.search(text)
    if root is None:
        return not complete  # a prolog longer than PROLOG_BYTES is no Office part
    return "<!DOCTYPE" in text[: root.start()].upper()


def _check_office_zip(data: bytes, name: str, kind: Kind) -> None:
    """Refuse, by its bytes, what is not a plain Office zip of `kind` that is safe to parse.

    1. What it is by its first bytes and name (an old binary file, a macro file, a web page).
    2. The zip's directory: the number of parts, no macro part, the parts `kind` needs, sizes.
    3. Each part's bytes: no macro content type, no DTD, every stream and checksum sound.
    """
    if data.startswith(OLE_HEADER):
        raise UploadRefused(kind.old)
    if name.lower().endswith(kind.macro_exts):
        raise UploadRefused(kind.macro)
    if data[:1024].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").startswith(b"<"):
        raise UploadRefused(kind.html)
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except ZIP_ERRORS:
        raise UploadRefused(f"{kind.not_it}：{kind.save_as}") from None
    _check_zip_directory(members, kind)
    _check_zip_parts(archive, members, kind)


# What zipfile raises on a damaged or unreadable archive; NotImplementedError for a compression
# method or zip version it does not know ("zip file version 6.5", found by tests/campaigns/excel).
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    RuntimeError,
    NotImplementedError,
)


def _check_zip_directory(members: list[zipfile.ZipInfo], kind: Kind) -> None:
    if len(members) > MAX_ENTRIES:
        raise UploadRefused(kind.abnormal)
    names = {member.filename.lower() for member in members}
    if any(n.endswith("vbaproject.bin") or n.endswith("vbadata.xml") for n in names):
        raise UploadRefused(kind.macro)
    if not all(part in names for part in kind.parts):
        raise UploadRefused(f"{kind.not_it}：{kind.save_as}")
    # The sizes the archive declares bound what zipfile will ever inflate (it stops there and
    # checks the CRC), so a bomb is refused here before any of it is inflated.
    if sum(m.file_size for m in members) > max_expanded() or any(
        m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1)
        for m in members
    ):
        raise UploadRefused(kind.abnormal)


def _check_zip_parts(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], kind: Kind) -> None:
    try:
        content_types = archive.read(
            next(m for m in members if m.filename.lower() == "[content_types].xml")
        )
        if b"macroenabled" in content_types.lower():
            raise UploadRefused(kind.macro)
        for member in members:
            if member.filename.lower().endswith(XML_PARTS):
                with archive.open(member) as stream:
                    head = stream.read(PROLOG_BYTES)
                if _prolog_has_dtd(head, complete=len(head) < PROLOG_BYTES):
                    raise UploadRefused(kind.dtd)
        # Every part's stream and checksum, before a parser sees any (the sizes are capped above):
        # a damaged file is refused here, not half-way through reading it.
        damaged = archive.testzip()
    except ZIP_ERRORS:
        raise UploadRefused(kind.damaged) from None
    if damaged is not None:
        raise UploadRefused(kind.damaged)


def check_xlsx(data: bytes, name: str = "") -> None:
    """Refuse, by its bytes alone, what is not a plain .xlsx safe to parse (no parser opened):
    for readers of their own, such as relief.xlsx_rows; `check_workbook` runs it first."""
    _check_office_zip(data, name, XLSX)


def check_workbook(data: bytes, name: str = "", *, data_only: bool = True) -> Any:
    """The .xlsx in read-only mode once its bytes pass every check; UploadRefused otherwise.

    The caller closes it. `data_only=False` keeps formulas (to refuse them by cell).
    """
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook

    check_xlsx(data, name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops
            return load_workbook(
                BytesIO(data), read_only=True, keep_vba=False, data_only=data_only, keep_links=False
            )
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        refused = XLSX.dtd if _caused_by(error, DefusedXmlException) else XLSX.damaged
        raise UploadRefused(refused) from None


def _caused_by(error: BaseException | None, kind: type[BaseException]) -> bool:
    while error is not None:
        if isinstance(error, kind):
            return True
        error = error.__cause__ or error.__context__
    return False


def check_docx(data: bytes, name: str = "") -> bytes:
    """The bytes of a .docx once they pass the checks of `check_workbook`; UploadRefused otherwise."""
    _check_office_zip(data, name, DOCX)
    return data


PDF_MAGIC = b"%PDF-"
PDF_NOT_IT = (
    "这不是 PDF 文件（内容不是 PDF，只是扩展名改成了 .pdf）：请上传从 Word 或 WPS 导出的 PDF"
)
PDF_TRUNCATED = "这个 PDF 文件不完整（可能没有下载或上传完），打不开：请重新导出或下载后上传"
OLD_WORD_NOT_IT = (
    "这不是 Word（.doc）或 WPS（.wps）文件：请上传 Word 或 WPS 保存的文件，或另存为 .docx"
)


def check_pdf(data: bytes) -> bytes:
    """The bytes of a PDF once they start as one (the header, within its first KB as readers
    allow) and end as one (%%EOF near the end: a file cut short is refused before parsing)."""
    if PDF_MAGIC not in data[:1024]:
        raise UploadRefused(PDF_NOT_IT)
    if b"%%EOF" not in data[-2048:]:
        raise UploadRefused(PDF_TRUNCATED)
    return data


def check_old_word(data: bytes) -> bytes:
    """The bytes of an old Word (.doc) or WPS (.wps) file: an OLE compound file by its header."""
    if not data.startswith(OLE_HEADER):
        raise UploadRefused(OLD_WORD_NOT_IT)
    return data


# What a workbook raises when a part turns out damaged while its rows are read.
READ_ERRORS: tuple[type[BaseException], ...] = (
    zlib.error,
    zipfile.BadZipFile,
    NotImplementedError,
    EOFError,
    ParseError,
    KeyError,
    ValueError,
)


def _blank(row: tuple[Any, ...]) -> bool:
    for item in row:
        value = getattr(item, "value", item)
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return False
    return True


def iter_rows_capped(
    sheet: Any,
    *,
    max_rows: int,
    max_cols: int = MAX_COLUMNS,
    blank_run: int = BLANK_RUN,
    values_only: bool = True,
    message: str = "",
) -> Iterator[tuple[Any, ...]]:
    """A read-only sheet's rows from the first, at most `max_cols` wide.

    Refused at once, before any row is read, when the sheet claims (its dimension) more than
    `max_rows` rows, and as soon as a row past `max_rows` holds anything; it ends after
    `blank_run` empty rows in a row, so a sheet padded with a million empty rows costs no more
    than a short one. `message` replaces the refusal's words.
    """
    title = getattr(sheet, "title", "")
    claimed = getattr(sheet, "max_row", None)
    if isinstance(claimed, int) and claimed > max_rows:
        raise UploadRefused(
            message
            or f"工作表“{title}”有 {claimed} 行，超过 {max_rows} 行的上限：请删去多余的行，"
            "或分成几个文件上传"
        )
    too_many = message or f"工作表“{title}”超过 {max_rows} 行：请删去多余的行，或分成几个文件上传"
    return _rows(sheet, max_rows, max_cols, blank_run, values_only, too_many)


def _rows(
    sheet: Any, max_rows: int, max_cols: int, blank_run: int, values_only: bool, too_many: str
) -> Iterator[tuple[Any, ...]]:
    from defusedxml import DefusedXmlException

    blanks: list[tuple[Any, ...]] = []
    try:
        rows = sheet.iter_rows(max_row=max_rows + 1, max_col=max_cols, values_only=values_only)
        for number, row in enumerate(rows, start=1):
            if _blank(row):
                blanks.append(row)
                if len(blanks) >= blank_run:
                    return
                continue
            if number > max_rows:
                raise UploadRefused(too_many)
            yield from blanks
            blanks.clear()
            yield row
    except DefusedXmlException:
        raise UploadRefused(XLSX.dtd) from None
    except READ_ERRORS:
        raise UploadRefused(XLSX.damaged) from None


# 3. Photos


def image_type(head: bytes) -> str | None:
    """JPEG or PNG by the first bytes, whatever the name says; None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


NOT_IMAGE = "文件不是有效的图片：只能上传 JPG 或 PNG 格式的照片（手机、相机拍的照片就是 JPG）"
DAMAGED_IMAGE = "图片已损坏或无法识别，请重新拍照或另存后上传"


def check_image(data: bytes) -> Image.Image:
    """The photo's pixels, upright and RGB, once it is a JPEG or PNG of a sane size.

    The pixel count is read from the header and refused before any pixel is decoded.
    """
    if image_type(data[:8]) is None:
        raise UploadRefused(NOT_IMAGE)
    limit = max_pixels()
    too_large = f"超过 {limit // 1_000_000} 百万像素的上限：请缩小后再上传"
    try:
        with warnings.catch_warnings():  # above the cap it is refused just below, not warned of
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data), formats=("JPEG", "PNG"))
    except Image.DecompressionBombError:
        raise UploadRefused(f"图片太大，{too_large}") from None
    except Exception:  # Pillow raises many kinds for a damaged header
        raise UploadRefused(DAMAGED_IMAGE) from None
    width, height = image.size
    if width * height > limit:
        raise UploadRefused(f"图片太大（{width}×{height} 像素），{too_large}")
    try:
        image.load()
        upright = ImageOps.exif_transpose(image) or image  # keep the photo upright, drop EXIF
        return upright.convert("RGB")
    except Exception:  # truncated data, a broken EXIF block, …
        raise UploadRefused(DAMAGED_IMAGE) from None


def jpeg_bytes(image: Image.Image, *, side: int | None = None, quality: int = 85) -> bytes:
    """A fresh JPEG from the pixels alone, fitted within `side` × `side` when given."""
    if side is not None and max(image.size) > side:
        image = image.copy()
        image.thumbnail((side, side))
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


# 4. Storage and serving

# Tabs and line ends have no place in a file name; what no document can hold is org.text's rule.
UNSAFE_NAME = re.compile(r"[\t\n\r\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def stored_name(ext: str) -> str:
    """A random file name with `ext` (".jpg"): what the client called the file is never a path."""
    return f"{uuid.uuid4().hex}{ext}"


def display_name(name: str | None, *, default: str = "文件", limit: int = 150) -> str:
    """The client's file name as a label: its last part, no control or direction characters."""
    last = re.split(r"[\\/]", name or "")[-1]
    label = UNSAFE_NAME.sub("", clean_text(last)).strip().strip(".").strip()
    if not label:
        return default
    if len(label) > limit:
        stem, dot, ext = label.rpartition(".")
        label = f"{stem[: limit - len(ext) - 1]}.{ext}" if dot and len(ext) < 10 else label[:limit]
    return label


def file_response(
    handle: IO[bytes], *, content_type: str, filename: str, inline: bool = False
) -> FileResponse:
    """A stored file to a user whose access the view has checked.

    Only JPEG, PNG and PDF keep their type (anything else goes as a download of bytes);
    nosniff stops a browser from guessing another, and a sandbox CSP keeps any script inert.
    """
    if content_type not in SERVED_TYPES:
        content_type, inline = "application/octet-stream", False
    response = FileResponse(
        handle, content_type=content_type, as_attachment=not inline, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# Start-up


def _expands_entities(parse: Any) -> bool:
    """Whether `parse` (bytes → tree) expands an internal entity; refusing to parse is safe."""
    probe = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "EXPANDED">]><a>&e;</a>'
    try:
        tree = parse(probe)
    except Exception:
        return False
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    return "EXPANDED" in "".join(root.itertext())


def check_parsers() -> None:
    """Refuse to start unless no parser an upload reaches can expand an XML entity.

    openpyxl must have found defusedxml (it reads sheets through defusedxml's iterparse), the
    other parts it reads and python-docx's parser must not resolve entities. Pillow's own
    decompression-bomb guard is set to the same pixel cap as `check_image`.
    """
    try:
        import defusedxml  # noqa: F401
    except ImportError:
        raise ImproperlyConfigured(
            "没有安装 defusedxml：上传的 Excel 文件可能含有 XML 炸弹，请安装 defusedxml 后再启动"
        ) from None
    import openpyxl
    from docx.oxml.parser import parse_xml
    from openpyxl.xml import functions

    iterparse = functions.iterparse
    if not openpyxl.DEFUSEDXML or not iterparse.__module__.startswith("defusedxml"):
        raise ImproperlyConfigured(
            "openpyxl 没有使用 defusedxml（检查环境变量 OPENPYXL_DEFUSEDXML）："
            "上传的 Excel 文件可能含有 XML 炸弹，请改正后再启动"
        )

    def by_iterparse(data: bytes) -> Any:
        root = None
        for _event, element in iterparse(BytesIO(data)):
            root = element
        return root

    for name, parse in (
        ("openpyxl iterparse", by_iterparse),
        ("openpyxl fromstring", functions.fromstring),
        ("python-docx parse_xml", parse_xml),
    ):
        if _expands_entities(parse):
            raise ImproperlyConfigured(f"{name} 会展开 XML 实体：上传的文件可能含有 XML 炸弹")
    Image.MAX_IMAGE_PIXELS = max_pixels()
