"""Fixtures and helpers of the Excel tests: April open, a unit's template downloaded, filled and
uploaded, and a snapshot of every report, entry and transition to compare before and after."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from campaigns.excel.signature import FORM_SHEET
from campaigns.models import Entry, IndicatorKind, Report, Transition
from campaigns.services import plan as plan_services
from campaigns.services.reporting import (
    reports_ensure,
)
from tests.conftest import Plan, client_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def april():
    """The plan's April 2020 period is open and before its due date."""
    with time_machine.travel(datetime(2020, 4, 20, 9, 30, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def counts(plan: Plan) -> Any:
    """A counted indicator on the contest, so a negative count can be typed."""
    rate = plan.contest.indicators.get()
    plan_services.indicator_save(indicator=rate, weight=Decimal(90))
    indicator = plan_services.indicator_save(
        task=plan.contest,
        name="新建助餐点",
        kind=IndicatorKind.QUANTITY,
        unit_of_measure="处",
        default_target=Decimal(20),
        weight=Decimal(10),
    )
    reports_ensure(plan.period)
    return indicator


# Helpers: download, find a cell by what the sheet shows, fill, upload, snapshot.


def template_url(plan: Plan, unit: Any, period: Any = None) -> str:
    return reverse("campaigns:report_template", args=[(period or plan.period).pk, unit.pk])


def upload_url(plan: Plan, unit: Any) -> str:
    return reverse("campaigns:report_upload", args=[plan.period.pk, unit.pk])


def download(client: Client, plan: Plan, unit: Any, period: Any = None) -> Workbook:
    response = client.get(template_url(plan, unit, period))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def row_of(sheet: Worksheet, text: str, after: int = 0) -> int:
    for row in range(max(after, 1), sheet.max_row + 1):
        value = sheet.cell(row=row, column=1).value
        if isinstance(value, str) and text in value:
            return row
    raise AssertionError(f"{text} not in column A")


def cell_for(sheet: Worksheet, indicator: str, header: str) -> str:
    """The input cell of an indicator under a column header (数值, 分子, 分母, 达到节点, 说明)."""
    headers = [sheet.cell(row=4, column=c).value for c in range(1, 11)]
    return f"{'ABCDEFGHIJ'[headers.index(header)]}{row_of(sheet, indicator, 5)}"


def text_cell(sheet: Worksheet, task: str, label: str) -> str:
    return f"B{row_of(sheet, label, row_of(sheet, task, 5))}"


def as_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(
    client: Client,
    plan: Plan,
    unit: Any,
    data: bytes,
    *,
    submit: bool = False,
    name: str = "月报.xlsx",
) -> Any:
    return client.post(
        upload_url(plan, unit),
        {"file": SimpleUploadedFile(name, data, XLSX), "mode": "submit" if submit else "draft"},
    )


def fill_all(sheet: Worksheet, plan: Plan) -> dict[str, Any]:
    """Fill every input of township A's template with right values; return what was typed."""
    typed = {
        cell_for(sheet, "中心建设进度", "达到节点"): "开工",
        cell_for(sheet, "中心建设进度", "说明"): "主体已开工",
        cell_for(sheet, "集中供养率", "分子"): 18,
        cell_for(sheet, "集中供养率", "分母"): 30,
        text_cell(sheet, plan.task_a.title, "工作进展"): "完成选址，4月10日开工。",
        text_cell(sheet, plan.task_a.title, "存在问题"): "资金到位慢。",
        text_cell(sheet, plan.task_a.title, "下步打算"): "5月完成主体。",
        text_cell(sheet, plan.contest.title, "工作进展"): "新入住 3 人。",
        text_cell(sheet, plan.contest.title, "存在问题"): "床位紧张。",
        text_cell(sheet, plan.contest.title, "下步打算"): "协调敬老院床位。",
    }
    for ref, value in typed.items():
        sheet[ref] = value
    return typed


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {
        "reports": list(
            Report.objects.order_by("pk").values_list(
                "pk", "status", "version", "progress", "problems", "plans", "submitted_at", "late"
            )
        ),
        "entries": list(
            Entry.objects.order_by("pk").values_list(
                "pk", "value", "numerator", "denominator", "stage", "note"
            )
        ),
        "transitions": list(Transition.objects.order_by("pk").values_list("pk", "to_status")),
        "history": [(Report.history.count(), Entry.history.count())],
    }


def refused(response: Any, *cells: str) -> str:
    """The problems of a refused upload, one a line as "月报!F7（指标 分子）：……，请……".

    Each of `cells` must be named both in the problems and on the page.
    """
    assert response.status_code == 200
    page = response.content.decode()
    assert "整份文件都没有保存" in page
    problems = "\n".join(str(p) for p in response.context["problems"])
    for cell in cells:
        assert f"{FORM_SHEET}!{cell}" in page, f"{cell} not on the page"
        assert f"{FORM_SHEET}!{cell}（" in problems or f"{FORM_SHEET}!{cell}：" in problems
    return problems


@pytest.fixture
def filled(plan: Plan, township_a) -> tuple[Client, Workbook, dict[str, Any]]:
    client = client_for(township_a)
    workbook = download(client, plan, plan.report_a.unit)
    typed = fill_all(workbook[FORM_SHEET], plan)
    return client, workbook, typed
