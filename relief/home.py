"""What the relief rosters say on home pages: to a township, 特困 persons not visited this
month; to the 社会救助科 and the office, the registrations waiting on its desk (身份证号核实)."""

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


def claims_panel(user: User) -> dict[str, Any] | None:
    if not selectors.keeps_relief_desk(user):
        return None
    claims = selectors.pending_claims(user)
    first = list(claims[:6])
    return {"claims": first, "count": claims.count() if first else 0}


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
    register(
        Panel(
            "relief.claims",
            (Role.SECTION, Role.OFFICE),
            "relief/home_claims_panel.html",
            claims_panel,
            order=25,
        )
    )
