"""Fictional eldercare records for the Lanshan demo: the 17 institutions' profiles with a year
(the demo calendar's twelve months, org.demo_calendar) of 四赛 inspections and 六晒 posts up to the
day the demo is seeded, a facility for each of the 68 communities, and the streets'
comprehensive centres. Fixed seeds: every run builds the same records; a second run adds nothing.

The demo photos are a few generated pictures (Pillow), shared by the posts that show them.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from PIL import Image, ImageDraw, ImageFont
from simple_history.utils import bulk_create_with_history

from org.demo_calendar import DemoCalendar, add_months
from org.models import Unit, UnitKind

from . import photos
from .models import (
    DAILY_ITEMS,
    WEEKLY_ITEMS,
    CommunityFacility,
    ComprehensiveCentre,
    DisplayItem,
    DisplayPost,
    EstateEra,
    Inspection,
    Institution,
    Ownership,
)

BUREAU = "临沂市兰山区民政局"
SEED = 2014
TZ = ZoneInfo("Asia/Shanghai")
# Share of each street's communities whose facility meets the standard by the end of the year.
STREET_COVERAGE = {"兰山街道": 0.89, "银雀山街道": 0.71, "金雀山街道": 0.5, "柳青街道": 0.24}
ESTATES = ["小区", "花园", "家园", "新村", "公寓", "苑"]
COLOURS = {
    DisplayItem.MEALS: (232, 160, 72),
    DisplayItem.FOOD_SAMPLES: (96, 160, 200),
    DisplayItem.KITCHEN: (150, 170, 180),
    DisplayItem.ACTIVITY: (110, 180, 110),
    DisplayItem.ROOMS: (200, 170, 140),
    DisplayItem.SERVICE: (220, 120, 130),
}
FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
VARIANTS = 3


def seed_records(when: DemoCalendar) -> int:
    """Create the demo eldercare records once; return how many rows were created."""
    bureau = Unit.objects.filter(name=BUREAU, kind=UnitKind.BUREAU).first()
    if bureau is None:
        return 0
    institutions = list(
        Unit.objects.filter(path__startswith=bureau.path, kind=UnitKind.INSTITUTION).order_by(
            "sort_order", "path"
        )
    )
    if Institution.objects.filter(unit__in=institutions).exists():
        return 0
    rng = random.Random(SEED)
    start, today = when.start, when.today
    with transaction.atomic():
        created = _institutions(rng, institutions, start)
        created += _facilities(rng, bureau, start, today)
        created += _centres(bureau, start, today)
        profiles = list(
            Institution.objects.filter(unit__in=institutions).order_by("unit__sort_order")
        )
        created += _inspections(rng, profiles, start, today)
        created += _posts(rng, profiles, start, today)
    return created


def _in_month(start: date, month: int, day: int) -> date:
    """Day `day` of the year's `month`-th month (1 = the month `start` begins)."""
    return add_months(start, month - 1).replace(day=day)


def _institutions(rng: random.Random, units: list[Unit], start: date) -> int:
    rows = []
    for unit in units:
        if unit.name.endswith("敬老院"):
            ownership, beds = Ownership.PUBLIC, rng.randrange(60, 160, 10)
        elif unit.name == "兰山区社会福利中心":
            ownership, beds = Ownership.PUBLIC_PRIVATE, 420
        else:
            ownership = rng.choice([Ownership.PRIVATE, Ownership.PRIVATE, Ownership.PUBLIC_PRIVATE])
            beds = rng.randrange(80, 300, 10)
        rows.append(
            Institution(
                unit=unit,
                ownership=ownership,
                operator="（演示）养老服务有限公司" if ownership != Ownership.PUBLIC else "",
                address=f"{unit.parent.name if unit.parent else ''}（演示地址）",
                beds=beds,
                nursing_beds=int(beds * rng.uniform(0.3, 0.55)),
                residents=int(beds * rng.uniform(0.45, 0.9)),
            )
        )
    bulk_create_with_history(rows, Institution, default_date=_at(start))
    return len(rows)


def _at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def _facilities(rng: random.Random, bureau: Unit, start: date, today: date) -> int:
    year_before = start.replace(year=start.year - 1)
    rows = []
    for street_name, coverage in STREET_COVERAGE.items():
        street = Unit.objects.get(parent=bureau, name=street_name)
        communities = list(street.children.filter(kind=UnitKind.COMMUNITY).order_by("sort_order"))
        rng.shuffle(communities)
        meeting = round(len(communities) * coverage)
        for rank, community in enumerate(communities):
            households = rng.randrange(300, 2400, 10)
            era = EstateEra.OLD if rng.random() < 0.65 else EstateEra.NEW
            required = Decimal(households * (15 if era == EstateEra.OLD else 20)) / 100
            if rank < meeting:
                area = required * Decimal(str(round(rng.uniform(1.0, 1.6), 2)))
                # A third were in place before the year; the rest open month by month through it
                # (those due after the day the demo is seeded are still being built).
                completed: date | None = (
                    _in_month(year_before, rng.randrange(1, 13), rng.randrange(1, 28))
                    if rank < meeting // 3
                    else _in_month(start, 1 + (rank * 11) // max(1, meeting), rng.randrange(1, 28))
                )
                if completed and completed > today:
                    completed = None
            elif rng.random() < 0.5:
                area = required * Decimal("0.6")
                completed = _in_month(year_before, rng.randrange(1, 13), 15)
            else:
                area, completed = required, None  # planned, not yet built
            fire = completed is not None and rng.random() < 0.7
            fire_done = completed + timedelta(days=30) if fire and completed else None
            if fire_done and fire_done > today:
                fire_done = None
            rows.append(
                CommunityFacility(
                    community=community,
                    name=f"{community.name.removesuffix('社区')}社区日间照料中心",
                    estate=f"{community.name.removesuffix('社区')}{rng.choice(ESTATES)}",
                    households=households,
                    estate_era=era,
                    area=area.quantize(Decimal("0.1")),
                    completed_on=completed,
                    fire_safety_done=fire_done is not None,
                    fire_safety_done_on=fire_done,
                    note="演示数据",
                )
            )
    bulk_create_with_history(rows, CommunityFacility, default_date=_at(start))
    return len(rows)


def _centres(bureau: Unit, start: date, today: date) -> int:
    specs = [
        (
            "兰山街道",
            "兰山街道综合养老服务中心",
            1800,
            60,
            (True, True, True, True),
            _in_month(start, 9, 28),
        ),
        (
            "银雀山街道",
            "银雀山街道综合养老服务中心",
            1500,
            45,
            (True, True, True, False),
            _in_month(start, 11, 18),
        ),
        ("金雀山街道", "金雀山街道综合养老服务中心", 1200, 40, (True, True, False, False), None),
    ]
    rows = []
    for street_name, name, area, beds, functions, opened in specs:
        street = Unit.objects.get(parent=bureau, name=street_name)
        rows.append(
            ComprehensiveCentre(
                street=street,
                name=name,
                address=f"{street_name}（演示地址）",
                area=Decimal(area),
                beds=beds,
                full_care=functions[0],
                day_care=functions[1],
                home_service=functions[2],
                guidance=functions[3],
                opened_on=opened if opened and opened <= today else None,
                note="演示数据",
            )
        )
    bulk_create_with_history(rows, ComprehensiveCentre, default_date=_at(start))
    return len(rows)


def _inspections(rng: random.Random, profiles: list[Institution], start: date, today: date) -> int:
    rows = []
    levels = [96, 94, 93, 91, 90, 89, 88, 87, 85, 84, 82, 80, 78, 76, 74, 71, 68]
    rng.shuffle(levels)
    for profile, level in zip(profiles, levels, strict=False):
        for month in range(1, 13):
            drift = (month - 6) * rng.uniform(-0.3, 0.6)

            def score() -> Decimal:
                value = min(100.0, max(40.0, level + drift + rng.uniform(-6, 4)))  # noqa: B023
                return Decimal(str(round(value, 1)))

            rows.append(
                Inspection(
                    institution=profile,
                    inspected_on=_in_month(start, month, rng.randrange(10, 26)),
                    inspector=rng.choice(
                        ["养老服务科 范建勋", "养老服务科 王芳", "镇街民政办 李娜"]
                    ),
                    fine_management=score(),
                    nutrition=score(),
                    kitchen=score(),
                    environment=score(),
                )
            )
    rows = [row for row in rows if row.inspected_on <= today]
    Inspection.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _demo_photos() -> dict[str, list[tuple[str, str]]]:
    """A few pictures per item, drawn once and shared by the demo posts."""
    try:
        font = ImageFont.truetype(str(FONT), 44) if FONT.exists() else ImageFont.load_default()
    except OSError:
        font = ImageFont.load_default()
    result: dict[str, list[tuple[str, str]]] = {}
    for item in DisplayItem:
        result[item.value] = []
        for variant in range(VARIANTS):
            photo = f"{photos.ROOT}/demo/{item.value}-{variant}.jpg"
            thumb = f"{photos.ROOT}/demo/{item.value}-{variant}_t.jpg"
            result[item.value].append((photo, thumb))
            if photos.media_path(photo).exists() and photos.media_path(thumb).exists():
                continue
            r, g, b = COLOURS[item]
            shade = variant * 18
            image = Image.new("RGB", (800, 600), (r - shade, g - shade // 2, b))
            draw = ImageDraw.Draw(image)
            for k in range(5 + variant):
                x, y = 90 + k * 120 % 640, 160 + (k * 97 + variant * 40) % 300
                draw.ellipse((x, y, x + 110, y + 110), fill=(250, 248, 240), outline=(80, 80, 80))
            text = f"{item.label} · 演示照片" if FONT.exists() else "DEMO"
            draw.rectangle((0, 0, 800, 90), fill=(255, 255, 255))
            draw.text((30, 18), text, fill=(60, 60, 60), font=font)
            for relative, side in ((photo, photos.MAX_SIDE), (thumb, photos.THUMB_SIDE)):
                path = photos.media_path(relative)
                path.parent.mkdir(parents=True, exist_ok=True)
                copy = image.copy()
                copy.thumbnail((side, side))
                copy.save(path, format="JPEG", quality=80)
    return result


def _posts(rng: random.Random, profiles: list[Institution], start: date, today: date) -> int:
    pictures = _demo_photos()
    levels = [
        1.0,
        0.99,
        0.98,
        0.97,
        0.96,
        0.95,
        0.93,
        0.92,
        0.9,
        0.88,
        0.85,
        0.82,
        0.78,
        0.7,
        0.62,
        0.5,
        0.4,
    ]
    rng.shuffle(levels)
    rows = []
    # Posted up to yesterday: today's photos are the institutions' to post in the demo.
    first, last = start, min(add_months(start, 12) - timedelta(days=1), today - timedelta(days=1))
    for profile, level in zip(profiles, levels, strict=False):
        day = first
        while day <= last:
            items = list(DAILY_ITEMS)
            if day.weekday() == 0:
                items += list(WEEKLY_ITEMS)
            for item in items:
                if rng.random() > level:
                    continue
                late = rng.random() < 0.04
                posted = day + timedelta(
                    days=(1 if item in DAILY_ITEMS else 7)
                    if late
                    else rng.randrange(0, 1 if item in DAILY_ITEMS else 5)
                )
                photo, thumb = rng.choice(pictures[item])
                if posted >= today:
                    continue  # not posted yet when the demo is seeded
                rows.append(
                    DisplayPost(
                        institution=profile,
                        item=item,
                        day=day,
                        photo=photo,
                        thumbnail=thumb,
                        posted_at=_at(posted, rng.randrange(7, 19), rng.randrange(60)),
                        on_time=not late,
                    )
                )
            day += timedelta(days=1)
    DisplayPost.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
