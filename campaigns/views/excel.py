"""Excel pages: a unit's template to download, its upload, and the office's bulk upload."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import audit
from org.current import acting_user as _user
from org.models import Role, Unit
from org.shortcuts import workbook_response
from org.uploads import UploadRefused, read_capped

from ..excel.access import get_template_target
from ..excel.bulk import bulk_load, read_upload
from ..excel.template import template_build, template_filename
from ..excel.upload import MAX_BYTES, Problem, Refused, upload_apply
from ..selectors import reporting as selectors


@require_GET
def report_template(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    period, unit = get_template_target(_user(request), pk, unit_pk)
    return workbook_response(
        template_build(period=period, unit=unit), template_filename(period, unit)
    )


@require_POST
def report_upload(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    user = _user(request)
    period, unit = get_template_target(user, pk, unit_pk, upload=True)
    submit = request.POST.get("mode") == "submit"
    upload = request.FILES.get("file")
    if upload is None:
        problems = [Problem("请选择填好的 Excel 模板文件再上传")]
    else:
        try:
            checked = upload_apply(
                read_capped(upload, MAX_BYTES),
                user=user,
                submit=submit,
                period=period,
                unit=unit,
                name=upload.name or "",
            )
        except UploadRefused as too_large:
            problems = [Problem(too_large.message)]
        except Refused as refused:
            problems = refused.problems
        else:
            count = len(checked.reports)
            done = "已提交，等待科室审核" if submit else "已保存为草稿，请核对后提交"
            messages.success(
                request, f"已从 Excel 导入{unit.name}{period.label}的 {count} 份月报，{done}"
            )
            if user.role == Role.OFFICE:
                return redirect("campaigns:period_detail", pk=period.pk)
            return redirect("campaigns:my_reports")
    return render(
        request,
        "campaigns/excel_upload.html",
        {
            "period": period,
            "unit": unit,
            "problems": problems,
            "filename": getattr(upload, "name", ""),
            "submit": submit,
        },
    )


@require_http_methods(["GET", "POST"])
def reports_bulk_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    period = selectors.get_period_for_user(user, pk)
    if not selectors.can_run_periods(user, period):
        raise PermissionDenied("只有局办公室可以批量导入月报")
    results = None
    submit = request.POST.get("mode") == "submit"
    if request.method == "POST":
        uploads = request.FILES.getlist("files")
        if uploads:
            files = [read_upload(upload) for upload in uploads]
            results = bulk_load(files=files, user=user, submit=submit, period=period)
            refused = [r.name for r in results if not r.ok]
            # The audit row tells which files went in and which did not: a batch with any file
            # refused is not recorded as a plain success.
            audit.annotate(
                request,
                outcome="invalid" if refused else "success",
                detail={
                    "saved_files": [r.name for r in results if r.ok],
                    "refused_files": refused,
                },
            )
        else:
            messages.error(request, "请选择要导入的 Excel 文件或 zip 压缩包")
    units = Unit.objects.filter(reports__period=period).distinct().order_by("path")
    return render(
        request,
        "campaigns/excel_bulk.html",
        {
            "period": period,
            "units": units,
            "results": results,
            "saved": sum(1 for r in results or [] if r.ok),
            "refused": sum(1 for r in results or [] if not r.ok),
            "submit": submit,
        },
    )
