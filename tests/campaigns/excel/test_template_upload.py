"""The monthly Excel: the template a unit downloads, and its upload checked whole.

Every refused upload is checked three ways: the status, the message naming the sheet and cell,
and the database exactly as before (every report, entry and transition, value by value).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import Workbook

from campaigns.excel.signature import FORM_SHEET, GUIDE_SHEET, SIGNATURE_SHEET
from campaigns.models import Report, ReportStatus, Transition
from campaigns.services.reporting import (
    EntryInput,
    period_open,
    report_save,
)
from tests.conftest import Plan, Tree, client_for

from .conftest import (
    SHANGHAI,
    as_bytes,
    cell_for,
    download,
    fill_all,
    refused,
    row_of,
    snapshot,
    template_url,
    text_cell,
    upload,
)

# The template


def test_it_lays_out_the_template_of_a_unit(plan: Plan, township_a, tree: Tree):
    workbook = download(client_for(township_a), plan, tree.township_a)
    assert workbook.sheetnames == [GUIDE_SHEET, FORM_SHEET, SIGNATURE_SHEET]
    assert workbook[SIGNATURE_SHEET].sheet_state == "veryHidden"
    sheet = workbook[FORM_SHEET]
    assert sheet.protection.sheet and workbook[GUIDE_SHEET].protection.sheet
    assert "甲街道" in sheet["A2"].value and "2020年4月" in sheet["A2"].value
    # One block per task the township takes part in, with the indicator's target.
    row = row_of(sheet, "集中供养率")
    assert sheet.cell(row=row, column=4).value == "≥60%"
    assert not sheet[cell_for(sheet, "集中供养率", "分子")].protection.locked
    assert sheet[f"A{row}"].protection.locked
    assert sheet[cell_for(sheet, "集中供养率", "数值")].protection.locked
    stage_cell = cell_for(sheet, "中心建设进度", "达到节点")
    lists = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert any(stage_cell in str(dv.sqref) for dv in lists)
    guide = "\n".join(str(c.value) for row in workbook[GUIDE_SHEET].iter_rows() for c in row)
    assert "2020年5月3日" in guide and "投入运营" in guide and "分子" in guide


def test_it_prefills_the_draft_and_last_period(plan: Plan, township_a, tree: Tree):
    report = Report.objects.get(period=plan.period, task=plan.contest, unit=tree.township_a)
    entry = report.entries.get()
    report_save(
        report=report,
        user=township_a,
        version=report.version,
        entries={entry.pk: EntryInput(numerator=Decimal(12), denominator=Decimal(20))},
        texts={"progress": "=SUM(A1)", "problems": "", "plans": ""},
    )
    with time_machine.travel(datetime(2020, 5, 20, 9, tzinfo=SHANGHAI), tick=False):
        may = period_open(campaign=plan.published, day=date(2020, 5, 15))
        sheet = download(client_for(township_a), plan, tree.township_a, may)[FORM_SHEET]
    row = row_of(sheet, "集中供养率")
    assert sheet.cell(row=row, column=5).value == "12 / 20（60.0%）"  # last period
    april = download(client_for(township_a), plan, tree.township_a)[FORM_SHEET]
    assert april[cell_for(april, "集中供养率", "分子")].value == 12
    progress = april[text_cell(april, plan.contest.title, "工作进展")]
    assert progress.value == "=SUM(A1)" and progress.data_type == "s"


def test_it_refuses_the_template_to_an_outsider(plan: Plan, township_b, section, tree: Tree):
    for user in (township_b, section):
        response = client_for(user).get(template_url(plan, tree.township_a))
        assert response.status_code == 404


def test_it_lets_the_office_download_any_unit(plan: Plan, office, tree: Tree):
    workbook = download(client_for(office), plan, tree.township_b)
    assert "乙镇" in workbook[FORM_SHEET]["A2"].value


# The round trip


def test_it_saves_a_filled_template_as_a_draft(filled, plan: Plan, tree: Tree):
    client, workbook, _typed = filled
    response = upload(client, plan, tree.township_a, as_bytes(workbook))
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:my_reports")
    report_a = Report.objects.get(pk=plan.report_a.pk)
    assert report_a.status == ReportStatus.DRAFT
    assert report_a.progress == "完成选址，4月10日开工。"
    entry = report_a.entries.get()
    assert (entry.stage, entry.note) == (2, "主体已开工")
    contest = Report.objects.get(period=plan.period, task=plan.contest, unit=tree.township_a)
    rate = contest.entries.get()
    assert (rate.numerator, rate.denominator) == (Decimal(18), Decimal(30))
    assert contest.plans == "协调敬老院床位。"
    assert Report.objects.get(period=plan.period, unit=tree.township_b).version == 1


def test_it_submits_a_filled_template(filled, plan: Plan, tree: Tree):
    client, workbook, _typed = filled
    response = upload(client, plan, tree.township_a, as_bytes(workbook), submit=True)
    assert response.status_code == 302
    reports = Report.objects.filter(period=plan.period, unit=tree.township_a)
    assert {r.status for r in reports} == {ReportStatus.SUBMITTED}
    assert Transition.objects.filter(report__in=reports, to_status="submitted").count() == 2


# Refused files: the page names the cell, and the database is exactly as before.


def test_it_refuses_another_units_template(plan: Plan, office, township_a, tree: Tree):
    workbook = download(client_for(office), plan, tree.township_b)
    before = snapshot()
    page = refused(upload(client_for(township_a), plan, tree.township_a, as_bytes(workbook)))
    assert "这是“乙镇”的模板，不能上传给“甲街道”" in page
    assert snapshot() == before


def test_it_refuses_another_months_template(plan: Plan, township_a, tree: Tree):
    may = period_open(campaign=plan.published, day=date(2020, 5, 15))
    client = client_for(township_a)
    workbook = download(client, plan, tree.township_a, may)
    before = snapshot()
    page = refused(upload(client, plan, tree.township_a, as_bytes(workbook)))
    assert "这是 2020年5月 的模板，本期是 2020年4月" in page
    assert snapshot() == before


def test_it_refuses_a_tampered_signature(filled, plan: Plan, tree: Tree):
    client, workbook, _typed = filled
    sheet = workbook[SIGNATURE_SHEET]
    signed = sheet["A1"].value
    sheet["A1"] = ("A" if signed[0] != "A" else "B") + signed[1:]
    before = snapshot()
    page = refused(upload(client, plan, tree.township_a, as_bytes(workbook)))
    assert "不是本系统下载的填报模板，请" in page
    assert snapshot() == before


def test_it_refuses_a_workbook_it_did_not_make(plan: Plan, township_a, tree: Tree):
    workbook = Workbook()
    workbook.active.title = FORM_SHEET
    workbook.active["G7"] = 18
    before = snapshot()
    page = refused(upload(client_for(township_a), plan, tree.township_a, as_bytes(workbook)))
    assert "不是本系统下载的填报模板" in page
    assert snapshot() == before


def test_it_refuses_an_old_template_version(filled, plan: Plan, tree: Tree):
    from campaigns.excel.signature import Signature

    client, workbook, _typed = filled
    old = Signature(
        campaign=plan.published.pk,
        period=plan.period.pk,
        starts="2020-04-01",
        period_label="2020年4月",
        unit=tree.township_a.pk,
        unit_name="甲街道",
        version="dalei-report-v0",
    )
    workbook[SIGNATURE_SHEET]["A1"] = old.dumps()
    before = snapshot()
    page = refused(upload(client, plan, tree.township_a, as_bytes(workbook)))
    assert "旧版模板" in page and "重新下载" in page
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (bytes(range(256)) * 40, "月报.xlsx", "这不是 Excel 工作簿（.xlsx）文件"),
        (
            "甲街道四月份月报：集中供养率 60%".encode(),
            "月报.txt.xlsx",
            "这不是 Excel 工作簿（.xlsx）文件",
        ),
        (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 4000, "月报.xls", "另存为"),
        (b"PK\x03\x04" + b"\0" * 100, "月报.xlsx", "这不是 Excel 工作簿（.xlsx）文件"),
    ],
    ids=["random-bytes", "renamed-text", "old-xls", "broken-zip"],
)
def test_it_refuses_what_is_not_a_workbook(
    plan: Plan, township_a, tree: Tree, data: bytes, name: str, message: str
):
    before = snapshot()
    page = refused(upload(client_for(township_a), plan, tree.township_a, data, name=name))
    assert message in page
    assert snapshot() == before


def test_it_refuses_a_workbook_with_macros(filled, plan: Plan, tree: Tree):
    client, workbook, _typed = filled
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(as_bytes(workbook))) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    before = snapshot()
    page = refused(upload(client, plan, tree.township_a, buffer.getvalue(), name="月报.xlsm"))
    assert "文件含有宏" in page and ".xlsx" in page
    assert snapshot() == before


def test_it_refuses_a_formula(filled, plan: Plan, tree: Tree):
    client, workbook, _typed = filled
    sheet = workbook[FORM_SHEET]
    ref = cell_for(sheet, "集中供养率", "分子")
    sheet[ref] = "=H7-12"
    before = snapshot()
    page = refused(upload(client, plan, tree.township_a, as_bytes(workbook)), ref)
    assert f"{FORM_SHEET}!{ref}" in page and "不能使用公式" in page
    assert snapshot() == before


def test_it_refuses_text_in_a_number_cell(filled, plan: Plan, tree: Tree):
    client, workbook, _typed = filled
    sheet = workbook[FORM_SHEET]
    ref = cell_for(sheet, "集中供养率", "分母")
    sheet[ref] = "三十人"
    before = snapshot()
    page = refused(upload(client, plan, tree.township_a, as_bytes(workbook)), ref)
    assert f"{FORM_SHEET}!{ref}：“集中供养率”的分母填的“三十人”不是数字，请只填数字" in page
    assert "不要带单位或文字" in page
    assert snapshot() == before


def test_it_refuses_a_negative_count(counts, plan: Plan, township_a, tree: Tree):
    client = client_for(township_a)
    workbook = download(client, plan, tree.township_a)
    sheet = workbook[FORM_SHEET]
    ref = cell_for(sheet, "新建助餐点", "数值")
    sheet[ref] = -3
    before = snapshot()
    page = refused(upload(client, plan, tree.township_a, as_bytes(workbook)), ref)
    assert f"{FORM_SHEET}!{ref}：“新建助餐点”不能是负数（填的是 -3）" in page
    assert snapshot() == before


def test_it_refuses_a_numerator_above_the_denominator(filled, plan: Plan, tree: Tree):
    client, workbook, _typed = filled
    sheet = workbook[FORM_SHEET]
    ref = cell_for(sheet, "集中供养率", "分子")
    sheet[ref] = 40
    before = snapshot()
    page = refused(upload(client, plan, tree.township_a, as_bytes(workbook)), ref)
    assert "“集中供养率”的分子 40 大于分母 30，比率会超过 100%" in page
    assert snapshot() == before


def test_it_refuses_an_unknown_stage(filled, plan: Plan, tree: Tree):
    client, workbook, _typed = filled
    sheet = workbook[FORM_SHEET]
    ref = cell_for(sheet, "中心建设进度", "达到节点")
    sheet[ref] = "竣工"
    before = snapshot()
    page = refused(upload(client, plan, tree.township_a, as_bytes(workbook)), ref)
    assert (
        "“中心建设进度”的达到节点填的“竣工”不是这项指标的节点，请从下拉列表选择：选址、开工、投入运营"
        in page
    )
    assert snapshot() == before


def test_it_refuses_to_submit_without_a_required_text(filled, plan: Plan, tree: Tree):
    client, workbook, _typed = filled
    sheet = workbook[FORM_SHEET]
    ref = text_cell(sheet, plan.contest.title, "存在问题")
    sheet[ref] = "   "
    before = snapshot()
    page = refused(upload(client, plan, tree.township_a, as_bytes(workbook), submit=True), ref)
    assert "“存在问题”还没有填写，提交前请填写" in page
    assert snapshot() == before
    # The same file is a right draft: an empty text is allowed until submitting.
    assert upload(client, plan, tree.township_a, as_bytes(workbook)).status_code == 302


def test_it_refuses_a_file_whose_report_was_submitted_meanwhile(
    filled, plan: Plan, tree: Tree, township_a
):
    client, workbook, _typed = filled
    contest = Report.objects.get(period=plan.period, task=plan.contest, unit=tree.township_a)
    entry = contest.entries.get()
    report_save(
        report=contest,
        user=township_a,
        version=contest.version,
        entries={entry.pk: EntryInput(numerator=Decimal(1), denominator=Decimal(2))},
        texts={"progress": "网上已报", "problems": "无", "plans": "无"},
        submit=True,
    )
    title = f"A{row_of(workbook[FORM_SHEET], plan.contest.title, 5)}"
    before = snapshot()
    page = refused(upload(client, plan, tree.township_a, as_bytes(workbook)), title)
    assert "月报已提交，不能再修改" in page
    assert snapshot() == before
    # A new template shows the submitted report read-only, and uploads the rest.
    fresh = download(client, plan, tree.township_a)
    fill_all_but_contest = fresh[FORM_SHEET]
    fill_all_but_contest[cell_for(fill_all_but_contest, "中心建设进度", "达到节点")] = "选址"
    assert fill_all_but_contest[
        cell_for(fill_all_but_contest, "集中供养率", "分子")
    ].protection.locked
    assert upload(client, plan, tree.township_a, as_bytes(fresh)).status_code == 302
    assert Report.objects.get(pk=plan.report_a.pk).entries.get().stage == 1


def test_it_lists_every_problem_of_a_file_at_once(filled, counts, plan: Plan, tree: Tree):
    client = filled[0]
    workbook = download(client, plan, tree.township_a)
    sheet = workbook[FORM_SHEET]
    fill_all(sheet, plan)
    cells = {
        cell_for(sheet, "集中供养率", "分子"): "=1+1",
        cell_for(sheet, "新建助餐点", "数值"): "五处",
        cell_for(sheet, "中心建设进度", "达到节点"): "竣工",
    }
    for ref, value in cells.items():
        sheet[ref] = value
    before = snapshot()
    page = refused(upload(client, plan, tree.township_a, as_bytes(workbook)), *cells)
    assert len(page.splitlines()) == 3
    assert f"{FORM_SHEET}!{next(iter(cells))}（集中供养率 分子）：不能使用公式" in page
    assert snapshot() == before


def test_it_accepts_numbers_typed_as_text(filled, plan: Plan, tree: Tree):
    client, workbook, _typed = filled
    sheet = workbook[FORM_SHEET]
    sheet[cell_for(sheet, "集中供养率", "分子")] = "１８"  # full-width digits, as an IME types
    sheet[cell_for(sheet, "集中供养率", "分母")] = " 30 "
    assert upload(client, plan, tree.township_a, as_bytes(workbook)).status_code == 302
    contest = Report.objects.get(period=plan.period, task=plan.contest, unit=tree.township_a)
    assert contest.entries.get().numerator == Decimal(18)


def test_it_never_lets_the_leader_or_an_outsider_upload(
    filled, plan: Plan, tree: Tree, leader, township_b
):
    _client, workbook, _typed = filled
    before = snapshot()
    assert upload(client_for(leader), plan, tree.township_a, as_bytes(workbook)).status_code == 403
    assert (
        upload(client_for(township_b), plan, tree.township_a, as_bytes(workbook)).status_code == 404
    )
    assert snapshot() == before


def test_it_refuses_a_file_made_before_a_web_edit(filled, plan: Plan, tree: Tree, township_a):
    """Two people, one in the browser, one in Excel: the later upload must not erase the edit."""
    from campaigns.services.reporting import report_save

    client, workbook, _typed = filled
    report = Report.objects.get(pk=plan.report_a.pk)
    report_save(
        report=report,
        user=township_a,
        version=report.version,
        entries={},
        texts={"progress": "网上刚填的进展", "problems": "", "plans": ""},
    )
    before = snapshot()
    response = upload(client, plan, tree.township_a, as_bytes(workbook))
    problems = refused(response)
    assert "下载模板之后，这份月报已在网上被修改过" in problems
    assert snapshot() == before
    assert Report.objects.get(pk=report.pk).progress == "网上刚填的进展"
