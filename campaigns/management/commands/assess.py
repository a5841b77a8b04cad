"""年终考核 by hand: work out the year's assessment afresh from the dispatched months."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.commands import audited_command

from ...models import Campaign
from ...services.assessment import year_assess


@audited_command("create")
class Command(BaseCommand):
    help = "年终考核：按全年已调度月份的得分和加扣分计算各单位总分、名次和等次（可重复运行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", type=int, required=True, help="方案 id")
        parser.add_argument("--year", type=int, required=True, help="年度，如 2020")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = Campaign.objects.select_related("bureau").filter(pk=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"找不到 id 为 {options['campaign']} 的方案")
        try:
            rows = year_assess(campaign, options["year"])
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        for row in rows:
            self.stdout.write(f"{row.rank:>3}  {row.unit.name}  {row.total}  {row.grade}")
        self.stdout.write(
            self.style.SUCCESS(f"{options['year']}年度考核完成，共 {len(rows)} 个单位。")
        )
