"""Eldercare records for tests, made through the services."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from PIL import Image

from eldercare import services
from eldercare.models import (
    CommunityFacility,
    ComprehensiveCentre,
    DisplayPost,
    EstateEra,
    Institution,
    Ownership,
)
from org.models import Unit

TZ = ZoneInfo("Asia/Shanghai")


def institution(unit: Unit, **fields: Any) -> Institution:
    values = {"ownership": Ownership.PUBLIC, "beds": 100, "nursing_beds": 40, "residents": 60}
    return services.institution_save(unit=unit, **(values | fields))


def jpeg(size: tuple[int, int] = (64, 48), exif: bytes | None = None, fmt: str = "JPEG") -> bytes:
    buffer = BytesIO()
    image = Image.new("RGB", size, (200, 120, 40))
    if exif is not None:
        image.save(buffer, format=fmt, exif=exif)
    else:
        image.save(buffer, format=fmt)
    return buffer.getvalue()


def post(
    unit: Unit, *, item: str = "meals", day: date | None = None, now: datetime | None = None
) -> DisplayPost:
    profile = Institution.objects.filter(unit=unit).first() or institution(unit)
    now = now or datetime(2020, 6, 10, 10, 0, tzinfo=TZ)
    data = jpeg()
    return services.post_create(
        institution=profile,
        item=item,
        stream=BytesIO(data),
        size=len(data),
        day=day or now.date(),
        now=now,
    )


def facility(community: Unit, **fields: Any) -> CommunityFacility:
    values: dict[str, Any] = {
        "name": f"{community.name}日间照料中心",
        "estate": f"{community.name}小区",
        "households": 1000,
        "estate_era": EstateEra.OLD,
        "area": Decimal(150),
        "completed_on": date(2019, 6, 1),
    }
    return services.facility_save(community=community, **(values | fields))


def centre(street: Unit, **fields: Any) -> ComprehensiveCentre:
    values: dict[str, Any] = {"name": f"{street.name}综合养老服务中心", "full_care": True}
    return services.centre_save(street=street, **(values | fields))
