"""What the relief rosters say on a township's home page: 特困 persons not visited this month."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from org.models import Role, User

from . import selectors


def unvisited_panel(user: User) -> dict[str, Any] | None:
    today = timezone.localdate()
    persons = selectors.unvisited_this_month(user, today=today)
    first = list(persons[:6])
    if not first:
        return {"persons": [], "count": 0, "month": today.month}
    return {"persons": first, "count": persons.count(), "month": today.month}


def register_panels() -> None:
    from org.home import Panel, register

    register(
        Panel(
            "relief.unvisited",
            (Role.TOWNSHIP,),
            "relief/home_unvisited_panel.html",
            unvisited_panel,
            order=30,
        )
    )
