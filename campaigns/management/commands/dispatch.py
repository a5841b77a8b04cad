"""每月一调度 by hand: close a period, compute its standings and issue its bulletin."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.commands import audited_command

from ...models import Campaign, Period
from ...services.dispatch import period_dispatch
from ...services.reporting import period_bounds


@audited_command("dispatch")
class Command(BaseCommand):
    help = (
        "调度：截止调度期、计算排名并印发调度通报（重复运行只会得到同一期通报，数据有改动时发更正）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", type=int, required=True, help="方案 id")
        parser.add_argument("--period", required=True, help="调度期，如 2020-04")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = Campaign.objects.filter(pk=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"找不到 id 为 {options['campaign']} 的方案")
        try:
            year, month = (int(part) for part in options["period"].split("-"))
            starts, _ends, label = period_bounds(campaign, date(year, month, 1))
        except ValueError:
            raise CommandError(f"调度期应写成 YYYY-MM，收到“{options['period']}”") from None
        period = Period.objects.filter(campaign=campaign, starts=starts).first()
        if period is None:
            raise CommandError(f"《{campaign.title}》没有开启{label}调度期")
        try:
            bulletin = period_dispatch(period=period)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{bulletin.title}（{bulletin.content['issue']}，{bulletin.get_kind_display()}）已印发，"
                f"共 {period.standings.count()} 条排名。"
            )
        )
