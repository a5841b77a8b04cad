"""Pages of org: home, units, leaders, users. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .access import (
    MANAGE,
    can_manage,
    get_object_for_user,
    get_or_404,
    get_unit_for_user,
    manager_required,
    users_visible_to,
)
from .forms import LeaderForm, SetPasswordForm, UnitForm, UserForm
from .home import render_panels
from .models import Leader, Notice, Role, UnitKind, User
from .shortcuts import apply_errors

HOME_TEMPLATES: dict[str, str] = {
    Role.LEADER: "org/home_leader.html",
    Role.OFFICE: "org/home_office.html",
    Role.SECTION: "org/home_section.html",
    Role.TOWNSHIP: "org/home_township.html",
    Role.INSTITUTION: "org/home_institution.html",
}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    template = HOME_TEMPLATES.get(user.role, "org/home_norole.html")
    return render(
        request,
        template,
        {
            "facts": selectors.home_facts(user),
            "top_panels": render_panels(request, user, slot="top"),
            "panels": render_panels(request, user),
            "notices": selectors.unread_notices(user)[:5],
        },
    )


# Units


@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    kind = request.GET.get("kind", "")
    if kind not in UnitKind.values:
        kind = ""
    query = request.GET.get("q", "").strip()[:50]
    units = selectors.unit_list(request.user, kind=kind, query=query)
    page = Paginator(units, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "org/unit_list.html",
        {
            "page": page,
            "kind": kind,
            "query": query,
            "kinds": UnitKind.choices,
            "can_manage": can_manage(request.user),
        },
    )


@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assert isinstance(request.user, User)
    unit = get_unit_for_user(request.user, pk)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "children": selectors.unit_children(request.user, unit),
            "members": selectors.unit_members(request.user, unit),
            "leaders": unit.leaders.filter(is_active=True),
            "can_manage": can_manage(request.user),
            "history": unit.history.select_related("history_user")[:10],
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    initial = {}
    if parent_id := request.GET.get("parent"):
        initial["parent"] = get_unit_for_user(request.user, parent_id, MANAGE)
    form = UnitForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(**form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"已新增单位“{unit.name}”")
            return redirect("org:unit_detail", pk=unit.pk)
    return render(request, "org/unit_form.html", {"form": form, "unit": None})


@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assert isinstance(request.user, User)
    unit = get_unit_for_user(request.user, pk, MANAGE)
    if unit.parent is None:
        raise PermissionDenied("局本身只能由系统管理员调整")
    form = UnitForm(request.POST or None, instance=unit, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(unit=unit, **form.cleaned_data)
        except ValidationError as error:
            unit.refresh_from_db()
            apply_errors(form, error)
        else:
            messages.success(request, f"已保存“{unit.name}”")
            return redirect("org:unit_detail", pk=unit.pk)
    return render(request, "org/unit_form.html", {"form": form, "unit": unit})


# Leaders


@require_GET
def leader_list(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    if request.user.role not in (Role.OFFICE, Role.LEADER):
        raise PermissionDenied("当前角色不能查看局领导名单")
    return render(
        request,
        "org/leader_list.html",
        {"leaders": selectors.leader_list(request.user), "can_manage": can_manage(request.user)},
    )


@require_http_methods(["GET", "POST"])
def leader_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    assert isinstance(request.user, User)
    leader = None
    if pk is None and not can_manage(request.user):
        raise PermissionDenied("只有局办公室可以管理局领导")
    if pk is not None:
        leader = get_object_for_user(
            request.user, Leader.objects.all(), pk, write=True, write_perm=MANAGE
        )
    form = LeaderForm(request.POST or None, instance=leader, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.leader_save(leader=leader, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"已保存局领导“{saved.name}”")
            return redirect("org:leader_list")
    return render(request, "org/leader_form.html", {"form": form, "leader": leader})


# Users


@manager_required
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    role = request.GET.get("role", "")
    if role not in Role.values:
        role = ""
    query = request.GET.get("q", "").strip()[:50]
    users = selectors.user_list(request.user, role=role, query=query)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "org/user_list.html",
        {"page": page, "role": role, "query": query, "roles": Role.choices},
    )


def _get_managed_user(request: HttpRequest, pk: int) -> User:
    """The user, or 404 for anyone who may not manage them (the id is not confirmed)."""
    return get_or_404(users_visible_to(request.user), pk, "用户不存在或无权管理")


@manager_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    form = UserForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.user_create(
                username=data["username"],
                password=data["password1"],
                role=data["role"],
                scope=data["scope"],
                full_name=data["full_name"],
                phone=data["phone"],
                email=data["email"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"已新增用户“{created.display_name}”")
            return redirect("org:user_list")
    return render(request, "org/user_form.html", {"form": form, "target": None})


@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assert isinstance(request.user, User)
    target = _get_managed_user(request, pk)
    initial: dict[str, Any] = {
        "username": target.username,
        "full_name": target.full_name,
        "role": target.role,
        "scope": list(target.scope.all()),
        "phone": target.phone,
        "email": target.email,
        "is_active": target.is_active,
    }
    form = UserForm(request.POST or None, user=request.user, editing=target, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if target.pk == request.user.pk and (not data["is_active"] or data["role"] != Role.OFFICE):
            form.add_error(None, "不能停用自己的账号，也不能取消自己的办公室角色")
        else:
            try:
                services.user_update(
                    user=target,
                    role=data["role"],
                    scope=data["scope"],
                    full_name=data["full_name"],
                    phone=data["phone"],
                    email=data["email"],
                    is_active=data["is_active"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"已保存用户“{target.display_name}”")
                return redirect("org:user_list")
    locked_until = selectors.user_locked_until(target)
    return render(
        request,
        "org/user_form.html",
        {"form": form, "target": target, "locked_until": locked_until},
    )


@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift the login lockout of a user who failed to log in too often."""
    target = _get_managed_user(request, pk)
    services.user_unlock(user=target)
    messages.success(request, f"已解除“{target.display_name}”的登录锁定，可以重新登录了")
    return redirect("org:user_edit", pk=target.pk)


@require_http_methods(["GET", "POST"])
def user_set_password(request: HttpRequest, pk: int) -> HttpResponse:
    assert isinstance(request.user, User)
    target = _get_managed_user(request, pk)
    form = SetPasswordForm(request.POST or None, target=target)
    if request.method == "POST" and form.is_valid():
        services.user_set_password(user=target, password=form.cleaned_data["password1"])
        if target.pk == request.user.pk:
            update_session_auth_hash(request, target)
        messages.success(
            request,
            f"已重设“{target.display_name}”的密码，请当面或电话告知本人；本人下次登录时须改成新密码",
        )
        return redirect("org:user_list")
    return render(request, "org/user_password.html", {"form": form, "target": target})


# Notices


@require_http_methods(["GET", "POST"])
def notice_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        count = services.notice_mark_read(user=user)
        messages.success(request, f"已将 {count} 条通知标为已读")
        return redirect("org:notice_list")
    notices = Paginator(Notice.objects.filter(recipient=user), 30).get_page(request.GET.get("page"))
    return render(request, "org/notice_list.html", {"page": notices})
