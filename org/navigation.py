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
    also: tuple[str, ...] = ()  # other path fragments that belong to this entry ("/board/")


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if item not in _items:
        _items.append(item)


def items_for(role: str | None, current_path: str) -> list[dict[str, object]]:
    visible = sorted((i for i in _items if role in i.roles), key=lambda i: (i.order, i.label))
    urls = [reverse(item.url_name) for item in visible]
    claimed = [
        u
        for item, u in zip(visible, urls, strict=True)
        if any(f in current_path for f in item.also)
    ]
    # An entry that claims the path wins; else the longest matching prefix (/plans/reports/ is
    # 月报, not 工作方案 at /plans/).
    matches = claimed or [
        u for u in urls if (current_path == u if u == "/" else current_path.startswith(u))
    ]
    active = max(matches, key=len) if matches else None
    return [
        {"label": item.label, "url": url, "active": url == active}
        for item, url in zip(visible, urls, strict=True)
    ]


ALL_ROLES = tuple(Role.values)
