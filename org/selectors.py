"""Reads for the org pages: every one starts from what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from .access import MANAGE, REPORT, units_visible_to, users_visible_to
from .models import TOWNSHIP_KINDS, Leader, Notice, Role, Unit, UnitKind, User


def unit_list(user: User, *, kind: str = "", query: str = "") -> QuerySet[Unit]:
    units = units_visible_to(user).select_related("parent")
    if kind:
        units = units.filter(kind=kind)
    if query:
        units = units.filter(Q(name__contains=query) | Q(short_name__contains=query))
    return units.annotate(
        member_count=Count("members", filter=Q(members__is_active=True), distinct=True),
        child_count=Count("children", distinct=True),
    ).order_by("path")


def unit_children(user: User, unit: Unit) -> QuerySet[Unit]:
    return (
        units_visible_to(user)
        .filter(parent=unit)
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("sort_order", "name")
    )


def unit_members(user: User, unit: Unit) -> QuerySet[User]:
    """The unit's active users; a colleague's name is no secret inside the unit."""
    return unit.members.filter(is_active=True).order_by("role", "username")


def leader_list(user: User) -> QuerySet[Leader]:
    return (
        Leader.objects.filter(unit__in=units_visible_to(user))
        .select_related("unit", "user")
        .order_by("unit__path", "sort_order", "id")
    )


def user_list(user: User, *, role: str = "", query: str = "") -> QuerySet[User]:
    users = users_visible_to(user).prefetch_related("scope")
    if role:
        users = users.filter(role=role)
    if query:
        users = users.filter(
            Q(username__contains=query) | Q(full_name__contains=query) | Q(phone__contains=query)
        )
    return users.order_by("role", "username")


def home_facts(user: User) -> dict[str, Any]:
    """What the user's home page reports about their own units today."""
    scope = list(user.scope.order_by("path"))
    facts: dict[str, Any] = {"scope": scope}
    if user.role in (Role.OFFICE, Role.LEADER):
        visible = units_visible_to(user)
        counts = dict(visible.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
        facts["unit_counts"] = [
            (UnitKind(kind).label, counts.get(kind, 0))
            for kind in (
                UnitKind.SECTION,
                UnitKind.STREET,
                UnitKind.TOWN,
                UnitKind.DEVZONE,
                UnitKind.COMMUNITY,
                UnitKind.INSTITUTION,
            )
        ]
        facts["leaders"] = list(leader_list(user).filter(is_active=True))
    if user.role == Role.OFFICE:
        managed = units_visible_to(user, MANAGE)
        facts["townships_without_reporter"] = list(
            managed.filter(kind__in=TOWNSHIP_KINDS, is_active=True)
            .exclude(members__is_active=True, members__role=Role.TOWNSHIP)
            .order_by("path")
        )
        facts["institutions_without_reporter"] = list(
            managed.filter(kind=UnitKind.INSTITUTION, is_active=True)
            .exclude(members__is_active=True, members__role=Role.INSTITUTION)
            .order_by("path")
        )
        facts["users_without_scope"] = list(
            users_visible_to(user).filter(is_active=True, scope__isnull=True)
        )
    if user.role in (Role.TOWNSHIP, Role.INSTITUTION):
        facts["reporting_units"] = list(units_visible_to(user, REPORT).order_by("path"))
        facts["communities"] = (
            units_visible_to(user).filter(kind__in=(UnitKind.COMMUNITY, UnitKind.VILLAGE)).count()
        )
    if user.role == Role.SECTION:
        facts["colleagues"] = list(
            User.objects.filter(scope__in=scope, is_active=True).exclude(pk=user.pk).distinct()
        )
    return facts


def unread_notices(user: User) -> QuerySet[Notice]:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).order_by("-created_at")


def user_locked_until(target: User) -> Any:
    """When the login lockout on the user's name ends (django-axes), or None if not locked."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    threshold = timezone.now() - settings.AXES_COOLOFF_TIME
    last = (
        AccessAttempt.objects.filter(
            username=target.username,
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=threshold,
        )
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    return None if last is None else last + settings.AXES_COOLOFF_TIME
