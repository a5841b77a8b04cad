"""How long each computed indicator takes at city scale: ten districts on one installation.

Builds a throw-away database (SQLite in a temporary file unless DATABASE_URL names another,
e.g. postgres://postgres@127.0.0.1:5432/minzheng_bench, which it creates and drops) with
10 districts × 15 townships (4 streets with 17 communities each), 20 institutions per
district, 50,000 persons with their support periods, a year of visits, 680 community
facilities, a year of 四赛 inspections and 六晒 posts; then times every compute function for
all units of its kind, as a campaign's dispatch would call it, and prints the figures.

    .venv/bin/python bench/records_compute.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minzheng_bench .venv/bin/python bench/records_compute.py
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minzheng.settings.test")
TMP = tempfile.mkdtemp(prefix="records-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")

DISTRICTS = 10
STREETS, TOWNS, COMMUNITIES = 4, 11, 17
INSTITUTIONS = 20
PERSONS = 50_000
TEKUN_SHARE = 0.2
YEAR = 2020
TZ = ZoneInfo("Asia/Shanghai")


def setup_database() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        from django.db import connections

        # Work in a database of our own, created fresh and dropped at the end.
        target = connection.settings_dict["NAME"]
        if not target.endswith("_bench"):
            sys.exit("DATABASE_URL 应指向一个以 _bench 结尾的数据库：基准测试会先删除再重建它")
        with connection._nodb_cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
            cursor.execute(f'CREATE DATABASE "{target}"')
        connections.close_all()
    call_command("migrate", verbosity=0)


def add_unit(name: str, kind: str, parent):
    from org.models import Unit

    unit = Unit.objects.create(name=name, kind=kind, parent=parent)
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    return unit


def build_units() -> dict[str, list]:
    """Every district's bureau, streets with their communities, towns and institutions."""
    from org.models import UnitKind

    units: dict[str, list] = {"townships": [], "streets": [], "communities": [], "institutions": []}
    townships = units["townships"]
    for d in range(DISTRICTS):
        bureau = add_unit(f"第{d + 1}区民政局", UnitKind.BUREAU, None)
        for s in range(STREETS):
            street = add_unit(f"{d}区{s}街道", UnitKind.STREET, bureau)
            townships.append(street)
            units["streets"].append(street)
            for c in range(COMMUNITIES):
                units["communities"].append(
                    add_unit(f"{street.name}{c}社区", UnitKind.COMMUNITY, street)
                )
        for t in range(TOWNS):
            townships.append(add_unit(f"{d}区{t}镇", UnitKind.TOWN, bureau))
        for i in range(INSTITUTIONS):
            parent = townships[-1 - (i % TOWNS)]
            units["institutions"].append(add_unit(f"{d}区{i}养老院", UnitKind.INSTITUTION, parent))
    return units


def build_persons(rng: random.Random, townships: list) -> list:
    """PERSONS persons with distinct valid ID numbers, a share of them 特困."""
    from relief import idnumber
    from relief.models import Person

    persons = []
    used: set[str] = set()
    for n in range(PERSONS):
        township = rng.choice(townships)
        while True:
            born = date(1930, 1, 1) + timedelta(days=rng.randrange(30_000))
            number = idnumber.make("371302", born, rng.randrange(1000))
            if number not in used:
                used.add(number)
                break
        tekun = rng.random() < TEKUN_SHARE
        persons.append(
            Person(
                unit=township,
                name=f"对象{n}",
                id_number=number,
                gender=idnumber.gender(number),
                birth_date=idnumber.born_on(number),
                assistance="tekun" if tekun else "urban_dibao",
                support_mode=rng.choice(["concentrated", "dispersed"]) if tekun else "",
                self_care=rng.choice(["full", "partial", "none"]) if tekun else "",
                since=date(2015, 1, 1),
            )
        )
    Person.objects.bulk_create(persons, batch_size=2000)
    return persons


def build_periods_and_visits(rng: random.Random, persons: list) -> tuple[list, list]:
    """Each person's support periods (some moved to 集中 during the year) and a year of visits."""
    from relief.models import Person, SupportPeriod, Visit

    ids = dict(Person.objects.values_list("id_number", "pk"))
    periods, visits = [], []
    for p in persons:
        p.pk = ids[p.id_number]
        moved = p.support_mode == "concentrated" and rng.random() < 0.3
        base = {"person_id": p.pk, "unit_id": p.unit_id, "assistance": p.assistance}
        if moved:
            day = date(YEAR, rng.randrange(1, 13), 15)
            periods.append(
                SupportPeriod(
                    **base,
                    starts_on=p.since,
                    ends_on=day,
                    support_mode="dispersed",
                    self_care=p.self_care,
                )
            )
            periods.append(
                SupportPeriod(
                    **base, starts_on=day, support_mode="concentrated", self_care=p.self_care
                )
            )
        else:
            periods.append(
                SupportPeriod(
                    **base,
                    starts_on=p.since,
                    support_mode=p.support_mode,
                    self_care=p.self_care,
                )
            )
        if p.support_mode == "dispersed":
            for month in range(1, 13):
                if rng.random() < 0.8:
                    visits.append(
                        Visit(
                            person_id=p.pk,
                            visited_on=date(YEAR, month, rng.randrange(1, 29)),
                            visitor="x",
                        )
                    )
    SupportPeriod.objects.bulk_create(periods, batch_size=5000)
    Visit.objects.bulk_create(visits, batch_size=5000)
    return periods, visits


def build_eldercare(rng: random.Random, communities: list, institutions: list) -> list:
    """Community facilities, the institutions' profiles, a year of 四赛 and 六晒; the posts."""
    from eldercare.models import (
        DAILY_ITEMS,
        WEEKLY_ITEMS,
        CommunityFacility,
        DisplayPost,
        Inspection,
        Institution,
    )

    CommunityFacility.objects.bulk_create(
        [
            CommunityFacility(
                community=c,
                name="设施",
                estate="小区",
                households=rng.randrange(300, 2000),
                estate_era=rng.choice(["old", "new"]),
                area=Decimal(rng.randrange(50, 400)),
                completed_on=date(YEAR, rng.randrange(1, 13), 1) if rng.random() < 0.8 else None,
            )
            for c in communities
        ]
    )
    profiles = Institution.objects.bulk_create(
        [Institution(unit=u, ownership="public", beds=100) for u in institutions]
    )
    Inspection.objects.bulk_create(
        [
            Inspection(
                institution=i,
                inspected_on=date(YEAR, m, 15),
                inspector="x",
                fine_management=Decimal(90),
                nutrition=Decimal(85),
                kitchen=Decimal(80),
                environment=Decimal(95),
            )
            for i in profiles
            for m in range(1, 13)
        ],
        batch_size=5000,
    )
    posts = []
    posted = datetime(YEAR, 1, 1, 10, tzinfo=TZ)
    for i in profiles:
        day = date(YEAR, 1, 1)
        while day.year == YEAR:
            items = [*DAILY_ITEMS, *(WEEKLY_ITEMS if day.weekday() == 0 else ())]
            for item in items:
                if rng.random() < 0.9:
                    posts.append(
                        DisplayPost(
                            institution=i,
                            item=item,
                            day=day,
                            photo="x",
                            thumbnail="x",
                            posted_at=posted,
                            on_time=rng.random() < 0.95,
                        )
                    )
            day += timedelta(days=1)
    DisplayPost.objects.bulk_create(posts, batch_size=5000)
    return posts


def build() -> dict[str, list]:
    from django.db import transaction

    rng = random.Random(1)
    with transaction.atomic():
        units = build_units()
        persons = build_persons(rng, units["townships"])
        periods, visits = build_periods_and_visits(rng, persons)
        posts = build_eldercare(rng, units["communities"], units["institutions"])
    print(
        f"built: {len(units['townships'])} townships, {len(units['communities'])} communities, "
        f"{len(units['institutions'])} institutions, {len(persons)} persons, {len(periods)} periods, "
        f"{len(visits)} visits, {len(posts)} 六晒 posts"
    )
    return {k: units[k] for k in ("townships", "streets", "institutions")}


def measure(units: dict[str, list]) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from org import computed

    kinds = {
        "relief.concentrated_care_rate": "townships",
        "relief.dispersed_visit_rate": "townships",
        "eldercare.community_facility_rate": "streets",
        "eldercare.four_contests_score": "institutions",
        "eldercare.six_displays_rate": "institutions",
    }
    as_of = date(YEAR, 10, 31)
    print(f"database: {connection.vendor}; as of {as_of}; best of 5 runs")
    for key, kind in kinds.items():
        spec = computed.get(key)
        assert spec is not None and spec.compute is not None
        wanted = units[kind]
        timings = []
        for _ in range(5):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = spec.compute(wanted, as_of)
                timings.append(time.perf_counter() - started)
        print(
            f"  {key:36} {len(wanted):4} {kind:12} {min(timings) * 1000:8.1f} ms  "
            f"{len(queries.captured_queries)} query  ({len(result)} values)"
        )


def main() -> None:
    setup_database()
    started = time.perf_counter()
    units = build()
    print(f"build took {time.perf_counter() - started:.1f} s")
    measure(units)
    from django.db import connection

    if connection.vendor == "postgresql":
        target = connection.settings_dict["NAME"]
        connection.close()
        with connection._nodb_cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')


if __name__ == "__main__":
    main()
