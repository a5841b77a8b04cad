"""Excel cells hold what Excel and WPS write: _xHHHH_ escapes decoded, invisible characters refused
with the cell named and nothing saved (the rule is org.text's)."""

from __future__ import annotations

from campaigns.excel.signature import FORM_SHEET
from tests.campaigns.excel.conftest import as_bytes, download, snapshot, text_cell, upload
from tests.campaigns.test_reporting import contest_report
from tests.conftest import Plan, Tree, client_for


def test_an_excel_cell_holding_a_control_character_is_refused_and_nothing_saved(
    plan: Plan, tree: Tree, township_a
):
    client = client_for(township_a)
    book = download(client, plan, tree.township_a)
    sheet = book[FORM_SHEET]
    ref = text_cell(sheet, plan.contest.title, "存在问题")
    sheet[ref] = "资金_x000B_不足"  # how Excel and WPS store a vertical tab in a cell
    before = snapshot()
    response = upload(client, plan, tree.township_a, as_bytes(book))
    assert response.status_code == 200
    page = response.content.decode()
    assert "整份文件都没有保存" in page
    assert "含有看不见的特殊字符" in page and "U+000B" in page
    assert snapshot() == before


def test_an_excel_cell_s_escapes_are_read_as_the_writer_meant(plan: Plan, tree: Tree, township_a):
    """Excel writes a Windows line end inside a cell as _x000D_: it is a line break, not junk."""
    client = client_for(township_a)
    book = download(client, plan, tree.township_a)
    sheet = book[FORM_SHEET]
    sheet[text_cell(sheet, plan.contest.title, "存在问题")] = "床位紧张_x000D_\n资金_x005F_x到位慢"
    response = upload(client, plan, tree.township_a, as_bytes(book))
    assert response.status_code in (200, 302)
    report = contest_report(plan, tree.township_a)
    assert report.problems == "床位紧张\n资金_x到位慢"
