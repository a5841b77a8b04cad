"""Reads of the relief rosters, always starting from org.access: what a user may see or keep."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from org.access import (
    REPORT,
    VIEW,
    can_write_records,
    get_or_404,
    record_unit_ids_visible_to,
    record_units_visible_to,
    record_units_writable_by,
)
from org.models import TOWNSHIP_KINDS, RecordsDomain, Role, Unit, UnitKind, User

from .models import (
    Assistance,
    Household,
    IdClaim,
    IdClaimStatus,
    Person,
    PersonStatus,
    SupportMode,
    Visit,
)

DOMAIN = RecordsDomain.RELIEF


# The records rule is org.access's; these name it for the relief rosters.


def visible_units(user: Any) -> QuerySet[Unit]:
    return record_units_visible_to(user, DOMAIN, VIEW)


def writable_units(user: Any) -> QuerySet[Unit]:
    return record_units_writable_by(user, DOMAIN)


def can_write(user: Any, unit: Unit) -> bool:
    return can_write_records(user, unit, DOMAIN)


def can_see_full_id(user: Any, person: Person) -> bool:
    """Township staff for their own persons, and the section that keeps the relief rosters.

    Leaders, the office and institutions see masked numbers only, whatever they may read.
    """
    if getattr(user, "role", None) not in (Role.TOWNSHIP, Role.SECTION):
        return False
    return record_units_visible_to(user, DOMAIN, REPORT).filter(pk=person.unit_id).exists()


# Who may take the roster away as a file (a bulk export of personal data, audited): the
# townships and the section that keep it, and the office that answers for the bureau's figures.
# Leaders read it on screen; ID numbers are masked in the file whoever exports it.
ROSTER_EXPORT_ROLES = (Role.TOWNSHIP, Role.SECTION, Role.OFFICE)


def can_export_roster(user: Any) -> bool:
    return getattr(user, "role", None) in ROSTER_EXPORT_ROLES


def persons_visible_to(user: Any) -> QuerySet[Person]:
    return Person.objects.filter(unit__in=visible_units(user))


def households_visible_to(user: Any) -> QuerySet[Household]:
    return Household.objects.filter(unit__in=visible_units(user))


def get_person(user: Any, pk: Any, *, write: bool = False) -> Person:
    """The person, 404 outside the user's sight, 403 when seen but not theirs to keep."""
    person = get_or_404(
        persons_visible_to(user).select_related("unit", "community", "household", "institution"),
        pk,
    )
    if write and not can_write(user, person.unit):
        raise PermissionDenied("没有修改该记录的权限")
    return person


def get_household(user: Any, pk: Any) -> Household:
    return get_or_404(households_visible_to(user).select_related("unit", "community"), pk)


def townships_for(user: Any, *, write: bool = False) -> QuerySet[Unit]:
    units = writable_units(user) if write else visible_units(user)
    return units.filter(kind__in=(UnitKind.STREET, UnitKind.TOWN, UnitKind.DEVZONE)).order_by(
        "sort_order", "path"
    )


def filter_units(user: Any) -> list[Unit]:
    """Townships with their communities and villages under them, for the list's filter."""
    kinds = (*TOWNSHIP_KINDS, UnitKind.COMMUNITY, UnitKind.VILLAGE)
    units = visible_units(user).filter(kind__in=kinds, is_active=True).order_by("path")
    return list(units)


def communities_for(user: Any, *, write: bool = False) -> QuerySet[Unit]:
    units = writable_units(user) if write else visible_units(user)
    return units.filter(kind__in=(UnitKind.COMMUNITY, UnitKind.VILLAGE)).order_by("path")


def month_start(day: date) -> date:
    return day.replace(day=1)


def visited_in_month(day: date) -> Exists:
    return Exists(
        Visit.objects.filter(
            person=OuterRef("pk"), visited_on__gte=month_start(day), visited_on__lte=day
        )
    )


@dataclass
class PersonFilter:
    query: str = ""
    unit: int | None = None
    assistance: str = ""
    support_mode: str = ""
    self_care: str = ""
    status: str = PersonStatus.ACTIVE
    unvisited: bool = False  # 分散供养特困人员 with no visit this month


def person_list(
    user: Any, filters: PersonFilter, *, today: date, unit_ids: list[int] | None = None
) -> QuerySet[Person]:
    """`unit_ids`: the units whose persons the user sees (visible_unit_ids), when read already."""
    visible = (
        Person.objects.filter(unit_id__in=unit_ids)
        if unit_ids is not None
        else persons_visible_to(user)
    )
    persons = visible.select_related("unit", "community")
    if filters.query:
        q = filters.query
        condition = Q(name__contains=q) | Q(household__number=q)
        if len(q) == 4:  # the last four characters of an ID number, as people read them out
            condition |= Q(id_number__endswith=q.upper())
        persons = persons.filter(condition)
    if filters.unit:
        unit = visible_units(user).filter(pk=filters.unit).first()
        if unit is None:
            return persons.none()
        persons = persons.filter(Q(unit=unit) | Q(community=unit))
    for field in ("assistance", "support_mode", "self_care", "status"):
        value = getattr(filters, field)
        if value:
            persons = persons.filter(**{field: value})
    if filters.unvisited:
        persons = persons.filter(
            assistance=Assistance.TEKUN,
            support_mode=SupportMode.DISPERSED,
            status=PersonStatus.ACTIVE,
        ).exclude(visited_in_month(today))
    return persons.order_by("unit__sort_order", "unit_id", "community_id", "name", "id")


def person_counts(user: Any) -> dict[str, int]:
    """Active persons by category, for the list's header (one query)."""
    row = (
        persons_visible_to(user)
        .filter(status=PersonStatus.ACTIVE)
        .aggregate(
            total=Count("id"),
            **{a.value: Count("id", filter=Q(assistance=a.value)) for a in Assistance},
            concentrated=Count("id", filter=Q(support_mode=SupportMode.CONCENTRATED)),
        )
    )
    return {key: value or 0 for key, value in row.items()}


def visible_unit_ids(user: Any) -> list[int]:
    """The ids of `visible_units`, read now: the home page's panel counts and lists by them."""
    return record_unit_ids_visible_to(user, DOMAIN, VIEW)


def unvisited_this_month(user: User, *, today: date) -> QuerySet[Person]:
    return person_list(
        user, PersonFilter(unvisited=True), today=today, unit_ids=visible_unit_ids(user)
    )


def person_history(person: Person) -> list[dict[str, Any]]:
    """The edits of a person's record, newest first, in words: labels, names, masked numbers."""
    from . import idnumber

    records = list(person.history.select_related("history_user").order_by("-history_date")[:50])
    fields = {f.name: f for f in Person._meta.fields}
    diffs = [
        (newer, newer.diff_against(older).changes if older is not None else [])
        for newer, older in zip(records, [*records[1:], None], strict=False)
    ]
    unit_ids = {
        value
        for _newer, changes in diffs
        for change in changes
        if change.field in ("unit", "community", "institution")
        for value in (change.old, change.new)
        if value
    }
    names = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))

    def words(name: str, value: Any) -> Any:
        if value in (None, ""):
            return ""
        if name == "id_number":
            return idnumber.mask(str(value))
        if name in ("unit", "community", "institution"):
            return names.get(value, "")
        choices = dict(fields[name].choices or []) if name in fields else {}
        return choices.get(value, value)

    rows: list[dict[str, Any]] = []
    for newer, changes in diffs:
        shown = [
            {
                "field": str(fields[c.field].verbose_name) if c.field in fields else c.field,
                "old": words(c.field, c.old),
                "new": words(c.field, c.new),
            }
            for c in changes
            if c.field not in ("updated_at", "created_at", "household")
        ]
        rows.append(
            {
                "when": newer.history_date,
                "user": newer.history_user,
                "type": newer.get_history_type_display(),
                "changes": shown,
            }
        )
    return rows


def keeps_relief_desk(user: Any) -> bool:
    """Who decides the registrations held for review (身份证号核实): the bureau-level keepers of
    the relief rosters among ROSTER_EXPORT_ROLES, i.e. the 社会救助科 (the section that keeps
    them) and the office; never a township."""
    role = getattr(user, "role", None)
    if role not in ROSTER_EXPORT_ROLES or not user.is_active:
        return False
    if role == Role.OFFICE:
        return True
    if role != Role.SECTION:
        return False
    return Unit.objects.filter(members=user, kind=UnitKind.SECTION, keeps_records=DOMAIN).exists()


def claims_for_desk(user: Any) -> QuerySet[IdClaim]:
    """The held registrations of the townships the desk keeps: nobody else sees any."""
    if not keeps_relief_desk(user):
        return IdClaim.objects.none()
    return IdClaim.objects.filter(unit__in=writable_units(user))


def pending_claims(user: Any) -> QuerySet[IdClaim]:
    return (
        claims_for_desk(user)
        .filter(status=IdClaimStatus.PENDING)
        .select_related("unit", "requested_by")
        .order_by("created_at", "id")
    )


def get_claim(user: Any, pk: Any) -> IdClaim:
    """The claim, 404 for anyone off the section's desk (a township never opens one)."""
    return get_or_404(
        claims_for_desk(user).select_related("unit", "requested_by", "decided_by", "person"), pk
    )


def claim_person(user: Any, claim: IdClaim) -> Person | None:
    """The person the claim's number belongs to, if the section may see them (not a person of
    another bureau on a shared installation)."""
    if claim.person_id is None:
        return None
    return (
        persons_visible_to(user)
        .select_related("unit", "community", "household", "institution")
        .filter(pk=claim.person_id)
        .first()
    )


def claim_comparison(claim: IdClaim, person: Person | None) -> list[dict[str, Any]]:
    """The registration as typed beside the record on the roster, field by field, in words and
    with both numbers masked: what the section reads before deciding."""
    from . import idnumber

    data = claim.data
    names = dict(
        Unit.objects.filter(
            pk__in=[pk for pk in (data.get("community"), data.get("institution")) if pk]
        ).values_list("pk", "name")
    )

    def label(choices: Any, value: Any) -> str:
        return str(dict(choices).get(value, value or "—"))

    fields = Person._meta
    typed = {
        "unit": claim.unit.name,
        "community": names.get(data.get("community"), "—"),
        "household": data.get("household_number") or "—",
        "name": claim.name,
        "id_number": idnumber.mask(claim.id_number),
        "relation": data.get("relation") or "—",
        "phone": data.get("phone") or "—",
        "assistance": label(fields.get_field("assistance").choices, data.get("assistance")),
        "support_mode": label(fields.get_field("support_mode").choices, data.get("support_mode")),
        "self_care": label(fields.get_field("self_care").choices, data.get("self_care")),
        "institution": names.get(data.get("institution"), "—"),
        "since": data.get("since") or "—",
        "monthly_amount": data.get("monthly_amount") or "—",
        "status": "—",
        "note": data.get("note") or "—",
    }
    on_roster: dict[str, str] = {}
    if person is not None:
        on_roster = {
            "unit": person.unit.name,
            "community": person.community.name if person.community else "—",
            "household": person.household.number if person.household else "—",
            "name": person.name,
            "id_number": person.masked_id_number,
            "relation": person.relation or "—",
            "phone": person.phone or "—",
            "assistance": person.get_assistance_display(),
            "support_mode": person.get_support_mode_display() or "—",
            "self_care": person.get_self_care_display() or "—",
            "institution": person.institution.name if person.institution else "—",
            "since": person.since.isoformat(),
            "monthly_amount": str(person.monthly_amount)
            if person.monthly_amount is not None
            else "—",
            "status": person.get_status_display()
            + (f"（{person.ended_on.isoformat()} 退出）" if person.ended_on else ""),
            "note": person.note or "—",
        }
    labels = {
        "unit": "镇街",
        "community": "社区（村）",
        "household": "户编号",
        "name": "姓名",
        "id_number": "身份证号",
        "relation": "与户主关系",
        "phone": "联系电话",
        "assistance": "保障类别",
        "support_mode": "供养方式",
        "self_care": "自理能力",
        "institution": "供养机构",
        "since": "纳入日期",
        "monthly_amount": "月保障金额（元）",
        "status": "状态",
        "note": "备注",
    }
    return [
        {
            "label": text,
            "typed": typed[key],
            "roster": on_roster.get(key, ""),
            "differs": bool(on_roster)
            and key not in ("unit", "community", "household", "status")
            and typed[key] != on_roster[key],
        }
        for key, text in labels.items()
    ]


def claims_by_requester(claim: IdClaim, *, since: Any) -> int:
    """How many registrations the claim's requester has sent for review since `since`."""
    return IdClaim.objects.filter(requested_by=claim.requested_by_id, created_at__gte=since).count()
