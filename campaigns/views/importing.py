"""Importing a plan document: paste or upload, then settle the names the import could not match."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from org.access import bureaus_managed_by
from org.models import User

from ..forms import ImportForm, ResolveNameForm
from ..models import LEADER_ROLES
from ..selectors import plan as selectors
from ..services.importing import (
    campaign_import,
    unmatched_name_resolve,
    unmatched_units_create_partners,
)


@require_http_methods(["GET", "POST"])
def import_plan(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    bureau = bureaus_managed_by(user).first()
    if bureau is None:
        raise PermissionDenied("只有局办公室可以导入工作方案")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_import(
                text=form.cleaned_data["plan_text"], bureau=bureau, user=user
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                f"已从文件生成方案草稿：{campaign.tasks.count()} 项任务。请逐项核对后发布。",
            )
            return redirect("campaigns:campaign_review", pk=campaign.pk)
    return render(request, "campaigns/import.html", {"form": form})


@require_POST
def resolve_name(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    campaign = selectors.get_campaign_for_user(user, pk, write=True)
    form = ResolveNameForm(request.POST, campaign=campaign)
    if not form.is_valid():
        for error in form.non_field_errors() or ["请选择处理方式"]:
            messages.error(request, str(error))
        return redirect("campaigns:campaign_review", pk=campaign.pk)
    data = form.cleaned_data
    action = data["action"]
    try:
        settled = unmatched_name_resolve(
            campaign=campaign,
            name=data["name"],
            unit=data["unit"] if action == "map" and data["role"] not in LEADER_ROLES else None,
            leader=data["leader"] if action == "map" and data["role"] in LEADER_ROLES else None,
            create_partner=action == "create",
            drop=action == "drop",
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"“{data['name']}”已处理，涉及 {settled} 处")
    return redirect("campaigns:campaign_review", pk=campaign.pk)


@require_POST
def resolve_all_as_partners(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    campaign = selectors.get_campaign_for_user(user, pk, write=True)
    if not campaign.is_draft:
        messages.error(request, "方案已发布，不能再批量新建单位")
        return redirect("campaigns:campaign_detail", pk=campaign.pk)
    names, places = unmatched_units_create_partners(campaign=campaign)
    if names:
        messages.success(
            request, f"已把 {names} 个名称新建为配合单位（或对应到同名单位），涉及 {places} 处"
        )
    else:
        messages.info(request, "没有待对应的单位名称")
    return redirect("campaigns:campaign_review", pk=campaign.pk)
