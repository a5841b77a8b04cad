"""Writes to the eldercare records. Views and seed_demo call these."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from org.models import Unit, UnitKind, User

from . import photos
from .models import (
    CommunityFacility,
    ComprehensiveCentre,
    DisplayItem,
    DisplayPost,
    Inspection,
    Institution,
    slot_day,
)

INSTITUTION_FIELDS = ("ownership", "operator", "address", "beds", "nursing_beds", "residents")
FACILITY_FIELDS = (
    "name",
    "estate",
    "households",
    "estate_era",
    "area",
    "completed_on",
    "fire_safety_done",
    "fire_safety_done_on",
    "note",
)
CENTRE_FIELDS = (
    "name",
    "address",
    "area",
    "beds",
    "full_care",
    "day_care",
    "home_service",
    "guidance",
    "opened_on",
    "note",
)
# A missed day can be made up within a week; it counts as posted, not as on time.
LATE_DAYS = 7


def _unknown(fields: dict[str, Any], allowed: tuple[str, ...], name: str) -> None:
    extra = set(fields) - set(allowed)
    if extra:
        raise TypeError(f"{name} does not take {sorted(extra)}")


def institution_save(*, unit: Unit, user: User | None = None, **fields: Any) -> Institution:
    """Create or change the eldercare profile of an institution unit."""
    _unknown(fields, INSTITUTION_FIELDS, "institution_save")
    if unit.kind != UnitKind.INSTITUTION:
        raise ValidationError({"unit": f"“{unit.name}”不是养老机构"})
    institution = Institution.objects.filter(unit=unit).first() or Institution(unit=unit)
    for key, value in fields.items():
        setattr(institution, key, value)
    institution.full_clean(validate_unique=False)
    institution._history_user = user  # type: ignore[attr-defined]
    institution.save()
    return institution


def facility_save(
    *,
    community: Unit,
    facility: CommunityFacility | None = None,
    user: User | None = None,
    **fields: Any,
) -> CommunityFacility:
    _unknown(fields, FACILITY_FIELDS, "facility_save")
    if community.kind != UnitKind.COMMUNITY:
        raise ValidationError({"community": f"“{community.name}”不是城市社区"})
    facility = facility or CommunityFacility()
    facility.community = community
    for key, value in fields.items():
        setattr(facility, key, value)
    facility.full_clean()
    facility._history_user = user  # type: ignore[attr-defined]
    facility.save()
    return facility


def centre_save(
    *,
    street: Unit,
    centre: ComprehensiveCentre | None = None,
    user: User | None = None,
    **fields: Any,
) -> ComprehensiveCentre:
    _unknown(fields, CENTRE_FIELDS, "centre_save")
    if street.kind != UnitKind.STREET:
        raise ValidationError({"street": f"“{street.name}”不是街道"})
    centre = centre or ComprehensiveCentre()
    centre.street = street
    for key, value in fields.items():
        setattr(centre, key, value)
    centre.full_clean()
    centre._history_user = user  # type: ignore[attr-defined]
    centre.save()
    return centre


def inspection_create(
    *,
    institution: Institution,
    inspected_on: date,
    inspector: str,
    fine_management: Decimal,
    nutrition: Decimal,
    kitchen: Decimal,
    environment: Decimal,
    note: str = "",
    user: User | None = None,
    today: date | None = None,
) -> Inspection:
    if inspected_on > (today or timezone.localdate()):
        raise ValidationError({"inspected_on": "检查日期不能晚于今天"})
    inspection = Inspection(
        institution=institution,
        inspected_on=inspected_on,
        inspector=inspector,
        fine_management=fine_management,
        nutrition=nutrition,
        kitchen=kitchen,
        environment=environment,
        note=note,
        recorded_by=user,
    )
    inspection.full_clean()
    inspection.save()
    return inspection


def post_create(
    *,
    institution: Institution,
    item: str,
    stream: IO[bytes],
    size: int,
    day: date | None = None,
    caption: str = "",
    user: User | None = None,
    now: datetime | None = None,
) -> DisplayPost:
    """Post one 六晒 photo for a day (or the week of that day, for weekly items).

    1. Check the slot is open: not in the future, not older than a week, not posted yet.
    2. Verify and re-encode the photo (metadata stripped), then save the row.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    day = day or today
    if item not in DisplayItem.values:
        raise ValidationError({"item": "请选择要晒的项目"})
    label = DisplayItem(item).label
    slot = slot_day(item, day)
    if day > today:
        raise ValidationError({"day": "不能晒以后的日期"})
    if day < today - timedelta(days=LATE_DAYS):
        raise ValidationError({"day": f"只能补晒 {LATE_DAYS} 天以内的照片"})
    when = "今天" if slot == today else f"{slot:%m月%d日}"
    if item not in (DisplayItem.MEALS, DisplayItem.FOOD_SAMPLES):
        when = "本周" if slot == slot_day(item, today) else f"{slot:%m月%d日}那一周"
    if DisplayPost.objects.filter(institution=institution, item=item, day=slot).exists():
        raise ValidationError({"item": f"{when}的“{label}”已经晒过了"})
    try:
        image = photos.read_image(stream, size)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from None
    stored = photos.store(image, institution_id=institution.pk, day=slot)
    post = DisplayPost(
        institution=institution,
        item=item,
        day=slot,
        photo=stored.photo,
        thumbnail=stored.thumbnail,
        caption=caption,
        posted_at=now,
        on_time=slot == slot_day(item, today),
        posted_by=user,
    )
    post.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            post.save()
    except IntegrityError:
        for relative in (stored.photo, stored.thumbnail):
            photos.media_path(relative).unlink(missing_ok=True)
        raise ValidationError({"item": f"{when}的“{label}”已经晒过了"}) from None
    return post
