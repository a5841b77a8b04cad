"""Disable the accounts with no login for ACCOUNT_IDLE_DAYS days (the nightly job, by hand)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from ...services import users_disable_idle


class Command(BaseCommand):
    help = "停用超过 ACCOUNT_IDLE_DAYS 天未登录的账号（每晚定时任务也会执行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        names = users_disable_idle()
        if settings.ACCOUNT_IDLE_DAYS <= 0:
            self.stdout.write("ACCOUNT_IDLE_DAYS 为 0：不停用任何账号。")
        elif names:
            self.stdout.write(
                f"已停用 {len(names)} 个超过 {settings.ACCOUNT_IDLE_DAYS} 天未登录的账号："
                + "、".join(names)
            )
        else:
            self.stdout.write(f"没有超过 {settings.ACCOUNT_IDLE_DAYS} 天未登录的账号。")
