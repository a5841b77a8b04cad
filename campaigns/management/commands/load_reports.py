"""Load units' filled report templates (.xlsx, or .zip of them) as the office would upload them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.commands import audited_command
from org.models import User

from ...excel.bulk import Incoming, bulk_load, read_upload


@audited_command("import")
class Command(BaseCommand):
    help = "导入各单位填好的 Excel 月报模板（.xlsx 或装有模板的 .zip）；有文件被退回时退出码为 1"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="填好的模板或 zip 压缩包")
        parser.add_argument(
            "--as", dest="username", required=True, help="以哪个账号导入（局办公室或填报单位）"
        )
        parser.add_argument("--submit", action="store_true", help="导入后直接提交；默认保存为草稿")

    def handle(
        self, *args: Any, files: list[Path], username: str, submit: bool, **options: Any
    ) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"找不到启用的账号“{username}”")
        incoming = []
        for path in files:
            if not path.is_file():
                incoming.append(Incoming(str(path), None, "找不到这个文件"))
                continue
            with path.open("rb") as stream:
                item = read_upload(stream)
            item.name = str(path)
            incoming.append(item)
        results = bulk_load(files=incoming, user=user, submit=submit)
        refused = 0
        for result in results:
            if result.ok:
                done = "已提交" if submit else "已保存为草稿"
                self.stdout.write(
                    self.style.SUCCESS(
                        f"✓ {result.name}：{result.unit} {result.saved} 份月报{done}"
                    )
                )
                continue
            refused += 1
            unit = f"（{result.unit}）" if result.unit else ""
            self.stdout.write(self.style.ERROR(f"✗ {result.name}{unit}：未导入"))
            for problem in result.problems:
                self.stdout.write(f"    {problem}")
        summary = f"共 {len(results)} 个文件：{len(results) - refused} 个已导入，{refused} 个未导入"
        if refused:
            raise CommandError(summary, returncode=1)
        self.stdout.write(summary)
