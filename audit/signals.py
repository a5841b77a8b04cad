"""Logins, logouts, failed logins and lockouts, from django.contrib.auth's and django-axes'
signals (the login page's own POST is left to them: the middleware skips it)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import Action, Outcome
from .services import record


@receiver(user_logged_in, dispatch_uid="audit_login")
def on_login(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    record(request, Action.LOGIN, user, user=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def on_logout(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    if user is None:
        return  # nobody was signed in: nothing ended
    record(request, Action.LOGOUT, user, user=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any] | None = None, request: Any = None, **kwargs: Any
) -> None:
    # Django has already replaced the password in `credentials`; only the name is kept.
    username = str((credentials or {}).get("username") or "")
    record(
        request,
        Action.LOGIN_FAILED,
        outcome=Outcome.INVALID,
        username=username,
        object_type="org.user",
    )


def on_locked_out(
    sender: Any, request: Any = None, username: str | None = None, **kwargs: Any
) -> None:
    record(
        request,
        Action.LOCKOUT,
        outcome=Outcome.REFUSED,
        username=username or "",
        object_type="org.user",
    )


def connect_axes() -> None:
    """django-axes' lockout signal, when axes is installed."""
    try:
        from axes.signals import user_locked_out
    except ImportError:  # pragma: no cover - axes is a pinned dependency
        return
    user_locked_out.connect(on_locked_out, dispatch_uid="audit_lockout")
