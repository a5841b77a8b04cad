"""Rewrite the beat schedule (django-celery-beat) from the campaigns."""

from typing import Any

from django.core.management.base import BaseCommand

from ...schedule import schedule_sync


class Command(BaseCommand):
    help = "按已发布方案的调度日重写定时任务（每日开期、催报、调度；每个方案的调度日）"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"定时任务已同步：{schedule_sync()} 项。")
