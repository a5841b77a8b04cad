"""Seed 000's plan for the demo: imported from the bureau's own text, then set up as the office
would before publishing it: indicators, targets, participants and milestones."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

from org.models import Role, Unit, UnitKind, User

from .models import (
    Campaign,
    Entry,
    IndicatorKind,
    IndicatorSource,
    Report,
    ReportStatus,
    Task,
    Transition,
)
from .services import plan as services
from .services.importing import campaign_import

PLAN_FILE = (
    Path(__file__).resolve().parent / "fixtures" / "plans" / "lanshan-2020-dalei-gongjian.txt"
)
DOC_NUMBER = "临兰民〔2020〕22号"


@dataclass
class Spec:
    name: str
    kind: str
    unit: str
    weight: int
    target: str | None = None
    deadline: date | None = None
    computed_key: str = ""
    stages: list[str] = field(default_factory=list)
    scope_note: str = ""
    applies_to: str = ""  # "streets" | "towns": a part of the task's participants


# Per task, in the order of the plan: what the bureau measures and how much each counts.
INDICATORS: dict[str, list[Spec]] = {
    "特困人员供养水平擂台赛": [
        Spec(
            "完全及部分不能自理特困人员集中供养率",
            IndicatorKind.RATE,
            "%",
            70,
            "60",
            date(2020, 10, 31),
            computed_key="relief.concentrated_care_rate",
        ),
        Spec(
            "分散供养特困人员月探访率",
            IndicatorKind.RATE,
            "%",
            30,
            "100",
            computed_key="relief.dispersed_visit_rate",
        ),
    ],
    "养老服务设施建设打擂赛": [
        Spec(
            "城市社区养老服务设施配建率",
            IndicatorKind.RATE,
            "%",
            60,
            "70",
            computed_key="eldercare.community_facility_rate",
            scope_note="每个街道",
        ),
        Spec("配建设施消防等设施改造完成率", IndicatorKind.RATE, "%", 20, "100"),
        Spec(
            "街道级综合养老服务中心建设",
            IndicatorKind.MILESTONE,
            "",
            20,
            None,
            date(2020, 12, 31),
            stages=["选址定点", "开工建设", "主体完工", "投入运营"],
            scope_note="每个街道新建 1 处",
        ),
    ],
    "养老机构服务质量擂台赛": [
        Spec(
            "“四赛”平均得分",
            IndicatorKind.QUANTITY,
            "分",
            60,
            "90",
            computed_key="eldercare.four_contests_score",
        ),
        Spec(
            "“六晒”完成率",
            IndicatorKind.RATE,
            "%",
            40,
            "100",
            computed_key="eldercare.six_displays_rate",
        ),
    ],
    "城乡社区治理擂台赛": [
        Spec(
            "城市社区居务监督委员会建成率", IndicatorKind.RATE, "%", 50, "100", applies_to="streets"
        ),
        Spec(
            "争创乡村治理示范村",
            IndicatorKind.QUANTITY,
            "个",
            50,
            "2",
            scope_note="每个镇",
            applies_to="towns",
        ),
    ],
    "公墓建设擂台赛": [
        Spec("公益性公墓配套设施完善率", IndicatorKind.RATE, "%", 40, "100"),
        Spec(
            "公墓规范管理",
            IndicatorKind.MILESTONE,
            "",
            30,
            None,
            date(2020, 12, 31),
            stages=["设立管理办公室", "配备工作人员", "制度版面上墙", "档案台账健全"],
        ),
        Spec(
            "散坟搬迁完成率",
            IndicatorKind.RATE,
            "%",
            30,
            "100",
            scope_note="交通主干道两侧及景区、林区、城区周边",
        ),
    ],
    "养老服务项目建设攻坚战": [
        Spec(
            "重点养老服务项目建设进度",
            IndicatorKind.MILESTONE,
            "",
            100,
            None,
            date(2020, 12, 31),
            stages=["对接立项", "开工建设", "主体完工", "投入运营"],
        ),
    ],
    "社会组织培育攻坚战": [
        Spec("社会组织党建工作覆盖率", IndicatorKind.RATE, "%", 60, "90"),
        Spec(
            "社会组织培育中心建设",
            IndicatorKind.MILESTONE,
            "",
            40,
            None,
            date(2020, 12, 31),
            stages=["选址", "装修改造", "建成", "入驻运营"],
        ),
    ],
}

CAMPAIGN_SETTINGS: dict[str, Any] = {
    "slogan": "打擂攻坚，兰山率先",
    "report_due_day": 3,
    "dispatch_day": 5,
}


def _set_indicators(task: Task, specs: list[Spec]) -> int:
    for indicator in task.indicators.all():
        services.indicator_delete(indicator=indicator)
    participants = list(task.participants.all())
    kinds = {"streets": {UnitKind.STREET}, "towns": {UnitKind.TOWN, UnitKind.DEVZONE}}
    for spec in specs:
        applies = (
            [u for u in participants if u.kind in kinds[spec.applies_to]] if spec.applies_to else []
        )
        services.indicator_save(
            task=task,
            name=spec.name,
            kind=spec.kind,
            unit_of_measure=spec.unit,
            weight=Decimal(spec.weight),
            default_target=Decimal(spec.target) if spec.target else None,
            deadline=spec.deadline,
            stages=spec.stages,
            source=IndicatorSource.COMPUTED if spec.computed_key else IndicatorSource.REPORTED,
            computed_key=spec.computed_key,
            scope_note=spec.scope_note,
            applies_to=applies,
        )
    return len(specs)


def _set_project_targets(task: Task) -> int:
    """白沙埠镇 builds the 孝友社区日间照料中心 to operation; 半程镇 serves the key projects."""
    indicator = task.indicators.get()
    towns = {u.name: u for u in task.participants.all()}
    values = {
        towns["白沙埠镇"]: (
            Decimal(4),
            date(2020, 12, 31),
            "孝友社区日间照料中心：市级居家养老示范点",
        ),
        towns["半程镇"]: (Decimal(2), date(2020, 12, 31), "靠上对接、主动服务重点康养项目"),
    }
    return services.targets_set(indicator=indicator, values=values)


def seed_plan() -> int:
    """Import, set up and publish seed 000's plan once; return how many rows were created."""
    bureau = Unit.objects.get(kind=UnitKind.BUREAU, name="临沂市兰山区民政局")
    if Campaign.objects.filter(bureau=bureau, doc_number=DOC_NUMBER).exists():
        return 0
    office = User.objects.get(username="office")
    campaign = campaign_import(
        text=PLAN_FILE.read_text(encoding="utf-8"), bureau=bureau, user=office
    )
    campaign = services.campaign_save(campaign=campaign, user=office, **CAMPAIGN_SETTINGS)
    created = 1
    institutions = list(
        Unit.objects.filter(path__startswith=bureau.path, kind=UnitKind.INSTITUTION)
    )
    for task in campaign.tasks.all():
        if task.title == "养老机构服务质量擂台赛":
            # 在全区 17 家养老机构开展“四赛”和“六晒”: the institutions compete, not the townships.
            services.task_save(task=task, participants=institutions)
        created += 1 + _set_indicators(task, INDICATORS[task.title])
        if task.title == "养老服务项目建设攻坚战":
            created += _set_project_targets(task)
    services.campaign_publish(campaign=campaign, user=office)
    return created


# The months the demo has run: April to June 2020, each filled, submitted and dispatched.
DEMO_MONTHS = [date(2020, 4, 15), date(2020, 5, 15), date(2020, 6, 15)]
PROGRESS = [
    "入户宣传，逐户摸底",
    "召开专题推进会，明确时间表",
    "对照标准逐项整改",
    "现场督导，查漏补缺",
]
PROBLEMS = [
    "部分群众认识不到位，推进较慢",
    "资金到位晚，设施建设进度受影响",
    "专职人员少，台账更新不及时",
    "无",
]
PLANS = ["下月完成剩余任务的 50%", "加大督导力度，确保按时序推进", "与相关科室对接，解决场地问题"]


def _fill_month(period: Any, rng: random.Random, pace: dict[int, float], month_index: int) -> None:
    """Type in a month of reports as the units would: some ahead, some behind, some late."""
    office = User.objects.get(username="office")
    reports = (
        Report.objects.filter(period=period)
        .select_related("task", "unit")
        .prefetch_related("task__responsible_units")
    )
    people: dict[str, Any] = {"office": office, "units": {}, "sections": {}}
    kind: dict[str, str] = {
        Role.TOWNSHIP: "units",
        Role.INSTITUTION: "units",
        Role.SECTION: "sections",
    }
    for user in User.objects.filter(is_active=True).prefetch_related("scope").order_by("pk"):
        if user.role in kind:
            for unit in user.scope.all():
                people[kind[user.role]].setdefault(unit.pk, user)
    history: list[tuple[Transition, datetime]] = []
    for report in reports.prefetch_related("entries__indicator"):
        speed = pace.setdefault(report.unit_id, rng.choice([0.15, 0.3, 0.5, 0.8, 1.0, 1.3, 1.6]))
        if speed < 0.2 and rng.random() < 0.5:
            continue  # the slowest leave some reports unsubmitted: red, "未报送"
        # About a ninth of the year's work a month at speed 1: on schedule by the time rule.
        share = min(1.0, speed * (month_index + 1) * 0.12)
        for entry in report.entries.all():
            if entry.computed:
                continue
            indicator = entry.indicator
            if indicator.kind == IndicatorKind.RATE:
                target = float(indicator.default_target or 100)
                denominator = rng.randint(12, 40)
                entry.denominator = Decimal(denominator)
                entry.numerator = Decimal(
                    min(denominator, round(denominator * target / 100 * share))
                )
            elif indicator.kind == IndicatorKind.MILESTONE:
                entry.stage = max(
                    1, min(len(indicator.stages), round(len(indicator.stages) * share))
                )
            else:
                target = float(indicator.default_target or 10)
                entry.value = Decimal(round(target * share, 1))
            entry.save()
        report.progress = rng.choice(PROGRESS)
        report.problems = rng.choice(PROBLEMS)
        report.plans = rng.choice(PLANS)
        # Sections have reviewed the earlier months; a few of the last still wait in their queues.
        last = month_index == len(DEMO_MONTHS) - 1
        report.status = (
            ReportStatus.SUBMITTED if last and rng.random() < 0.2 else ReportStatus.ACCEPTED
        )
        report.late = rng.random() < 0.1
        report.submitted_at = _submitted_at(report, period.due)
        report.updated_by = office
        report.save()
        history.extend(_transitions(report, people))
    # The reports' 办理记录 as the service would have written it: submitted by the unit's
    # account (the office's where the demo has none for the unit), accepted by the section.
    stamps = [at for _t, at in history]
    made = Transition.objects.bulk_create([t for t, _at in history])
    for transition, at in zip(made, stamps, strict=True):
        transition.at = at
    Transition.objects.bulk_update(made, ["at"])


def _submitted_at(report: Report, due: date) -> datetime:
    """A working-hours moment on or before the due day (the day after it when late, still
    before the dispatch day), drawn from a generator of the report's own so the month's figures
    stay the same."""
    own = random.Random(report.pk)
    day = due + timedelta(days=1) if report.late else due - timedelta(days=own.randint(0, 4))
    return timezone.make_aware(datetime.combine(day, time(own.randint(8, 17), own.randint(0, 59))))


def _transitions(report: Report, people: dict[str, Any]) -> list[tuple[Transition, datetime]]:
    """The report's submit and, when accepted, its accept: (transition, when) pairs."""
    submitted = report.submitted_at
    assert submitted is not None

    def step(to: str, by: User, action: str) -> Transition:
        before = ReportStatus.DRAFT if to == ReportStatus.SUBMITTED else ReportStatus.SUBMITTED
        return Transition(report=report, from_status=before, to_status=to, by=by, action=action)

    submitter = people["units"].get(report.unit_id, people["office"])
    done = [(step(ReportStatus.SUBMITTED, submitter, "submit"), submitted)]
    if report.status == ReportStatus.ACCEPTED:
        # Reviewed within a day or so, and before the dispatch day's 07:00 job.
        dispatch_eve = report.period.dispatch_on - timedelta(days=1)
        reviewed_by = timezone.make_aware(datetime.combine(dispatch_eve, time(18, 0)))
        carried = [u.pk for u in report.task.responsible_units.all() if u.pk in people["sections"]]
        reviewer = people["sections"][carried[0]] if carried else people["office"]
        accepted = min(submitted + timedelta(hours=2 + report.pk % 30), reviewed_by)
        done.append((step(ReportStatus.ACCEPTED, reviewer, "accept"), accepted))
    return done


def seed_months() -> int:
    """Open, fill and dispatch the demo months once; return how many bulletins were issued."""
    from campaigns.services.dispatch import period_dispatch
    from campaigns.services.reporting import period_open

    campaign = Campaign.objects.get(doc_number=DOC_NUMBER)
    if campaign.bulletins.exists():
        return 0
    rng = random.Random(2020)
    pace: dict[int, float] = {}
    for index, day in enumerate(DEMO_MONTHS):
        period = period_open(campaign=campaign, day=day)
        _fill_month(period, rng, pace, index)
        period_dispatch(period=period, today=period.dispatch_on)
        # Counted from the records by the dispatch-day job (beat's 07:00), not when seeded.
        Entry.objects.filter(report__period=period, computed=True).update(
            computed_at=timezone.make_aware(datetime.combine(period.dispatch_on, time(7, 0)))
        )
    return len(DEMO_MONTHS)
