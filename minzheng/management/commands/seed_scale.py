"""`seed_scale --districts N`: N districts of seed 000's shape (minzheng/scale.py) for the
benchmarks (bench/) and the load test (make loadtest); N=1 a district, N=10 a city.

Each district is written in one transaction: it is there whole or not at all, and a second run
skips the districts already there (and says so). Refused under production settings: every demo
login shares the public demo password.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from minzheng.scale import (
    District,
    Sizes,
    bureau_name,
    open_month_reset,
    scale_logins_refresh,
    size_problems,
    username,
)
from org.models import Unit


class Command(BaseCommand):
    help = (
        "载入规模测试数据：N 个区（每区 15 个镇街、每镇街 6 个社区或村、20 家养老机构、"
        "2 万名救助对象、种子 000 的方案和 12 个月已调度的月报）；N=1 为一个区，N=10 为一个市"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--districts", type=int, default=1, help="区的个数（默认 1）")
        parser.add_argument("--townships", type=int, default=Sizes.townships)
        parser.add_argument("--communities", type=int, default=Sizes.communities)
        parser.add_argument("--institutions", type=int, default=Sizes.institutions)
        parser.add_argument("--persons", type=int, default=Sizes.persons)
        parser.add_argument("--months", type=int, default=Sizes.months)
        parser.add_argument(
            "--reset-open",
            action="store_true",
            help="只把各区正在填报的月份恢复到载入时的状态（压测可以再跑一次），不新建数据",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if str(getattr(settings, "SETTINGS_MODULE", "")).endswith("production"):
            raise CommandError("生产环境不能载入规模测试数据（演示账号共用一个公开的密码）")
        count = options["districts"]
        sizes = Sizes(
            townships=options["townships"],
            communities=options["communities"],
            institutions=options["institutions"],
            persons=options["persons"],
            months=options["months"],
        )
        problems = size_problems(count, sizes)
        if problems:
            raise CommandError("；".join(problems))
        started = time.perf_counter()
        if options["reset_open"]:
            for number in range(1, count + 1):
                reset = open_month_reset(number)
                self.stdout.write(f"第 {number} 区：填报中的月份已恢复（{reset} 份月报）")
            return
        created = 0
        for number in range(1, count + 1):
            if Unit.objects.filter(name=bureau_name(number), parent=None).exists():
                self.stdout.write(f"第 {number}/{count} 区：{bureau_name(number)}已存在，跳过")
                continue
            builder = District(number, sizes, self._say(number, count))
            with transaction.atomic():
                created += builder.build()
        scale_logins_refresh()
        if created and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # the planner's statistics after a bulk load
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"规模测试数据已就绪：{count} 个区，本次新建 {created} 条记录，用时 {elapsed:.1f} 秒。"
                f"演示账号 {username(1, 'leader')}、{username(1, 'jiuzhu')}、{username(1, 't01')} 等，"
                "密码与演示数据相同。"
            )
        )

    def _say(self, number: int, count: int) -> Any:
        started = time.perf_counter()

        def say(step: str) -> None:
            elapsed = time.perf_counter() - started
            self.stdout.write(f"第 {number}/{count} 区 [{elapsed:6.1f} 秒] {step}")
            self.stdout.flush()

        return say
