"""One audit row per write, export and refusal of a signed-in user, decided after the view ran.

Placed right after AuthenticationMiddleware, so it sees the user before any view and the final
answer after every inner middleware. What a request stands for comes from audit.registry; how
it ended from the answer: a redirect (or a file) is a success unless the view queued an error
message, a form shown again is "invalid", 403 / 404 is a refused access, 5xx an error. A view
may say more with `audit.annotate(request, obj=..., outcome=..., detail=...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.urls import Resolver404, ResolverMatch, resolve

from . import ANNOTATION
from .models import Action, Outcome
from .registry import RULES, Rule, rule_for
from .services import object_label, record

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
# URL arguments that are not an object's id: kept in the row's detail as they are.
PK_KWARGS = ("pk", "object_id")


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user
        # The actor is who was signed in when the request came (a logout ends with nobody).
        actor = user if user.is_authenticated else None
        response = self.get_response(request)
        if actor is not None:
            self.record(request, response, actor)
        return response

    def record(self, request: HttpRequest, response: HttpResponseBase, actor: Any) -> None:
        match: ResolverMatch | None = getattr(request, "resolver_match", None)
        rule = rule_for(match)
        status = response.status_code
        note: dict[str, Any] = getattr(request, ANNOTATION, None) or {}
        safe = request.method in SAFE_METHODS
        if status == 404 and match is None:
            return  # no such page (a browser's /favicon.ico): nothing was refused
        if status in (403, 404):
            self._record_refusal(request, actor, match, rule, status, safe)
            return
        if safe:
            if rule is not None and rule.get and status == 200 and request.method == "GET":
                self._write(request, actor, match, rule, rule.get, Outcome.SUCCESS, {}, note, None)
            return
        if status == 405:
            return  # a method the URL never takes: turned away before anything ran
        if _sent_to_sign_in(response, match):
            # The session had ended or the password must change first (org.middleware): the
            # view never ran; the logout, if any, has its own row.
            return
        self._record_write(request, response, actor, match, rule, note)

    def _record_refusal(
        self,
        request: HttpRequest,
        actor: Any,
        match: ResolverMatch | None,
        rule: Rule | None,
        status: int,
        safe: bool,
    ) -> None:
        attempted = None
        if rule is not None:
            attempted = rule.get if safe else rule.action_for(request)
        self._write(
            request,
            actor,
            match,
            rule,
            Action.REFUSED,
            Outcome.REFUSED,
            {"status": status, **({"attempted": attempted} if attempted else {})},
            note={},
            created_from=None,
        )

    def _record_write(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        actor: Any,
        match: ResolverMatch | None,
        rule: Rule | None,
        note: dict[str, Any],
    ) -> None:
        if rule is None:
            # A URL the registry does not know (tests/audit/test_registry.py stops this): record
            # it anyway rather than lose a write.
            rule = Rule(post=Action.UPDATE)
            extra: dict[str, Any] = {"unclassified": match.view_name if match else "?"}
        else:
            extra = {}
        if rule.signals:
            return
        action = note.get("action") or rule.action_for(request)
        if action is None:
            return
        outcome = note.get("outcome") or self._outcome(request, response, rule)
        for name in rule.fields:
            value = request.POST.get(name, "").strip()
            if value:
                extra[name] = value
        self._write(request, actor, match, rule, action, outcome, extra, note, response)

    def _outcome(self, request: HttpRequest, response: HttpResponseBase, rule: Rule) -> str:
        status = response.status_code
        if status >= 500:
            return Outcome.ERROR
        if status >= 400:
            return Outcome.INVALID
        storage = getattr(request, "_messages", None)
        failed = any(m.level >= messages.ERROR for m in getattr(storage, "_queued_messages", ()))
        if 300 <= status < 400:
            return Outcome.INVALID if failed else Outcome.SUCCESS
        is_file = isinstance(response, StreamingHttpResponse) or response.has_header(
            "Content-Disposition"
        )
        if is_file or (rule.renders and not failed):
            return Outcome.SUCCESS
        return Outcome.INVALID  # the form again, with what was wrong

    def _write(
        self,
        request: HttpRequest,
        actor: Any,
        match: ResolverMatch | None,
        rule: Rule | None,
        action: str,
        outcome: str,
        extra: dict[str, Any],
        note: dict[str, Any],
        created_from: HttpResponseBase | None,
    ) -> None:
        kwargs = dict(match.kwargs) if match else {}
        pk = next((kwargs.pop(k) for k in PK_KWARGS if k in kwargs), None)
        detail: dict[str, Any] = {**{k: v for k, v in kwargs.items() if k != "thumb"}, **extra}
        object_type = rule.model if rule else ""
        object_id: Any = pk if pk is not None else ""
        if rule is not None and rule.parent:
            if pk is not None:
                detail["parent"] = f"{rule.parent}:{pk}"
            object_id = ""
            if action == Action.REFUSED:
                object_type, object_id = rule.parent, pk if pk is not None else ""
        if not object_id and rule is not None and created_from is not None:
            object_id = _created_id(created_from, rule) or ""
        obj = note.get("obj")
        if obj is not None:
            object_type, object_id = object_label(obj), obj.pk
        detail.update(note.get("detail") or {})
        record(
            request,
            action,
            outcome=outcome,
            detail=detail,
            user=actor,
            object_type=object_type,
            object_id=object_id,
            object_repr=str(obj) if obj is not None and action != Action.REFUSED else "",
        )


# Where a request is sent when it may not run at all: to sign in again, or to change the password.
SIGN_IN_VIEWS = frozenset({"login", "password_change"})


def _sent_to_sign_in(response: HttpResponseBase, match: ResolverMatch | None) -> bool:
    target = response.get("HX-Redirect") or (
        response.get("Location") if 300 <= response.status_code < 400 else None
    )
    if not target or (match is not None and match.view_name in SIGN_IN_VIEWS):
        return False
    try:
        return resolve(urlsplit(target).path).view_name in SIGN_IN_VIEWS
    except Resolver404:
        return False


def _created_id(response: HttpResponseBase, rule: Rule) -> Any:
    """The id of the object a create made, read from the page it redirects to."""
    if not isinstance(response, HttpResponse) or not 300 <= response.status_code < 400:
        return None
    try:
        target = resolve(urlsplit(response["Location"]).path)
    except (Resolver404, KeyError):
        return None
    target_rule = RULES.get(target.view_name)
    if target_rule is None or target_rule.model != rule.model or target_rule.parent:
        return None
    return target.kwargs.get("pk")
