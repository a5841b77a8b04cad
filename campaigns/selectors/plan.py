"""Reads of plans: which campaigns and tasks a user sees, the plan as a document, the matrix."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from org.access import (
    bureaus_managed_by,
    get_or_404,
    home_bureaus,
    is_bureau_office,
    units_visible_to,
)
from org.models import Leader, Role, Unit, User

from ..models import Campaign, CampaignStatus, Indicator, Target, Task

# Roles that read a published plan whole; the others read the tasks they take part in.
WHOLE_PLAN_ROLES = (Role.LEADER, Role.OFFICE, Role.SECTION)


def campaigns_visible_to(user: User) -> QuerySet[Campaign]:
    """Published plans of the user's bureau; drafts too for those who manage the bureau."""
    bureaus = home_bureaus(user)
    return Campaign.objects.filter(bureau__in=bureaus).filter(
        ~Q(status=CampaignStatus.DRAFT) | Q(bureau__in=bureaus_managed_by(user))
    )


def get_campaign_for_user(user: User, pk: Any, *, write: bool = False) -> Campaign:
    campaign = get_or_404(
        campaigns_visible_to(user).select_related("bureau"), pk, "方案不存在或无权查看"
    )
    if write and not can_manage_campaign(user, campaign):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("只有局办公室可以修改工作方案")
    return campaign


def can_manage_campaign(user: User, campaign: Campaign) -> bool:
    """The campaign's bureau office: edits the plan, runs the periods, summaries and assessment."""
    return is_bureau_office(user, campaign.bureau)


def tasks_visible_to(user: User, campaign: Campaign) -> QuerySet[Task]:
    tasks = campaign.tasks.all()
    if getattr(user, "role", None) in WHOLE_PLAN_ROLES:
        return tasks
    mine = units_visible_to(user)
    return tasks.filter(
        Q(participants__in=mine) | Q(responsible_units__in=mine) | Q(cooperating_units__in=mine)
    ).distinct()


def get_task_for_user(user: User, pk: Any) -> Task:
    task = get_or_404(Task.objects.select_related("campaign__bureau"), pk, "任务不存在或无权查看")
    if not campaigns_visible_to(user).filter(pk=task.campaign_id).exists() or not (
        tasks_visible_to(user, task.campaign).filter(pk=task.pk).exists()
    ):
        raise Http404("任务不存在或无权查看")
    return task


def can_edit_indicators(user: User, task: Task) -> bool:
    """The office, or staff of a section responsible for the task."""
    if can_manage_campaign(user, task.campaign):
        return True
    if getattr(user, "role", None) != Role.SECTION or not user.is_active:
        return False
    return task.responsible_units.filter(pk__in=user.scope.values("pk")).exists()


def get_indicator_for_user(user: User, pk: Any) -> Indicator:
    indicator = get_or_404(
        Indicator.objects.select_related("task__campaign__bureau"), pk, "指标不存在或无权查看"
    )
    get_task_for_user(user, indicator.task_id)
    return indicator


@dataclass
class Chapter:
    title: str
    tasks: list[Task] = field(default_factory=list)


def plan_chapters(tasks: QuerySet[Task]) -> list[Chapter]:
    """The tasks grouped under their chapters in document order, with everything the page shows."""
    tasks = tasks.order_by("order", "id").prefetch_related(
        Prefetch("lead_leaders", queryset=Leader.objects.order_by("sort_order", "id")),
        Prefetch("co_leaders", queryset=Leader.objects.order_by("sort_order", "id")),
        Prefetch("lead_units", queryset=Unit.objects.order_by("path")),
        Prefetch("responsible_units", queryset=Unit.objects.order_by("path")),
        Prefetch("cooperating_units", queryset=Unit.objects.order_by("path")),
        Prefetch("participants", queryset=Unit.objects.order_by("path")),
        Prefetch(
            "indicators",
            queryset=Indicator.objects.order_by("order", "id").prefetch_related(
                Prefetch("targets", queryset=Target.objects.select_related("unit")),
                "applies_to",
            ),
        ),
    )
    chapters: list[Chapter] = []
    for task in tasks:
        if not chapters or chapters[-1].title != task.chapter:
            chapters.append(Chapter(task.chapter))
        chapters[-1].tasks.append(task)
    return chapters


def _leader_role(task: Task, leader: Leader) -> str:
    if leader in task.lead_leaders.all():
        return "牵头"
    return "配合" if leader in task.co_leaders.all() else ""


@dataclass
class Matrix:
    tasks: list[Task]
    leader_rows: list[tuple[Leader, list[str]]]  # per task: "牵头", "配合" or ""
    unit_rows: list[
        tuple[Unit, list[str]]
    ]  # per task: "牵" leads, "责" responsible, "参" participant, "配" helps


def responsibility_matrix(tasks: QuerySet[Task]) -> Matrix:
    chapters = plan_chapters(tasks)
    ordered = [task for chapter in chapters for task in chapter.tasks]
    leaders: dict[int, Leader] = {}
    units: dict[int, Unit] = {}
    for task in ordered:
        for leader in [*task.lead_leaders.all(), *task.co_leaders.all()]:
            leaders[leader.pk] = leader
        for unit in [
            *task.responsible_units.all(),
            *task.participants.all(),
            *task.cooperating_units.all(),
        ]:
            units[unit.pk] = unit

    def role(task: Task, unit: Unit) -> str:
        marks = []
        if unit in task.lead_units.all():
            marks.append("牵")
        elif unit in task.responsible_units.all():
            marks.append("责")
        if unit in task.participants.all():
            marks.append("参")
        if unit in task.cooperating_units.all():
            marks.append("配")
        return "".join(marks)

    return Matrix(
        tasks=ordered,
        leader_rows=[
            (leader, [_leader_role(task, leader) for task in ordered])
            for leader in sorted(
                leaders.values(), key=lambda leader: (leader.sort_order, leader.pk)
            )
        ],
        unit_rows=[
            (unit, [role(task, unit) for task in ordered])
            for unit in sorted(units.values(), key=lambda u: u.path)
        ],
    )


def target_for(indicator: Indicator, unit: Unit) -> Target | None:
    for target in indicator.targets.all():
        if target.unit_id == unit.pk:
            return target
    return None
