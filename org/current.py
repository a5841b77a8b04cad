"""The user a view acts for. LoginRequiredMiddleware has already sent anonymous visitors to the
login page, so a view that asks holds a real `org.User`."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


def acting_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user
