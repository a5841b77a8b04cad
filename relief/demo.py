"""Fictional relief rosters for the Lanshan demo: households and persons of the campaign's year.

Names come from Faker("zh_CN") and ID numbers are made up (area 371302, generated birth dates
and sequence numbers, a correct check digit), all from fixed seeds, so every run builds the same
people. Townships are spread from far behind to ahead on the 集中供养率 and the visit rate, so the
demo boards show every light; during the year persons move into institutions, a few fall ill, die
or join, so figures "as of" each month differ. The year is the demo calendar's twelve months
(org.demo_calendar), written as they would have happened up to the day the demo is seeded: nothing
is dated after it.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from faker import Faker
from simple_history.utils import bulk_create_with_history

from org.demo_calendar import DemoCalendar, add_months
from org.models import TOWNSHIP_KINDS, Unit, UnitKind

from . import idnumber
from .models import (
    NEEDS_CARE,
    Assistance,
    Caregiver,
    Household,
    Person,
    PersonStatus,
    SelfCare,
    SupportMode,
    SupportPeriod,
    TemporaryAid,
    Visit,
    VisitKind,
)

BUREAU = "临沂市兰山区民政局"
AREA = "371302"
SEED = 2020
# The first month of the records' year when no calendar is given (minzheng.scale's 2020).
START = date(2020, 1, 1)
# 集中供养率 of those who cannot fully care for themselves, at the start and the end of the year.
CARE_LEVELS = [
    (0.45, 0.78),
    (0.40, 0.72),
    (0.38, 0.66),
    (0.30, 0.62),
    (0.33, 0.58),
    (0.25, 0.52),
    (0.22, 0.47),
    (0.20, 0.42),
    (0.15, 0.36),
    (0.12, 0.30),
    (0.10, 0.22),
    (0.06, 0.14),
    (0.03, 0.08),
]
VISIT_LEVELS = [1.0, 0.98, 0.95, 0.92, 0.9, 0.86, 0.8, 0.75, 0.7, 0.62, 0.55, 0.45, 0.35]
AMOUNTS: dict[str, Decimal] = {
    Assistance.URBAN_DIBAO: Decimal(700),
    Assistance.RURAL_DIBAO: Decimal(460),
    Assistance.TEKUN: Decimal(1050),
}
RELATIONS = ["配偶", "子女", "子女", "父母", "孙子女", "其他"]
TZ = ZoneInfo("Asia/Shanghai")


class _People:
    """Names and unique, valid, fictional ID numbers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(SEED)
        self.used: set[str] = set()

    def make(self, born_from: int, born_to: int) -> tuple[str, str]:
        male = self.rng.random() < 0.5
        name = self.fake.name_male() if male else self.fake.name_female()
        while True:
            born = date(born_from, 1, 1) + timedelta(
                days=self.rng.randrange((date(born_to, 12, 31) - date(born_from, 1, 1)).days)
            )
            sequence = self.rng.randrange(0, 500) * 2 + (1 if male else 0)
            number = idnumber.make(AREA, born, sequence)
            if number not in self.used:
                self.used.add(number)
                return name, number


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _years_before(start: date, years: int) -> date:
    return start.replace(year=start.year - years)


def _month_day(rng: random.Random, month: int, start: date = START) -> date:
    """A day of the year's `month`-th month (1 = the month `start` begins)."""
    first = add_months(start, month - 1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return _day(rng, first, last)


# The pieces of a roster both this demo and minzheng.scale make. Each draws from `rng` in the
# same order the demo always has, so the demo's people stay the same.

Plans = list[tuple[Person, list[tuple[date, dict[str, object]]], float]]


def new_household(
    people: _People,
    rng: random.Random,
    *,
    township: Unit,
    community: Unit | None,
    number: str,
    assistance: str,
) -> tuple[Household, str]:
    """A household and its head's ID number (the head is made by `household_members`)."""
    head_name, head_id = people.make(1945, 1985)
    household = Household(
        unit=township,
        community=community,
        number=number,
        head_name=head_name,
        address=f"{(community or township).name}{rng.randrange(1, 60)}号",
        phone=people.fake.phone_number(),
        assistance=assistance,
    )
    return household, head_id


def household_members(
    people: _People, rng: random.Random, household: Household, head_id: str, size: int, since: date
) -> list[Person]:
    """The household's head and `size - 1` members, taken in on `since`."""
    members = []
    for m in range(size):
        name, number = (household.head_name, head_id) if m == 0 else people.make(1940, 2016)
        members.append(
            Person(
                household=household,
                unit=household.unit,
                community=household.community,
                name=name,
                id_number=number,
                gender=idnumber.gender(number),
                birth_date=idnumber.born_on(number),
                relation="户主" if m == 0 else rng.choice(RELATIONS),
                phone=household.phone if m == 0 else "",
                assistance=household.assistance,
                since=since,
                monthly_amount=AMOUNTS.get(household.assistance),
            )
        )
    return members


def new_tekun(
    people: _People,
    rng: random.Random,
    township: Unit,
    communities: list[Unit],
    *,
    joins: bool,
    start: date = START,
) -> Person:
    """A 特困 person living at home, mostly elderly; `joins`: taken in during the year."""
    name, number = people.make(1928, 1965)
    since = (
        _month_day(rng, rng.randrange(1, 10), start)
        if joins
        else _day(rng, _years_before(start, 10), start - timedelta(days=1))
    )
    self_care = rng.choices([SelfCare.FULL, SelfCare.PARTIAL, SelfCare.NONE], weights=[40, 35, 25])[
        0
    ]
    return Person(
        unit=township,
        community=rng.choice(communities) if communities else None,
        name=name,
        id_number=number,
        gender=idnumber.gender(number),
        birth_date=idnumber.born_on(number),
        relation="本人",
        assistance=Assistance.TEKUN,
        support_mode=SupportMode.DISPERSED,
        self_care=self_care,
        since=since,
        monthly_amount=AMOUNTS[Assistance.TEKUN],
    )


def into_institutions(
    rng: random.Random,
    plans: Plans,
    needs_care: list[int],
    care: tuple[float, float],
    institution: Unit,
    *,
    ends_share: float = 0.0,
    start: date = START,
) -> None:
    """Who of those needing care is in `institution` at the start of the year (care[0] of them),
    who moves in during the year (up to care[1]), and, of the rest, who leaves the roster."""
    rng.shuffle(needs_care)
    at_start = round(len(needs_care) * care[0])
    by_end = round(len(needs_care) * care[1])
    for rank, i in enumerate(needs_care):
        person = plans[i][0]
        if rank < at_start:
            person.support_mode = SupportMode.CONCENTRATED
            person.institution = institution
        elif rank < by_end:
            plans[i][1].append(
                (
                    _month_day(rng, 1 + (rank - at_start) * 11 // max(1, by_end - at_start), start),
                    {"support_mode": "concentrated", "institution": institution},
                )
            )
        elif ends_share and rng.random() < ends_share:
            plans[i][1].append((_month_day(rng, rng.randrange(3, 12), start), {"status": "ended"}))


def _institutions_for(bureau: Unit) -> tuple[dict[int | None, Unit], Unit]:
    institutions = list(
        Unit.objects.filter(path__startswith=bureau.path, kind=UnitKind.INSTITUTION).order_by(
            "sort_order", "path"
        )
    )
    own: dict[int | None, Unit] = {}
    for unit in institutions:
        own.setdefault(unit.parent_id, unit)
    return own, institutions[0]


def seed_records(when: DemoCalendar) -> int:
    """Create the demo rosters once; return how many rows were created (0 the second time)."""
    bureau = Unit.objects.filter(name=BUREAU, kind=UnitKind.BUREAU).first()
    if bureau is None or Person.objects.filter(unit__path__startswith=bureau.path).exists():
        return 0
    with transaction.atomic():
        return _seed(bureau, when.start, when.today)


Plan = tuple[Person, list[tuple[date, dict[str, object]]], float]


def _seed(bureau: Unit, start: date, today: date) -> int:
    """1. Draw the year's people and their changes. 2. Keep what happened up to `today`. 3. Save."""
    rng = random.Random(SEED)
    people = _People(rng)
    households, plans = _draw(rng, people, bureau, start)
    # What has not happened by the day the demo is seeded stays out of the records.
    arrived = [i for i, (p, _c, _r) in enumerate(plans) if p.since <= today]
    plans = [(p, [c for c in changes if c[0] <= today], r) for p, changes, r in plans]
    plans = [plans[i] for i in arrived]
    kept_households = {id(p.household) for p, _c, _r in plans if p.household is not None}
    households = [h for h in households if id(h) in kept_households]
    return _save(rng, people, bureau, households, plans, start, today)


def _draw(
    rng: random.Random, people: _People, bureau: Unit, start: date
) -> tuple[list[Household], list[Plan]]:
    """Every township's households and 特困人员, with what changes for each during the year."""
    townships = list(
        Unit.objects.filter(parent=bureau, kind__in=TOWNSHIP_KINDS).order_by("sort_order", "pk")
    )
    places = {
        t.pk: list(t.children.filter(kind__in=(UnitKind.COMMUNITY, UnitKind.VILLAGE)))
        for t in townships
    }
    own_institution, central = _institutions_for(bureau)
    order = list(range(len(townships)))
    rng.shuffle(order)
    households: list[Household] = []
    plans: list[Plan] = []
    for index, township in enumerate(townships):
        level = order[index] % len(CARE_LEVELS)
        care_start, care_end = CARE_LEVELS[level]
        visit_rate = VISIT_LEVELS[order[(index + 5) % len(order)] % len(VISIT_LEVELS)]
        communities = places[township.pk]
        urban = township.kind == UnitKind.STREET
        dibao = Assistance.URBAN_DIBAO if urban else Assistance.RURAL_DIBAO
        code = f"{index + 1:02d}"
        institution = own_institution.get(township.pk, central)

        def place() -> Unit | None:
            return rng.choice(communities) if communities else None  # noqa: B023

        # 低保 and 低保边缘 households: a head and members.
        for n in range(1, 131):
            assistance = Assistance.EDGE if n > 110 else dibao
            household, head_id = new_household(
                people,
                rng,
                township=township,
                community=place(),
                number=f"{code}-{n:04d}",
                assistance=assistance,
            )
            households.append(household)
            size = rng.choice([1, 1, 2, 2, 2, 3, 3, 4])
            since = _day(rng, _years_before(start, 8), start - timedelta(days=1))
            for member in household_members(people, rng, household, head_id, size, since):
                plans.append((member, [], 0))
        # 特困人员: mostly elderly and alone.
        count = 60 + rng.randrange(0, 30)
        needs_care: list[int] = []
        for n in range(count):
            joins = n >= count - 4
            person = new_tekun(people, rng, township, communities, joins=joins, start=start)
            plans.append((person, [], visit_rate))
            if person.self_care in NEEDS_CARE and not joins:
                needs_care.append(len(plans) - 1)
            elif person.self_care == SelfCare.FULL and rng.random() < 0.06:
                # Falls ill during the year: from then on the contest counts them.
                plans[-1][1].append(
                    (_month_day(rng, rng.randrange(2, 12), start), {"self_care": "partial"})
                )
        # Who is in an institution at the start of the year, who moves in during it, who leaves.
        into_institutions(
            rng,
            plans,
            needs_care,
            (care_start, care_end),
            institution,
            ends_share=0.05,
            start=start,
        )
    return households, plans


def _save(
    rng: random.Random,
    people: _People,
    bureau: Unit,
    households: list[Household],
    plans: list[Plan],
    start: date,
    today: date,
) -> int:
    """Write the kept households and persons with their histories; return the rows created."""
    persons = [p for p, _c, _r in plans]
    before = start - timedelta(days=1)
    history_day = _at(before.year, before.month, before.day)
    bulk_create_with_history(households, Household, batch_size=1000, default_date=history_day)
    for person in persons:
        if person.household is not None:
            person.household_id = person.household.pk
    opened = _at(start.year, start.month, start.day)
    bulk_create_with_history(persons, Person, batch_size=1000, default_date=opened)
    ids = dict(
        Person.objects.filter(unit__path__startswith=bureau.path).values_list("id_number", "pk")
    )
    for person in persons:
        person.pk = ids[person.id_number]
    periods, visits, caregivers = _histories(rng, people, plans, start)
    visits = [v for v in visits if v.visited_on <= today]
    SupportPeriod.objects.bulk_create(periods, batch_size=2000)
    Visit.objects.bulk_create(visits, batch_size=2000)
    bulk_create_with_history(caregivers, Caregiver, batch_size=1000, default_date=opened)
    aids = [a for a in _aids(rng, persons, start) if a.paid_on <= today]
    TemporaryAid.objects.bulk_create(aids, batch_size=1000)
    _bring_up_to_date(persons)
    return len(households) + len(persons) + len(periods) + len(visits) + len(caregivers) + len(aids)


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=TZ)


def _histories(
    rng: random.Random,
    people: _People,
    plans: list[tuple[Person, list[tuple[date, dict[str, object]]], float]],
    year_start: date = START,
) -> tuple[list[SupportPeriod], list[Visit], list[Caregiver]]:
    periods: list[SupportPeriod] = []
    visits: list[Visit] = []
    caregivers: list[Caregiver] = []
    for person, changes, visit_rate in plans:
        state: dict[str, object] = {
            "assistance": person.assistance,
            "support_mode": person.support_mode,
            "self_care": person.self_care,
            "institution": person.institution,
        }
        start = person.since
        spans: list[tuple[date, date | None, dict[str, object]]] = []
        ended = None
        for day, change in sorted(changes, key=lambda c: c[0]):
            day = max(day, start + timedelta(days=1))
            spans.append((start, day, dict(state)))
            if change.get("status") == "ended":
                ended = day
                break
            state.update(change)
            start = day
        if ended is None:
            spans.append((start, None, dict(state)))
        for begins, ends, s in spans:
            periods.append(
                SupportPeriod(
                    person=person,
                    unit=person.community or person.unit,
                    starts_on=begins,
                    ends_on=ends,
                    assistance=str(s["assistance"]),
                    support_mode=str(s["support_mode"]),
                    self_care=str(s["self_care"]),
                    institution=s["institution"],  # type: ignore[misc]
                )
            )
            if s["support_mode"] == SupportMode.DISPERSED:
                visits.extend(_visits(rng, person, begins, ends, visit_rate, year_start))
        person.support_mode = str(state["support_mode"])
        person.self_care = str(state["self_care"])
        person.institution = state["institution"]  # type: ignore[assignment]
        if ended:
            person.status, person.ended_on = PersonStatus.ENDED, ended
        if person.assistance == Assistance.TEKUN and any(
            s["support_mode"] == SupportMode.DISPERSED and s["self_care"] in NEEDS_CARE
            for _b, _e, s in spans
        ):
            name, _number = people.make(1955, 1985)
            caregivers.append(
                Caregiver(
                    person=person,
                    name=name,
                    relation=rng.choice(["侄子", "侄女", "邻居", "村民", "外甥"]),
                    phone=people.fake.phone_number(),
                    agreement_number=f"HL{person.pk:06d}",
                    agreement_start=max(person.since, _years_before(year_start, 1)),
                    agreement_end=year_start.replace(year=year_start.year + 2) - timedelta(days=1),
                    monthly_fee=Decimal(300 if person.self_care == SelfCare.PARTIAL else 600),
                )
            )
    return periods, visits, caregivers


def _visits(
    rng: random.Random,
    person: Person,
    begins: date,
    ends: date | None,
    rate: float,
    start: date = START,
) -> list[Visit]:
    visits = []
    for month in range(1, 13):
        day = _month_day(rng, month, start)
        if day < begins or (ends is not None and day >= ends) or rng.random() > rate:
            continue
        # 春节 and 中秋 fall in the calendar's January and September.
        kind = VisitKind.FESTIVAL if day.month in (1, 9) else VisitKind.HOME
        visits.append(
            Visit(
                person=person,
                visited_on=day,
                kind=kind,
                visitor=rng.choice(
                    ["民政办 王敏", "民政办 李强", "社区网格员 张丽", "包村干部 刘伟"]
                ),
                findings=rng.choice(
                    [
                        "身体状况良好，生活用品充足",
                        "照料护理人按协议照护",
                        "反映冬季取暖困难，已协调解决",
                        "室内卫生较差，已督促照料护理人整改",
                        "",
                    ]
                ),
            )
        )
    return visits


def _aids(rng: random.Random, persons: list[Person], start: date = START) -> list[TemporaryAid]:
    aids = []
    candidates = [p for p in persons if p.assistance != Assistance.TEKUN]
    for person in rng.sample(candidates, min(260, len(candidates))):
        aids.append(
            TemporaryAid(
                person=person,
                paid_on=_month_day(rng, rng.randrange(1, 13), start),
                amount=Decimal(rng.choice([500, 800, 1000, 1500, 2000, 3000])),
                reason=rng.choice(
                    ["大病医疗支出大", "突发火灾", "子女上学困难", "疫情期间临时困难", "意外伤害"]
                ),
            )
        )
    return aids


def _bring_up_to_date(persons: list[Person]) -> None:
    """The persons' current fields after the year's changes (history kept in SupportPeriod)."""
    changed = [p for p in persons if p.assistance == Assistance.TEKUN]
    Person.objects.bulk_update(
        changed, ["support_mode", "self_care", "institution", "status", "ended_on"], batch_size=1000
    )
