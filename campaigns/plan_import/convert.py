"""Old Word (.doc) and WPS (.wps) files into .docx, by LibreOffice headless.

Each conversion runs in a temporary directory of its own, with its own LibreOffice profile
(``-env:UserInstallation``): two soffice processes sharing a profile wait on its lock or fail, and
uploads may convert at the same time. A conversion that takes longer than ``TIMEOUT`` seconds is
stopped. Every failure is a :class:`ConversionFailed` with one Chinese message; the caller shows it.

Pure Python, no Django.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

__all__ = ["ConversionFailed", "convert", "soffice_path", "to_docx"]

TIMEOUT = 60  # seconds: a 50-page .doc converts in about 3 on one core


class ConversionFailed(Exception):
    """The file could not be converted; ``str(error)`` is the message for the user."""


def _save_as(kind: str) -> str:
    return f"请在 Word 或 WPS 中打开这个 {kind} 文件，“另存为”Word 文档（.docx）后上传，或粘贴文字"


def soffice_path() -> str | None:
    """LibreOffice's command, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _run(command: list[str], kind: str) -> None:
    # A session of its own, so a timeout stops soffice's helper processes too.
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        process.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise ConversionFailed(
            f"这个 {kind} 文件转换超过 {TIMEOUT} 秒仍未完成，已停止：{_save_as(kind)}"
        ) from None


def to_docx(data: bytes, kind: str) -> bytes:
    """The .docx LibreOffice makes of ``data`` (the bytes of a ``kind`` file: ".doc", ".wps")."""
    return convert(data, kind, "docx")


def convert(data: bytes, kind: str, target: str) -> bytes:
    """The ``target`` file ("docx", "pdf") LibreOffice makes of ``data``, a ``kind`` file."""
    soffice = soffice_path()
    if soffice is None:
        raise ConversionFailed(
            f"服务器上没有安装转换 {kind} 文件的程序（LibreOffice）：{_save_as(kind)}"
        )
    with tempfile.TemporaryDirectory(prefix="plan-convert-") as folder:
        work = Path(folder)
        source = work / f"plan{kind}"
        source.write_bytes(data)
        out = work / "out"
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ]
        _run(command, kind)
        converted = out / f"plan.{target}"
        if not converted.is_file():
            # soffice says nothing useful: a damaged file and one with an open password look alike
            raise ConversionFailed(
                f"这个 {kind} 文件打不开（可能已损坏，或设置了打开密码）：请去掉密码后{_save_as(kind)[1:]}"
            )
        return converted.read_bytes()
