"""Writing audit rows: `record` is the one way in (the middleware, the signals and commands)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from org.logfilters import mask_id_numbers

from .models import SYSTEM_ROLE, Event, Outcome

TEXT_LIMIT = 200


def scrub(text: str, limit: int = TEXT_LIMIT) -> str:
    """The text with every ID number masked however it was typed (org.logfilters), cut to
    `limit` characters."""
    masked = mask_id_numbers(text)
    return masked[:limit]


def clean_detail(value: Any, depth: int = 0) -> Any:
    """A JSON-safe copy of `value`: strings scrubbed and cut, containers kept small."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Mapping) and depth < 3:
        return {str(k)[:50]: clean_detail(v, depth + 1) for k, v in list(value.items())[:30]}
    if isinstance(value, list | tuple | set) and depth < 3:
        return [clean_detail(v, depth + 1) for v in list(value)[:30]]
    return scrub(str(value))


def client_ip(request: HttpRequest | None) -> str | None:
    """The source address: REMOTE_ADDR, or behind a trusted proxy the address it saw.

    With AUDIT_TRUSTED_PROXY the last X-Forwarded-For entry is taken: the one our own proxy
    appended. Entries before it come from the client and can say anything.
    """
    if request is None:
        return None
    candidates = []
    if getattr(settings, "AUDIT_TRUSTED_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            candidates.append(forwarded.split(",")[-1].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def object_label(obj: models.Model) -> str:
    return obj._meta.label_lower


def record(
    request: HttpRequest | None,
    action: str,
    obj: models.Model | None = None,
    *,
    outcome: str = Outcome.SUCCESS,
    detail: Mapping[str, Any] | None = None,
    user: Any = None,
    username: str | None = None,
    object_type: str = "",
    object_id: Any = "",
    object_repr: str = "",
) -> Event:
    """Write one audit row.

    The user is `user`, else the request's signed-in user, else nobody (a command: role
    "system", or an anonymous visitor: no role). Pass `obj`, or `object_type` and `object_id`.
    """
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if obj is not None:
        object_type = object_type or object_label(obj)
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    if user is not None:
        role = getattr(user, "role", "") or ""
        username = username if username is not None else user.get_username()
    else:
        role = "" if request is not None else SYSTEM_ROLE
    return Event.objects.create(
        user=user,
        username=scrub(username or "", 150),
        role=role,
        ip=client_ip(request),
        action=action,
        object_type=object_type[:100],
        object_id=scrub(str(object_id if object_id is not None else ""), 64),
        object_repr=scrub(object_repr),
        outcome=outcome,
        method=(request.method or "")[:10] if request is not None else "",
        path=scrub(request.path, 500) if request is not None else "",
        detail=clean_detail(dict(detail or {})),
    )
