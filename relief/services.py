"""Writes to the relief rosters. Views, the roster import and seed_demo call these.

A person's support (category, mode, self-care, institution) changes through
`person_change_support` only, which closes the open SupportPeriod and opens the next one on the
day the change took effect, so indicators read the support as it was on any day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from org.models import Unit, UnitKind, User
from org.services import notify_units

from . import idnumber, selectors
from .models import (
    Assistance,
    Caregiver,
    Household,
    IdClaim,
    IdClaimSource,
    IdClaimStatus,
    IdNumberView,
    Person,
    PersonStatus,
    SupportMode,
    SupportPeriod,
    TemporaryAid,
    Visit,
)

PERSON_FIELDS = ("name", "relation", "phone", "monthly_amount", "note", "household", "community")


def _check_place(unit: Unit, community: Unit | None) -> None:
    if not unit.is_township:
        raise ValidationError({"unit": f"“{unit.name}”不是镇街，救助对象应属于镇街"})
    if community is not None and (
        community.kind not in (UnitKind.COMMUNITY, UnitKind.VILLAGE)
        or not community.path.startswith(unit.path)
    ):
        raise ValidationError({"community": f"“{community.name}”不是“{unit.name}”下辖的社区（村）"})


def _period_for(person: Person, *, starts_on: date, user: User | None) -> SupportPeriod:
    return SupportPeriod(
        person=person,
        unit=person.community or person.unit,
        starts_on=starts_on,
        assistance=person.assistance,
        support_mode=person.support_mode,
        self_care=person.self_care,
        institution=person.institution,
        recorded_by=user,
    )


def person_build(
    *,
    unit: Unit,
    name: str,
    id_number: str,
    assistance: str,
    since: date,
    community: Unit | None = None,
    household: Household | None = None,
    support_mode: str = "",
    self_care: str = "",
    institution: Unit | None = None,
    relation: str = "",
    phone: str = "",
    monthly_amount: Decimal | None = None,
    note: str = "",
) -> Person:
    """A validated, unsaved person (the import builds thousands before saving any)."""
    number = idnumber.normalize(id_number)
    problems = idnumber.problems(number)
    if problems:
        raise ValidationError({"id_number": problems[0]})
    _check_place(unit, community)
    person = Person(
        unit=unit,
        community=community,
        household=household,
        name=name.strip(),
        id_number=number,
        gender=idnumber.gender(number),
        birth_date=idnumber.born_on(number),
        assistance=assistance,
        since=since,
        support_mode=support_mode if assistance == Assistance.TEKUN else "",
        self_care=self_care,
        institution=institution if support_mode == SupportMode.CONCENTRATED else None,
        relation=relation,
        phone=phone,
        monthly_amount=monthly_amount,
        note=note,
    )
    person.full_clean(exclude=["household", "id_number"], validate_unique=False)
    return person


class HeldForReview(Exception):
    """The number is on a roster the user cannot see: the registration is not theirs to make,
    nor theirs to be told about; it goes to the 社会救助科 (`person_register_or_claim`)."""

    def __init__(self, existing: Person) -> None:
        super().__init__("held for the section's review")
        self.existing = existing


def duplicate_message(existing: Person) -> str:
    """What a user who sees the person already on the roster is told (their own township's)."""
    return f"身份证号已登记为救助对象（{existing.unit.name} {existing.name}）"


@transaction.atomic
def person_create(*, user: User | None = None, **fields: Any) -> Person:
    """Save a new person. A number already on a roster the user sees is refused plainly; one on
    a roster they do not see raises HeldForReview, which says nothing to them by itself."""
    person = person_build(**fields)
    existing = Person.objects.filter(id_number=person.id_number).select_related("unit").first()
    if existing is not None:
        if user is None or selectors.persons_visible_to(user).filter(pk=existing.pk).exists():
            raise ValidationError({"id_number": duplicate_message(existing)})
        raise HeldForReview(existing)
    person._history_user = user  # type: ignore[attr-defined]
    person.save()
    _period_for(person, starts_on=person.since, user=user).save()
    return person


@transaction.atomic
def person_register(
    *, user: User | None = None, household_number: str = "", **fields: Any
) -> Person:
    """Register a person from the form, in the household of that number (created if new)."""
    household = _household_for(user=user, household_number=household_number, **fields)
    return person_create(user=user, household=household, **fields)


def _household_for(*, user: User | None, household_number: str, **fields: Any) -> Household | None:
    """The household of that number in the person's township, created if new (None: no number)."""
    if not household_number:
        return None
    household = Household.objects.filter(unit=fields["unit"], number=household_number).first()
    if household is None:
        household = household_build(
            unit=fields["unit"],
            number=household_number,
            head_name=fields["name"],
            assistance=fields["assistance"],
            community=fields.get("community"),
            phone=fields.get("phone", ""),
        )
        household._history_user = user  # type: ignore[attr-defined]
        household.save()
    return household


@transaction.atomic
def person_update(*, person: Person, user: User | None = None, **fields: Any) -> Person:
    """Change what describes a person (not their support: see person_change_support)."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_update does not take {sorted(unknown)}")
    for key, value in fields.items():
        setattr(person, key, value)
    _check_place(person.unit, person.community)
    person.full_clean(exclude=["household"], validate_unique=False)
    person._history_user = user  # type: ignore[attr-defined]
    person.save(update_fields=[*fields, "updated_at"])
    if "community" in fields:
        # A correction of where the person lives: the open period moves with them.
        SupportPeriod.objects.filter(person=person, ends_on__isnull=True).update(
            unit=person.community or person.unit
        )
    return person


@transaction.atomic
def person_change_support(
    *,
    person: Person,
    effective: date,
    user: User | None = None,
    status: str = PersonStatus.ACTIVE,
    assistance: str | None = None,
    support_mode: str | None = None,
    self_care: str | None = None,
    institution: Unit | None = None,
    note: str = "",
) -> Person:
    """Record a change of support from `effective` on: a new mode, category, or the end of it."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    open_period = SupportPeriod.objects.filter(person=person, ends_on__isnull=True).first()
    last_start = (
        SupportPeriod.objects.filter(person=person)
        .order_by("-starts_on")
        .values_list("starts_on", flat=True)
        .first()
    ) or person.since
    if effective < last_start:
        raise ValidationError({"effective": f"变更日期不能早于上一次变更（{last_start:%Y-%m-%d}）"})
    if status == PersonStatus.ENDED:
        if person.status == PersonStatus.ENDED:
            raise ValidationError({"status": "该对象已经退出"})
        person.status, person.ended_on = PersonStatus.ENDED, effective
    else:
        person.status, person.ended_on = PersonStatus.ACTIVE, None
        person.assistance = assistance or person.assistance
        person.support_mode = (
            (support_mode if support_mode is not None else person.support_mode)
            if person.assistance == Assistance.TEKUN
            else ""
        )
        person.self_care = self_care if self_care is not None else person.self_care
        person.institution = (
            institution if person.support_mode == SupportMode.CONCENTRATED else None
        )
    if note:
        person.note = f"{person.note}\n{effective:%Y-%m-%d} {note}".strip()
    person.full_clean(exclude=["household"], validate_unique=False)
    person._history_user = user  # type: ignore[attr-defined]
    person.save()
    if open_period is not None:
        if open_period.starts_on == effective:
            open_period.delete()  # replaced on the same day: the day's last word counts
        else:
            open_period.ends_on = effective
            open_period.save(update_fields=["ends_on"])
    if person.status == PersonStatus.ACTIVE:
        _period_for(person, starts_on=effective, user=user).save()
    return person


def household_build(
    *, unit: Unit, number: str, head_name: str, assistance: str, **fields: Any
) -> Household:
    """A validated, unsaved household."""
    household = Household(
        unit=unit, number=number, head_name=head_name, assistance=assistance, **fields
    )
    household.full_clean(validate_unique=False, validate_constraints=False)
    return household


def visit_create(
    *,
    person: Person,
    visited_on: date,
    visitor: str,
    kind: str = "home",
    findings: str = "",
    user: User | None = None,
    today: date | None = None,
) -> Visit:
    if visited_on > (today or timezone.localdate()):
        raise ValidationError({"visited_on": "探访日期不能晚于今天"})
    if visited_on < person.since:
        raise ValidationError({"visited_on": "探访日期不能早于纳入日期"})
    visit = Visit(
        person=person,
        visited_on=visited_on,
        visitor=visitor,
        kind=kind,
        findings=findings,
        recorded_by=user,
    )
    visit.full_clean()
    visit.save()
    return visit


def aid_create(
    *, person: Person, paid_on: date, amount: Decimal, reason: str, user: User | None = None
) -> TemporaryAid:
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "救助金额应大于 0"})
    aid = TemporaryAid(
        person=person, paid_on=paid_on, amount=amount, reason=reason, recorded_by=user
    )
    aid.full_clean()
    aid.save()
    return aid


@transaction.atomic
def caregiver_assign(
    *,
    person: Person,
    name: str,
    agreement_start: date,
    relation: str = "",
    phone: str = "",
    agreement_number: str = "",
    agreement_end: date | None = None,
    monthly_fee: Decimal | None = None,
    replaced_reason: str = "",
    user: User | None = None,
) -> Caregiver:
    """Sign a caregiver for a person; the one before (if any) is replaced from that day."""
    if person.support_mode != SupportMode.DISPERSED:
        raise ValidationError({"name": "只有分散供养的特困人员需要照料护理人"})
    caregiver = Caregiver(
        person=person,
        name=name,
        relation=relation,
        phone=phone,
        agreement_number=agreement_number,
        agreement_start=agreement_start,
        agreement_end=agreement_end,
        monthly_fee=monthly_fee,
    )
    caregiver.full_clean()
    for current in Caregiver.objects.filter(person=person, replaced_on__isnull=True):
        current.replaced_on = agreement_start
        current.replaced_reason = replaced_reason or "签订新的护理协议"
        current._history_user = user  # type: ignore[attr-defined]
        current.save(update_fields=["replaced_on", "replaced_reason"])
    caregiver._history_user = user  # type: ignore[attr-defined]
    caregiver.save()
    return caregiver


ID_VIEW_REASON_MIN = 4


def id_number_view_record(
    *, user: User, person: Person, ip: str | None, reason: str
) -> IdNumberView:
    """Record that `user` was shown `person`'s full ID number and why (the caller checked they
    may). No reason, no number."""
    reason = " ".join((reason or "").split())
    if len(reason) < ID_VIEW_REASON_MIN:
        raise ValidationError(
            {"reason": f"请写明查看完整身份证号的事由（至少 {ID_VIEW_REASON_MIN} 个字）"}
        )
    return IdNumberView.objects.create(user=user, person=person, ip=ip or None, reason=reason[:200])


@transaction.atomic
def person_transfer(
    *,
    person: Person,
    unit: Unit,
    effective: date,
    user: User | None = None,
    community: Unit | None = None,
    household: Household | None = None,
    assistance: str,
    support_mode: str = "",
    self_care: str = "",
    institution: Unit | None = None,
    relation: str = "",
    phone: str = "",
    monthly_amount: Decimal | None = None,
    note: str = "",
) -> Person:
    """Move a person to another township from `effective` on (迁入), with the support they get
    there: the place changes first, then `person_change_support` closes the period open that day
    and opens the next at the new place, so the past still counts where it happened."""
    _check_place(unit, community)
    if effective > timezone.localdate():
        raise ValidationError({"effective": "转入日期不能晚于今天"})
    locked = Person.objects.select_for_update().get(pk=person.pk)
    locked.unit, locked.community, locked.household = unit, community, household
    locked.relation, locked.phone, locked.monthly_amount = relation, phone, monthly_amount
    locked.full_clean(exclude=["household"], validate_unique=False)
    locked._history_user = user  # type: ignore[attr-defined]
    locked.save(
        update_fields=[
            "unit",
            "community",
            "household",
            "relation",
            "phone",
            "monthly_amount",
            "updated_at",
        ]
    )
    return person_change_support(
        person=locked,
        effective=effective,
        user=user,
        status=PersonStatus.ACTIVE,
        assistance=assistance,
        support_mode=support_mode,
        self_care=self_care,
        institution=institution,
        note=note,
    )


# 身份证号核实 (issue 18): a registration whose number is on a roster the user cannot see is held
# for the 社会救助科, and its answer is the same whatever that roster is. A user who sends more
# than ID_CLAIM_LIMIT of them in ID_CLAIM_WINDOW is refused more (probing, or a batch of people
# who moved, which the section should hear about by telephone).
ID_CLAIM_LIMIT = 5
ID_CLAIM_WINDOW = timedelta(hours=24)
ID_CLAIM_HELD = "已提交社会救助科核实，核实后登记或告知结果"
ID_CLAIM_REFUSED = "今日提交核实的次数已达上限，请联系社会救助科"
ID_CLAIM_NOTE_MIN = 4
# The registration as the form gives it to person_register: what a claim keeps of it.
CLAIM_FIELDS = (
    "unit",
    "community",
    "household_number",
    "name",
    "relation",
    "phone",
    "assistance",
    "support_mode",
    "self_care",
    "institution",
    "since",
    "monthly_amount",
    "note",
)


class ClaimLimitReached(Exception):
    """More held registrations than a user may send in a day (ID_CLAIM_REFUSED)."""


@dataclass
class HeldRegistration:
    """A registration on its way to the section: what was typed, and the person it meets."""

    fields: dict[str, Any]
    existing: Person
    line: int | None = None  # the roster row it came from


def _claim_data(fields: dict[str, Any]) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, Unit):
            return value.pk
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        return value

    return {key: plain(fields.get(key)) for key in CLAIM_FIELDS}


def claim_fields(claim: IdClaim) -> dict[str, Any]:
    """The claim's registration as person_register takes it: units, dates and amounts again."""
    data = claim.data
    ids = [data.get("community"), data.get("institution")]
    units = Unit.objects.in_bulk([pk for pk in ids if pk])
    amount = data.get("monthly_amount")
    return {
        "unit": claim.unit,
        "community": units.get(data.get("community") or 0),
        "household_number": data.get("household_number") or "",
        "name": data.get("name") or claim.name,
        "id_number": claim.id_number,
        "relation": data.get("relation") or "",
        "phone": data.get("phone") or "",
        "assistance": data.get("assistance") or "",
        "support_mode": data.get("support_mode") or "",
        "self_care": data.get("self_care") or "",
        "institution": units.get(data.get("institution") or 0),
        "since": date.fromisoformat(data["since"]) if data.get("since") else None,
        "monthly_amount": Decimal(amount) if amount not in (None, "") else None,
        "note": data.get("note") or "",
    }


@transaction.atomic
def id_claims_submit(
    *, user: User, held: list[HeldRegistration], source: str = IdClaimSource.FORM
) -> list[IdClaim]:
    """Put these registrations on the section's desk, all or none: ClaimLimitReached when they
    would take the user past ID_CLAIM_LIMIT in the last ID_CLAIM_WINDOW."""
    # One count at a time per user: two requests at once cannot both take the last place.
    User.objects.select_for_update().filter(pk=user.pk).first()
    since = timezone.now() - ID_CLAIM_WINDOW
    used = IdClaim.objects.filter(requested_by=user, created_at__gte=since).count()
    if used + len(held) > ID_CLAIM_LIMIT:
        raise ClaimLimitReached(ID_CLAIM_REFUSED)
    claims = []
    for row in held:
        data = _claim_data(row.fields)
        claim = IdClaim(
            unit_id=data["unit"],
            requested_by=user,
            source=source,
            line=row.line,
            name=str(data["name"] or "")[:30],
            id_number=idnumber.normalize(row.fields["id_number"]),
            data=data,
            person=row.existing,
        )
        claim.full_clean(exclude=["person", "unit", "requested_by"])
        claim.save()
        claims.append(claim)
    return claims


def person_register_or_claim(*, user: User, **fields: Any) -> Person | IdClaim:
    """Register the person, or, when the number is on a roster the user cannot see, hold the
    registration for the section (the caller answers ID_CLAIM_HELD, and nothing more)."""
    try:
        return person_register(user=user, **fields)
    except HeldForReview as held:  # person_register rolled back what it had begun
        registration = HeldRegistration(fields=fields, existing=held.existing)
        return id_claims_submit(user=user, held=[registration])[0]


def _pending(claim: IdClaim) -> IdClaim:
    locked = (
        IdClaim.objects.select_for_update()
        .filter(pk=claim.pk, status=IdClaimStatus.PENDING)
        .first()
    )
    if locked is None:
        raise ValidationError("该申请已经核实处理，不能再次处理")
    return locked


def _decided(claim: IdClaim, *, user: User, status: str, note: str = "") -> None:
    claim.status, claim.decided_by, claim.decided_at = status, user, timezone.now()
    claim.decision_note = note
    claim.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "effective", "person"]
    )


def _cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _claim_subject(claim: IdClaim) -> str:
    """The registration as its township knows it: what it typed, the number masked."""
    submitted = timezone.localtime(claim.created_at).date()
    return (
        f"您单位{_cn_date(submitted)}提交登记的“{claim.name}”（身份证号 {claim.masked_id_number}）"
    )


@transaction.atomic
def id_claim_accept(*, claim: IdClaim, user: User, effective: date, note: str = "") -> IdClaim:
    """同意: the person the number belongs to moves to the requesting township from `effective`
    with the support it typed (person_transfer); with no such person any more, the registration
    is made as typed. The township is told; the township the person leaves is told too."""
    locked = _pending(claim)
    fields = claim_fields(locked)
    household_number = fields.pop("household_number")
    fields.pop("id_number")
    existing = locked.person
    left: Unit | None = None
    if existing is None:
        try:
            person = person_register(
                user=user, household_number=household_number, id_number=locked.id_number, **fields
            )
        except HeldForReview:
            raise ValidationError("该身份证号已在本局以外登记，不能在此登记") from None
    elif existing.unit_id == locked.unit_id:
        person = existing  # already moved there meanwhile: nothing to move
    else:
        if not selectors.persons_visible_to(user).filter(pk=existing.pk).exists():
            raise ValidationError("该对象不在本局辖区内，不能在此转入，请与其所在地民政部门核实")
        left = existing.unit
        household = _household_for(user=user, household_number=household_number, **fields)
        fields.pop("since")
        fields.pop("name")
        person = person_transfer(
            person=existing,
            effective=effective,
            user=user,
            household=household,
            note=f"经社会救助科核实转入{locked.unit.name}",
            **{k: v for k, v in fields.items() if k != "note"},
        )
    locked.person, locked.effective = person, effective if left is not None else None
    _decided(locked, user=user, status=IdClaimStatus.ACCEPTED, note=" ".join(note.split())[:500])
    transaction.on_commit(lambda: _accepted_notify(locked, person, left))
    return locked


def _accepted_notify(claim: IdClaim, person: Person, left: Unit | None) -> None:
    since = f"，自{_cn_date(claim.effective)}起" if claim.effective else ""
    notify_units(
        units=[claim.unit],
        title=f"身份证号核实结果：“{claim.name}”已登记",
        body=f"{_claim_subject(claim)}经社会救助科核实，已登记为本单位救助对象{since}。",
        link=reverse("relief:person_detail", args=[person.pk]),
    )
    if left is not None:
        notify_units(
            units=[left],
            title=f"救助对象转出：{person.name}",
            body=(
                f"救助对象“{person.name}”（身份证号 {person.masked_id_number}）经社会救助科核实"
                f"{since}转入{claim.unit.name}，不再列入本单位台账。如有疑问请联系社会救助科。"
            ),
        )


@transaction.atomic
def id_claim_reject(*, claim: IdClaim, user: User, note: str) -> IdClaim:
    """不予登记, with the reason the township will read."""
    note = " ".join((note or "").split())
    if len(note) < ID_CLAIM_NOTE_MIN:
        raise ValidationError(
            {"note": f"请写明不予登记的原因（至少 {ID_CLAIM_NOTE_MIN} 个字），镇街会收到这条原因"}
        )
    locked = _pending(claim)
    _decided(locked, user=user, status=IdClaimStatus.REJECTED, note=note[:500])
    transaction.on_commit(lambda: _rejected_notify(locked))
    return locked


def _rejected_notify(claim: IdClaim) -> None:
    notify_units(
        units=[claim.unit],
        title=f"身份证号核实结果：“{claim.name}”不予登记",
        body=f"{_claim_subject(claim)}经社会救助科核实，不予登记。原因：{claim.decision_note}",
    )
