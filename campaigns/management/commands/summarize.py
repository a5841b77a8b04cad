"""每季一小结 by hand: draft a quarter's summary once all its periods are dispatched."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.commands import audited_command

from ...models import Campaign
from ...services.quarterly import parse_quarter, quarter_summarize


@audited_command("create")
class Command(BaseCommand):
    help = "季度小结：季度各月调度后生成小结初稿（数据不变时重复运行得到同一份，通报更正后生成新的一版）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", type=int, required=True, help="方案 id")
        parser.add_argument("--quarter", required=True, help="季度，如 2020-Q2")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = Campaign.objects.select_related("bureau").filter(pk=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"找不到 id 为 {options['campaign']} 的方案")
        try:
            year, quarter = parse_quarter(options["quarter"])
            summary = quarter_summarize(campaign, year, quarter)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        state = "已发布" if summary.published_at else "初稿，待局办公室修改后发布"
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.title}（{summary.content['issue']}，第{summary.revision}版，{state}）"
            )
        )
