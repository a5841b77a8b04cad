"""Login policy on every request: sessions that end, passwords that must be changed.

`SessionPolicyMiddleware` ends a session 30 minutes after its last request and 12 hours after
the login (settings SESSION_IDLE_SECONDS, SESSION_ABSOLUTE_SECONDS); the times live in the session
itself, written at login by org.signals. `PasswordPolicyMiddleware` sends a user whose password
must change (set by the office, too old, never recorded) to the password page until they do.
An htmx request gets an `HX-Redirect` instead of a login page swapped into a fragment.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, resolve_url
from django_htmx.http import HttpResponseClientRedirect

from .models import UserSession
from .passwords import password_change_reason

# Session keys (epoch seconds, and the key registered in org.UserSession).
LOGIN_AT = "org.login_at"
SEEN_AT = "org.seen_at"
REGISTERED_KEY = "org.session_key"
# Activity is written back at most once a minute: a session row is not rewritten on every click.
TOUCH_EVERY = 60

IDLE_MESSAGE = "长时间未操作，已自动退出，请重新登录。"


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _login_url() -> str:
    return str(resolve_url(settings.LOGIN_URL))


def _to_login(request: HttpRequest) -> HttpResponseBase:
    if is_htmx(request):
        return HttpResponseClientRedirect(_login_url())
    if request.method == "GET":
        return redirect_to_login(request.get_full_path())
    return redirect(_login_url())  # a form posted after the timeout: start again from home


class SessionPolicyMiddleware:
    """Log out after SESSION_IDLE_SECONDS without a request or SESSION_ABSOLUTE_SECONDS in all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated:
            refused = self._check(request)
            if refused is not None:
                return refused
        response = self.get_response(request)
        if request.user.is_authenticated:
            self._follow_key(request)
        if is_htmx(request) and response.status_code == 302:
            # LoginRequiredMiddleware's answer to a session already gone: a whole-page move.
            location = response.get("Location", "")
            if location.split("?", 1)[0] == _login_url():
                return HttpResponseClientRedirect(location)
        return response

    def _check(self, request: HttpRequest) -> HttpResponseBase | None:
        session = request.session
        now = time.time()
        login_at = session.get(LOGIN_AT)
        if login_at is None:  # a session from before this policy: its clock starts now
            login_at = session[LOGIN_AT] = session[SEEN_AT] = now
        seen_at = session.get(SEEN_AT, login_at)
        if now - seen_at > settings.SESSION_IDLE_SECONDS:
            message = IDLE_MESSAGE
        elif now - login_at > settings.SESSION_ABSOLUTE_SECONDS:
            hours = settings.SESSION_ABSOLUTE_SECONDS // 3600
            message = f"登录已超过 {hours} 小时，已自动退出，请重新登录。"
        else:
            # max(): a clock set back (or a test's time travel) never makes a session look idle.
            if now - seen_at >= TOUCH_EVERY:
                session[SEEN_AT] = max(now, seen_at)
            return None
        logout(request)
        messages.info(request, message)
        return _to_login(request)

    def _follow_key(self, request: HttpRequest) -> None:
        """Keep org.UserSession on the session's key after a rotation (a password change)."""
        session = request.session
        key, registered = session.session_key, session.get(REGISTERED_KEY)
        if key and registered and key != registered:
            UserSession.objects.filter(session_key=registered).update(session_key=key)
            session[REGISTERED_KEY] = key


# Pages a user whose password must change may still open.
PASSWORD_EXEMPT_VIEWS = {"password_change", "password_change_done", "logout", "login"}


class PasswordPolicyMiddleware:
    """Until a due password change is made, every page leads to the password page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        user = request.user
        if not user.is_authenticated or password_change_reason(user) is None:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in PASSWORD_EXEMPT_VIEWS:
            return None
        if request.path_info.startswith(settings.STATIC_URL):
            return None
        url = str(resolve_url("password_change"))
        if is_htmx(request):
            return HttpResponseClientRedirect(url)
        return redirect(url)
