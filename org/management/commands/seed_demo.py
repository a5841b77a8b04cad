"""Load the Lanshan demo bureau. Running it twice changes nothing."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from org import demo, services
from org.models import Leader, Unit, UnitKind, User


class Command(BaseCommand):
    help = "载入演示数据：兰山区民政局的科室、领导、镇街、社区、养老机构和各角色演示账号"

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
            created = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪：新建 {created} 条记录。"))


def _unit(
    name: str, kind: str, parent: Unit | None, order: int, note: str = ""
) -> tuple[Unit, int]:
    existing = Unit.objects.filter(name=name, parent=parent).first()
    if existing is not None:
        return existing, 0
    unit = services.unit_create(name=name, kind=kind, parent=parent, sort_order=order, note=note)
    return unit, 1


def seed_demo() -> int:
    """Create what is missing of the demo bureau; return how many rows were created."""
    created = 0
    bureau, n = _unit(demo.BUREAU[0], UnitKind.BUREAU, None, 0)
    created += n
    if bureau.short_name != demo.BUREAU[1]:
        services.unit_update(unit=bureau, short_name=demo.BUREAU[1])
    units: dict[str, Unit] = {bureau.name: bureau}
    order = 0
    for name in demo.SECTIONS:
        order += 1
        units[name], n = _unit(name, UnitKind.SECTION, bureau, order)
        created += n
    for names, kind in ((demo.STREETS, UnitKind.STREET), (demo.TOWNS, UnitKind.TOWN)):
        for name in names:
            order += 1
            units[name], n = _unit(name, kind, bureau, order)
            created += n
    order += 1
    units[demo.DEVZONE], n = _unit(demo.DEVZONE, UnitKind.DEVZONE, bureau, order)
    created += n
    for street, communities in demo.COMMUNITIES.items():
        for i, name in enumerate(communities, start=1):
            _, n = _unit(name, UnitKind.COMMUNITY, units[street], i, demo.STAND_IN_NOTE)
            created += n
    for i, (name, township) in enumerate(demo.INSTITUTIONS, start=1):
        parent = units[township] if township else bureau
        units[name], n = _unit(name, UnitKind.INSTITUTION, parent, 100 + i, demo.STAND_IN_NOTE)
        created += n
    for i, name in enumerate(demo.LEADERS, start=1):
        if not Leader.objects.filter(unit=bureau, name=name).exists():
            services.leader_save(name=name, unit=bureau, sort_order=i)
            created += 1
    for username, full_name, role, unit_name, leader_name in demo.USERS:
        if User.objects.filter(username=username).exists():
            continue
        user = services.user_create(
            username=username,
            password=settings.DEMO_PASSWORD,
            role=role,
            scope=[units[unit_name]],
            full_name=full_name,
        )
        created += 1
        if leader_name:
            leader = Leader.objects.get(unit=bureau, name=leader_name)
            services.leader_save(
                leader=leader,
                name=leader.name,
                unit=bureau,
                user=user,
                sort_order=leader.sort_order,
            )
    return created
