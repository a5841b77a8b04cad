"""Seed 000's plan for the demo: imported from the bureau's own text, then set up as the office
would before publishing it (indicators, targets, participants and milestones), on the demo
calendar's year (org.demo_calendar)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

from org.demo_calendar import DemoCalendar
from org.models import Unit, UnitKind, User

from ..models import Campaign, Indicator, IndicatorKind, IndicatorSource, Task
from ..services import plan as services
from ..services.importing import campaign_import

PLAN_FILE = (
    Path(__file__).resolve().parent.parent
    / "fixtures"
    / "plans"
    / "lanshan-2020-dalei-gongjian.txt"
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


def _set_indicators(task: Task, specs: list[Spec], when: DemoCalendar) -> int:
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
            deadline=when.plan_date(spec.deadline) if spec.deadline else None,
            stages=spec.stages,
            source=IndicatorSource.COMPUTED if spec.computed_key else IndicatorSource.REPORTED,
            computed_key=spec.computed_key,
            scope_note=spec.scope_note,
            applies_to=applies,
        )
    return len(specs)


def _set_project_targets(task: Task, when: DemoCalendar) -> int:
    """白沙埠镇 builds the 孝友社区日间照料中心 to operation; 半程镇 serves the key projects."""
    indicator = task.indicators.get()
    towns = {u.name: u for u in task.participants.all()}
    values = {
        towns["白沙埠镇"]: (
            Decimal(4),
            when.plan_date(date(2020, 12, 31)),
            "孝友社区日间照料中心：市级居家养老示范点",
        ),
        towns["半程镇"]: (
            Decimal(2),
            when.plan_date(date(2020, 12, 31)),
            "靠上对接、主动服务重点康养项目",
        ),
    }
    return services.targets_set(indicator=indicator, values=values)


def seed_plan(when: DemoCalendar) -> int:
    """Import, set up and publish seed 000's plan once; return how many rows were created.

    The text, 文号 and leaders are the document's; its year is the calendar's (start, end and the
    dated goals), and it is issued ten days before its first month."""
    bureau = Unit.objects.get(kind=UnitKind.BUREAU, name="临沂市兰山区民政局")
    if Campaign.objects.filter(bureau=bureau, doc_number=DOC_NUMBER).exists():
        return 0
    office = User.objects.get(username="office")
    campaign = campaign_import(
        text=PLAN_FILE.read_text(encoding="utf-8"), bureau=bureau, user=office
    )
    # The figures the import suggested carry the document's 2020 dates: the office's own
    # indicators replace them below, once the plan runs on the calendar's year.
    for indicator in Indicator.objects.filter(task__campaign=campaign):
        services.indicator_delete(indicator=indicator)
    campaign = services.campaign_save(
        campaign=campaign,
        user=office,
        **CAMPAIGN_SETTINGS,
        year=when.year,
        start=when.start,
        end=when.end,
        issue_date=when.start - timedelta(days=10),
    )
    created = 1
    institutions = list(
        Unit.objects.filter(path__startswith=bureau.path, kind=UnitKind.INSTITUTION)
    )
    for task in campaign.tasks.all():
        if task.title == "养老机构服务质量擂台赛":
            # 在全区 17 家养老机构开展“四赛”和“六晒”: the institutions compete, not the townships.
            services.task_save(task=task, participants=institutions)
        created += 1 + _set_indicators(task, INDICATORS[task.title], when)
        if task.title == "养老服务项目建设攻坚战":
            created += _set_project_targets(task, when)
    services.campaign_publish(campaign=campaign, user=office)
    published = _moment(when.start - timedelta(days=10), 16, 30)
    Campaign.objects.filter(pk=campaign.pk).update(published_at=published)
    return created


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))
