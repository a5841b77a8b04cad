"""审计日志: who did what to which object, from where, and how it ended; rows never change.

`annotate(request, ...)` lets a view tell the audit middleware about the object it created or
the outcome it reached; it only sets an attribute, so views import it without loading models.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

ANNOTATION = "_audit_annotation"


def annotate(
    request: HttpRequest,
    *,
    obj: Any = None,
    outcome: str | None = None,
    action: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Tell the audit row of this request its object, outcome, action or extra detail."""
    note: dict[str, Any] = getattr(request, ANNOTATION, None) or {}
    if obj is not None:
        note["obj"] = obj
    if outcome is not None:
        note["outcome"] = outcome
    if action is not None:
        note["action"] = action
    if detail:
        note.setdefault("detail", {}).update(detail)
    setattr(request, ANNOTATION, note)


__all__ = ["annotate"]
