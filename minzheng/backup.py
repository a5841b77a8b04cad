"""备份与恢复: the database (pg_dump / pg_restore, or SQLite's online backup) and MEDIA_ROOT.

The commands `manage.py backup` and `manage.py restore` (and `make backup` / `make restore`
through scripts/backup.sh and scripts/restore.sh) call these functions; the tests call them too.
A backup is a pair of files with one time stamp: dalei-YYYYmmdd-HHMMSS.dump (PostgreSQL custom
format) or .sqlite3, and dalei-YYYYmmdd-HHMMSS-media.tar.gz (evidence photos, documents).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import environ
from django.db import connections
from django.utils import timezone

PREFIX = "dalei-"
NAME = re.compile(r"^dalei-(\d{8}-\d{6})(\.dump|\.sqlite3|-media\.tar\.gz)$")
SQLITE = "django.db.backends.sqlite3"
POSTGRES = ("django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what to do."""


@dataclass(frozen=True)
class Backup:
    database: Path
    media: Path | None


def database_from_url(url: str) -> dict[str, Any]:
    """A DATABASES entry from a DATABASE_URL (the same parser the settings use)."""
    return dict(environ.Env.db_url_config(url))


def _kind(database: Mapping[str, Any]) -> str:
    engine = database.get("ENGINE", "")
    if engine == SQLITE:
        return "sqlite"
    if engine in POSTGRES:
        return "postgres"
    raise BackupError(f"不支持的数据库类型 {engine}：只能备份 PostgreSQL 或 SQLite。")


def _pg_env(database: Mapping[str, Any]) -> dict[str, str]:
    """libpq's variables for the client tools: the password never appears on a command line."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if database.get(key):
            env[var] = str(database[key])
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"找不到 {command[0]}：请安装 PostgreSQL 客户端（apt-get install postgresql-client）。"
        )
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            f"{what}失败（{command[0]} 退出码 {result.returncode}）：{result.stderr.strip()}"
        )


def _sqlite_path(database: Mapping[str, Any]) -> str:
    name = str(database.get("NAME") or "")
    if not name or name == ":memory:":
        raise BackupError(
            "SQLite 数据库没有文件名，无法恢复到这里：请用 DATABASE_URL=sqlite:////路径 指定。"
        )
    return name


def _sqlite_connect(name: str) -> sqlite3.Connection:
    # Django's in-memory test databases are shared-cache URIs (file:memorydb_...?mode=memory).
    return sqlite3.connect(name, uri=name.startswith("file:"))


@contextmanager
def _private() -> Iterator[None]:
    """Files and folders made inside (pg_dump's too: it inherits the umask) are the owner's
    alone, whatever umask the shell that ran `manage.py backup` had: they hold ID numbers."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _finish(partial: Path, target: Path) -> Path:
    partial.chmod(0o600)
    partial.replace(target)
    return target


def database_backup(*, alias: str = "default", target: Path) -> Path:
    """Write a consistent copy of the database to `target` (written aside, then renamed).

    1. PostgreSQL: pg_dump in custom format (-Fc), checked with pg_restore --list.
    2. SQLite: the online backup API through Django's own connection, so a write in progress
       is never copied half-done (a plain cp of a live file can be); checked with
       PRAGMA integrity_check.
    """
    with _private():
        return _finish(_database_copy(alias, target), target)


def _database_copy(alias: str, target: Path) -> Path:
    connection = connections[alias]
    database = connection.settings_dict
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    if _kind(database) == "postgres":
        env = _pg_env(database)
        _run(
            ["pg_dump", "-Fc", "--no-owner", "-f", str(partial), str(database["NAME"])], env, "备份"
        )
        _run(["pg_restore", "--list", str(partial)], env, "检查备份文件")
    else:
        name = str(database.get("NAME") or "")
        if not name.startswith("file:") and name != ":memory:" and not Path(name).is_file():
            # Connecting would create an empty file and back that up.
            raise BackupError(f"数据库文件 {name} 不存在：请检查 DATABASE_URL。")
        connection.ensure_connection()
        copy = sqlite3.connect(partial)
        try:
            connection.connection.backup(copy)  # type: ignore[union-attr]
            (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
        finally:
            copy.close()
        if verdict != "ok":
            partial.unlink(missing_ok=True)
            raise BackupError(f"备份出的 SQLite 文件校验不通过（{verdict}），请检查数据库后重试。")
    return partial


def database_restore(*, source: Path, database: Mapping[str, Any]) -> None:
    """Replace the contents of `database` with the backup `source`.

    PostgreSQL: pg_restore --clean --if-exists into the existing (possibly empty) database, in
    one transaction, stopping at the first error. SQLite: the backup API copies the file into
    the target page by page, replacing what was there.
    """
    kind = _kind(database)
    if not source.is_file():
        raise BackupError(f"找不到备份文件 {source}。")
    if kind == "postgres":
        if source.suffix != ".dump":
            raise BackupError(
                f"{source.name} 不是 PostgreSQL 备份（.dump），不能恢复到 PostgreSQL。"
            )
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "-d",
                str(database["NAME"]),
                str(source),
            ],
            _pg_env(database),
            "恢复",
        )
        return
    if source.suffix != ".sqlite3":
        raise BackupError(f"{source.name} 不是 SQLite 备份（.sqlite3），不能恢复到 SQLite。")
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target = _sqlite_connect(_sqlite_path(database))
    try:
        try:
            (verdict,) = backup.execute("PRAGMA integrity_check").fetchone()
        except sqlite3.DatabaseError as error:
            verdict = str(error)
        if verdict != "ok":
            raise BackupError(f"备份文件 {source.name} 已损坏（{verdict}），请换一份备份。")
        backup.backup(target)
    finally:
        target.close()
        backup.close()


def media_backup(*, media_root: Path, target: Path) -> Path | None:
    """A tar.gz of MEDIA_ROOT (None when there is no MEDIA_ROOT yet: nothing uploaded)."""
    if not media_root.is_dir():
        return None
    partial = target.with_name(target.name + ".partial")
    with _private():
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(media_root, arcname="media")
        return _finish(partial, target)


def media_restore(*, source: Path, media_root: Path) -> Path | None:
    """Put the archived files in MEDIA_ROOT; what was there is moved aside, never deleted."""
    if not source.is_file():
        raise BackupError(f"找不到文件备份 {source}。")
    staging = media_root.with_name(media_root.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(source, "r:gz") as archive:
        # The "data" filter refuses absolute paths, .. and links out of the folder.
        archive.extractall(staging, filter="data")
    aside = None
    if media_root.exists():
        aside = media_root.with_name(f"{media_root.name}.before-restore-{_stamp()}")
        media_root.rename(aside)
    (staging / "media").rename(media_root)
    shutil.rmtree(staging, ignore_errors=True)
    return aside


def _stamp(now: datetime | None = None) -> str:
    return timezone.localtime(now).strftime("%Y%m%d-%H%M%S")


def backup_create(
    *, directory: Path, media_root: Path, alias: str = "default", now: datetime | None = None
) -> Backup:
    """Back up the database and MEDIA_ROOT into `directory` under one time stamp (the folder,
    if made here, 0700; every file 0600)."""
    stamp = _stamp(now)
    suffix = ".dump" if _kind(connections[alias].settings_dict) == "postgres" else ".sqlite3"
    with _private():
        directory.mkdir(parents=True, exist_ok=True)
        database = database_backup(alias=alias, target=directory / f"{PREFIX}{stamp}{suffix}")
        media = media_backup(
            media_root=media_root, target=directory / f"{PREFIX}{stamp}-media.tar.gz"
        )
    return Backup(database=database, media=media)


def media_for(database_file: Path) -> Path:
    """The media archive made together with a database backup."""
    stem = database_file.name.removesuffix(database_file.suffix)
    return database_file.with_name(f"{stem}-media.tar.gz")


def backups_prune(*, directory: Path, keep_days: int, now: datetime | None = None) -> list[Path]:
    """Delete backups older than `keep_days` (by the time stamp in their names)."""
    limit = timezone.localtime(now) - timedelta(days=keep_days)
    removed = []
    for path in sorted(directory.glob(f"{PREFIX}*")):
        match = NAME.match(path.name)
        if not match:
            continue
        # The stamp is local time (_stamp); zoneinfo zones take it as it is, as make_aware does.
        taken = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=limit.tzinfo)
        if taken < limit:
            path.unlink()
            removed.append(path)
    return removed
