"""居民身份证号码 (GB 11643-1999): validation, masking, and what the number itself says.

Full numbers never leave this module in messages: errors name the problem, not the number.
"""

from __future__ import annotations

import re
from datetime import date

from django.utils import timezone

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
MASK = "********"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


def normalize(value: object) -> str:
    """Strip spaces and full-width forms as they come out of spreadsheets; x → X."""
    text = str(value or "").strip().replace(" ", "").replace("\u3000", "")
    text = text.translate({ord("Ｘ"): "X", ord("ｘ"): "X"})
    text = text.translate({0xFF10 + i: str(i) for i in range(10)})
    return text.upper()


def check_digit(first17: str) -> str:
    total = sum(int(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def birth_date(value: str) -> date | None:
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def born_on(value: str) -> date:
    """The birth date of a number already checked by `problems`."""
    born = birth_date(value)
    if born is None:
        raise ValueError("invalid birth date")
    return born


def gender(value: str) -> str:
    """ "M" or "F" from the sequence number's parity (odd: male)."""
    return "M" if int(value[16]) % 2 else "F"


def problems(value: str, *, today: date | None = None) -> list[str]:
    """What is wrong with the number, in Chinese; empty when it is valid."""
    if not value:
        return ["请填写身份证号"]
    if len(value) != 18:
        return [f"身份证号应为 18 位，现为 {len(value)} 位"]
    if not _SHAPE.match(value):
        return ["身份证号前 17 位应为数字，最后一位为数字或 X"]
    born = birth_date(value)
    if born is None or born.year < 1880:
        return ["身份证号中的出生日期不是有效日期"]
    if born > (today or timezone.localdate()):
        return ["身份证号中的出生日期晚于今天"]
    expected = check_digit(value[:17])
    if value[17] != expected:
        return [f"身份证号校验位不正确，应为 {expected}"]
    return []


def mask(value: str) -> str:
    """First 6 and last 4 characters: 371302********123X."""
    if len(value) < 10:
        return MASK
    return f"{value[:6]}{MASK}{value[-4:]}"


def make(area: str, born: date, sequence: int) -> str:
    """A number with the right check digit (for demo data and tests)."""
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)
