from typing import Any

from django.http import HttpRequest

from .navigation import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    # Once per request: the home page renders each panel with the request's context too.
    cached: dict[str, Any] | None = getattr(request, "_navigation_context", None)
    if cached is not None:
        return cached
    from .models import Notice

    unread = Notice.objects.filter(recipient=user, read_at__isnull=True).count()
    cached = {
        "nav_items": items_for(getattr(user, "role", None), request.path),
        "unread_notices": unread,
    }
    request._navigation_context = cached  # type: ignore[attr-defined]
    return cached
