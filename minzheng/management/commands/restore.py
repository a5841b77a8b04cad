"""恢复: replace a database (and MEDIA_ROOT) with a backup made by `manage.py backup`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from minzheng.backup import (
    BackupError,
    database_from_url,
    database_restore,
    media_for,
    media_restore,
)


def _describe(database: dict[str, Any]) -> str:
    if database.get("HOST"):
        return f"{database.get('HOST')}:{database.get('PORT') or 5432}/{database['NAME']}"
    return str(database.get("NAME"))


class Command(BaseCommand):
    help = "用备份替换数据库的全部内容（默认是 DATABASE_URL 指向的库），以及上传的文件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="数据库备份：backups/dalei-….dump 或 .sqlite3")
        parser.add_argument(
            "--database-url", default="", help="恢复到哪个库（默认与本系统相同，即 DATABASE_URL）"
        )
        parser.add_argument(
            "--media",
            default="",
            help="文件备份（默认取同一时间的 dalei-…-media.tar.gz；写 none 则不恢复文件）",
        )
        parser.add_argument("--media-root", default="", help="文件恢复到哪里（默认 MEDIA_ROOT）")
        parser.add_argument("--noinput", "--no-input", action="store_true", help="不询问，直接恢复")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["file"])
        url = options["database_url"]
        database = database_from_url(url) if url else dict(connections["default"].settings_dict)
        media = None if options["media"] == "none" else Path(options["media"] or media_for(source))
        if media is not None and not media.is_file():
            if options["media"]:
                raise CommandError(f"找不到文件备份 {media}。")
            media = None
        media_root = Path(options["media_root"] or settings.MEDIA_ROOT)
        if not source.is_file():
            raise CommandError(
                f"找不到备份文件 {source}：请写 backups/ 下的 .dump 或 .sqlite3 文件。"
            )
        if not options["noinput"]:
            self._confirm(source, database, media, media_root)
        # The target may be this process's own database: no open connection may hold it.
        connections.close_all()
        try:
            database_restore(source=source, database=database)
            self.stdout.write(f"数据库 {_describe(database)} 已恢复为 {source.name}。")
            if media is not None:
                aside = media_restore(source=media, media_root=media_root)
                self.stdout.write(f"上传文件已恢复到 {media_root}。")
                if aside:
                    self.stdout.write(f"原有文件已移到 {aside}，确认无误后可删除。")
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS("恢复完成。"))

    def _confirm(
        self, source: Path, database: dict[str, Any], media: Path | None, media_root: Path
    ) -> None:
        what = f"数据库 {_describe(database)} 的全部内容将被 {source.name} 替换"
        if media is not None:
            what += f"，{media_root} 将换成 {media.name} 里的文件"
        if not sys.stdin.isatty():
            raise CommandError(
                f"{what}。确认无误后请加 --noinput（make restore 加 FORCE=1）再运行。"
            )
        answer = input(f"{what}。输入 yes 继续：")
        if answer.strip().lower() != "yes":
            raise CommandError("未恢复：没有输入 yes。")
