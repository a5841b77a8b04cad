"""Reads of the eldercare records, always starting from org.access."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from org.access import (
    VIEW,
    can_write_records,
    get_or_404,
    record_units_visible_to,
    record_units_writable_by,
)
from org.models import RecordsDomain, Role, Unit, UnitKind

from .indicators import slots_due
from .models import (
    DAILY_ITEMS,
    WEEKLY_ITEMS,
    CommunityFacility,
    ComprehensiveCentre,
    DisplayItem,
    DisplayPost,
    Inspection,
    Institution,
)

DOMAIN = RecordsDomain.ELDERCARE


# The records rule is org.access's; these name it for the eldercare records.


def visible_units(user: Any) -> QuerySet[Unit]:
    return record_units_visible_to(user, DOMAIN, VIEW)


def writable_units(user: Any) -> QuerySet[Unit]:
    return record_units_writable_by(user, DOMAIN)


def can_write(user: Any, unit: Unit) -> bool:
    return can_write_records(user, unit, DOMAIN)


def can_inspect(user: Any, unit: Unit) -> bool:
    """四赛 scores are given by the bureau and townships, never by the institution itself."""
    return getattr(user, "role", None) != Role.INSTITUTION and can_write(user, unit)


def institution_units(user: Any) -> QuerySet[Unit]:
    return (
        visible_units(user)
        .filter(kind=UnitKind.INSTITUTION)
        .select_related("parent", "eldercare_profile")
        .order_by("sort_order", "path")
    )


def get_institution_unit(user: Any, pk: Any, *, write: bool = False) -> Unit:
    """An institution unit the user sees (404 otherwise); 403 for a write they may not make."""
    unit = get_or_404(institution_units(user), pk)
    if write and not can_write(user, unit):
        raise PermissionDenied("没有修改该机构记录的权限")
    return unit


def facilities_visible_to(user: Any) -> QuerySet[CommunityFacility]:
    return CommunityFacility.objects.filter(community__in=visible_units(user)).select_related(
        "community", "community__parent"
    )


def get_facility(user: Any, pk: Any, *, write: bool = False) -> CommunityFacility:
    facility = get_or_404(facilities_visible_to(user), pk)
    if write and not can_write(user, facility.community):
        raise PermissionDenied("没有修改该设施的权限")
    return facility


def centres_visible_to(user: Any) -> QuerySet[ComprehensiveCentre]:
    return ComprehensiveCentre.objects.filter(street__in=visible_units(user)).select_related(
        "street"
    )


def get_centre(user: Any, pk: Any, *, write: bool = False) -> ComprehensiveCentre:
    centre = get_or_404(centres_visible_to(user), pk)
    if write and not can_write(user, centre.street):
        raise PermissionDenied("没有修改该中心的权限")
    return centre


def get_post(user: Any, pk: Any) -> DisplayPost:
    posts = DisplayPost.objects.filter(institution__unit__in=visible_units(user))
    return get_or_404(posts, pk)


def communities_for(user: Any, *, write: bool = False) -> QuerySet[Unit]:
    units = writable_units(user) if write else visible_units(user)
    return units.filter(kind=UnitKind.COMMUNITY).order_by("path")


def streets_for(user: Any, *, write: bool = False) -> QuerySet[Unit]:
    units = writable_units(user) if write else visible_units(user)
    return units.filter(kind=UnitKind.STREET).order_by("sort_order", "path")


@dataclass
class StreetSummary:
    street: Unit
    communities: int
    meeting: int
    fire_safety: int

    @property
    def rate(self) -> Decimal | None:
        if not self.communities:
            return None
        return (Decimal(self.meeting) * 100 / self.communities).quantize(Decimal("0.1"))


def facility_summary(user: Any, facilities: list[CommunityFacility]) -> list[StreetSummary]:
    """Per street: communities, those whose facilities meet the standard, fire-safety done."""
    streets = list(streets_for(user))
    counts = dict(
        visible_units(user)
        .filter(kind=UnitKind.COMMUNITY, is_active=True)
        .values_list("parent_id")
        .annotate(n=Count("id"))
    )
    area: dict[int, Decimal] = defaultdict(Decimal)
    need: dict[int, Decimal] = defaultdict(Decimal)
    fire: dict[int, bool] = {}
    for f in facilities:
        need[f.community_id] += f.required_area
        if f.completed_on:
            area[f.community_id] += f.area
        fire[f.community_id] = fire.get(f.community_id, True) and f.fire_safety_done
    street_of = {f.community_id: f.community.parent_id for f in facilities}
    summaries = []
    for street in streets:
        mine = [c for c, s in street_of.items() if s == street.pk]
        summaries.append(
            StreetSummary(
                street=street,
                communities=counts.get(street.pk, 0),
                meeting=sum(1 for c in mine if area[c] and area[c] >= need[c]),
                fire_safety=sum(1 for c in mine if fire.get(c)),
            )
        )
    return summaries


def inspections_of(institution: Institution) -> QuerySet[Inspection]:
    return institution.inspections.order_by("-inspected_on", "-id")


@dataclass
class DayRow:
    day: date
    cells: list[DisplayPost | None]
    due: list[bool]


def displays_month(institution: Institution, month: date, today: date) -> dict[str, Any]:
    """The month's grid: daily items per day, weekly items per week, and what was on time."""
    first = month.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    last = nxt - timedelta(days=1)
    posts = {
        (p.item, p.day): p
        for p in DisplayPost.objects.filter(
            institution=institution, day__gte=first - timedelta(days=6), day__lte=last
        )
    }
    days = []
    day = first
    while day <= last:
        days.append(
            DayRow(day, [posts.get((item, day)) for item in DAILY_ITEMS], [day <= today] * 2)
        )
        day += timedelta(days=1)
    weeks = []
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        weeks.append(
            DayRow(
                monday,
                [posts.get((item, monday)) for item in WEEKLY_ITEMS],
                [first <= monday <= today] * 4,
            )
        )
        monday += timedelta(days=7)
    end = min(last, today)
    due = slots_due(first, end) if end >= first else 0
    made = sum(1 for (_item, d), p in posts.items() if p.on_time and first <= d <= end)
    return {
        "first": first,
        "days": list(reversed(days)),
        "weeks": list(reversed(weeks)),
        "due": due,
        "made": made,
        "rate": (Decimal(made) * 100 / due).quantize(Decimal("0.1")) if due else None,
        "daily_items": [DisplayItem(i).label for i in DAILY_ITEMS],
        "weekly_items": [DisplayItem(i).label for i in WEEKLY_ITEMS],
    }


def displays_by_month(
    institution: Institution, today: date, months: int = 12
) -> list[dict[str, Any]]:
    """Compliance of the last months that have posts (one query)."""
    rows = (
        DisplayPost.objects.filter(institution=institution, on_time=True)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("-month")[:months]
    )
    result = []
    for row in rows:
        first = row["month"]
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        due = slots_due(first, min(last, today))
        result.append(
            {
                "month": first,
                "made": row["n"],
                "due": due,
                "rate": (Decimal(row["n"]) * 100 / due).quantize(Decimal("0.1")) if due else None,
            }
        )
    return result


def latest_post_month(institution: Institution) -> date | None:
    day = (
        DisplayPost.objects.filter(institution=institution)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    return day.replace(day=1) if day else None


def todays_missing(unit: Unit, today: date) -> list[str]:
    """Items still to post today (daily) or this week (weekly)."""
    monday = today - timedelta(days=today.weekday())
    posted = set(
        DisplayPost.objects.filter(
            Q(item__in=DAILY_ITEMS, day=today) | Q(item__in=WEEKLY_ITEMS, day=monday),
            institution_id=unit.pk,
        ).values_list("item", flat=True)
    )
    return [str(DisplayItem(i).label) for i in (*DAILY_ITEMS, *WEEKLY_ITEMS) if i not in posted]
