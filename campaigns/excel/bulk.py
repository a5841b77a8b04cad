"""Many units' files at once: the office's bulk upload and the `load_reports` command.

Each file is matched to its unit by its signature and checked and saved on its own, all or
nothing; the result is one line per file. A .zip is opened and its workbooks taken one by one,
within limits on members and expanded size, so a zip bomb costs nothing.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from org.models import User
from org.uploads import ZIP_ERRORS, UploadRefused, read_capped

from ..models import Period
from .upload import MAX_BYTES, Problem, Refused, upload_check, upload_save

MAX_ARCHIVE_BYTES = 50 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 200
MAX_ARCHIVE_EXPANDED = 200 * 1024 * 1024
SKIPPED = ("__macosx/", ".ds_store", "thumbs.db", "desktop.ini")


@dataclass
class FileResult:
    """What became of one file: saved (how many reports) or refused (every problem)."""

    name: str
    unit: str = ""
    saved: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Incoming:
    name: str
    data: bytes | None
    problem: str = ""  # why the bytes could not be read at all


def read_upload(upload: Any) -> Incoming:
    """An uploaded file's bytes, unless it is too large to be a template or an archive of them."""
    name = str(getattr(upload, "name", "") or "未命名文件")
    try:
        return Incoming(name, read_capped(upload, MAX_ARCHIVE_BYTES))
    except UploadRefused as refused:
        return Incoming(name, None, refused.message)


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zips made on Chinese Windows store names in GBK without saying so."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _is_archive(data: bytes) -> zipfile.ZipFile | None:
    """A zip of files (not a workbook, which is a zip too), or None."""
    if not data.startswith(b"PK"):
        return None
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        names = {name.lower() for name in archive.namelist()}
    except ZIP_ERRORS:
        return None
    if "[content_types].xml" in names or "xl/workbook.xml" in names:
        return None
    return archive


def expand(incoming: Incoming) -> list[Incoming]:
    """The file itself, or the files of a zip archive (one level deep, within the limits)."""
    if incoming.data is None:
        return [incoming]
    archive = _is_archive(incoming.data)
    if archive is None:
        return [incoming]  # a workbook, or what claims to be one: upload_check decides
    members = [
        info
        for info in archive.infolist()
        if not info.is_dir()
        and not any(part in info.filename.lower() for part in SKIPPED)
        and not info.filename.rsplit("/", 1)[-1].startswith(("~$", "."))
    ]
    if not members:
        return [Incoming(incoming.name, None, "压缩包里没有文件")]
    if len(members) > MAX_ARCHIVE_MEMBERS:
        return [
            Incoming(
                incoming.name,
                None,
                f"压缩包里有 {len(members)} 个文件，一次最多 {MAX_ARCHIVE_MEMBERS} 个，请分批上传",
            )
        ]
    found: list[Incoming] = []
    expanded = 0
    for info in members:
        name = f"{incoming.name} / {_member_name(info)}"
        if info.file_size > MAX_BYTES:
            found.append(Incoming(name, None, "文件过大，不是系统下载的填报模板"))
            continue
        if expanded + info.file_size > MAX_ARCHIVE_EXPANDED:
            found.append(Incoming(name, None, "压缩包解压后过大，这个文件没有读取，请分批上传"))
            continue
        try:
            with archive.open(info) as member:
                data = member.read(MAX_BYTES + 1)
        except ZIP_ERRORS:
            found.append(
                Incoming(name, None, "压缩包里的这个文件读不出来（损坏或加了密码），请单独上传")
            )
            continue
        except Exception:  # zlib and friends raise their own kinds on damaged data
            found.append(Incoming(name, None, "压缩包里的这个文件读不出来，请单独上传"))
            continue
        if len(data) > MAX_BYTES:
            found.append(Incoming(name, None, "文件过大，不是系统下载的填报模板"))
            continue
        expanded += len(data)
        found.append(Incoming(name, data))
    return found


def bulk_load(
    *, files: Iterable[Incoming], user: User, submit: bool, period: Period | None = None
) -> list[FileResult]:
    """Check and save each file on its own; a refused file leaves the others saved."""
    results: list[FileResult] = []
    seen: dict[tuple[int, int], str] = {}  # (period, unit) → the file that filled it
    for incoming in (item for upload in files for item in expand(upload)):
        result = FileResult(incoming.name)
        results.append(result)
        if incoming.data is None:
            result.problems = [Problem(incoming.problem)]
            continue
        try:
            checked = upload_check(
                incoming.data, user=user, submit=submit, period=period, name=incoming.name
            )
            result.unit = checked.unit.name
            key = (checked.period.pk, checked.unit.pk)
            if key in seen:
                raise Refused([Problem(f"与“{seen[key]}”是同一单位同一期的模板，这一份没有保存")])
            result.saved = upload_save(checked, user=user, submit=submit)
            seen[key] = incoming.name
        except Refused as refused:
            result.problems = refused.problems
            result.unit = result.unit or refused.unit
    return results
