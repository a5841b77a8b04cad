"""Load the Lanshan demo: the bureau's units, leaders and logins, its records and seed 000's plan,
run on the demo calendar of the day it is loaded (org.demo_calendar).

The project package holds this command because it is the one place that knows every app.
Running it twice changes nothing; `--reset` removes the demo and builds it again for today.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from campaigns.demo import DOC_NUMBER, seed_months, seed_plan, settle_notices
from campaigns.models import Campaign
from eldercare.demo import seed_records as seed_eldercare
from minzheng.demo_reset import demo_remove
from org.demo import seed_org
from org.demo_calendar import DemoCalendar
from org.models import Unit
from relief.demo import seed_records as seed_relief


class Command(BaseCommand):
    help = "载入演示数据：兰山区民政局的单位、局领导、各单位演示账号、台账和按今天日历运行的“打擂攻坚”工作方案"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="只在数据库里还没有任何单位时载入"
        )
        parser.add_argument(
            "--reset", action="store_true", help="删除已有的演示数据，按今天的日历重新载入"
        )

    def handle(
        self, *args: Any, if_empty: bool = False, reset: bool = False, **options: Any
    ) -> None:
        if os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith("production"):
            raise CommandError("生产环境不能载入演示数据（演示账号共用一个公开的密码）")
        if if_empty and Unit.objects.exists():
            self.stdout.write("数据库里已有单位，未载入演示数据。")
            return
        when = DemoCalendar(timezone.localdate())
        if reset:
            removed = demo_remove()
            self.stdout.write(f"已删除原有演示数据 {removed} 条。")
        built = Campaign.objects.filter(doc_number=DOC_NUMBER).first()
        if built is not None and timezone.localdate(built.created_at) != when.today:
            self.stdout.write(
                f"演示数据是 {timezone.localdate(built.created_at):%Y年%m月%d日} 按当天日历载入的，"
                "未改动；要按今天的日历重建，请运行 manage.py seed_demo --reset"
            )
            return
        with transaction.atomic():
            created = seed_org() + seed_relief(when) + seed_eldercare(when) + seed_plan(when)
            created += seed_months(when)
        settle_notices(when)
        month = when.working_month
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已就绪：新建 {created} 条记录；方案期限 {when.start:%Y年%m月}至"
                f"{when.end:%Y年%m月}，{month.year}年{month.month}月正在填报。"
            )
        )
