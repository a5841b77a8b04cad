"""Words and number formats every bulletin shares: the issue number, the date, the addressees,
the issuing office, Chinese numerals for headings and figures to one decimal.

Services hand the documents figures; how a bulletin says them is written here once, so the
monthly bulletin, its correction and the quarterly summary say them alike.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from org.dates import cn_date

if TYPE_CHECKING:
    from ..models import Campaign

CN_NUMBERS = "一二三四五六七八九十"
DEFAULT_ADDRESSEES = "各镇街道民政办公室、兰山经济开发区社会事务局，局机关各科室："


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一 (for the headings of long lists)."""
    if n <= 10:
        return CN_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else CN_NUMBERS[tens - 1]}十{CN_NUMBERS[ones - 1] if ones else ''}"


def issue_text(number: int) -> str:
    """The issue line's number: 第3期."""
    return f"第{number}期"


def issued_on_text(day: date) -> str:
    """The date a bulletin is issued, as the signature writes it: 2020年5月5日."""
    return cn_date(day)


def addressees_of(campaign: Campaign) -> str:
    """Whom a bulletin is addressed to: the plan's own addressees, else the bureau's usual ones."""
    return campaign.addressees or DEFAULT_ADDRESSEES


def issuer_of(campaign: Campaign) -> str:
    """Who issues a bulletin: the plan's issuing office, else the bureau."""
    return campaign.issuing_unit or campaign.bureau.name


def one_decimal(value: Decimal | float) -> str:
    """A score or a percentage as bulletins write it: 72.5."""
    return f"{value:.1f}"
