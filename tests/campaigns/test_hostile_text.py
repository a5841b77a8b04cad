"""One unit's text can never break the bureau's documents.

A vertical tab pasted from WPS into 存在问题 used to be saved, and from the dispatch on the
bulletin's .docx and .xlsx answered 500 for every user, the township's template too. Typed text
is now refused with a message naming the field (org.text); text that reached the database by any
other path is dropped by every writer.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from campaigns.excel.signature import FORM_SHEET
from campaigns.models import Report
from campaigns.services.importing import campaign_import
from org.text import clean_document, clean_text, text_error, text_problem
from tests.campaigns.excel.conftest import download
from tests.campaigns.test_documents import month
from tests.campaigns.test_reporting import contest_report, fill
from tests.conftest import Plan, Tree, client_for

VT = "资金\x0b不足"  # a vertical tab, as WPS pastes a manual line break


@pytest.mark.parametrize(
    "text",
    [
        VT,
        "a\x00b",
        "换页\x0c",
        "\x1b[31m红",
        "删除\x7f",
        "C1\x85",
        "残\ud800缺",
        "非\ufffe字",
        "\U0010ffff",
    ],
)
def test_the_rule_refuses_what_no_document_can_hold(text: str):
    assert text_problem(text) is not None
    assert text_problem(clean_text(text)) is None


@pytest.mark.parametrize(
    "text", ["工作进展\t顺利\r\n下月继续", "😀 表情", "６.２％ 全角", "𠀀 扩展B", "\u200b零宽", ""]
)
def test_the_rule_takes_ordinary_text_as_it_is(text: str):
    assert text_problem(text) is None
    assert clean_text(text) == text


def test_the_message_names_the_field_and_the_character():
    message = text_error("存在问题", VT)
    assert message is not None
    assert message.startswith("「存在问题」")
    assert "第 3 个字符" in message and "U+000B" in message and "垂直制表符" in message


def test_the_report_form_refuses_a_control_character_naming_the_field(
    plan: Plan, tree: Tree, township_a
):
    report = contest_report(plan, tree.township_a)
    before = snapshot_of(report)
    with time_machine.travel(date(2020, 5, 2), tick=False):
        response = client_for(township_a).post(
            reverse("campaigns:report_detail", args=[report.pk]),
            fill(report, problems=VT, submit=True),
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "「存在问题」含有看不见的特殊字符" in page
    assert snapshot_of(report) == before


def snapshot_of(report: Report) -> tuple:
    report.refresh_from_db()
    entries = list(report.entries.values_list("numerator", "denominator"))
    return (report.status, report.version, report.progress, report.problems, entries)


@pytest.fixture
def stored(plan: Plan, tree: Tree):
    """A month dispatched with a control character that reached the database around the form."""
    return month(plan, 4, {tree.township_a: (30, 50), tree.township_b: (20, 50)}, problems=VT)


def test_a_stored_control_character_never_breaks_the_bulletin_files(
    stored, office, leader, township_a, township_b
):
    for user in (office, leader, township_a, township_b):
        client = client_for(user)
        docx = client.get(reverse("campaigns:bulletin_docx", args=[stored.pk]))
        assert docx.status_code == 200
        text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
        text += "\n".join(
            c.text for t in Document(BytesIO(docx.content)).tables for r in t.rows for c in r.cells
        )
        assert "资金不足" in text and "\x0b" not in text
        xlsx = client.get(reverse("campaigns:bulletin_xlsx", args=[stored.pk]))
        assert xlsx.status_code == 200
        book = load_workbook(BytesIO(xlsx.content))
        assert book["存在问题"]["C2"].value == "资金不足"
        page = client.get(reverse("campaigns:bulletin_detail", args=[stored.pk]))
        assert page.status_code == 200


def test_a_stored_control_character_never_breaks_the_template(plan: Plan, tree: Tree, township_a):
    Report.objects.filter(pk=contest_report(plan, tree.township_a).pk).update(
        progress="进展\x0b顺利", problems=VT
    )
    book = download(client_for(township_a), plan, tree.township_a)
    values = [c.value for row in book[FORM_SHEET].iter_rows() for c in row]
    assert "资金不足" in values and "进展顺利" in values


def test_a_unit_name_with_a_control_character_is_refused(tree: Tree, office):
    response = client_for(office).post(
        reverse("org:unit_edit", args=[tree.township_b.pk]),
        {
            "name": "乙\x0b镇",
            "short_name": "",
            "kind": tree.township_b.kind,
            "parent": tree.bureau.pk,
            "sort_order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "「名称」含有看不见的特殊字符" in response.content.decode()
    tree.township_b.refresh_from_db()
    assert tree.township_b.name == "乙镇"


def test_a_pasted_plan_is_cleaned_with_a_note(tree: Tree, office):
    from tests.campaigns.test_plan_import import LANSHAN, PLANS  # seed 000 as pasted

    dirty = (
        (PLANS / LANSHAN)
        .read_text(encoding="utf-8")
        .replace("擂台赛", "擂台\x00赛", 1)
        .replace("。", "。\x0c", 1)
    )
    campaign = campaign_import(text=dirty, bureau=tree.bureau, user=office)
    assert text_problem(campaign.source_text) is None
    assert any("看不见的特殊字符" in w for w in campaign.import_warnings)
    titles = list(campaign.tasks.values_list("title", flat=True))
    assert all(text_problem(t) is None for t in titles)


def test_a_document_s_line_and_page_breaks_become_line_breaks():
    assert clean_document("一行\x0b二行\x0c第二页\x00") == ("一行\n二行\n第二页", 1)


def test_a_chart_draws_names_as_written_never_as_mathtext():
    """A unit named with dollar signs made matplotlib raise, and the quarterly .docx with it."""
    from campaigns.documents.charts import trend_chart

    png = trend_chart(
        "季度$\\undefined$",
        ["4月", "5月"],
        [("甲$\\frac{$街道", [50, 60]), ("乙\x0b镇", [None, 70])],
    )
    assert png.startswith(b"\x89PNG")
