"""The month's pages: my reports, the report form, review, evidence, and the office's periods."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from org.access import can_manage
from org.current import acting_user as _user
from org.models import Role, User
from org.shortcuts import apply_errors
from org.uploads import file_response

from ..forms_reporting import EvidenceForm, PeriodOpenForm, ReopenForm, ReportForm, ReturnForm
from ..models import CampaignStatus, ReportStatus
from ..selectors import plan as plan_selectors
from ..selectors import reporting as selectors
from ..services import evidence as evidence_services
from ..services import reporting as services

PAST_PER_PAGE = 30  # 往期月报 a page: a township's month is 5 to 10 reports


@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    """Each role's month: units see what is due, sections what to review, the office periods."""
    user = _user(request)
    context: dict[str, object] = {"role": user.role, "today": timezone.localdate()}
    if user.role in (Role.TOWNSHIP, Role.INSTITUTION):
        context["groups"] = selectors.open_periods_for(user)
        context["returned"] = selectors.reports_visible_to(user).filter(
            status=ReportStatus.RETURNED
        )
    if user.role == Role.SECTION:
        context["queue"] = selectors.review_queue(user)
    if user.role in (Role.TOWNSHIP, Role.INSTITUTION, Role.SECTION):
        context.update(_past(request, user))
    if user.role in (Role.OFFICE, Role.LEADER):
        context["periods"] = selectors.periods_visible_to(user)
    if user.role == Role.OFFICE:
        campaigns = plan_selectors.campaigns_visible_to(user).filter(
            status=CampaignStatus.PUBLISHED
        )
        context["open_form"] = PeriodOpenForm(
            campaigns=campaigns, initial={"month": timezone.localdate()}
        )
    return render(request, "campaigns/my_reports.html", context)


def _past(request: HttpRequest, user: User) -> dict[str, object]:
    """往期月报 / 已审核: the page of reports asked for, of one period when `?period=` names one
    of the user's (anything else: all of them)."""
    reports = selectors.past_reports_for(user)
    periods = selectors.past_periods(reports)
    chosen = next((p for p in periods if str(p.pk) == request.GET.get("period", "")), None)
    if chosen is not None:
        reports = reports.filter(period=chosen)
    page = Paginator(reports, PAST_PER_PAGE).get_page(request.GET.get("page"))
    return {"past": page, "past_periods": periods, "past_period": chosen}


@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    report = selectors.get_report_for_user(user, pk)
    page = selectors.report_page(report)
    may_fill = selectors.can_fill(user, report)
    lock = services.report_lock_reason(report)
    editable = may_fill and lock is None
    form = ReportForm(
        request.POST if request.method == "POST" else None, report=report, entries=page["entries"]
    )
    for entry in page["entries"]:
        entry.form_fields = form.entry_fields(entry)  # type: ignore[attr-defined]
    conflict = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(lock or "只有本单位的填报人员可以修改这份月报")
        submit = "submit" in request.POST
        if form.is_valid():
            try:
                saved = services.report_save(
                    report=report,
                    user=user,
                    version=form.cleaned_data["version"],
                    entries=form.entry_inputs(),
                    texts=form.texts(),
                    submit=submit,
                )
            except services.ReportConflict as clash:
                conflict = clash.current
                page_now = selectors.report_page(conflict)
                conflict.entries_now = page_now["entries"]  # type: ignore[attr-defined]
                messages.warning(
                    request,
                    "保存失败：您打开这份月报之后，"
                    f"{getattr(conflict.updated_by, 'display_name', '他人')}已经修改并保存了它。"
                    "您填写的内容还在下面的表格里，请对照对方保存的内容核对后再保存。",
                )
                data = request.POST.copy()
                data["version"] = str(conflict.version)
                form.data = data
            except ValidationError as error:
                apply_errors(form, error)
            else:
                if submit:
                    messages.success(request, "月报已提交，等待科室审核")
                else:
                    messages.success(request, "草稿已保存")
                return redirect("campaigns:report_detail", pk=saved.pk)
    return render(
        request,
        "campaigns/report_detail.html",
        {
            "report": report,
            **page,
            "form": form,
            "editable": editable,
            "lock": lock if may_fill else None,
            "conflict": conflict,
            "can_review": selectors.can_review(user, report)
            and report.status == ReportStatus.SUBMITTED,
            "return_form": ReturnForm(entries=page["entries"]),
            "can_reopen": selectors.can_run_periods(user, report),
            "reopen_form": ReopenForm(),
            "evidence_form": EvidenceForm(),
        },
    )


@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    report = selectors.get_report_for_user(user, pk)
    if not selectors.can_review(user, report):
        raise PermissionDenied("只有这项任务的责任科室可以审核")
    try:
        if request.POST.get("decision") == "accept":
            services.report_accept(report=report, user=user)
            messages.success(request, f"已通过{report.unit.name}的月报")
        else:
            form = ReturnForm(
                request.POST, entries=list(report.entries.select_related("indicator"))
            )
            if not form.is_valid():
                messages.error(request, "退回时请写明原因")
                return redirect("campaigns:report_detail", pk=report.pk)
            services.report_return(
                report=report,
                user=user,
                reason=form.cleaned_data["reason"],
                field=form.cleaned_data["field"],
            )
            messages.success(request, f"已退回{report.unit.name}的月报，对方会收到通知")
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("campaigns:my_reports")


@require_POST
def report_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    report = selectors.get_report_for_user(user, pk)
    if not selectors.can_run_periods(user, report):
        raise PermissionDenied("只有局办公室可以重新开放月报")
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.report_reopen(
                report=report,
                user=user,
                reason=form.cleaned_data["reason"],
                until=form.cleaned_data["until"],
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                f"已重新开放，{report.unit.name}可修改至{form.cleaned_data['until']:%m月%d日}",
            )
    else:
        messages.error(request, "请写明原因并选择开放截止日")
    return redirect("campaigns:report_detail", pk=report.pk)


# Evidence


@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    report = selectors.get_report_for_user(user, pk)
    if not selectors.can_fill(user, report) or services.report_lock_reason(report):
        raise PermissionDenied("这份月报现在不能添加材料")
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件")
    else:
        try:
            evidence_services.evidence_add(
                report=report,
                upload=form.cleaned_data["file"],
                user=user,
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "材料已上传")
    return redirect(f"{report_url(report.pk)}#evidence")


def report_url(pk: int) -> str:
    return reverse("campaigns:report_detail", args=[pk])


@require_GET
def evidence_file(request: HttpRequest, pk: int, thumb: bool = False) -> FileResponse:
    evidence = selectors.evidence_for_user(_user(request), pk)
    stored = evidence.thumbnail if thumb and evidence.thumbnail else evidence.file
    return file_response(
        stored.open("rb"),
        content_type=evidence.content_type if not thumb else "image/jpeg",
        filename=evidence.original_name,
        inline=evidence.is_image or thumb,
    )


@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    evidence = selectors.evidence_for_user(user, pk)
    report = evidence.report
    if not selectors.can_fill(user, report) or services.report_lock_reason(report):
        raise PermissionDenied("这份月报现在不能删除材料")
    try:
        evidence_services.evidence_delete(
            evidence=evidence, user=user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已删除“{evidence.original_name}”")
    return redirect(f"{report_url(report.pk)}#evidence")


# Periods (the office)


@require_POST
def period_open(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not can_manage(user):
        raise PermissionDenied("只有局办公室可以开启调度期")
    campaigns = plan_selectors.campaigns_visible_to(user).filter(status=CampaignStatus.PUBLISHED)
    form = PeriodOpenForm(request.POST, campaigns=campaigns)
    if not form.is_valid():
        messages.error(request, "请选择方案和日期")
        return redirect("campaigns:my_reports")
    campaign = form.cleaned_data["campaign"]
    if not plan_selectors.can_manage_campaign(user, campaign):
        raise PermissionDenied("只有局办公室可以开启调度期")
    try:
        period = services.period_open(campaign=campaign, day=form.cleaned_data["month"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("campaigns:my_reports")
    messages.success(request, f"{period.label}调度期已开启：{period.reports.count()} 份月报待填报")
    return redirect("campaigns:period_detail", pk=period.pk)


@require_GET
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    period = selectors.get_period_for_user(user, pk)
    return render(
        request,
        "campaigns/period_detail.html",
        {
            "period": period,
            "matrix": selectors.period_matrix(period),
            "summary": services.reports_summary(period),
            "can_run": selectors.can_run_periods(user, period),
        },
    )


@require_POST
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    period = selectors.get_period_for_user(user, pk)
    if not selectors.can_run_periods(user, period):
        raise PermissionDenied("只有局办公室可以截止调度期")
    try:
        services.period_close(period=period, user=user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{period.label}已截止，未提交的单位将记为未报送")
    return redirect("campaigns:period_detail", pk=period.pk)


@require_POST
def period_remind(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    period = selectors.get_period_for_user(user, pk)
    if not selectors.can_run_periods(user, period):
        raise PermissionDenied("只有局办公室可以催报")
    sent = services.reminders_send(day=timezone.localdate(), period=period, force=True)
    messages.success(
        request,
        f"已向 {sent} 个单位发出催报提醒" if sent else "今天已经催报过，或没有需要催报的单位",
    )
    return redirect("campaigns:period_detail", pk=period.pk)
