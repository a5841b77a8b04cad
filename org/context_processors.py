from typing import Any

from django.http import HttpRequest

from .navigation import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    from .models import Notice

    unread = Notice.objects.filter(recipient=user, read_at__isnull=True).count()
    return {
        "nav_items": items_for(getattr(user, "role", None), request.path),
        "unread_notices": unread,
    }
