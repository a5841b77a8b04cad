"""Dates as bureau documents write them: 2020年5月5日 (no leading zeros)."""

from __future__ import annotations

from datetime import date, datetime


def cn_date(value: date | datetime | None) -> str:
    if not value:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"
