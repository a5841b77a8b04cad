"""Upload of one township's monthly Excel report: the template campaigns/excel makes for the
open month, every input cell filled, posted to the upload page, checked whole and saved.

Timed through Django's test client as the township's demo login (the page reads the file, checks
its signature and every cell, and saves all its reports in one transaction); the median of 10
uploads, each of a template downloaded afresh (the saved version moves on).

    .venv/bin/python bench/excel_upload.py --districts 10
"""

from __future__ import annotations

import argparse
import io
import time

from _common import emit, median, p95, setup_django

UPLOADS = 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filled_template(period, unit) -> tuple[bytes, int]:
    """The unit's template with every input cell filled; and how many cells were filled."""
    from campaigns.excel.template import TemplateBuilder, unit_reports
    from campaigns.models import Entry

    builder = TemplateBuilder(period, unit)
    workbook = builder.build(unit_reports(period, unit))
    sheet = workbook["月报"]
    entries = {
        e.pk: e
        for e in Entry.objects.filter(report__period=period, report__unit=unit).select_related(
            "indicator"
        )
    }
    for n, (ref, target) in enumerate(builder.signature.cells.items()):
        if target.field == "numerator":
            sheet[ref] = 18 + n % 5
        elif target.field == "denominator":
            sheet[ref] = 30
        elif target.field == "value":
            sheet[ref] = 3 + n % 4
        elif target.field == "stage":
            sheet[ref] = entries[target.entry].indicator.stages[1]
        elif target.field == "note":
            sheet[ref] = "按计划推进"
        else:
            sheet[ref] = f"第 {n} 项：入户摸底，召开推进会，整改到位。"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), len(builder.signature.cells)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--districts", type=int, default=10)
    args = parser.parse_args()
    setup_django(args.districts)

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from campaigns.models import Period, PeriodStatus, Report, ReportStatus
    from minzheng.scale import bureau_name, username
    from org.models import User

    user = User.objects.get(username=username(1, "t01"))
    unit = user.scope.get()
    period = Period.objects.get(
        campaign__bureau__name=bureau_name(1),
        campaign__bureau__parent=None,
        status=PeriodStatus.OPEN,
    )
    # The township's month as a draft again, so every report of it is in the file.
    Report.objects.filter(period=period, unit=unit).update(status=ReportStatus.DRAFT)
    client = Client()
    client.force_login(user)
    url = reverse("campaigns:report_upload", args=[period.pk, unit.pk])
    timings = []
    for _ in range(UPLOADS):
        data, cells = filled_template(period, unit)
        upload = SimpleUploadedFile("月报.xlsx", data, XLSX)
        started = time.perf_counter()
        response = client.post(url, {"file": upload, "mode": "draft"})
        timings.append(time.perf_counter() - started)
        assert response.status_code == 302, response.content.decode()[:2000]
    reports = Report.objects.filter(period=period, unit=unit).count()
    emit("excel_upload_township_month_median", median(timings) * 1000, "ms")
    emit("excel_upload_township_month_p95", p95(timings) * 1000, "ms")
    emit("excel_upload_township_month_reports", reports, "reports")
    emit("excel_upload_township_month_cells", cells, "cells")
    emit("excel_upload_township_month_bytes", len(data), "bytes")


if __name__ == "__main__":
    main()
