"""Load the Lanshan demo: the bureau's units, leaders and logins, then seed 000's plan.

The project package holds this command because it is the one place that knows every app.
Running it twice changes nothing.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from campaigns.demo import seed_months, seed_plan
from eldercare.demo import seed_records as seed_eldercare
from org.demo import seed_org
from org.models import Unit
from relief.demo import seed_records as seed_relief


class Command(BaseCommand):
    help = "载入演示数据：兰山区民政局的单位、局领导、各角色演示账号和“打擂攻坚”工作方案"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="只在数据库里还没有任何单位时载入"
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith("production"):
            raise CommandError("生产环境不能载入演示数据（演示账号共用一个公开的密码）")
        if if_empty and Unit.objects.exists():
            self.stdout.write("数据库里已有单位，未载入演示数据。")
            return
        with transaction.atomic():
            created = seed_org() + seed_relief() + seed_eldercare() + seed_plan() + seed_months()
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪：新建 {created} 条记录。"))
