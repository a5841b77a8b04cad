"""The monthly Excel: the template a unit downloads, and its upload checked whole.

Every refused upload is checked three ways: the status, the message naming the sheet and cell,
and the database exactly as before (every report, entry and transition, value by value).
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from campaigns.excel.signature import FORM_SHEET, GUIDE_SHEET, SIGNATURE_SHEET
from campaigns.models import Entry, IndicatorKind, Report, ReportStatus, Transition
from campaigns.services import plan as plan_services
from campaigns.services.reporting import (
    EntryInput,
    period_open,
    report_save,
    reports_ensure,
)
from tests.conftest import Plan, Tree, client_for

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
        may = period_open(campaign=plan.published, day=datetime(2020, 5, 15).date())
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
    may = period_open(campaign=plan.published, day=datetime(2020, 5, 15).date())
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
    assert "（集中供养率 分母）：“三十人”不是数字，请只填数字" in page
    assert snapshot() == before


def test_it_refuses_a_negative_count(counts, plan: Plan, township_a, tree: Tree):
    client = client_for(township_a)
    workbook = download(client, plan, tree.township_a)
    sheet = workbook[FORM_SHEET]
    ref = cell_for(sheet, "新建助餐点", "数值")
    sheet[ref] = -3
    before = snapshot()
    page = refused(upload(client, plan, tree.township_a, as_bytes(workbook)), ref)
    assert "（新建助餐点 数值）：不能是负数" in page
    assert snapshot() == before


def test_it_refuses_a_numerator_above_the_denominator(filled, plan: Plan, tree: Tree):
    client, workbook, _typed = filled
    sheet = workbook[FORM_SHEET]
    ref = cell_for(sheet, "集中供养率", "分子")
    sheet[ref] = 40
    before = snapshot()
    page = refused(upload(client, plan, tree.township_a, as_bytes(workbook)), ref)
    assert "分子 40 大于分母 30，比率会超过 100%" in page
    assert snapshot() == before


def test_it_refuses_an_unknown_stage(filled, plan: Plan, tree: Tree):
    client, workbook, _typed = filled
    sheet = workbook[FORM_SHEET]
    ref = cell_for(sheet, "中心建设进度", "达到节点")
    sheet[ref] = "竣工"
    before = snapshot()
    page = refused(upload(client, plan, tree.township_a, as_bytes(workbook)), ref)
    assert "“竣工”不是这项指标的节点，请从下拉列表选择：选址、开工、投入运营" in page
    assert snapshot() == before


def test_it_refuses_to_submit_without_a_required_text(filled, plan: Plan, tree: Tree):
    client, workbook, _typed = filled
    sheet = workbook[FORM_SHEET]
    ref = text_cell(sheet, plan.contest.title, "存在问题")
    sheet[ref] = "   "
    before = snapshot()
    page = refused(upload(client, plan, tree.township_a, as_bytes(workbook), submit=True), ref)
    assert "直接提交时必须填写存在问题" in page
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


# Junk never gets a 500 or a partial save.

JUNK_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _mutated(good: bytes) -> st.SearchStrategy[bytes]:
    """A real template with a stretch of its bytes overwritten, cut short or grown.

    The drawn position does not depend on the file's length (a saved workbook carries the time it
    was written, so its length can change between examples, and Hypothesis needs the same
    strategy every time): it is folded into the file with a modulo.
    """

    def mutate(t: tuple[int, bytes, bool]) -> bytes:
        at = t[0] % len(good)
        return good[:at] + t[1] + (good[at + len(t[1]) :] if t[2] else b"")

    return st.tuples(
        st.integers(0, 1 << 20), st.binary(min_size=1, max_size=64), st.booleans()
    ).map(mutate)


@JUNK_SETTINGS
@given(data=st.data())
def test_it_survives_junk_bytes(filled, plan: Plan, tree: Tree, data):
    client, workbook, _typed = filled
    good = as_bytes(workbook)
    junk = data.draw(st.one_of(st.binary(max_size=4096), _mutated(good)), label="junk")
    before = snapshot()
    response = upload(client, plan, tree.township_a, junk, submit=data.draw(st.booleans()))
    event(f"status {response.status_code}")
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert snapshot() == before


CELL_JUNK = st.one_of(
    st.none(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 1, 1)),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=400),
    st.sampled_from(
        ["开工", "选址", "投入运营", "=1+1", "=SUM(A1:A3)", "60%", "１８", "-0", "1e3"]
    ),
)


@JUNK_SETTINGS
@given(data=st.data())
def test_it_saves_all_or_nothing_whatever_the_cells_hold(filled, plan: Plan, tree: Tree, data):
    client, workbook, typed = filled
    good = as_bytes(workbook)
    junk = load_workbook(io.BytesIO(good))
    sheet = junk[FORM_SHEET]
    spoiled = data.draw(st.lists(st.sampled_from(sorted(typed)), max_size=4, unique=True))
    for ref in spoiled:
        sheet[ref] = data.draw(CELL_JUNK, label=ref)
    before = snapshot()
    versions = dict(Report.objects.values_list("pk", "version"))
    response = upload(
        client, plan, tree.township_a, as_bytes(junk), submit=data.draw(st.booleans())
    )
    event(f"status {response.status_code}")
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert snapshot() == before
    else:  # every report of the file saved, none of another unit's
        for report in Report.objects.all():
            bump = 1 if report.unit_id == tree.township_a.pk else 0
            assert report.version == versions[report.pk] + bump


# Bulk: many units' files at once, each saved or refused on its own.


@pytest.fixture
def third(plan: Plan, tree: Tree) -> Any:
    """The bureau's welfare centre joins the contest, so three units report."""
    plan_services.task_save(
        task=plan.contest,
        participants=[tree.township_a, tree.township_b, tree.institution_bureau],
    )
    reports_ensure(plan.period)
    return tree.institution_bureau


def filled_file(client: Client, plan: Plan, unit: Any, numerator: Any = 5) -> bytes:
    workbook = download(client, plan, unit)
    sheet = workbook[FORM_SHEET]
    sheet[cell_for(sheet, "集中供养率", "分子")] = numerator
    sheet[cell_for(sheet, "集中供养率", "分母")] = 10
    return as_bytes(workbook)


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_it_loads_a_zip_of_units_files_each_on_its_own(third, plan: Plan, tree: Tree, office):
    client = client_for(office)
    archive = zipped(
        {
            "甲街道.xlsx": filled_file(client, plan, tree.township_a),
            "乙镇.xlsx": filled_file(client, plan, tree.township_b, numerator="=3+4"),
            "福利中心.xlsx": filled_file(client, plan, third),
        }
    )
    b_before = list(
        Entry.objects.filter(report__unit=tree.township_b).values_list("numerator", "denominator")
    )
    response = client.post(
        reverse("campaigns:reports_bulk_upload", args=[plan.period.pk]),
        {"files": [SimpleUploadedFile("四月.zip", archive, "application/zip")], "mode": "draft"},
    )
    assert response.status_code == 200
    results = {r.name: r for r in response.context["results"]}
    assert [r.ok for r in results.values()] == [True, False, True]
    assert results["四月.zip / 甲街道.xlsx"].saved == 2
    assert results["四月.zip / 福利中心.xlsx"].unit == "测试区社会福利中心"
    problem = str(results["四月.zip / 乙镇.xlsx"].problems[0])
    assert problem.startswith(f"{FORM_SHEET}!G") and "不能使用公式" in problem
    assert "2 个已导入，1 个未导入" in response.content.decode()
    for unit in (tree.township_a, third):
        entry = Entry.objects.get(report__unit=unit, report__task=plan.contest)
        assert (entry.numerator, entry.denominator) == (Decimal(5), Decimal(10))
    assert b_before == list(
        Entry.objects.filter(report__unit=tree.township_b).values_list("numerator", "denominator")
    )


def test_it_takes_several_files_and_refuses_the_second_of_a_unit(plan: Plan, tree: Tree, office):
    client = client_for(office)
    files = [
        SimpleUploadedFile("甲.xlsx", filled_file(client, plan, tree.township_a), XLSX),
        SimpleUploadedFile("甲-又一份.xlsx", filled_file(client, plan, tree.township_a, 7), XLSX),
        SimpleUploadedFile("说明.txt", "请查收".encode(), "text/plain"),
    ]
    response = client.post(
        reverse("campaigns:reports_bulk_upload", args=[plan.period.pk]),
        {"files": files, "mode": "draft"},
    )
    results = response.context["results"]
    assert [r.ok for r in results] == [True, False, False]
    assert "与“甲.xlsx”是同一单位同一期的模板" in str(results[1].problems[0])
    assert "这不是 Excel 工作簿" in str(results[2].problems[0])
    entry = Entry.objects.get(report__unit=tree.township_a, report__task=plan.contest)
    assert entry.numerator == Decimal(5)
    assert entry.report.status == ReportStatus.DRAFT


def test_it_guards_against_zip_bombs(plan: Plan, office):
    from campaigns.excel import bulk

    many = zipped({f"{i}.xlsx": b"x" for i in range(bulk.MAX_ARCHIVE_MEMBERS + 1)})
    bomb = zipped({"大.xlsx": b"\0" * (bulk.MAX_BYTES + 1)})
    results = bulk.bulk_load(
        files=[bulk.Incoming("many.zip", many), bulk.Incoming("bomb.zip", bomb)],
        user=office,
        submit=False,
    )
    assert [r.ok for r in results] == [False, False]
    assert "一次最多" in str(results[0].problems[0])
    assert "过大" in str(results[1].problems[0])
    assert len(bomb) < 100_000  # it was small on the wire


def test_it_keeps_the_bulk_page_to_the_office(plan: Plan, leader, section, township_a):
    url = reverse("campaigns:reports_bulk_upload", args=[plan.period.pk])
    assert client_for(leader).get(url).status_code == 403
    assert client_for(section).get(url).status_code == 403
    assert client_for(township_a).get(url).status_code == 404


def test_it_refuses_in_bulk_a_unit_the_uploader_does_not_act_for(
    plan: Plan, tree: Tree, office, township_a
):
    from campaigns.excel.bulk import Incoming, bulk_load

    data = filled_file(client_for(office), plan, tree.township_b)
    before = snapshot()
    [result] = bulk_load(files=[Incoming("乙.xlsx", data)], user=township_a, submit=False)
    assert not result.ok and "不能为这个单位上传" in str(result.problems[0])
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
