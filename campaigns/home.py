"""What the plans have to say on each role's home page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from org.access import units_visible_to
from org.models import Role, User

from .models import CampaignStatus, Task
from .selectors.plan import campaigns_visible_to


def plans_for_office(user: User) -> dict[str, Any]:
    campaigns = (
        campaigns_visible_to(user).annotate(task_count=Count("tasks")).order_by("-created_at")
    )
    return {
        "drafts": [c for c in campaigns if c.status == CampaignStatus.DRAFT],
        "published": [c for c in campaigns if c.status == CampaignStatus.PUBLISHED],
    }


def my_tasks(user: User) -> dict[str, Any] | None:
    """The published tasks the user's units take part in (or, for a section, carry)."""
    published = campaigns_visible_to(user).filter(status=CampaignStatus.PUBLISHED)
    mine = units_visible_to(user)
    # Each many-to-many as a subquery of task ids: joining both at once multiplied every task by
    # its participants times its responsible units before DISTINCT (a city-wide cross product).
    carried = Task.responsible_units.through.objects.filter(unit__in=mine).values("task_id")
    condition = Q(id__in=carried)
    if user.role != Role.SECTION:
        taking_part = Task.participants.through.objects.filter(unit__in=mine).values("task_id")
        condition |= Q(id__in=taking_part)
    tasks = (
        Task.objects.filter(condition, campaign__in=published)
        .select_related("campaign")
        .annotate(indicator_count=Count("indicators"))
        .order_by("campaign_id", "order", "id")
    )
    return {"tasks": list(tasks), "role": user.role}


def register_panels() -> None:
    from org.home import Panel, register

    register(
        Panel(
            "campaigns.office",
            (Role.OFFICE,),
            "campaigns/home_office_panel.html",
            plans_for_office,
            order=10,
        )
    )
    register(
        Panel(
            "campaigns.my_tasks",
            (Role.SECTION, Role.TOWNSHIP, Role.INSTITUTION),
            "campaigns/home_tasks_panel.html",
            my_tasks,
            order=10,
        )
    )
