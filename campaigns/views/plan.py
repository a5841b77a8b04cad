"""The plan pages: list, the plan read like the document, the matrix, authoring, publishing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from org.access import bureaus_managed_by, can_manage
from org.current import acting_user as _user
from org.models import Leader, Unit
from org.shortcuts import apply_errors

from .. import exports
from ..forms import CampaignForm, IndicatorForm, ResolveNameForm, TargetsForm, TaskForm
from ..models import LEADER_ROLES, UNMATCHED_ROLES, Campaign, Indicator, Task
from ..selectors import plan as selectors
from ..selectors.history import plan_changes
from ..services import plan as services
from ..services.importing import unmatched_names, unmatched_unit_names


@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    campaigns = selectors.campaigns_visible_to(user).select_related("bureau")
    return render(
        request,
        "campaigns/campaign_list.html",
        {"campaigns": campaigns, "can_manage": can_manage(user)},
    )


@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    campaign = selectors.get_campaign_for_user(user, pk)
    tasks = selectors.tasks_visible_to(user, campaign)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "chapters": selectors.plan_chapters(tasks),
            "can_edit": selectors.can_manage_campaign(user, campaign),
            "whole_plan": user.role in selectors.WHOLE_PLAN_ROLES,
            "editable_task_ids": {t.pk for t in tasks if selectors.can_edit_indicators(user, t)},
        },
    )


@require_GET
def campaign_matrix(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    campaign = selectors.get_campaign_for_user(user, pk)
    matrix = selectors.responsibility_matrix(selectors.tasks_visible_to(user, campaign))
    return render(
        request, "campaigns/campaign_matrix.html", {"campaign": campaign, "matrix": matrix}
    )


@require_GET
def campaign_export(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    campaign = selectors.get_campaign_for_user(user, pk)
    tasks = selectors.tasks_visible_to(user, campaign)
    return exports.plan_xlsx_response(campaign, tasks)


@require_GET
def campaign_history(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    campaign = selectors.get_campaign_for_user(user, pk, write=True)
    return render(
        request,
        "campaigns/campaign_history.html",
        {"campaign": campaign, "changes": plan_changes(campaign)},
    )


@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    bureau = bureaus_managed_by(user).first()
    if bureau is None:
        raise PermissionDenied("只有局办公室可以新建工作方案")
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_save(bureau=bureau, user=user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "已新建方案草稿，接着添加任务和指标")
            return redirect("campaigns:campaign_review", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": None})


@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    campaign = selectors.get_campaign_for_user(user, pk, write=True)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_save(campaign=campaign, user=user, **form.cleaned_data)
        except ValidationError as error:
            campaign.refresh_from_db()
            apply_errors(form, error)
        else:
            messages.success(request, "方案信息已保存")
            return redirect(_back(campaign))
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


def _back(campaign: Campaign) -> str:
    name = "campaigns:campaign_review" if campaign.is_draft else "campaigns:campaign_detail"
    return reverse(name, args=[campaign.pk])


@require_GET
def campaign_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    campaign = selectors.get_campaign_for_user(user, pk, write=True)
    if not campaign.is_draft:
        return redirect("campaigns:campaign_detail", pk=campaign.pk)
    pending = unmatched_names(campaign)
    return render(
        request,
        "campaigns/campaign_review.html",
        {
            "campaign": campaign,
            "chapters": selectors.plan_chapters(campaign.tasks.all()),
            "problems": services.campaign_problems(campaign),
            "unmatched": [
                {"role": role, "label": UNMATCHED_ROLES[role], "leader": role in LEADER_ROLES}
                | {"names": names}
                for role, names in pending.items()
            ],
            "unmatched_units": len(unmatched_unit_names(pending)),
            "units": Unit.objects.filter(
                path__startswith=campaign.bureau.path, is_active=True
            ).order_by("path"),
            "leaders": Leader.objects.filter(unit=campaign.bureau, is_active=True),
            "resolve_form": ResolveNameForm(campaign=campaign),
        },
    )


@require_POST
def campaign_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    campaign = selectors.get_campaign_for_user(user, pk, write=True)
    try:
        services.campaign_publish(campaign=campaign, user=user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("campaigns:campaign_review", pk=campaign.pk)
    messages.success(request, f"《{campaign.title}》已发布，相关单位已收到通知")
    return redirect("campaigns:campaign_detail", pk=campaign.pk)


# Tasks


@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    campaign = selectors.get_campaign_for_user(user, pk, write=True)
    return _task_form(request, campaign, None)


@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    task = selectors.get_task_for_user(user, pk)
    if not selectors.can_manage_campaign(user, task.campaign):
        raise PermissionDenied("只有局办公室可以修改任务")
    return _task_form(request, task.campaign, task)


def _task_form(request: HttpRequest, campaign: Campaign, task: Task | None) -> HttpResponse:
    form = TaskForm(request.POST or None, instance=task, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.task_save(task=task, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"已保存任务“{saved.title}”")
            return redirect(f"{_back(campaign)}#task-{saved.pk}")
    return render(
        request, "campaigns/task_form.html", {"form": form, "campaign": campaign, "task": task}
    )


@require_POST
def task_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    task = selectors.get_task_for_user(user, pk)
    if not selectors.can_manage_campaign(user, task.campaign):
        raise PermissionDenied("只有局办公室可以删除任务")
    try:
        services.task_delete(task=task)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"已删除任务“{task.title}”")
    return redirect(_back(task.campaign))


# Indicators and targets


def _editable_task(request: HttpRequest, pk: int) -> Task:
    user = _user(request)
    task = selectors.get_task_for_user(user, pk)
    if not selectors.can_edit_indicators(user, task):
        raise PermissionDenied("只有局办公室和这项任务的责任科室可以修改指标")
    return task


@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _indicator_form(request, _editable_task(request, pk), None)


@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.get_indicator_for_user(_user(request), pk)
    return _indicator_form(request, _editable_task(request, indicator.task_id), indicator)


def _indicator_form(request: HttpRequest, task: Task, indicator: Indicator | None) -> HttpResponse:
    form = IndicatorForm(request.POST or None, instance=indicator, task=task)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.indicator_save(indicator=indicator, task=task, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"已保存指标“{saved.name}”")
            return redirect(f"{_back(task.campaign)}#task-{task.pk}")
    return render(
        request,
        "campaigns/indicator_form.html",
        {"form": form, "task": task, "indicator": indicator, "campaign": task.campaign},
    )


@require_POST
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.get_indicator_for_user(_user(request), pk)
    task = _editable_task(request, indicator.task_id)
    try:
        services.indicator_delete(indicator=indicator)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"已删除指标“{indicator.name}”")
    return redirect(f"{_back(task.campaign)}#task-{task.pk}")


@require_http_methods(["GET", "POST"])
def indicator_targets(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.get_indicator_for_user(_user(request), pk)
    task = _editable_task(request, indicator.task_id)
    units = list(indicator.applies_to.order_by("path")) or list(task.participants.order_by("path"))
    form = TargetsForm(request.POST or None, indicator=indicator, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.targets_set(indicator=indicator, values=form.values())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"已保存“{indicator.name}”的目标值：{count} 个单位单独设定")
            return redirect(f"{_back(task.campaign)}#task-{task.pk}")
    return render(
        request,
        "campaigns/indicator_targets.html",
        {"form": form, "indicator": indicator, "task": task, "campaign": task.campaign},
    )
