"""Password rules of 等保 (GB/T 22239-2019): long, mixed, not common, not like the account.

Django's validators do the checking; these subclasses only say what is wrong and what to do in
the words a clerk reads, and `CharacterClassesValidator` adds the rule Django lacks. The list in
settings.AUTH_PASSWORD_VALIDATORS is the one place the rules are switched on.
"""

from __future__ import annotations

import string
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation as django_validation
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.exceptions import ValidationError
from django.utils import timezone

LOWER = frozenset(string.ascii_lowercase)
UPPER = frozenset(string.ascii_uppercase)
DIGITS = frozenset(string.digits)


def character_classes(password: str) -> int:
    """How many of lowercase, uppercase, digits and symbols (anything else) the password uses."""
    chars = set(password)
    symbols = chars - LOWER - UPPER - DIGITS
    return sum(bool(found) for found in (chars & LOWER, chars & UPPER, chars & DIGITS, symbols))


class CharacterClassesValidator:
    """At least `min_classes` of: lowercase letters, uppercase letters, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                self.get_error_message(),
                code="password_too_simple",
                params={"min_classes": self.min_classes},
            )

    def get_error_message(self) -> str:
        return (
            f"密码至少要包含小写字母、大写字母、数字、符号中的 {self.min_classes} 种，"
            "请加入其他种类的字符（例如 - 或大写字母）。"
        )

    def get_help_text(self) -> str:
        return f"至少包含小写字母、大写字母、数字、符号中的 {self.min_classes} 种。"


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"密码太短：至少要 {self.min_length} 个字符，请加长后再试。"

    def get_help_text(self) -> str:
        return f"至少 {self.min_length} 个字符。"


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        # Django fills in the field's name (登录名, 姓名 ...).
        return "密码与%(verbose_name)s太相似，请换一个与账号信息无关的密码。"

    def get_help_text(self) -> str:
        return "不能与登录名、姓名、手机号码等账号信息相似。"


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "这是常见的弱密码，很容易被猜中，请换一个。"

    def get_help_text(self) -> str:
        return "不能是常见的弱密码。"


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "密码不能全是数字，请加入字母和符号。"

    def get_help_text(self) -> str:
        return "不能全是数字。"


def password_change_reason(user: Any) -> str | None:
    """Why the user must change their password before anything else, or None when they need not.

    A password set by the office (a new account, a reset), one older than PASSWORD_MAX_AGE_DAYS,
    and one whose date was never recorded all must change. A date in the future (a clock set
    back) counts as fresh.
    """
    if getattr(user, "must_change_password", False):
        return "您的密码是局办公室设置的（新账号或重设的密码），请先改成只有您自己知道的新密码，再继续使用。"
    changed_at = getattr(user, "password_changed_at", None)
    if changed_at is None:
        return "系统里没有您修改密码的记录，请先修改密码，再继续使用。"
    days = settings.PASSWORD_MAX_AGE_DAYS
    if days > 0 and timezone.now() - changed_at > timedelta(days=days):
        return f"您的密码已使用超过 {days} 天，按等级保护要求需要更换，请先修改密码，再继续使用。"
    return None


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's second recommended setting (m=46 MiB, t=1, p=1) instead of
    Django's (m=100 MiB, t=2, p=8). OWASP's Password Storage Cheat Sheet counts the two as equal
    defence; Django's spreads each hash over eight lanes, which on a 2-core server makes a login
    wait 140 ms idle and 400 ms when fifty clerks sign in at once, where this one takes about
    60 ms of one core. Same algorithm name: hashes made with Django's settings still verify, and
    are rewritten with these at the user's next login (`must_update`)."""

    time_cost = 1
    memory_cost = 47104  # KiB
    parallelism = 1
