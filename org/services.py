"""Writes to units, leaders and users. Views and commands call these, never the ORM directly."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from .access import ROLE_POLICIES, scope_units_allowed
from .models import ALLOWED_PARENT_KINDS, Leader, Unit, UnitKind, UnitUserObjectPermission, User

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
) -> User:
    user = User(username=username, full_name=full_name, phone=phone, email=email)
    user.set_password(password)
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
    user.full_name, user.phone, user.email, user.is_active = full_name, phone, email, is_active
    user.full_clean(exclude=["password", "role"])
    user.save(update_fields=["full_name", "phone", "email", "is_active"])
    return user_set_role_and_scope(user=user, role=role, scope=scope)


def user_set_password(*, user: User, password: str) -> User:
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


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
