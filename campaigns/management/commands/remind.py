"""Remind units that have not submitted their reports; safe to run many times a day."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from audit.commands import audited_command

from ...services.reporting import reminders_send


@audited_command("remind")
class Command(BaseCommand):
    help = "向还没有提交月报的单位发催报提醒（截止日前若干天起，截止后每天一次；同一天不重复）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按这一天催报（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        given = options.get("date")
        try:
            day = _parse(given) if given else timezone.localdate()
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD，收到“{given}”") from None
        sent = reminders_send(day=day)
        self.stdout.write(f"{day:%Y年%m月%d日}：向 {sent} 个单位发出催报提醒。")


def _parse(text: str) -> date:
    return date.fromisoformat(text)
