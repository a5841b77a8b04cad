"""备份与恢复: a backup restored into a scratch database holds every table's rows (the audit
trail included), the files come back, and a restore never starts by accident.

Runs on the test database's own engine: SQLite under `make test`, PostgreSQL in CI's second run
(a scratch database is created beside the test database and dropped afterwards).
"""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from minzheng.backup import backups_prune, media_restore
from tests.conftest import PASSWORD
from tests.relief import factories

ROOT = Path(__file__).resolve().parent.parent
# pg_dump sees committed rows only: the database tests commit theirs.
committed = pytest.mark.django_db(transaction=True)
SHANGHAI = ZoneInfo("Asia/Shanghai")


class Scratch:
    """An empty database of the test database's engine, and a raw connection to read it."""

    def __init__(self, tmp_path: Path) -> None:
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = tmp_path / "scratch.sqlite3"
            self.url = f"sqlite:///{self.path}"
            return
        source = connection.settings_dict
        self.name = f"scratch_restore_{uuid.uuid4().hex[:10]}"
        auth = source["USER"] + (f":{source['PASSWORD']}" if source.get("PASSWORD") else "")
        self.dsn = pg_dsn(source, self.name)
        self.url = f"postgres://{auth}@{self.dsn['host']}:{self.dsn['port']}/{self.name}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{self.name}"')

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path) as db:
                return db.execute(sql).fetchall()
        return pg_query(self.dsn, sql)

    def drop(self) -> None:
        if self.vendor != "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Uploads of this test go to a folder of its own (requested before the data is made)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def scratch(tmp_path: Path, transactional_db: None) -> Iterator[Scratch]:
    target = Scratch(tmp_path)
    yield target
    target.drop()


def pg_query(dsn: dict[str, Any], sql: str) -> list[tuple[Any, ...]]:
    import psycopg2

    db = psycopg2.connect(**dsn)
    try:
        with db.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    finally:
        db.close()


def pg_dsn(database: dict[str, Any], name: str) -> dict[str, Any]:
    return {
        "dbname": name,
        "host": database.get("HOST") or "127.0.0.1",
        "port": database.get("PORT") or 5432,
        "user": database["USER"],
        "password": database.get("PASSWORD") or None,
    }


def source_query(sql: str) -> list[tuple[Any, ...]]:
    """Rows as the plain driver gives them, the way Scratch.query reads the restored copy
    (Django's cursor converts some values: SQLite dates and booleans, PostgreSQL's jsonb)."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        name = database["NAME"]  # the test database: a shared-cache in-memory URI or a file
        db = sqlite3.connect(name, uri=str(name).startswith("file:"))
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()
    return pg_query(pg_dsn(database, database["NAME"]), sql)


def quoted(table: str) -> str:
    return connection.ops.quote_name(table)


def backup(directory: Path) -> tuple[Path, Path | None]:
    call_command("backup", dir=str(directory), stdout=io.StringIO())
    (database,) = [p for p in directory.iterdir() if p.suffix in (".dump", ".sqlite3")]
    files = next(directory.glob("*-media.tar.gz"), None)
    return database, files


@committed
def test_it_restores_every_table_and_the_same_rows(
    media: Path, plan: Any, tree: Any, office: Any, scratch: Scratch, tmp_path: Path
):
    factories.person(tree.township_a, community=tree.community_a1, name="李备份")
    # A real login and a page: whatever the audit trail records of them must come back too.
    client = Client()
    client.post(reverse("login"), {"username": office.username, "password": PASSWORD})
    assert client.get(reverse("relief:person_list")).status_code == 200
    tables = sorted(connection.introspection.table_names())
    counts = {t: source_query(f"SELECT COUNT(*) FROM {quoted(t)}")[0][0] for t in tables}
    assert counts["org_unit"] == 10 and counts["relief_person"] == 1
    evidence = Path(plan.evidence_a.file.path).read_bytes()
    # Exact rows too, the audit trail's whole table among them once it exists.
    exact = ["org_unit", "org_user", "relief_person", "campaigns_report", "campaigns_evidence"]
    exact += [t for t in tables if t.startswith("audit_")]
    rows = {t: source_query(f"SELECT * FROM {quoted(t)} ORDER BY 1") for t in exact}
    assert all(rows.values()), [t for t, found in rows.items() if not found]

    database, files = backup(tmp_path / "backups")
    assert database.name.startswith("dalei-")
    assert files is not None and files.name == database.stem + "-media.tar.gz"
    # A change after the backup is not in it.
    factories.person(tree.township_a, community=tree.community_a1, name="王之后")

    restored_media = tmp_path / "restored-media"
    call_command(
        "restore",
        str(database),
        database_url=scratch.url,
        media_root=str(restored_media),
        noinput=True,
        stdout=io.StringIO(),
    )
    restored = {t: scratch.query(f"SELECT COUNT(*) FROM {quoted(t)}")[0][0] for t in tables}
    assert restored == counts
    assert set(scratch_tables(scratch)) == set(tables)
    for table in exact:
        assert scratch.query(f"SELECT * FROM {quoted(table)} ORDER BY 1") == rows[table], table
    relative = Path(plan.evidence_a.file.name)
    assert (restored_media / relative).read_bytes() == evidence


def scratch_tables(scratch: Scratch) -> list[str]:
    if scratch.vendor == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    return [row[0] for row in scratch.query(sql)]


@committed
def test_it_restores_over_a_database_that_has_other_rows(
    media: Path, tree: Any, scratch: Scratch, tmp_path: Path
):
    database, _ = backup(tmp_path / "backups")
    options = {"database_url": scratch.url, "media": "none", "noinput": True}
    call_command("restore", str(database), stdout=io.StringIO(), **options)
    first = scratch.query("SELECT COUNT(*) FROM org_unit")
    # Restoring twice (over the first restore) gives the same database, not doubled rows.
    call_command("restore", str(database), stdout=io.StringIO(), **options)
    assert scratch.query("SELECT COUNT(*) FROM org_unit") == first == [(10,)]


@committed
def test_it_refuses_to_restore_without_a_yes(
    media: Path, tree: Any, scratch: Scratch, tmp_path: Path
):
    database, _ = backup(tmp_path / "backups")
    # pytest's stdin is not a terminal: nobody can answer, so nothing happens.
    with pytest.raises(CommandError, match="--noinput"):
        call_command("restore", str(database), database_url=scratch.url)
    assert "org_unit" not in scratch_tables(scratch)


@committed
def test_it_refuses_a_damaged_or_foreign_backup(
    media: Path, tree: Any, scratch: Scratch, tmp_path: Path
):
    database, _ = backup(tmp_path / "backups")
    call_command(
        "restore",
        str(database),
        database_url=scratch.url,
        media="none",
        noinput=True,
        stdout=io.StringIO(),
    )
    junk = tmp_path / f"dalei-20200101-000000{database.suffix}"
    junk.write_bytes(b"not a backup at all" * 100)
    with pytest.raises(CommandError):
        call_command("restore", str(junk), database_url=scratch.url, media="none", noinput=True)
    other = ".sqlite3" if database.suffix == ".dump" else ".dump"
    foreign = tmp_path / f"dalei-20200101-000000{other}"
    foreign.write_bytes(database.read_bytes())
    with pytest.raises(CommandError, match="不能恢复到"):
        call_command("restore", str(foreign), database_url=scratch.url, media="none", noinput=True)
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "nothing.dump"), noinput=True)
    # The database restored first is still whole.
    assert scratch.query("SELECT COUNT(*) FROM org_unit") == [(10,)]


def test_it_keeps_the_files_it_replaces(tmp_path: Path):
    import tarfile

    media_root = tmp_path / "media"
    (media_root / "evidence").mkdir(parents=True)
    (media_root / "evidence" / "old.jpg").write_bytes(b"old")
    archive = tmp_path / "dalei-20200101-000000-media.tar.gz"
    source = tmp_path / "source" / "media"
    source.mkdir(parents=True)
    (source / "new.pdf").write_bytes(b"new")
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(source, arcname="media")
    aside = media_restore(source=archive, media_root=media_root)
    assert (media_root / "new.pdf").read_bytes() == b"new"
    assert not (media_root / "evidence").exists()
    assert aside is not None and (aside / "evidence" / "old.jpg").read_bytes() == b"old"


def test_it_refuses_an_archive_that_climbs_out(tmp_path: Path):
    import io
    import tarfile

    archive = tmp_path / "dalei-20200101-000000-media.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("../../escaped.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    with pytest.raises(tarfile.FilterError):
        media_restore(source=archive, media_root=tmp_path / "media")
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_it_prunes_only_old_backups(tmp_path: Path):
    names = [
        "dalei-20200101-020000.sqlite3",
        "dalei-20200101-020000-media.tar.gz",
        "dalei-20200125-020000.dump",
        "dalei-20200131-020000.dump",
        "notes.txt",
        "dalei-latest.dump",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    now = datetime(2020, 2, 1, 3, 0, tzinfo=SHANGHAI)
    removed = backups_prune(directory=tmp_path, keep_days=14, now=now)
    assert sorted(p.name for p in removed) == sorted(names[:2])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[2:])


def test_the_scripts_back_up_and_restore_a_sqlite_file(tmp_path: Path):
    """scripts/backup.sh and scripts/restore.sh as cron and an operator run them."""
    live = tmp_path / "live.sqlite3"
    with sqlite3.connect(live) as db:
        db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
        db.execute("INSERT INTO t (name) VALUES ('兰山街道')")
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.pdf").write_bytes(b"%PDF")
    env = {
        **os.environ,
        "PYTHON": sys.executable,
        # The settings the site runs with (the test settings fix MEDIA_ROOT).
        "DJANGO_SETTINGS_MODULE": "minzheng.settings.local",
        "DATABASE_URL": f"sqlite:///{live}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "BACKUP_DIR": str(tmp_path / "backups"),
    }
    env.pop("FORCE", None)
    run = subprocess.run(
        ["scripts/backup.sh"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    (dump,) = (tmp_path / "backups").glob("dalei-*.sqlite3")
    assert oct(dump.stat().st_mode & 0o777) == "0o600"

    target = tmp_path / "restored.sqlite3"
    env["DATABASE_URL"] = f"sqlite:///{target}"
    env["DJANGO_MEDIA_ROOT"] = str(tmp_path / "restored-media")
    refused = subprocess.run(
        ["scripts/restore.sh", str(dump)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert refused.returncode != 0 and "FORCE=1" in refused.stderr
    assert not target.exists()
    missing = subprocess.run(
        ["scripts/restore.sh"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert missing.returncode == 2 and "make restore FILE=" in missing.stderr

    env["FORCE"] = "1"
    done = subprocess.run(
        ["scripts/restore.sh", str(dump)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT name FROM t").fetchall() == [("兰山街道",)]
    assert (tmp_path / "restored-media" / "a.pdf").read_bytes() == b"%PDF"


@committed
def test_it_writes_backups_for_the_owner_alone_whatever_the_umask(
    media: Path, tree: Any, tmp_path: Path
):
    """`manage.py backup` run from a shell with umask 022 wrote -rw-r--r-- archives holding
    ID numbers."""
    factories.person(tree.township_a, name="王权限")
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "photo.jpg").write_bytes(b"\xff\xd8 a photo")
    previous = os.umask(0o022)
    try:
        database, files = backup(tmp_path / "backups")
    finally:
        os.umask(previous)
    assert files is not None, "the media archive too"
    written = list((tmp_path / "backups").rglob("*"))
    assert {database, files} <= set(written)
    for path in [tmp_path / "backups", *written]:
        assert path.stat().st_mode & 0o077 == 0, (path.name, oct(path.stat().st_mode))
    assert database.stat().st_mode & 0o777 == files.stat().st_mode & 0o777 == 0o600
    assert os.umask(previous) == previous, "the process's umask is given back"
