"""Formatting the bureau's way: 2020年4月10日, 60 rather than 60.00."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html

from org import dates

register = template.Library()


@register.filter
def num(value: Any) -> str:
    """A number without trailing zeros: 60.00 → 60, 12.50 → 12.5."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal | float | int):
        text = f"{Decimal(str(value)).normalize():f}"
        return text
    return str(value)


@register.filter
def cn_date(value: date | datetime | None) -> str:
    return dates.cn_date(value)


@register.filter
def stage_name(indicator: Any, value: Any) -> str:
    """A milestone's stage by its number (1-based), or the number itself for other kinds."""
    if value is None:
        return ""
    stages = getattr(indicator, "stages", None) or []
    if getattr(indicator, "kind", "") == "milestone" and stages:
        index = int(value) - 1
        if 0 <= index < len(stages):
            return str(stages[index])
    return num(value)


@register.filter
def measure(value: Any, unit: str) -> str:
    """A number with its unit the way documents write it: 60%, 2 个, 700 元/人·月."""
    text = num(value)
    if not text or not unit:
        return text
    return f"{text}{unit}" if unit in ("%", "‰") else f"{text} {unit}"


@register.filter
def sparkline(values: list[float | None], size: str = "96x24") -> str:
    """An inline SVG line of the months so far (scores 0-100); missing months are skipped."""
    width, height = (int(part) for part in size.split("x"))
    points = list(values or [])
    if sum(v is not None for v in points) < 2:
        return ""
    step = width / max(len(points) - 1, 1)
    coords = " ".join(
        f"{i * step:.1f},{height - 2 - (float(v) / 100) * (height - 4):.1f}"
        for i, v in enumerate(points)
        if v is not None
    )
    label = "、".join("—" if v is None else f"{v:.0f}" for v in points)
    return format_html(
        '<svg class="app-spark" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
        'aria-label="各月得分：{}"><polyline fill="none" stroke="currentColor" '
        'stroke-width="1.5" points="{}"/></svg>',
        width,
        height,
        width,
        height,
        label,
        coords,
    )
