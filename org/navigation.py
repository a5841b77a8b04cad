"""The menu: each app registers its entries (at start-up, in AppConfig.ready) with the roles
that see them, so org never needs to know the apps built on it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from .models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]
    order: int = 100


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if item not in _items:
        _items.append(item)


def items_for(role: str | None, current_path: str) -> list[dict[str, object]]:
    visible = sorted((i for i in _items if role in i.roles), key=lambda i: (i.order, i.label))
    entries = []
    for item in visible:
        url = reverse(item.url_name)
        active = current_path == url if url == "/" else current_path.startswith(url)
        entries.append({"label": item.label, "url": url, "active": active})
    return entries


ALL_ROLES = tuple(Role.values)
