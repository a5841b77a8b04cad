"""One rule, one place (issue 17): a bad value gets the same message whether it is typed into the
report form or into the Excel template, and nothing is saved either way.

Each case puts one bad value through the browser form (a POST of the report page) and through an
upload of the unit's own template (downloaded from the product, filled with openpyxl), and checks
that the page and the upload say the very words the entry rules (`campaigns.rules.entry`) write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from campaigns.excel import reader as excel_reader
from campaigns.excel.signature import FIELD_LABELS, FORM_SHEET
from campaigns.models import Entry, Report
from campaigns.rules import entry as rules
from campaigns.services import reporting as reporting_services
from tests.campaigns.excel.conftest import (  # april and counts: fixtures, used by pytestmark
    april,  # noqa: F401
    as_bytes,
    cell_for,
    counts,  # noqa: F401
    download,
    fill_all,
    snapshot,
    text_cell,
    upload,
)
from tests.conftest import Plan, Tree, client_for

pytestmark = pytest.mark.usefixtures("april", "counts")

RATE, COUNT, STAGE = "集中供养率", "新建助餐点", "中心建设进度"
DRAFT = "也可以先保存为草稿"


@dataclass(frozen=True)
class Typed:
    """One value typed into one field: an indicator's (分子, 数值, 达到节点, 说明) or a report
    text (工作进展, 存在问题, 下步打算) of a task ("contest" or "a")."""

    where: str
    field: str
    value: Any


@dataclass(frozen=True)
class Case:
    bad: list[Typed]
    message: str
    submit: bool = False
    also: list[Typed] = field(default_factory=list)  # right values typed beside the bad one


CASES = {
    "not-a-number": Case(
        [Typed(RATE, "denominator", "三十人")],
        "“集中供养率”的分母填的“三十人”不是数字，请只填数字，不要带单位或文字",
    ),
    "percent-sign": Case(
        [Typed(RATE, "numerator", "60%")],
        "“集中供养率”的分子填的“60%”带了百分号，请只填数字（比率类指标分别填分子和分母）",
    ),
    "negative": Case(
        [Typed(COUNT, "value", -3)], "“新建助餐点”不能是负数（填的是 -3），请填写 0 或正数"
    ),
    "too-large": Case(
        [Typed(COUNT, "value", 10**13)],
        "“新建助餐点”数字太大（填的是 10000000000000），请核对后重新填写",
    ),
    "three-decimals": Case(
        [Typed(COUNT, "value", 3.145)],
        "“新建助餐点”填的 3.145 超过两位小数，请最多保留两位小数",
    ),
    "numerator-over-denominator": Case(
        [Typed(RATE, "numerator", 40)],
        "“集中供养率”的分子 40 大于分母 30，比率会超过 100%，请核对分子和分母",
    ),
    "numerator-over-a-zero-denominator": Case(
        [Typed(RATE, "denominator", 0)],
        "“集中供养率”的分母为 0 时分子也只能是 0，请核对分子和分母",
    ),
    "numerator-alone": Case(
        [Typed(RATE, "denominator", "")], "“集中供养率”的分子和分母要一起填，请填写分母"
    ),
    "unknown-stage": Case(
        [Typed(STAGE, "stage", "竣工")],
        "“中心建设进度”的达到节点填的“竣工”不是这项指标的节点，请从下拉列表选择：选址、开工、投入运营",
    ),
    "stage-out-of-range": Case(
        [Typed(STAGE, "stage", 9)],
        "“中心建设进度”的达到节点填的“9”不是这项指标的节点，请从下拉列表选择：选址、开工、投入运营",
    ),
    "note-too-long": Case(
        [Typed(RATE, "note", "说" * 301)], "“集中供养率”的说明最多 300 字，现在有 301 字，请精简"
    ),
    "text-too-long": Case(
        [Typed("contest", "progress", "进" * 5001)],
        "“工作进展”最多 5000 字，现在有 5001 字，请精简",
    ),
    "invisible-character": Case(
        [Typed("contest", "problems", "资金\x0b不足")],
        "「存在问题」含有看不见的特殊字符（第 3 个字符是垂直制表符（U+000B）），"
        "常见于从 WPS、PDF 或网页复制的文字，请删除后重新输入",
    ),
    "empty-text-on-submit": Case(
        [Typed("contest", "problems", "   ")],
        f"“存在问题”还没有填写，提交前请填写；{DRAFT}",
        submit=True,
    ),
    "empty-stage-on-submit": Case(
        [Typed(STAGE, "stage", "")],
        f"“中心建设进度”的达到节点还没有填写，提交前请从下拉列表选择达到的节点；{DRAFT}",
        submit=True,
    ),
    "empty-value-on-submit": Case(
        [Typed(COUNT, "value", "")],
        f"“新建助餐点”还没有填写，提交前请填写数字；{DRAFT}",
        submit=True,
    ),
    "empty-rate-on-submit": Case(
        [Typed(RATE, "numerator", ""), Typed(RATE, "denominator", "")],
        f"“集中供养率”的分子还没有填写，提交前请填写；{DRAFT}",
        submit=True,
    ),
}

# Right values for every field of township A's two reports (and the count the fixture adds).
RIGHT = [
    Typed(STAGE, "stage", 2),
    Typed(RATE, "numerator", 18),
    Typed(RATE, "denominator", 30),
    Typed(COUNT, "value", 5),
    *[
        Typed(task, text, "已按计划推进。")
        for task in ("a", "contest")
        for text in ("progress", "problems", "plans")
    ],
]


def _task_of(plan: Plan, where: str) -> Any:
    if where in ("a", "contest"):
        return plan.task_a if where == "a" else plan.contest
    return plan.task_a if where == STAGE else plan.contest


def _entry(plan: Plan, unit: Any, name: str) -> Entry:
    return Entry.objects.get(report__period=plan.period, report__unit=unit, indicator__name=name)


def _form_value(value: Any) -> str:
    return "" if value is None else str(value)


def post_form(plan: Plan, tree: Tree, user: Any, case: Case) -> tuple[str, Any]:
    """The report page after a POST of the case's bad value, all else right."""
    task = _task_of(plan, case.bad[0].where)
    report = Report.objects.get(period=plan.period, task=task, unit=tree.township_a)
    data: dict[str, str] = {"version": str(report.version)}
    for typed in [*RIGHT, *case.also, *case.bad]:
        if _task_of(plan, typed.where) != task:
            continue
        if typed.where in ("a", "contest"):
            data[typed.field] = _form_value(typed.value)
        else:
            entry = _entry(plan, tree.township_a, typed.where)
            data[f"e{entry.pk}_{typed.field}"] = _form_value(typed.value)
    if case.submit:
        data["submit"] = "1"
    response = client_for(user).post(reverse("campaigns:report_detail", args=[report.pk]), data)
    assert response.status_code == 200, "refused and shown again"
    return response.content.decode(), response


def _cell_value(value: Any) -> Any:
    """As a person's Excel stores it: empty is no value, a vertical tab is written _x000B_."""
    if isinstance(value, str):
        return value.replace("\x0b", "_x000B_") or None
    return value


def upload_file(plan: Plan, tree: Tree, user: Any, case: Case) -> list[str]:
    """The problems of an upload of the unit's template holding the case's bad value."""
    client = client_for(user)
    workbook = download(client, plan, tree.township_a)
    sheet = workbook[FORM_SHEET]
    fill_all(sheet, plan)
    for typed in [*RIGHT, *case.also, *case.bad]:
        if typed.where in ("a", "contest"):
            title = (plan.task_a if typed.where == "a" else plan.contest).title
            ref = text_cell(sheet, title, FIELD_LABELS[typed.field])
        else:
            ref = cell_for(sheet, typed.where, FIELD_LABELS[typed.field])
        sheet[ref] = _cell_value(typed.value)
    response = upload(client, plan, tree.township_a, as_bytes(workbook), submit=case.submit)
    assert response.status_code == 200, "refused and shown again"
    assert "整份文件都没有保存" in response.content.decode()
    return [p.message for p in response.context["problems"]]


@pytest.mark.parametrize("name", list(CASES))
def test_it_gives_one_bad_value_the_same_message_in_the_form_and_in_excel(
    name: str, plan: Plan, tree: Tree, township_a
):
    case = CASES[name]
    before = snapshot()
    page, _response = post_form(plan, tree, township_a, case)
    assert case.message in page
    assert snapshot() == before, "the form saved nothing"
    messages = upload_file(plan, tree, township_a, case)
    assert case.message in messages
    assert snapshot() == before, "the upload saved nothing"


def test_the_right_values_go_in_through_both(plan: Plan, tree: Tree, township_a):
    """The cases' background is right: without a bad value, the form and the file save."""
    page_case = Case([Typed(RATE, "note", "")], "")
    task = plan.contest
    report = Report.objects.get(period=plan.period, task=task, unit=tree.township_a)
    data = {"version": str(report.version)}
    for typed in [*RIGHT, *page_case.bad]:
        if _task_of(plan, typed.where) == task:
            key = typed.field
            if typed.where not in ("a", "contest"):
                key = f"e{_entry(plan, tree.township_a, typed.where).pk}_{typed.field}"
            data[key] = _form_value(typed.value)
    client = client_for(township_a)
    url = reverse("campaigns:report_detail", args=[report.pk])
    assert client.post(url, data).status_code == 302
    workbook = download(client, plan, tree.township_a)
    sheet = workbook[FORM_SHEET]
    fill_all(sheet, plan)
    sheet[cell_for(sheet, COUNT, "数值")] = 5
    assert upload(client, plan, tree.township_a, as_bytes(workbook), submit=True).status_code == 302
    assert _entry(plan, tree.township_a, COUNT).value == 5


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count every run of the entry rules, wherever it is called from."""
    calls: list[int] = []
    real = rules.report_problems

    def counted(*args: Any, **kwargs: Any) -> list[rules.EntryProblem]:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(reporting_services, "report_problems", counted)
    monkeypatch.setattr(excel_reader, "report_problems", counted)
    return calls


def test_an_upload_runs_the_entry_rules_once(
    plan: Plan, tree: Tree, township_a, monkeypatch: pytest.MonkeyPatch
):
    """Once per report of the file: by the service that saves it, never by the reader too."""
    calls = _counting(monkeypatch)
    client = client_for(township_a)
    workbook = download(client, plan, tree.township_a)
    sheet = workbook[FORM_SHEET]
    fill_all(sheet, plan)
    sheet[cell_for(sheet, COUNT, "数值")] = 5
    assert upload(client, plan, tree.township_a, as_bytes(workbook), submit=True).status_code == 302
    assert len(calls) == 2  # township A's two reports


def test_a_refused_upload_runs_the_entry_rules_once_and_lists_every_problem(
    plan: Plan, tree: Tree, township_a, monkeypatch: pytest.MonkeyPatch
):
    """A file refused for a cell is checked by the rules beside it, and never saved."""
    calls = _counting(monkeypatch)
    case = Case(
        [Typed(COUNT, "value", "五处"), Typed(RATE, "numerator", 40)],
        "",
    )
    before = snapshot()
    messages = upload_file(plan, tree, township_a, case)
    assert messages == [
        "“集中供养率”的分子 40 大于分母 30，比率会超过 100%，请核对分子和分母",
        "“新建助餐点”填的“五处”不是数字，请只填数字，不要带单位或文字",
    ]
    assert len(calls) == 2
    assert snapshot() == before


def test_the_service_takes_the_same_rules_from_any_caller(plan: Plan, tree: Tree, township_a):
    """A caller of report_save (the demo, a command) gets the same words, with where they are."""
    report = Report.objects.get(period=plan.period, task=plan.contest, unit=tree.township_a)
    rate = _entry(plan, tree.township_a, RATE)
    with pytest.raises(rules.EntryInvalid) as info:
        reporting_services.report_save(
            report=report,
            user=township_a,
            version=report.version,
            entries={rate.pk: rules.EntryInput(numerator=Decimal(-1), denominator=Decimal(30))},
            texts={},
        )
    assert info.value.messages == ["“集中供养率”的分子不能是负数（填的是 -1），请填写 0 或正数"]
    assert info.value.problems[0] == rules.EntryProblem(
        rate.pk, "numerator", info.value.messages[0]
    )
