"""Writes to the relief rosters. Views, the roster import and seed_demo call these.

A person's support (category, mode, self-care, institution) changes through
`person_change_support` only, which closes the open SupportPeriod and opens the next one on the
day the change took effect, so indicators read the support as it was on any day.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from org.models import Unit, UnitKind, User

from . import idnumber
from .models import (
    Assistance,
    Caregiver,
    Household,
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


@transaction.atomic
def person_create(*, user: User | None = None, **fields: Any) -> Person:
    person = person_build(**fields)
    if Person.objects.filter(id_number=person.id_number).exists():
        raise ValidationError({"id_number": "该身份证号已登记为救助对象"})
    person._history_user = user  # type: ignore[attr-defined]
    person.save()
    _period_for(person, starts_on=person.since, user=user).save()
    return person


@transaction.atomic
def person_register(
    *, user: User | None = None, household_number: str = "", **fields: Any
) -> Person:
    """Register a person from the form, in the household of that number (created if new)."""
    household = None
    if household_number:
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
    return person_create(user=user, household=household, **fields)


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
    if visited_on > (today or date.today()):
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
