"""Panels on the home pages: each app registers what it has to say to which roles, so the
home page of org shows plans, reports and records without importing the apps that keep them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from .models import User


@dataclass(frozen=True)
class Panel:
    key: str
    roles: tuple[str, ...]
    template: str
    context: Callable[[User], dict[str, Any] | None]  # None: nothing to show this user
    order: int = 100
    # "top": what the role must see first, above the home page's own cards; "main": the rest.
    slot: str = "main"


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _panels[panel.key] = panel


def render_panels(request: HttpRequest, user: User, slot: str = "main") -> list[str]:
    rendered: list[str] = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        if user.role not in panel.roles or panel.slot != slot:
            continue
        context = panel.context(user)
        if context is not None:
            rendered.append(render_to_string(panel.template, context, request=request))
    return rendered
