"""Writes to units, leaders and users. Views and commands call these, never the ORM directly."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from .access import ROLE_POLICIES, scope_units_allowed
from .models import (
    ALLOWED_PARENT_KINDS,
    Leader,
    Unit,
    UnitKind,
    UnitUserObjectPermission,
    User,
    UserSession,
)

logger = logging.getLogger(__name__)

UNIT_FIELDS = (
    "name",
    "short_name",
    "kind",
    "parent",
    "sort_order",
    "is_active",
    "contact_person",
    "contact_phone",
    "note",
    "keeps_records",
)


def _check_unit_placement(unit: Unit) -> None:
    allowed = ALLOWED_PARENT_KINDS[unit.kind]
    if unit.parent is None:
        if allowed:
            raise ValidationError({"parent": f"{unit.get_kind_display()}必须有上级单位"})
        return
    if unit.parent.kind not in allowed:
        names = "、".join(str(UnitKind(k).label) for k in allowed) or "无"
        raise ValidationError(
            {
                "parent": f"{unit.get_kind_display()}的上级只能是{names}，"
                f"“{unit.parent.name}”是{unit.parent.get_kind_display()}"
            }
        )
    if unit.pk and (unit.parent.pk == unit.pk or unit.parent.path.startswith(unit.path)):
        raise ValidationError({"parent": "上级单位不能是本单位或其下级单位"})


def _unit_validate_name(unit: Unit) -> None:
    siblings = Unit.objects.filter(parent=unit.parent, name=unit.name).exclude(pk=unit.pk)
    if siblings.exists():
        raise ValidationError({"name": f"同一上级单位下已有“{unit.name}”"})


@transaction.atomic
def unit_create(*, name: str, kind: str, parent: Unit | None, **fields: Any) -> Unit:
    unit = Unit(name=name, kind=kind, parent=parent, **fields)
    _check_unit_placement(unit)
    _unit_validate_name(unit)
    unit.full_clean(exclude=["path"], validate_constraints=False)
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, **fields: Any) -> Unit:
    """Change a unit; moving it under another parent moves its whole subtree with it."""
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unit_update does not take {sorted(unknown)}")
    old_path = unit.path
    for key, value in fields.items():
        setattr(unit, key, value)
    _check_unit_placement(unit)
    _unit_validate_name(unit)
    unit.full_clean(exclude=["path"], validate_constraints=False)
    new_path = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
    depth_shift = (unit.parent.depth + 1 if unit.parent else 0) - unit.depth
    unit.path = new_path
    unit.depth += depth_shift
    unit.save(update_fields=[*fields, "path", "depth"])
    if new_path != old_path:
        # One UPDATE for the subtree: swap the old prefix for the new one.
        Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + depth_shift,
        )
    return unit


def _role_permissions(role: str) -> list[Permission]:
    codenames = ROLE_POLICIES[role].perms
    perms = list(Permission.objects.filter(content_type__app_label="org", codename__in=codenames))
    if len(perms) != len(codenames):
        raise RuntimeError("org permissions are missing: run migrate")
    return perms


@transaction.atomic
def user_set_role_and_scope(*, user: User, role: str, scope: Iterable[Unit]) -> User:
    """Give the user a role and the units they act for, and grant exactly the permissions due.

    Earlier grants are removed first, so a user moved from one township to another keeps nothing
    of the old one.
    """
    scope = list(scope)
    problems = scope_units_allowed(role, scope)
    if problems:
        raise ValidationError({"scope": problems})
    user.role = role
    user.save(update_fields=["role"])
    user.scope.set(scope)
    UnitUserObjectPermission.objects.filter(user=user).delete()
    UnitUserObjectPermission.objects.bulk_create(
        UnitUserObjectPermission(user=user, permission=perm, content_object=unit)
        for unit in scope
        for perm in _role_permissions(role)
    )
    return user


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    scope: Iterable[Unit],
    full_name: str = "",
    phone: str = "",
    email: str = "",
    must_change_password: bool = True,
) -> User:
    """Create an account; a password the office chose must be changed at the first login."""
    user = User(username=username, full_name=full_name, phone=phone, email=email)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = must_change_password
    user.full_clean(exclude=["password", "role"])
    user.save()
    return user_set_role_and_scope(user=user, role=role, scope=scope)


@transaction.atomic
def user_update(
    *,
    user: User,
    role: str,
    scope: Iterable[Unit],
    full_name: str,
    phone: str = "",
    email: str = "",
    is_active: bool = True,
) -> User:
    """Save the office's edit; disabling ends the user's sessions (org.signals, on save)."""
    fields = ["full_name", "phone", "email", "is_active"]
    if is_active and not user.is_active:
        user.reactivated_at = timezone.now()
        fields.append("reactivated_at")
    user.full_name, user.phone, user.email, user.is_active = full_name, phone, email, is_active
    user.full_clean(exclude=["password", "role"])
    user.save(update_fields=fields)
    return user_set_role_and_scope(user=user, role=role, scope=scope)


PASSWORD_FIELDS = ["password", "password_changed_at", "must_change_password"]


def user_set_password(*, user: User, password: str) -> User:
    """The office resets a password: its owner must change it at the next login."""
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = True
    user.save(update_fields=PASSWORD_FIELDS)
    return user


def user_change_own_password(*, user: User, password: str) -> User:
    """The owner sets their own password: its 90 days start now and nothing more is asked."""
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = False
    user.save(update_fields=PASSWORD_FIELDS)
    return user


def user_unlock(*, user: User) -> int:
    """Lift a login lockout (django-axes) on the user's login name; return the attempts cleared."""
    from axes.utils import reset

    return reset(username=user.username)


def user_sessions_end(*, user_ids: Iterable[int]) -> int:
    """Delete the users' sessions from the session store, so every browser of theirs is out."""
    rows = list(UserSession.objects.filter(user_id__in=list(user_ids)))
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for row in rows:
        store().delete(row.session_key)
    UserSession.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


@transaction.atomic
def users_disable_idle(*, now: datetime | None = None) -> list[str]:
    """Disable accounts with no login for ACCOUNT_IDLE_DAYS days; return their login names.

    Idle counts from the last login, or from the account's creation when it never logged in,
    and restarts when the office re-enables it. Run twice, the second run finds nobody.
    """
    now = now or timezone.now()
    # Sessions cannot outlive the absolute limit: rows older than it only take room.
    UserSession.objects.filter(
        created__lt=now - timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS)
    ).delete()
    if settings.ACCOUNT_IDLE_DAYS <= 0:
        return []
    cutoff = now - timedelta(days=settings.ACCOUNT_IDLE_DAYS)
    idle = (
        User.objects.select_for_update()
        .filter(is_active=True)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .filter(Q(reactivated_at__isnull=True) | Q(reactivated_at__lt=cutoff))
    )
    if settings.ACCOUNT_IDLE_EXEMPT_SUPERUSERS:
        idle = idle.exclude(is_superuser=True)
    found = dict(idle.values_list("pk", "username"))
    User.objects.filter(pk__in=found, is_active=True).update(is_active=False)
    user_sessions_end(user_ids=found)
    for username in sorted(found.values()):
        logger.info(
            "disabled account %s: no login for %s days", username, settings.ACCOUNT_IDLE_DAYS
        )
    return sorted(found.values())


@transaction.atomic
def leader_save(
    *,
    leader: Leader | None = None,
    name: str,
    unit: Unit,
    title: str = "",
    user: User | None = None,
    sort_order: int = 0,
    is_active: bool = True,
) -> Leader:
    """Create a leader or change one."""
    leader = leader or Leader()
    leader.name, leader.unit, leader.title = name, unit, title
    leader.user, leader.sort_order, leader.is_active = user, sort_order, is_active
    if unit.kind != UnitKind.BUREAU:
        raise ValidationError({"unit": "局领导只能属于局"})
    duplicate = Leader.objects.filter(unit=unit, name=name).exclude(pk=leader.pk)
    if duplicate.exists():
        raise ValidationError({"name": f"“{unit.name}”已有领导“{name}”"})
    leader.full_clean(validate_constraints=False)
    leader.save()
    return leader


def notify_units(*, units: Iterable[Unit], title: str, body: str = "", link: str = "") -> int:
    """Leave a notice for every active user who acts for one of these units; return how many."""
    from .models import Notice

    recipients = User.objects.filter(scope__in=list(units), is_active=True).distinct()
    notices = [Notice(recipient=user, title=title, body=body, link=link) for user in recipients]
    Notice.objects.bulk_create(notices)
    return len(notices)


def notice_mark_read(*, user: User, notice_ids: Iterable[int] | None = None) -> int:
    from django.utils import timezone

    from .models import Notice

    notices = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if notice_ids is not None:
        notices = notices.filter(pk__in=list(notice_ids))
    return notices.update(read_at=timezone.now())
