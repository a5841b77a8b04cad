"""The office's page over the audit trail: read and filter, nothing else."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from org.access import role_required
from org.models import Role

from .filters import EventFilter
from .selectors import DETAIL_LABELS, ROLE_LABELS, events_visible_to, object_type_label


def _words(value: Any) -> str:
    if isinstance(value, dict):
        return "，".join(f"{k}={_words(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(_words(v) for v in value)
    return str(value)


@role_required(Role.OFFICE)
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    events = EventFilter(request.GET or None, queryset=events_visible_to(request.user))
    page = Paginator(events.qs.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
    for event in page:
        event.role_label = ROLE_LABELS.get(event.role, event.role)  # type: ignore[attr-defined]
        event.object_label = object_type_label(event.object_type)  # type: ignore[attr-defined]
        event.detail_items = [  # type: ignore[attr-defined]
            (DETAIL_LABELS.get(key, key), _words(value))
            for key, value in (event.detail or {}).items()
        ]
    return render(request, "audit/event_list.html", {"filter": events, "page": page})
