"""A city-sized installation for benchmarks and the load test: N districts on one database
(`manage.py seed_scale`).

Each district is a bureau shaped like seed 000's Lanshan (its sections, leaders, streets and
towns, so the plan's names match), with 15 townships of 6 communities or villages each, 20
institutions, 20,000 fictional relief persons with a year of support periods and visits, a year
of eldercare records, seed 000's plan published, 12 months (2020) of reports filled and
dispatched, and the next month open for the townships to fill. N=1 is a district, N=10 a city.

The builders are the demo's own (org.services, relief.demo, eldercare.demo, campaigns.demo and
the campaigns services); only the sizes and the bulk writes are this module's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from campaigns import demo as plan_demo
from campaigns.models import (
    Campaign,
    CampaignStatus,
    Entry,
    IndicatorKind,
    Period,
    PeriodStatus,
    Report,
    ReportStatus,
)
from campaigns.services import plan as plan_services
from campaigns.services.dispatch import period_dispatch
from campaigns.services.importing import campaign_import
from campaigns.services.reporting import period_bounds, period_open
from eldercare import demo as eldercare_demo
from eldercare.models import Institution
from org import demo as org_demo
from org import services as org_services
from org.demo_calendar import DemoCalendar
from org.models import Leader, Role, Unit, UnitKind, User
from relief import demo as relief_demo
from relief import idnumber
from relief.models import (
    NEEDS_CARE,
    Assistance,
    Caregiver,
    Household,
    Person,
    SupportPeriod,
    TemporaryAid,
    Visit,
)

PREFIX = "规模测试"
YEAR = 2020
# Linyi's districts and counties give each district its own area code (unique ID numbers).
AREAS = [
    "371302",
    "371311",
    "371312",
    "371321",
    "371322",
    "371323",
    "371324",
    "371325",
    "371326",
    "371327",
    "371328",
    "371329",
]
# Seed 000's townships first (the plan names 白沙埠镇 and 半程镇; eldercare's demo the 4 streets),
# then two more towns: 15 townships, as a real district has.
TOWNSHIPS: list[tuple[str, str]] = [
    *((name, UnitKind.STREET) for name in org_demo.STREETS),
    *((name, UnitKind.TOWN) for name in org_demo.TOWNS),
    (org_demo.DEVZONE, UnitKind.DEVZONE),
    ("朱保镇", UnitKind.TOWN),
    ("大岭镇", UnitKind.TOWN),
]
MIN_TOWNSHIPS = 6  # the 4 streets, 白沙埠镇 and 半程镇
VILLAGE_WORDS = "东西南北前后中"
EXTRA_INSTITUTIONS = ["康养中心", "护理院", "颐养家园", "老年公寓", "幸福院"]
TEKUN_SHARE = 0.17  # seed 001: 3.32万 特困 beside 16.03万 低保 in one city


@dataclass(frozen=True)
class Sizes:
    townships: int = 15
    communities: int = 6
    institutions: int = 20
    persons: int = 20_000
    months: int = 12


def bureau_name(number: int) -> str:
    return f"{PREFIX}{number:02d}区民政局"


def username(number: int, who: str) -> str:
    """Demo logins of district `number`: s01-leader, s01-office, s01-jiuzhu, s01-t01, s01-i01."""
    return f"s{number:02d}-{who}"


class _People(relief_demo._People):
    """The relief demo's names and fictional ID numbers, with the district's own area code."""

    def __init__(self, rng: random.Random, area: str) -> None:
        super().__init__(rng)
        self.fake.seed_instance(rng.randrange(1 << 30))
        self.area = area

    def make(self, born_from: int, born_to: int) -> tuple[str, str]:
        male = self.rng.random() < 0.5
        name = self.fake.name_male() if male else self.fake.name_female()
        span = (date(born_to, 12, 31) - date(born_from, 1, 1)).days
        while True:
            born = date(born_from, 1, 1) + timedelta(days=self.rng.randrange(span))
            number = idnumber.make(self.area, born, self.rng.randrange(0, 500) * 2 + (not male))
            if number not in self.used:
                self.used.add(number)
                return name, number


def size_problems(count: int, sizes: Sizes) -> list[str]:
    problems = []
    if not 1 <= count <= 99:
        problems.append("--districts 应在 1 到 99 之间")
    if not MIN_TOWNSHIPS <= sizes.townships <= len(TOWNSHIPS):
        problems.append(
            f"--townships 应在 {MIN_TOWNSHIPS} 到 {len(TOWNSHIPS)} 之间（方案点名的街道和镇都要在）"
        )
    if not 1 <= sizes.communities <= 16:
        problems.append("--communities 应在 1 到 16 之间")
    if not 2 <= sizes.institutions <= 40:
        problems.append("--institutions 应在 2 到 40 之间")
    if not 100 <= sizes.persons <= 200_000:
        problems.append("--persons 应在 100 到 200000 之间")
    if not 1 <= sizes.months <= 12:
        problems.append("--months 应在 1 到 12 之间")
    return problems


class District:
    """One district: its units, logins, records, plan and months, built in this order."""

    def __init__(self, number: int, sizes: Sizes, say: Any) -> None:
        self.number = number
        self.sizes = sizes
        self.say = say
        self.rng = random.Random(1000 + number)
        self.area = AREAS[number - 1] if number <= len(AREAS) else f"3713{number:02d}"
        self.label = f"{PREFIX}{number:02d}区"

    def build(self) -> int:
        created = self.units()
        created += self.logins()
        created += self.relief()
        created += self.eldercare()
        created += self.plan()
        created += self.months()
        return created

    # Units and logins

    def _unit(self, name: str, kind: str, parent: Unit | None, order: int) -> Unit:
        return org_services.unit_create(name=name, kind=kind, parent=parent, sort_order=order)

    def units(self) -> int:
        bureau = self._unit(bureau_name(self.number), UnitKind.BUREAU, None, self.number)
        org_services.unit_update(unit=bureau, short_name=f"{self.label}民政局"[:30])
        self.bureau = bureau
        self.sections: dict[str, Unit] = {}
        for order, name in enumerate(org_demo.SECTIONS, start=1):
            section = self._unit(name, UnitKind.SECTION, bureau, order)
            keeps = org_demo.SECTION_RECORDS.get(name, "")
            if keeps:
                org_services.unit_update(unit=section, keeps_records=keeps)
            self.sections[name] = section
        self.townships: list[Unit] = []
        places = 0
        for order, (name, kind) in enumerate(TOWNSHIPS[: self.sizes.townships], start=10):
            township = self._unit(name, kind, bureau, order)
            self.townships.append(township)
            for k in range(self.sizes.communities):
                if kind == UnitKind.STREET:
                    names = org_demo.COMMUNITIES[name]
                    place = names[k] if k < len(names) else f"{name}第{k + 1}社区"
                    self._unit(place, UnitKind.COMMUNITY, township, k + 1)
                else:
                    word = VILLAGE_WORDS[k] if k < len(VILLAGE_WORDS) else str(k + 1)
                    self._unit(f"{name.removesuffix('镇')}{word}村", UnitKind.VILLAGE, township, k)
                places += 1
        by_name = {t.name: t for t in self.townships}
        named = [(n, t) for n, t in org_demo.INSTITUTIONS if t is None or t in by_name]
        self.institutions: list[Unit] = []
        for k in range(self.sizes.institutions):
            if k < len(named):
                name, township_name = named[k]
                name = name.replace("兰山区", self.label)
                parent = by_name[township_name] if township_name else bureau
            else:
                parent = self.townships[k % len(self.townships)]
                word = EXTRA_INSTITUTIONS[k % len(EXTRA_INSTITUTIONS)]
                name = f"{parent.name}{word}{k + 1}号"
            self.institutions.append(self._unit(name, UnitKind.INSTITUTION, parent, 100 + k))
        for order, leader_name in enumerate(org_demo.LEADERS, start=1):
            org_services.leader_save(name=leader_name, unit=bureau, sort_order=order)
        count = 1 + len(self.sections) + len(self.townships) + places + len(self.institutions)
        self.say(
            f"单位 {count} 个（镇街 {len(self.townships)}、社区和村 {places}、"
            f"养老机构 {len(self.institutions)}），局领导 {len(org_demo.LEADERS)} 位"
        )
        return count + len(org_demo.LEADERS)

    def logins(self) -> int:
        """The district's demo logins, all with the demo password (hashed once: argon2 is slow)."""
        password = make_password(settings.DEMO_PASSWORD)
        wanted: list[tuple[str, str, str, Unit]] = [
            ("leader", org_demo.LEADERS[0], Role.LEADER, self.bureau),
            ("office", "局办公室", Role.OFFICE, self.bureau),
            ("jiuzhu", "社会救助科", Role.SECTION, self.sections["社会救助科"]),
            ("yanglao", "养老服务科", Role.SECTION, self.sections["养老服务科"]),
            (
                "jiceng",
                "基层政权建设和社区治理科",
                Role.SECTION,
                self.sections[org_demo.SECTIONS[3]],
            ),
            (
                "shiwu",
                "社会事务及社会组织管理科",
                Role.SECTION,
                self.sections[org_demo.SECTIONS[4]],
            ),
        ]
        wanted += [
            (f"t{k:02d}", f"{unit.name}民政办", Role.TOWNSHIP, unit)
            for k, unit in enumerate(self.townships, start=1)
        ]
        wanted += [
            (f"i{k:02d}", unit.name, Role.INSTITUTION, unit)
            for k, unit in enumerate(self.institutions, start=1)
        ]
        self.users: dict[str, User] = {}
        for who, full_name, role, unit in wanted:
            user = User(username=username(self.number, who), full_name=full_name, password=password)
            user.full_clean(exclude=["password", "role"])
            user.save()
            org_services.user_set_role_and_scope(user=user, role=role, scope=[unit])
            self.users[who] = user
        leader = Leader.objects.get(unit=self.bureau, name=org_demo.LEADERS[0])
        org_services.leader_save(
            leader=leader,
            name=leader.name,
            unit=self.bureau,
            user=self.users["leader"],
            sort_order=leader.sort_order,
        )
        _pass_password_policy(User.objects.filter(pk__in=[u.pk for u in self.users.values()]))
        self.say(f"演示账号 {len(self.users)} 个（{username(self.number, 'leader')} 等）")
        return len(self.users)

    # Records

    def relief(self) -> int:
        """低保 households and 特困 persons spread over the townships, with 2020's changes."""
        rng = self.rng
        people = _People(rng, self.area)
        own_institution, central = relief_demo._institutions_for(self.bureau)
        places = {
            t.pk: list(t.children.filter(kind__in=(UnitKind.COMMUNITY, UnitKind.VILLAGE)))
            for t in self.townships
        }
        per_township = self.sizes.persons // len(self.townships)
        households: list[Household] = []
        persons: list[Person] = []
        plans: relief_demo.Plans = []
        levels = relief_demo.CARE_LEVELS
        for index, township in enumerate(self.townships):
            wanted = per_township + (self.sizes.persons % len(self.townships) if index == 0 else 0)
            tekun = round(wanted * TEKUN_SHARE)
            care = levels[rng.randrange(len(levels))]
            visit_rate = rng.choice(relief_demo.VISIT_LEVELS)
            communities = places[township.pk]
            dibao = (
                Assistance.URBAN_DIBAO
                if township.kind == UnitKind.STREET
                else Assistance.RURAL_DIBAO
            )
            institution = own_institution.get(township.pk, central)
            code = f"{self.number:02d}{index + 1:02d}"
            made = 0
            n = 0
            while made < wanted - tekun:
                n += 1
                assistance = Assistance.EDGE if rng.random() < 0.15 else dibao
                household, head_id = relief_demo.new_household(
                    people,
                    rng,
                    township=township,
                    community=rng.choice(communities) if communities else None,
                    number=f"{code}-{n:05d}",
                    assistance=assistance,
                )
                households.append(household)
                since = relief_demo._day(rng, date(2012, 1, 1), date(2019, 12, 31))
                size = min(rng.choice([1, 1, 2, 2, 2, 3, 3, 4]), wanted - tekun - made)
                for member in relief_demo.household_members(
                    people, rng, household, head_id, size, since
                ):
                    persons.append(member)
                    plans.append((member, [], 0))
                made += size
            needs_care: list[int] = []
            for k in range(tekun):
                joins = k >= tekun - max(1, tekun // 20)
                person = relief_demo.new_tekun(people, rng, township, communities, joins=joins)
                persons.append(person)
                plans.append((person, [], visit_rate))
                if person.self_care in NEEDS_CARE and not joins:
                    needs_care.append(len(plans) - 1)
            relief_demo.into_institutions(rng, plans, needs_care, care, institution)
        self.say(f"生成救助对象 {len(persons)} 名、家庭 {len(households)} 户")
        Household.objects.bulk_create(households, batch_size=2000)
        for person in persons:
            if person.household is not None:
                person.household_id = person.household.pk
        Person.objects.bulk_create(persons, batch_size=2000)
        if any(p.pk is None for p in persons):  # a database that returns no ids on bulk insert
            ids = dict(
                Person.objects.filter(unit__in=self.townships).values_list("id_number", "pk")
            )
            for person in persons:
                person.pk = ids[person.id_number]
        periods, visits, caregivers = relief_demo._histories(rng, people, plans)
        SupportPeriod.objects.bulk_create(periods, batch_size=5000)
        Visit.objects.bulk_create(visits, batch_size=5000)
        Caregiver.objects.bulk_create(caregivers, batch_size=2000)
        aids = relief_demo._aids(rng, persons)
        TemporaryAid.objects.bulk_create(aids, batch_size=2000)
        _bring_up_to_date(persons)
        self.say(
            f"社会救助台账：对象 {len(persons)}、家庭 {len(households)}、保障状态段 {len(periods)}、"
            f"探访 {len(visits)}、照料护理人 {len(caregivers)}、临时救助 {len(aids)}"
        )
        return (
            len(persons)
            + len(households)
            + len(periods)
            + len(visits)
            + len(caregivers)
            + len(aids)
        )

    def eldercare(self) -> int:
        """The eldercare demo's records for this district's institutions, facilities, centres."""
        rng = random.Random(2014 + self.number)
        # The demo's 2020, kept whole (nothing lies after the day following its last).
        start, after = date(YEAR, 1, 1), date(YEAR + 1, 1, 1)
        created = eldercare_demo._institutions(rng, self.institutions, start)
        created += eldercare_demo._facilities(rng, self.bureau, start, after)
        created += eldercare_demo._centres(self.bureau, start, after)
        profiles = list(
            Institution.objects.filter(unit__in=self.institutions).order_by("unit__sort_order")
        )
        created += eldercare_demo._inspections(rng, profiles, start, after)
        created += eldercare_demo._posts(rng, profiles, start, after)
        self.say(f"养老服务台账 {created} 条（机构、设施、中心、四赛、六晒）")
        return created

    # The plan and its months

    def plan(self) -> int:
        """Seed 000's plan, imported and set up as campaigns.demo does, over 2020 and a month."""
        office = self.users["office"]
        campaign = campaign_import(
            text=plan_demo.PLAN_FILE.read_text(encoding="utf-8"), bureau=self.bureau, user=office
        )
        last_month = _month(self.sizes.months + 1)
        end = max(date(YEAR, 12, 31), period_bounds(campaign, last_month)[1])
        campaign = plan_services.campaign_save(
            campaign=campaign,
            user=office,
            start=date(YEAR, 1, 1),
            end=end,
            **plan_demo.CAMPAIGN_SETTINGS,
        )
        created = 1
        when = DemoCalendar(date(YEAR, 12, 31))  # the plan's own dates: a 2020 calendar
        for task in campaign.tasks.all():
            if task.title == "养老机构服务质量擂台赛":
                plan_services.task_save(task=task, participants=self.institutions)
            created += 1 + plan_demo._set_indicators(task, plan_demo.INDICATORS[task.title], when)
            if task.title == "养老服务项目建设攻坚战":
                created += plan_demo._set_project_targets(task, when)
        plan_services.campaign_publish(campaign=campaign, user=office)
        self.campaign = campaign
        self.say(f"方案已发布：{campaign.tasks.count()} 项任务")
        return created

    def months(self) -> int:
        """Open, fill and dispatch each month of 2020; then open the next month for filling."""
        pace: dict[int, float] = {}
        created = 0
        for index in range(self.sizes.months):
            period = period_open(campaign=self.campaign, day=_month(index + 1))
            reports = fill_month(period, self.rng, pace, index, self.users["office"])
            period_dispatch(period=period, today=period.dispatch_on)
            created += reports + 1
            self.say(f"{period.label}：{reports} 份月报已填报，已调度")
        period = period_open(campaign=self.campaign, day=_month(self.sizes.months + 1))
        reports = open_month_fill(period)
        self.say(f"{period.label}填报中：{reports} 份月报（约四成已提交待审核）")
        return created + reports


def _bring_up_to_date(persons: list[Person]) -> None:
    """relief.demo's last step (the persons' fields after 2020's changes) as one UPDATE per
    final state instead of a bulk_update of thousands of CASE branches."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for p in persons:
        if p.assistance == Assistance.TEKUN:
            key = (p.support_mode, p.self_care, p.institution_id, p.status, p.ended_on)
            groups.setdefault(key, []).append(p.pk)
    for (mode, care, institution, status, ended), ids in groups.items():
        Person.objects.filter(pk__in=ids).update(
            support_mode=mode,
            self_care=care,
            institution_id=institution,
            status=status,
            ended_on=ended,
        )


def _month(n: int) -> date:
    """The 15th of the n-th month counted from January 2020."""
    return date(YEAR + (n - 1) // 12, (n - 1) % 12 + 1, 15)


def _pass_password_policy(users: Any) -> int:
    """Demo logins must not be sent to change their password (fields of the password policy)."""
    names = {f.name for f in User._meta.get_fields()}
    fields: dict[str, Any] = {}
    if "password_changed_at" in names:
        fields["password_changed_at"] = timezone.now()
    if "must_change_password" in names:
        fields["must_change_password"] = False
    if not fields:
        return 0
    return users.update(**fields)


def scale_logins_refresh() -> int:
    """Every scale district's logins pass the password policy again (an old bench database)."""
    return _pass_password_policy(User.objects.filter(username__regex=r"^s[0-9]{2}-"))


def _fill_entry(entry: Entry, rng: random.Random, share: float) -> None:
    indicator = entry.indicator
    if indicator.kind == IndicatorKind.RATE:
        target = float(indicator.default_target or 100)
        denominator = rng.randint(12, 40)
        entry.denominator = denominator  # type: ignore[assignment]
        entry.numerator = min(denominator, round(denominator * target / 100 * share))  # type: ignore[assignment]
    elif indicator.kind == IndicatorKind.MILESTONE:
        stages = len(indicator.stages)
        entry.stage = max(1, min(stages, round(stages * share)))
    else:
        target = float(indicator.default_target or 10)
        entry.value = round(target * share, 1)  # type: ignore[assignment]


def fill_month(
    period: Period, rng: random.Random, pace: dict[int, float], month_index: int, office: User
) -> int:
    """Type in a month as campaigns.demo does (some ahead, some behind, some late), in bulk."""
    reports = list(
        Report.objects.filter(period=period).prefetch_related("entries__indicator").order_by("pk")
    )
    entries: list[Entry] = []
    filled: list[Report] = []
    submitted_at = timezone.make_aware(datetime.combine(period.due, datetime.min.time()))
    for report in reports:
        speed = pace.setdefault(report.unit_id, rng.choice([0.15, 0.3, 0.5, 0.8, 1.0, 1.3, 1.6]))
        if speed < 0.2 and rng.random() < 0.5:
            continue  # the slowest leave some reports unsubmitted: red, "未报送"
        share = min(1.0, speed * (month_index + 1) * 0.08)
        for entry in report.entries.all():
            if not entry.computed:
                _fill_entry(entry, rng, share)
                entries.append(entry)
        report.progress = rng.choice(plan_demo.PROGRESS)
        report.problems = rng.choice(plan_demo.PROBLEMS)
        report.plans = rng.choice(plan_demo.PLANS)
        report.status = ReportStatus.ACCEPTED if rng.random() < 0.9 else ReportStatus.SUBMITTED
        report.late = rng.random() < 0.1
        report.submitted_at = submitted_at
        report.updated_by = office
        report.version += 1
        filled.append(report)
    Entry.objects.bulk_update(entries, ["value", "numerator", "denominator", "stage"], 2000)
    Report.objects.bulk_update(
        filled,
        [
            "progress",
            "problems",
            "plans",
            "status",
            "late",
            "submitted_at",
            "updated_by",
            "version",
        ],
        1000,
    )
    return len(filled)


def open_month_fill(period: Period) -> int:
    """The open month as the load test finds it: about four in ten reports submitted and waiting
    for review, the rest drafts; every report open for changes (the office reopened the month
    until well after today, as it does when a campaign's month runs late)."""
    rng = random.Random(period.pk)
    until = timezone.localdate() + timedelta(days=3650)
    reports = list(
        Report.objects.filter(period=period).prefetch_related("entries__indicator").order_by("pk")
    )
    entries: list[Entry] = []
    for report in reports:
        submit = rng.random() < 0.4
        for entry in report.entries.all():
            if entry.computed:
                continue
            entry.value = entry.numerator = entry.denominator = entry.stage = None
            if submit:
                _fill_entry(entry, rng, 1.0)
            entries.append(entry)
        report.status = ReportStatus.SUBMITTED if submit else ReportStatus.DRAFT
        report.progress = rng.choice(plan_demo.PROGRESS) if submit else ""
        report.problems = rng.choice(plan_demo.PROBLEMS) if submit else ""
        report.plans = rng.choice(plan_demo.PLANS) if submit else ""
        report.submitted_at = timezone.now() if submit else None
        report.late = False
        report.unlocked_until = until
        report.version += 1
    Entry.objects.bulk_update(entries, ["value", "numerator", "denominator", "stage"], 2000)
    Report.objects.bulk_update(
        reports,
        [
            "status",
            "progress",
            "problems",
            "plans",
            "submitted_at",
            "late",
            "unlocked_until",
            "version",
        ],
        1000,
    )
    return len(reports)


@transaction.atomic
def open_month_reset(number: int) -> int:
    """Put district `number`'s open month back as it was seeded (for another load-test run)."""
    campaign = Campaign.objects.filter(
        bureau__name=bureau_name(number), bureau__parent=None, status=CampaignStatus.PUBLISHED
    ).first()
    if campaign is None:
        raise CommandError(
            f"没有第 {number} 区的规模测试数据：先运行 seed_scale --districts {number}"
        )
    total = 0
    for period in Period.objects.filter(campaign=campaign, status=PeriodStatus.OPEN):
        total += open_month_fill(period)
    return total
