"""A unit is judged by the deadline it is told: the office gives 甲街道 its own
deadline, earlier than the indicator's; the report page, the Excel template, the standing's
light and the bulletin all use it (the ranking once used the indicator's and lit it green)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from campaigns.documents import bulletin_docx, bulletin_xlsx
from campaigns.excel.signature import FORM_SHEET
from campaigns.models import Light, Report, ReportStatus, Standing
from campaigns.services.dispatch import period_dispatch
from campaigns.services.plan import targets_set
from tests.conftest import Plan, Tree, client_for

SHANGHAI = ZoneInfo("Asia/Shanghai")
OWN_DEADLINE = date(
    2020, 4, 30
)  # the end of April; the indicator has none (the campaign ends 12-31)


def test_the_page_the_template_the_light_and_the_bulletin_use_the_unit_s_own_deadline(
    plan: Plan, tree: Tree, township_a
):
    rate = plan.contest.indicators.get()
    targets_set(indicator=rate, values={tree.township_a: (Decimal(60), OWN_DEADLINE, "")})
    for unit, (num, den) in ((tree.township_a, (15, 50)), (tree.township_b, (15, 50))):
        report = Report.objects.get(period=plan.period, task=plan.contest, unit=unit)
        entry = report.entries.get()
        entry.numerator, entry.denominator = Decimal(num), Decimal(den)
        entry.save()
        report.status = ReportStatus.SUBMITTED
        report.save()
    report = Report.objects.get(period=plan.period, task=plan.contest, unit=tree.township_a)
    client = client_for(township_a)

    with time_machine.travel(datetime(2020, 4, 20, 9, tzinfo=SHANGHAI), tick=False):
        page = client.get(reverse("campaigns:report_detail", args=[report.pk])).content.decode()
        template = client.get(
            reverse("campaigns:report_template", args=[plan.period.pk, tree.township_a.pk])
        )
    assert "2020年4月30日前" in page
    cells = [
        c
        for row in load_workbook(BytesIO(template.content))[FORM_SHEET].iter_rows(values_only=True)
        for c in row
    ]
    assert any(isinstance(c, str) and "2020年4月30日前" in c for c in cells)

    bulletin = period_dispatch(period=plan.period, today=plan.period.dispatch_on)
    mine = Standing.objects.get(period=plan.period, task=plan.contest, unit=tree.township_a)
    theirs = Standing.objects.get(period=plan.period, task=plan.contest, unit=tree.township_b)
    # Both reached half their target (30% of 60%); A's time is up, B's has barely begun.
    assert mine.completion == theirs.completion == Decimal(50)
    assert mine.expected == Decimal(100) and mine.light == Light.RED
    assert theirs.expected < Decimal(10) and theirs.light == Light.GREEN
    reds = [
        (row["unit"], row["reason"])
        for row in bulletin.content["red_list"]
        if row["task"] == plan.contest.title
    ]
    assert reds == [("甲街道", "完成 50.0%，时间进度 100.0%")]
    # The files say the same: A's time is up by its own deadline, in the red list and the table.
    reason = "完成 50.0%，时间进度 100.0%"
    paragraphs = [p.text for p in Document(BytesIO(bulletin_docx(bulletin))).paragraphs]
    assert any(f"甲街道（{plan.contest.title}，{reason}）" in p for p in paragraphs)
    book = load_workbook(BytesIO(bulletin_xlsx(bulletin)))
    assert ["甲街道", plan.contest.title, reason] in [
        list(row) for row in book["红灯单位"].iter_rows(min_row=2, values_only=True)
    ]
    sheet = book[plan.contest.title]
    header = [c.value for c in sheet[1]]
    expected = {
        row[1]: row[header.index("时间进度（%）")]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert expected["甲街道"] == 100 and expected["乙镇"] < 10
