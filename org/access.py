"""The one place where access is decided: every view, queryset, export and job calls these.

Permissions are django-guardian object permissions on `Unit` rows. A user's role says which
permissions they get on the units of their scope, and whether those reach down the tree (a
township's staff act for its communities; an institution's staff for the institution alone).
`org.services.user_set_role_and_scope` grants them; nothing else does.

Two outcomes for a refused object, on purpose: a unit outside what the user may see is a 404
(we do not confirm it exists), a visible unit the user may not change is a 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import StartsWith
from django.http import Http404, HttpRequest

from .models import Role, Unit, UnitKind, UnitUserObjectPermission, User

VIEW = "view_unit"
REPORT = "report_for_unit"
MANAGE = "manage_unit"


@dataclass(frozen=True)
class RolePolicy:
    """What a role may do on the units of its scope."""

    perms: tuple[str, ...]
    inherit: bool  # the permissions reach every descendant of a scope unit
    scope_kinds: tuple[str, ...]  # the kinds of unit a user of this role may be scoped to


ROLE_POLICIES: dict[str, RolePolicy] = {
    # 局领导 read everything under their bureau and write nothing.
    Role.LEADER: RolePolicy(perms=(VIEW,), inherit=True, scope_kinds=(UnitKind.BUREAU,)),
    # 局办公室 runs the campaigns and manages units and users under the bureau.
    Role.OFFICE: RolePolicy(perms=(VIEW, MANAGE), inherit=True, scope_kinds=(UnitKind.BUREAU,)),
    # 科室 staff act for their section; what their tasks reach is decided by the campaign.
    Role.SECTION: RolePolicy(perms=(VIEW,), inherit=False, scope_kinds=(UnitKind.SECTION,)),
    # 镇街 staff report for their township and see its communities and villages.
    Role.TOWNSHIP: RolePolicy(
        perms=(VIEW, REPORT),
        inherit=True,
        scope_kinds=(UnitKind.STREET, UnitKind.TOWN, UnitKind.DEVZONE),
    ),
    # 机构 staff report for their institution only.
    Role.INSTITUTION: RolePolicy(
        perms=(VIEW, REPORT), inherit=False, scope_kinds=(UnitKind.INSTITUTION,)
    ),
}


def policy_for(user: User | AnonymousUser) -> RolePolicy | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return ROLE_POLICIES.get(getattr(user, "role", ""))


def _permission_id(codename: str) -> Subquery:
    """The permission's id as a scalar subquery: computed once per query, where a join with
    auth_permission inside the EXISTS would scan that table again for every row tested."""
    return Subquery(
        Permission.objects.filter(
            content_type__app_label="org", content_type__model="unit", codename=codename
        ).values("pk")[:1]
    )


def units_visible_to(user: User | AnonymousUser, perm: str = VIEW) -> QuerySet[Unit]:
    """Units on which the user holds `perm`, directly or inherited; a lazy single query.

    Use it as a subquery to scope anything that hangs on a unit:
    `Report.objects.filter(unit__in=units_visible_to(user))`.
    """
    policy = policy_for(user)
    if policy is None or perm not in policy.perms:
        return Unit.objects.none()
    assert isinstance(user, User)
    grants = UnitUserObjectPermission.objects.filter(user=user, permission_id=_permission_id(perm))
    if policy.inherit:
        # A unit is reached when the path of a granted unit is a prefix of its own path.
        grants = grants.filter(StartsWith(OuterRef("path"), F("content_object__path")))
    else:
        grants = grants.filter(content_object=OuterRef("pk"))
    return Unit.objects.filter(Exists(grants))


def unit_ids_visible_to(user: User | AnonymousUser, perm: str = VIEW) -> list[int]:
    """The ids of `units_visible_to(user, perm)`, read now, in two indexed queries.

    For a page that filters several queries by the same units: a list of ids compiles in no
    time and plans as an index lookup, where the subquery tests every unit of the city.
    """
    policy = policy_for(user)
    if policy is None or perm not in policy.perms:
        return []
    assert isinstance(user, User)
    grants = UnitUserObjectPermission.objects.filter(user=user, permission_id=_permission_id(perm))
    if not policy.inherit:
        return list(grants.values_list("content_object_id", flat=True))
    reach = Q(pk__in=[])
    for path in grants.values_list("content_object__path", flat=True):
        reach |= Q(path__startswith=path)
    return list(Unit.objects.filter(reach).order_by().values_list("pk", flat=True))


def record_units_visible_to(
    user: User | AnonymousUser, domain: str, perm: str = VIEW
) -> QuerySet[Unit]:
    """Units whose records (of `domain`: relief, eldercare) the user may see or keep.

    A section that keeps a domain's records (社会救助科 the relief rosters) sees and keeps them for
    every unit of its bureau; everyone else sees the records of the units they see.
    """
    policy = policy_for(user)
    if policy is None:
        return Unit.objects.none()
    assert isinstance(user, User)
    if user.role == Role.SECTION and perm in (VIEW, REPORT):
        keeping = Unit.objects.filter(members=user, kind=UnitKind.SECTION, keeps_records=domain)
        if keeping.exists():
            reach = Q(pk__in=[])
            for path in home_bureaus(user).values_list("path", flat=True):
                reach |= Q(path__startswith=path)
            return Unit.objects.filter(reach)
    return units_visible_to(user, perm)


def record_unit_ids_visible_to(
    user: User | AnonymousUser, domain: str, perm: str = VIEW
) -> list[int]:
    """The ids of `record_units_visible_to(user, domain, perm)`, read now (see unit_ids_visible_to)."""
    if getattr(user, "role", None) == Role.SECTION:
        return list(record_units_visible_to(user, domain, perm).values_list("pk", flat=True))
    return unit_ids_visible_to(user, perm)


def record_units_writable_by(user: User | AnonymousUser, domain: str) -> QuerySet[Unit]:
    """Units whose records (of `domain`) the user keeps: REPORT through the records rule
    (the townships, institutions and the section that keeps the domain), or the office's MANAGE."""
    return Unit.objects.filter(
        Q(pk__in=record_units_visible_to(user, domain, REPORT))
        | Q(pk__in=record_units_visible_to(user, domain, MANAGE))
    )


def can_write_records(user: User | AnonymousUser, unit: Unit, domain: str) -> bool:
    """Whether the user may add or change `domain` records of this unit."""
    return record_units_writable_by(user, domain).filter(pk=unit.pk).exists()


def home_bureaus(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The bureaus whose trees hold the user's scope: whose plans the user takes part in."""
    if policy_for(user) is None:
        return Unit.objects.none()
    assert isinstance(user, User)
    scope = Unit.objects.filter(members=user, path__startswith=OuterRef("path"))
    return Unit.objects.filter(kind=UnitKind.BUREAU).filter(Exists(scope))


def has_unit_perm(user: User | AnonymousUser, unit: Unit, perm: str = VIEW) -> bool:
    policy = policy_for(user)
    if policy is None or perm not in policy.perms:
        return False
    assert isinstance(user, User)
    ids = [*unit.ancestor_ids(), unit.pk] if policy.inherit else [unit.pk]
    return UnitUserObjectPermission.objects.filter(
        user=user, permission__codename=perm, content_object_id__in=ids
    ).exists()


def is_bureau_office(user: User | AnonymousUser, bureau: Unit) -> bool:
    """The user works in the office (局办公室) of this bureau: runs its campaigns, keeps its plans.

    Holding MANAGE on the bureau says it: ROLE_POLICIES gives MANAGE to the office role alone,
    and `policy_for` reads the user's current role, so a grant left from an old role counts
    for nothing.
    """
    return has_unit_perm(user, bureau, MANAGE)


def bureaus_managed_by(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The bureaus whose office the user works in, in tree order; a lazy query."""
    return units_visible_to(user, MANAGE).filter(kind=UnitKind.BUREAU).order_by("path")


M = TypeVar("M", bound=Model)


def get_or_404(queryset: QuerySet[M], pk: Any, message: str = "记录不存在或无权查看") -> M:
    """The row of `queryset` with this pk, or 404 with `message`.

    A row that does not exist, one outside the (scoped) queryset and a pk that is not a number
    all give the same answer, so a refusal never confirms that a record exists.
    """
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404(message) from None


def get_unit_for_user(user: User | AnonymousUser, pk: Any, perm: str = VIEW) -> Unit:
    """The unit, or 404 if the user may not see it, or 403 if they see it but lack `perm`."""
    unit = get_or_404(units_visible_to(user), pk, "单位不存在或无权查看")
    if perm != VIEW and not has_unit_perm(user, unit, perm):
        raise PermissionDenied("没有该单位的操作权限")
    return unit


def scope_queryset(
    user: User | AnonymousUser, queryset: QuerySet[M], *, unit_field: str = "unit", perm: str = VIEW
) -> QuerySet[M]:
    """Keep the rows whose `unit_field` is a unit the user holds `perm` on."""
    return queryset.filter(**{f"{unit_field}__in": units_visible_to(user, perm)})


def get_object_for_user(
    user: User | AnonymousUser,
    queryset: QuerySet[M],
    pk: Any,
    *,
    unit_field: str = "unit",
    write: bool = False,
    write_perm: str = REPORT,
) -> M:
    """One row hanging on a unit: 404 outside the user's sight, 403 when seen but not writable."""
    obj = get_or_404(scope_queryset(user, queryset, unit_field=unit_field), pk)
    if write:
        unit = obj
        for part in unit_field.split("__"):
            unit = getattr(unit, part)
        if not isinstance(unit, Unit) or not has_unit_perm(user, unit, write_perm):
            raise PermissionDenied("没有修改该记录的权限")
    return obj


def users_visible_to(user: User | AnonymousUser) -> QuerySet[User]:
    """Users the office may manage: those scoped inside units it manages (or with no scope yet)."""
    managed = units_visible_to(user, MANAGE)
    if not user.is_authenticated or not managed.exists():
        return User.objects.none()
    scoped_outside = User.objects.filter(scope__in=Unit.objects.exclude(pk__in=managed))
    return User.objects.exclude(pk__in=scoped_outside.values("pk")).filter(is_superuser=False)


def can_manage(user: User | AnonymousUser) -> bool:
    """May open the office's pages for units, leaders and users."""
    policy = policy_for(user)
    return policy is not None and MANAGE in policy.perms


def role_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Refuse the view (403) to users of any other role."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if getattr(request.user, "role", None) not in roles or not request.user.is_active:
                raise PermissionDenied("当前角色不能使用该功能")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def manager_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse the view (403) to anyone who manages no unit."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not can_manage(request.user):
            raise PermissionDenied("只有局办公室可以管理单位、领导和用户")
        return view(request, *args, **kwargs)

    return wrapped


def scope_units_allowed(role: str, units: Iterable[Unit]) -> list[str]:
    """Problems with giving `role` this scope, as Chinese messages (empty when fine)."""
    policy = ROLE_POLICIES.get(role)
    if policy is None:
        return ["请选择角色"]
    units = list(units)
    if not units:
        return ["请至少选择一个所属单位"]
    kinds = "、".join(str(UnitKind(k).label) for k in policy.scope_kinds)
    return [
        f"“{unit.name}”是{unit.get_kind_display()}，{Role(role).label}账号只能属于{kinds}"
        for unit in units
        if unit.kind not in policy.scope_kinds
    ]
