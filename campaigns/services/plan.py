"""Writes to a plan: campaigns, tasks, indicators, targets, and publishing.

Every function validates first (all problems at once, in Chinese) and saves nothing when a rule
fails. Changes to a published plan are kept in the history and told to the units they touch.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from org import computed
from org.dates import cn_date
from org.models import Leader, Unit, UnitKind, User
from org.services import notify_units

from ..models import (
    UNMATCHED_ROLES,
    Campaign,
    CampaignStatus,
    Indicator,
    IndicatorKind,
    IndicatorSource,
    Target,
    Task,
    TaskKind,
)

HUNDRED = Decimal(100)


def _raise(errors: dict[str, list[str]]) -> None:
    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)


def _inside(campaign: Campaign, day: date | None, what: str) -> list[str]:
    if day is None or campaign.start <= day <= campaign.end:
        return []
    return [
        f"{what}{cn_date(day)}不在方案期限内（{cn_date(campaign.start)}至{cn_date(campaign.end)}）"
    ]


def _tell_if_published(campaign: Campaign, units: Iterable[Unit], what: str) -> None:
    if campaign.status != CampaignStatus.PUBLISHED:
        return
    link = reverse("campaigns:campaign_detail", args=[campaign.pk])
    transaction.on_commit(
        lambda: notify_units(
            units=list(units), title=f"《{campaign.title}》有调整：{what}", link=link
        )
    )


def _task_units(task: Task) -> set[Unit]:
    return {*task.participants.all(), *task.responsible_units.all()}


def _sync_schedule() -> None:
    from ..schedule import schedule_sync

    schedule_sync()


# Campaigns

CAMPAIGN_FIELDS = (
    "title",
    "doc_number",
    "issuing_unit",
    "issue_date",
    "addressees",
    "slogan",
    "year",
    "start",
    "end",
    "cadence",
    "report_due_day",
    "dispatch_day",
    "grace_days",
    "reminder_days",
    "quarterly_summary",
    "yellow_gap",
    "red_gap",
    "peers_visible",
    "preamble",
    "requirements",
)


def _check_campaign(campaign: Campaign) -> None:
    errors: dict[str, list[str]] = {
        "end": [],
        "report_due_day": [],
        "dispatch_day": [],
        "red_gap": [],
        "year": [],
    }
    if campaign.start and campaign.end and campaign.end < campaign.start:
        errors["end"].append("结束日期不能早于开始日期")
    if (
        campaign.start
        and campaign.year
        and not (campaign.start.year <= campaign.year <= (campaign.end or campaign.start).year)
    ):
        errors["year"].append("年度应在方案的开始和结束日期之间")
    for field in ("report_due_day", "dispatch_day"):
        value = getattr(campaign, field)
        if value is not None and not 1 <= value <= 28:
            errors[field].append("应为 1 到 28 之间的日子（每月都有这一天）")
    gaps = (campaign.yellow_gap, campaign.red_gap)
    if None not in gaps and not 0 <= gaps[0] < gaps[1] <= 100:
        errors["red_gap"].append("应满足 0 ≤ 绿灯容差 < 红灯差距 ≤ 100")
    _raise(errors)


@transaction.atomic
def campaign_save(
    *, campaign: Campaign | None = None, bureau: Unit | None = None, user: User, **fields: Any
) -> Campaign:
    """Create a draft campaign under `bureau`, or change one."""
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"campaign_save does not take {sorted(unknown)}")
    if campaign is None:
        if bureau is None or bureau.kind != UnitKind.BUREAU:
            raise ValidationError({"bureau": ["方案必须属于一个局"]})
        campaign = Campaign(bureau=bureau, created_by=user)
    for key, value in fields.items():
        setattr(campaign, key, value)
    campaign.full_clean(exclude=["bureau", "created_by"])
    _check_campaign(campaign)
    if campaign.pk:
        out_of_range = [
            *(
                f"任务“{t.title}”的完成时限"
                for t in campaign.tasks.all()
                if t.deadline and not campaign.start <= t.deadline <= campaign.end
            ),
            *(
                f"指标“{i.name}”的完成时限"
                for i in Indicator.objects.filter(task__campaign=campaign)
                if i.deadline and not campaign.start <= i.deadline <= campaign.end
            ),
        ]
        if out_of_range:
            raise ValidationError(
                {"end": [f"{what}将不在方案期限内，请先调整" for what in out_of_range]}
            )
    campaign.save()
    if campaign.status == CampaignStatus.PUBLISHED:
        transaction.on_commit(_sync_schedule)
        _tell_if_published(
            campaign,
            Unit.objects.filter(participating_tasks__campaign=campaign).distinct(),
            "方案基本信息",
        )
    return campaign


# Tasks


def _check_task(task: Task, participants: list[Unit]) -> None:
    errors: dict[str, list[str]] = {"participants": [], "deadline": []}
    if task.kind == TaskKind.CONTEST and len(participants) < 2:
        errors["participants"].append("擂台赛至少要有两个参赛单位才能排名")
    errors["deadline"] += _inside(task.campaign, task.deadline, "完成时限")
    foreign = [u.name for u in participants if not u.path.startswith(task.campaign.bureau.path)]
    if foreign:
        errors["participants"].append(f"{'、'.join(foreign)}不属于{task.campaign.bureau.name}")
    _raise(errors)


TASK_FIELDS = (
    "chapter",
    "number",
    "order",
    "kind",
    "title",
    "goal",
    "content",
    "task_force",
    "deadline",
    "leaders_text",
    "co_leaders_text",
    "lead_units_text",
    "responsible_text",
    "cooperating_text",
    "deadline_text",
)


def carry_leads(task: Task) -> None:
    """A 牵头单位 carries its task: keep it among the responsible units (access and reviews read
    those)."""
    task.responsible_units.add(*task.lead_units.all())


@transaction.atomic
def task_save(
    *,
    task: Task | None = None,
    campaign: Campaign | None = None,
    lead_leaders: Iterable[Leader] | None = None,
    co_leaders: Iterable[Leader] | None = None,
    lead_units: Iterable[Unit] | None = None,
    responsible_units: Iterable[Unit] | None = None,
    cooperating_units: Iterable[Unit] | None = None,
    participants: Iterable[Unit] | None = None,
    **fields: Any,
) -> Task:
    """Create or change a task; a related list left out (None) stays as it is.

    A 牵头单位 carries the task, so it is kept among the responsible units as well.

    Units dropped from the participants lose their own targets and their place in an
    indicator's "applies to", so nothing refers to a unit that no longer takes part.
    """
    unknown = set(fields) - set(TASK_FIELDS)
    if unknown:
        raise TypeError(f"task_save does not take {sorted(unknown)}")
    if task is None:
        assert campaign is not None
        task = Task(campaign=campaign)
        if "order" not in fields:
            task.order = (campaign.tasks.count() + 1) * 10
    before = _task_units(task) if task.pk else set()
    for key, value in fields.items():
        setattr(task, key, value)
    if participants is not None:
        members = list(participants)
    else:
        members = list(task.participants.all()) if task.pk else []
    task.full_clean(exclude=["campaign"])
    _check_task(task, members)
    task.save()
    if lead_leaders is not None:
        task.lead_leaders.set(list(lead_leaders))
    if co_leaders is not None:
        task.co_leaders.set(list(co_leaders))
    if lead_units is not None:
        task.lead_units.set(list(lead_units))
    if responsible_units is not None:
        task.responsible_units.set(list(responsible_units))
    carry_leads(task)
    if cooperating_units is not None:
        task.cooperating_units.set(list(cooperating_units))
    task.participants.set(members)
    Target.objects.filter(indicator__task=task).exclude(unit__in=members).delete()
    for indicator in task.indicators.all():
        gone = [u for u in indicator.applies_to.all() if u not in members]
        indicator.applies_to.remove(*gone)
    _tell_if_published(task.campaign, before | _task_units(task), f"任务“{task.title}”")
    return task


def _is_draft(campaign_id: int) -> bool:
    """Read the status from the database: a cached campaign may predate its publication."""
    return Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.DRAFT).exists()


@transaction.atomic
def task_delete(*, task: Task) -> None:
    if not _is_draft(task.campaign_id):
        raise ValidationError(
            "已发布方案的任务不能删除；如已不再开展，请在任务说明中注明并调整目标"
        )
    task.delete()


# Indicators and targets


def _check_target_value(indicator: Indicator, value: Decimal | None, what: str) -> list[str]:
    if value is None:
        return []
    if indicator.kind == IndicatorKind.RATE and not 0 <= value <= HUNDRED:
        return [f"{what}是比率，应在 0 到 100（%）之间"]
    if indicator.kind == IndicatorKind.MILESTONE:
        stages = len(indicator.stages or [])
        if value != value.to_integral_value() or not 1 <= value <= stages:
            return [f"{what}应为第 1 到第 {stages} 个节点之一"]
    if value < 0:
        return [f"{what}不能是负数"]
    return []


def _check_indicator(indicator: Indicator, applies_to: list[Unit]) -> None:
    task = indicator.task
    errors: dict[str, list[str]] = {
        "default_target": [],
        "stages": [],
        "deadline": [],
        "weight": [],
        "computed_key": [],
        "applies_to": [],
    }
    if indicator.kind == IndicatorKind.MILESTONE:
        stages = [s for s in indicator.stages or [] if str(s).strip()]
        if len(stages) < 2:
            errors["stages"].append("节点类指标至少要有两个节点，如“开工建设”“投入运营”")
        if len(set(stages)) != len(stages):
            errors["stages"].append("节点名称不能重复")
    errors["default_target"] += _check_target_value(indicator, indicator.default_target, "目标值")
    errors["deadline"] += _inside(task.campaign, indicator.deadline, "完成时限")
    if not 0 < indicator.weight <= HUNDRED:
        errors["weight"].append("权重应大于 0、不超过 100")
    else:
        others = Indicator.objects.filter(task=task).exclude(pk=indicator.pk).aggregate(
            s=Sum("weight")
        )["s"] or Decimal(0)
        if others + indicator.weight > HUNDRED:
            errors["weight"].append(
                f"“{task.title}”其他指标的权重合计已有 {others.normalize():f}，"
                f"这一项最多还能设 {(HUNDRED - others).normalize():f}"
            )
    if indicator.source == IndicatorSource.COMPUTED:
        spec = computed.get(indicator.computed_key)
        if spec is None:
            errors["computed_key"].append("请选择一个计算口径")
        elif spec.kind != indicator.kind:
            errors["computed_key"].append(
                f"计算口径“{spec.label}”算出的是{IndicatorKind(spec.kind).label}，与指标类型不符"
            )
    elif indicator.computed_key:
        errors["computed_key"].append("单位填报的指标不需要计算口径")
    participants = set(task.participants.all())
    strangers = [u.name for u in applies_to if u not in participants]
    if strangers:
        errors["applies_to"].append(f"{'、'.join(strangers)}不是这项任务的参赛单位")
    _raise(errors)


INDICATOR_FIELDS = (
    "name",
    "unit_of_measure",
    "kind",
    "stages",
    "direction",
    "default_target",
    "deadline",
    "weight",
    "source",
    "computed_key",
    "scope_note",
    "source_text",
    "order",
)


@transaction.atomic
def indicator_save(
    *,
    indicator: Indicator | None = None,
    task: Task | None = None,
    applies_to: Iterable[Unit] = (),
    **fields: Any,
) -> Indicator:
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"indicator_save does not take {sorted(unknown)}")
    if indicator is None:
        assert task is not None
        indicator = Indicator(task=task, order=(task.indicators.count() + 1) * 10)
    for key, value in fields.items():
        setattr(indicator, key, value)
    if indicator.kind == IndicatorKind.MILESTONE:
        indicator.stages = [str(s).strip() for s in indicator.stages or [] if str(s).strip()]
        if indicator.default_target is None and indicator.stages:
            indicator.default_target = Decimal(len(indicator.stages))
    else:
        indicator.stages = []
    applies_to = list(applies_to)
    indicator.full_clean(exclude=["task"])
    _check_indicator(indicator, applies_to)
    indicator.save()
    indicator.applies_to.set(applies_to)
    targets = [
        message
        for t in indicator.targets.select_related("unit")
        for message in _check_target_value(indicator, t.value, f"{t.unit.name}的目标值")
    ]
    if targets:
        raise ValidationError({"kind": targets})
    _tell_if_published(
        indicator.task.campaign, _task_units(indicator.task), f"指标“{indicator.name}”"
    )
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator) -> None:
    if not _is_draft(indicator.task.campaign_id):
        raise ValidationError("已发布方案的指标不能删除，可以把权重调整到其他指标")
    indicator.delete()


@transaction.atomic
def targets_set(
    *, indicator: Indicator, values: Mapping[Unit, tuple[Decimal | None, date | None, str]]
) -> int:
    """Set the per-unit targets of an indicator; a unit with no value falls back to the default.

    All rows are checked before any is saved; returns how many targets the indicator now has.
    """
    allowed = set(indicator.applies_to.all()) or set(indicator.task.participants.all())
    errors: list[str] = []
    for unit, (value, deadline, _note) in values.items():
        if unit not in allowed:
            errors.append(f"{unit.name}不是这项指标的适用单位")
            continue
        errors += _check_target_value(indicator, value, f"{unit.name}的目标值")
        errors += _inside(indicator.task.campaign, deadline, f"{unit.name}的完成时限")
    if errors:
        raise ValidationError(errors)
    for unit, (value, deadline, note) in values.items():
        if value is None:
            Target.objects.filter(indicator=indicator, unit=unit).delete()
        else:
            Target.objects.update_or_create(
                indicator=indicator,
                unit=unit,
                defaults={"value": value, "deadline": deadline, "note": note},
            )
    _tell_if_published(
        indicator.task.campaign,
        [u for u, (v, _d, _n) in values.items()],
        f"指标“{indicator.name}”的目标值",
    )
    return indicator.targets.count()


# Publishing


def campaign_problems(campaign: Campaign) -> list[str]:
    """What stands between this draft and publication, as messages naming the task."""
    problems = []
    tasks = campaign.tasks.prefetch_related("participants", "indicators", "responsible_units")
    pending: list[str] = []
    if not tasks:
        problems.append("方案还没有任何任务")
    for task in tasks:
        label = f"{task.number}{task.title}" if task.number else task.title
        indicators = list(task.indicators.all())
        if task.kind == TaskKind.CONTEST:
            if len(task.participants.all()) < 2:
                problems.append(f"“{label}”是擂台赛，至少要有两个参赛单位")
            if not indicators:
                problems.append(f"“{label}”是擂台赛，还没有用来排名的指标")
        if task.kind == TaskKind.PUSH and not indicators:
            problems.append(f"“{label}”是攻坚战，还没有节点或指标")
        total = sum((i.weight for i in indicators), Decimal(0))
        if indicators and total != HUNDRED:
            total = total.normalize()
            problems.append(f"“{label}”的指标权重合计为 {total:f}，应为 100")
        if not task.responsible_units.all() and not task.participants.all():
            problems.append(f"“{label}”还没有责任单位")
        # jsonb (PostgreSQL) keeps no key order: read the roles in the document's order.
        unmatched = task.unmatched_names or {}
        pending += [n for role in UNMATCHED_ROLES for n in unmatched.get(role, [])]
    if pending:
        names = list(dict.fromkeys(pending))
        problems.insert(0, f"还有 {len(names)} 个名称没有对应到单位或领导：{'、'.join(names)}")
    return problems


@transaction.atomic
def campaign_publish(*, campaign: Campaign, user: User) -> Campaign:
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.status != CampaignStatus.DRAFT:
        raise ValidationError("只有草稿可以发布")
    problems = campaign_problems(locked)
    if problems:
        raise ValidationError(problems)
    locked.status = CampaignStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at"])
    campaign.status, campaign.published_at = locked.status, locked.published_at
    transaction.on_commit(_sync_schedule)
    units = Unit.objects.filter(participating_tasks__campaign=locked) | Unit.objects.filter(
        responsible_tasks__campaign=locked
    )
    link = reverse("campaigns:campaign_detail", args=[locked.pk])
    transaction.on_commit(
        lambda: notify_units(
            units=units.distinct(),
            title=f"《{locked.title}》已发布",
            body="请查看本单位承担的任务和目标。",
            link=link,
        )
    )
    return locked
