"""`manage.py load_reports FILE... --as USERNAME`: the office's bulk upload from the shell."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.excel.signature import FORM_SHEET
from campaigns.models import Entry, ReportStatus
from tests.conftest import Plan, Tree, client_for


@pytest.fixture(autouse=True)
def april():
    tz = ZoneInfo("Asia/Shanghai")
    with time_machine.travel(datetime(2020, 4, 20, 9, 30, tzinfo=tz), tick=False):
        yield


def template(office, plan: Plan, unit, numerator: object = 6) -> bytes:
    """The unit's template with the contest's rate filled in."""
    url = reverse("campaigns:report_template", args=[plan.period.pk, unit.pk])
    workbook = load_workbook(io.BytesIO(client_for(office).get(url).content))
    sheet = workbook[FORM_SHEET]
    row = next(r for r in range(5, sheet.max_row + 1) if sheet.cell(r, 1).value == "集中供养率")
    sheet[f"G{row}"], sheet[f"H{row}"] = numerator, 12
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("load_reports", *args, stdout=out)
    return out.getvalue()


def rate_of(unit) -> tuple[Decimal | None, Decimal | None]:
    entry = Entry.objects.get(report__unit=unit, report__task__title="特困人员供养水平擂台赛")
    return entry.numerator, entry.denominator


def test_it_loads_a_zip_and_exits_zero(tmp_path: Path, plan: Plan, tree: Tree, office):
    archive = tmp_path / "四月.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("甲街道.xlsx", template(office, plan, tree.township_a))
        bundle.writestr("乙镇.xlsx", template(office, plan, tree.township_b))
    output = run(str(archive), "--as", "office")
    assert "✓ " in output and "甲街道 2 份月报已保存为草稿" in output
    assert "共 2 个文件：2 个已导入，0 个未导入" in output
    assert rate_of(tree.township_a) == rate_of(tree.township_b) == (Decimal(6), Decimal(12))


def test_it_exits_one_when_a_file_is_refused(tmp_path: Path, plan: Plan, tree: Tree, office):
    good = tmp_path / "甲街道.xlsx"
    good.write_bytes(template(office, plan, tree.township_a))
    bad = tmp_path / "乙镇.xlsx"
    bad.write_bytes(template(office, plan, tree.township_b, numerator=13))
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("load_reports", str(good), str(bad), "--as", "office", stdout=out)
    assert refused.value.returncode == 1
    output = out.getvalue()
    assert f"✗ {bad}（乙镇）：未导入" in output
    assert "月报!G" in output and "分子 13 大于分母 12" in output
    assert rate_of(tree.township_a) == (Decimal(6), Decimal(12))  # the good file is saved
    assert rate_of(tree.township_b) == (None, None)
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "load_reports", str(bad), "--as", "office"]).execute()
    assert exited.value.code == 1


def test_it_submits_when_asked_and_checks_who_loads(
    tmp_path: Path, plan: Plan, tree: Tree, office, township_b
):
    path = tmp_path / "甲街道.xlsx"
    workbook = load_workbook(io.BytesIO(template(office, plan, tree.township_a)))
    sheet = workbook[FORM_SHEET]
    for row in range(5, sheet.max_row + 1):
        label = sheet.cell(row, 1).value or ""
        if label.endswith("（必填）"):
            sheet[f"B{row}"] = "已按要求推进"
        if label == "中心建设进度":
            sheet[f"I{row}"] = "选址"
    workbook.save(path)
    with pytest.raises(CommandError):
        run(str(path), "--as", "township_b")  # 乙镇 cannot load 甲街道's file
    assert run(str(path), "--as", "office", "--submit").count("已提交") == 1
    assert set(
        Entry.objects.filter(report__unit=tree.township_a).values_list("report__status", flat=True)
    ) == {ReportStatus.SUBMITTED}


def test_it_refuses_an_unknown_user(tmp_path: Path, plan: Plan):
    with pytest.raises(CommandError, match="找不到启用的账号"):
        run(str(tmp_path / "x.xlsx"), "--as", "nobody")
