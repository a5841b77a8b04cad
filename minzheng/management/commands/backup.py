"""备份: the database and the uploaded files, under one time stamp, into a backup folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from minzheng.backup import BackupError, backup_create, backups_prune


class Command(BaseCommand):
    help = "备份数据库（PostgreSQL 用 pg_dump，SQLite 用在线备份）和上传的文件（MEDIA_ROOT）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", default="backups", help="备份放在哪个文件夹（默认 backups）")
        parser.add_argument(
            "--keep-days",
            type=int,
            default=0,
            help="备份完成后删除这个文件夹里早于这么多天的备份（默认 0：不删除）",
        )

    def handle(self, *args: Any, dir: str, keep_days: int, **options: Any) -> None:
        directory = Path(dir)
        try:
            made = backup_create(directory=directory, media_root=Path(settings.MEDIA_ROOT))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"数据库：{made.database}（{made.database.stat().st_size:,} 字节）")
        if made.media:
            self.stdout.write(f"上传文件：{made.media}（{made.media.stat().st_size:,} 字节）")
        else:
            self.stdout.write(f"上传文件：{settings.MEDIA_ROOT} 不存在，没有需要备份的文件。")
        if keep_days > 0:
            for path in backups_prune(directory=directory, keep_days=keep_days):
                self.stdout.write(f"已删除 {keep_days} 天前的备份：{path}")
        self.stdout.write(self.style.SUCCESS("备份完成。"))
