"""Read a plan document (.txt or .docx) into a draft campaign for the office to review."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.commands import audited_command
from org.access import bureaus_managed_by
from org.models import Unit, User

from ...models import UNMATCHED_ROLES
from ...services.importing import campaign_import, plan_file_text, unmatched_names


@audited_command("import")
class Command(BaseCommand):
    help = "把工作方案文件（.txt 或 .docx）读成方案草稿，供局办公室核对后发布"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="方案文件：.txt（UTF-8 或 GB18030）或 .docx")
        parser.add_argument("--as", dest="username", default="office", help="以哪个办公室账号导入")
        parser.add_argument(
            "--bureau", type=int, help="导入到哪个局（单位 id）；默认该账号管理的局"
        )

    def handle(
        self, *args: Any, file: Path, username: str, bureau: int | None, **options: Any
    ) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"找不到启用的账号“{username}”")
        bureaus = bureaus_managed_by(user)
        if bureau is not None:
            bureaus = bureaus.filter(pk=bureau)
        target: Unit | None = bureaus.first()
        if target is None:
            raise CommandError(
                f"账号“{username}”不能管理{'这个' if bureau else '任何'}局，不能导入方案"
            )
        if not file.is_file():
            raise CommandError(f"找不到文件 {file}")
        text = self._read(file)
        try:
            campaign = campaign_import(text=text, bureau=target, user=user)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        tasks = campaign.tasks.count()
        chapters = campaign.tasks.values("chapter").distinct().count()
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成方案草稿 #{campaign.pk}《{campaign.title}》：{chapters} 章 {tasks} 项任务。"
            )
        )
        for role, names in unmatched_names(campaign).items():
            self.stdout.write(f"未对应的{UNMATCHED_ROLES[role]}：{'、'.join(names)}")
        for warning in campaign.import_warnings:
            self.stdout.write(f"提示：{warning}")
        self.stdout.write(f"请在 /plans/{campaign.pk}/review/ 核对后发布。")

    def _read(self, file: Path) -> str:
        """The same checks as the upload page (size, zip bomb, entities, encoding)."""
        with file.open("rb") as handle:
            try:
                return plan_file_text(File(handle, name=file.name))
            except ValidationError as error:
                raise CommandError(f"{file.name}：{'；'.join(error.messages)}") from None
