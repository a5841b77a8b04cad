"""One audit row per run of a management command that changes data (user: none, role: system)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from .models import Outcome
from .services import record

logger = logging.getLogger(__name__)

C = TypeVar("C", bound=type[BaseCommand])

# Django's own options: they say nothing about what the command did.
DJANGO_OPTIONS = frozenset(
    {
        "verbosity",
        "settings",
        "pythonpath",
        "traceback",
        "no_color",
        "force_color",
        "skip_checks",
        "stdout",
        "stderr",
    }
)


def _plain(value: Any) -> Any:
    if isinstance(value, bool | int):
        return value
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value)


def _record_failure(action: str, outcome: str, detail: dict[str, Any]) -> None:
    try:
        record(None, action, outcome=outcome, detail=detail)
    except DatabaseError:
        # The command's own database error left the transaction unusable: the error it
        # raises matters more than this row, which the log keeps instead.
        logger.exception("audit: could not record the failed command %s", detail.get("command"))


def audited_command(action: str) -> Callable[[C], C]:
    """Record each run of the decorated command as `action`, with its options and outcome."""

    def decorate(cls: C) -> C:
        handle = cls.handle
        name = cls.__module__.rpartition(".")[2]

        @wraps(handle)
        def audited(self: BaseCommand, *args: Any, **options: Any) -> Any:
            detail: dict[str, Any] = {
                "command": name,
                "options": {
                    key: _plain(value)
                    for key, value in options.items()
                    if key not in DJANGO_OPTIONS and value not in (None, False, [])
                },
            }
            if args:
                detail["args"] = [str(arg) for arg in args]
            try:
                result = handle(self, *args, **options)
            except CommandError as error:
                _record_failure(action, Outcome.INVALID, {**detail, "message": str(error)})
                raise
            except Exception as error:
                _record_failure(action, Outcome.ERROR, {**detail, "message": type(error).__name__})
                raise
            record(None, action, outcome=Outcome.SUCCESS, detail=detail)
            return result

        cls.handle = audited  # type: ignore[method-assign]
        return cls

    return decorate
