"""The bulletin as files: an official .docx (GB/T 9704) and an .xlsx, read back and checked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.urls import reverse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook

from campaigns.documents import bulletin_docx, bulletin_xlsx
from campaigns.documents.typesetting import column_widths, text_blocks, title_lines
from campaigns.models import Bulletin, Period, Report, ReportStatus
from campaigns.services.dispatch import period_dispatch
from campaigns.services.reporting import period_open
from tests.conftest import Plan, Tree, client_for

CONTEST = "特困人员供养水平擂台赛"
PUSH = "甲街道综合养老服务中心攻坚战"


def month(
    plan: Plan,
    number: int,
    rates: dict[Any, tuple[int, int] | None],
    stage: int | None = None,
    problems: str = "个别老人不愿入住",
) -> Bulletin:
    """Fill one month of the test plan and dispatch it on its dispatch day.

    `rates` gives each township's 集中供养率 (numerator, denominator), None for no report;
    `stage` is township A's milestone on the push (None: not reported).
    """
    period = (
        plan.period
        if number == 4
        else period_open(campaign=plan.published, day=date(2020, number, 15))
    )
    for unit, rate in rates.items():
        if rate is None:
            continue
        report = Report.objects.get(period=period, task=plan.contest, unit=unit)
        entry = report.entries.get()
        entry.numerator, entry.denominator = Decimal(rate[0]), Decimal(rate[1])
        entry.save()
        report.status, report.problems = ReportStatus.SUBMITTED, problems
        report.save()
    if stage is not None:
        report = Report.objects.get(period=period, task=plan.task_a)
        entry = report.entries.get()
        entry.stage = stage
        entry.save()
        report.status = ReportStatus.SUBMITTED
        report.save()
    period.refresh_from_db()
    return period_dispatch(period=period, today=period.dispatch_on)


def docx_of(data: bytes) -> Any:
    return Document(BytesIO(data))


def east_asian(run: Any) -> str | None:
    rpr = run._element.rPr
    fonts = rpr.rFonts if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def all_runs(doc: Any) -> list[Any]:
    runs = [run for p in doc.paragraphs for run in p.runs]
    runs += [
        run
        for table in doc.tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
        for run in p.runs
    ]
    section = doc.sections[0]
    for footer in (section.footer, section.even_page_footer):
        runs += [run for p in footer.paragraphs for run in p.runs]
    return runs


def paragraph(doc: Any, text: str) -> Any:
    return next(p for p in doc.paragraphs if p.text.replace("\n", "") == text)


def table_rows(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture
def bulletin(plan: Plan, tree: Tree) -> Bulletin:
    return month(plan, 4, {tree.township_a: (30, 50), tree.township_b: None}, stage=2)


def test_it_lays_the_monthly_bulletin_out_as_an_official_document(bulletin: Bulletin):
    doc = docx_of(bulletin_docx(bulletin))
    section = doc.sections[0]
    mm = [round(length.mm, 1) for length in (section.page_width, section.page_height)]
    assert mm == [210, 297]
    margins = (section.top_margin, section.bottom_margin, section.left_margin)
    assert [round(m.mm, 1) for m in (*margins, section.right_margin)] == [37, 35, 28, 26]

    title = paragraph(doc, "关于2020年4月份全区民政系统“打擂攻坚”工作调度情况的通报")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {east_asian(r) for r in title.runs} == {"方正小标宋简体"}
    assert {r.font.size for r in title.runs} == {Pt(22)}
    assert paragraph(doc, "第1期").alignment == WD_ALIGN_PARAGRAPH.RIGHT
    date_line = paragraph(doc, "2020年5月5日")
    assert date_line.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date_line.paragraph_format.right_indent == Pt(64), "成文日期右空四字"

    texts = [p.text for p in doc.paragraphs]
    headings = ["一、总体情况", "二、擂台赛进展及排名", "三、攻坚战进展", "四、存在的问题"]
    headings.append("五、下步工作要求")
    assert [t for t in texts if t in headings] == headings
    assert {east_asian(r) for r in paragraph(doc, "一、总体情况").runs} == {"黑体"}
    assert {east_asian(r) for r in paragraph(doc, f"（一）{CONTEST}").runs} == {"楷体_GB2312"}
    body = paragraph(doc, "甲街道（特困人员供养水平擂台赛）：个别老人不愿入住")
    assert {east_asian(r) for r in body.runs} == {"仿宋_GB2312"}
    assert {r.font.size for r in body.runs} == {Pt(16)}
    assert any(t.startswith("甲街道：中心建设进度开工") for t in texts), "the push, in words"


def test_it_writes_the_east_asian_font_into_every_run(bulletin: Bulletin):
    doc = docx_of(bulletin_docx(bulletin))
    runs = all_runs(doc)
    assert len(runs) > 50
    assert [r.text for r in runs if not east_asian(r)] == []


def test_it_numbers_pages_in_the_footer_with_a_page_field(bulletin: Bulletin):
    doc = docx_of(bulletin_docx(bulletin))
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        line = footer.paragraphs[0]
        assert line.alignment == align
        assert line.text == "— 1 —"
        assert "PAGE" in "".join(t.text for t in line._element.iter(qn("w:instrText")))
        assert {r.font.size for r in line.runs} == {Pt(14)}


def test_it_puts_each_contest_in_a_bordered_table_in_ranking_order(bulletin: Bulletin):
    doc = docx_of(bulletin_docx(bulletin))
    [table] = doc.tables
    rows = table_rows(table)
    assert rows[0] == ["名次", "单位", "集中供养率", "得分", "变化", "灯"]
    assert [row[:2] for row in rows[1:]] == [["1", "甲街道"], ["2", "乙镇（未报送）"]]
    assert rows[1][2:] == ["60.0%", "100.0", "—", "绿灯"]
    assert all(r.font.bold for cell in table.rows[0].cells for r in cell.paragraphs[0].runs)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"single"}
    assert len(borders) == 6
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None, "repeats on each page"


def test_it_writes_a_correction_with_what_changed(bulletin: Bulletin, plan: Plan, tree: Tree):
    report = Report.objects.get(period=plan.period, task=plan.contest, unit=tree.township_b)
    entry = report.entries.get()
    entry.numerator, entry.denominator = Decimal(45), Decimal(50)
    entry.save()
    report.status = ReportStatus.SUBMITTED
    report.save()
    correction = period_dispatch(period=plan.period, today=date(2020, 5, 8))
    said = "特困人员供养水平擂台赛：乙镇名次由第2名改为第1名，得分由0.0改为100.0，红灯改为绿灯"
    assert said in correction.content["corrections"]
    doc = docx_of(bulletin_docx(correction))
    texts = [p.text for p in doc.paragraphs]
    assert "更正说明：" in texts and f"1.{said}" in texts
    assert texts.index("更正说明：") < texts.index("一、总体情况")
    assert [row[1] for row in table_rows(doc.tables[0])[1:]] == ["甲街道", "乙镇"]
    assert [row[0] for row in table_rows(doc.tables[0])[1:]] == ["1", "1"], "ties share"
    book = load_workbook(BytesIO(bulletin_xlsx(correction)))
    assert book.sheetnames[:2] == ["总体情况", "更正说明"]
    assert book["更正说明"]["B2"].value == said


def test_it_writes_the_bulletin_workbook_a_sheet_per_table(bulletin: Bulletin):
    book = load_workbook(BytesIO(bulletin_xlsx(bulletin)))
    assert book.sheetnames == ["总体情况", CONTEST, "攻坚战进展", "红灯单位", "存在问题"]
    assert {sheet.freeze_panes for sheet in book} == {"A2"}
    ranking = book[CONTEST]
    header = [c.value for c in ranking[1]]
    assert header[:4] == ["名次", "单位", "集中供养率", "完成率（%）"]
    assert [(r[0].value, r[1].value) for r in ranking.iter_rows(min_row=2)] == [
        (1, "甲街道"),
        (2, "乙镇"),
    ]
    rate, score = ranking["C2"], ranking.cell(row=2, column=header.index("得分") + 1)
    assert (rate.value, rate.number_format) == (pytest.approx(0.6), "0.0%")
    assert (score.value, score.number_format) == (100.0, "0.0")
    assert ranking.column_dimensions["B"].width >= 8
    overview = {row[0].value: row[1].value for row in book["总体情况"].iter_rows(min_row=2)}
    assert overview["期号"] == "第1期" and overview["红灯（个）"] == 1
    assert [c.value for c in book["红灯单位"][2]] == ["乙镇", CONTEST, "未按时报送"]
    assert book["存在问题"]["C2"].value == "个别老人不愿入住"


def test_it_keeps_a_unit_s_words_as_text_never_a_formula(plan: Plan, tree: Tree):
    words = '=HYPERLINK("http://example.com","点击")'
    bulletin = month(plan, 4, {tree.township_a: (30, 50)}, problems=words)
    cell = load_workbook(BytesIO(bulletin_xlsx(bulletin)))["存在问题"]["C2"]
    assert (cell.value, cell.data_type) == (words, "s")


def test_it_serves_the_files_to_whoever_sees_the_bulletin(
    bulletin: Bulletin, plan: Plan, office, leader, township_b
):
    for user in (office, leader, township_b):
        docx = client_for(user).get(reverse("campaigns:bulletin_docx", args=[bulletin.pk]))
        assert docx.status_code == 200
        assert docx["Content-Type"].endswith("wordprocessingml.document")
        assert "filename*=UTF-8''" in docx["Content-Disposition"]
        assert docx_of(docx.content).paragraphs
        xlsx = client_for(user).get(reverse("campaigns:bulletin_xlsx", args=[bulletin.pk]))
        assert xlsx.status_code == 200 and xlsx["Content-Type"].endswith("spreadsheetml.sheet")
    page = client_for(office).get(reverse("campaigns:bulletin_detail", args=[bulletin.pk]))
    assert reverse("campaigns:bulletin_docx", args=[bulletin.pk]) in page.content.decode()
    assert reverse("campaigns:bulletin_xlsx", args=[bulletin.pk]) in page.content.decode()

    type(plan.published).objects.filter(pk=plan.published.pk).update(peers_visible=False)
    for name in ("campaigns:bulletin_docx", "campaigns:bulletin_xlsx"):
        url = reverse(name, args=[bulletin.pk])
        assert client_for(township_b).get(url).status_code == 404
        assert client_for(leader).get(url).status_code == 200
        assert client_for(leader).post(url).status_code == 405
    assert Bulletin.objects.count() == 1 and Period.objects.count() == 1


def test_it_breaks_long_titles_where_they_read_well():
    assert title_lines("关于2020年度全区民政系统“打擂攻坚”工作考核结果的通报") == [
        "关于2020年度全区民政系统",
        "“打擂攻坚”工作考核结果的通报",
    ]
    assert title_lines("2020年度各单位月度得分明细") == ["2020年度各单位月度得分明细"]


def test_it_fits_columns_to_the_text_block():
    widths = column_widths(
        ["名次", "单位", "完全及部分不能自理特困人员集中供养率", "得分"],
        [[1, "兰山经济开发区", "56.1%", "82.7"], [2, "乙镇", "42.5%", "78.0"]],
    )
    assert sum(widths) == pytest.approx(156)
    assert widths[1] > widths[0] and widths[1] > widths[3]


def test_it_reads_headings_out_of_plain_text():
    assert text_blocks("一、总体情况\n\n（一）擂台赛。本季度得分提高。\n1.加强督导。") == [
        ("h1", "一、总体情况", ""),
        ("h2", "（一）擂台赛。", "本季度得分提高。"),
        ("p", "", "1.加强督导。"),
    ]


def test_it_names_the_lead_unit_under_a_task_where_the_plan_names_one(plan: Plan, tree: Tree):
    plan.contest.lead_units.add(tree.section)  # the way task_save keeps it: also responsible
    plan.contest.responsible_units.add(tree.section)
    bulletin = month(plan, 4, {tree.township_a: (30, 50), tree.township_b: None})
    texts = [p.text for p in docx_of(bulletin_docx(bulletin)).paragraphs]
    heading = texts.index(f"（一）{CONTEST}")
    assert texts[heading + 1] == f"牵头单位：{tree.section.name}。"
    assert bulletin.content["contests"][0]["lead"] == tree.section.name
    assert "lead" not in bulletin.content["pushes"][0], "no 牵头单位 named, none written"
