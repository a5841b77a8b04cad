"""What the eldercare records say on an institution's home page: today's 六晒 still to post."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from org.models import Role, User

from . import selectors


def displays_panel(user: User) -> dict[str, Any] | None:
    today = timezone.localdate()
    units = [u for u in selectors.institution_units(user) if hasattr(u, "eldercare_profile")][:5]
    if not units:
        return None
    missing = {u.pk: selectors.todays_missing(u, today) for u in units}
    return {
        "institutions": [{"unit": u, "missing": missing[u.pk]} for u in units],
        "missing_count": sum(len(m) for m in missing.values()),
    }


def register_panels() -> None:
    from org.home import Panel, register

    register(
        Panel(
            "eldercare.displays",
            (Role.INSTITUTION,),
            "eldercare/home_displays_panel.html",
            displays_panel,
            order=5,
        )
    )
