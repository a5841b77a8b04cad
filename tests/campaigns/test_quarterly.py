"""每季一小结: worked out by hand on the test plan's second quarter.

The contest's target is 60%, so a township's score is its rate / 60% × 100 (at most 100):
    April  甲街道 30/50 = 60% → 100.0 (1st)   乙镇 15/50 = 30% →  50.0 (2nd)
    May    甲街道 24/50 = 48% →  80.0 (2nd)   乙镇 27/50 = 54% →  90.0 (1st)
    June   甲街道 21/50 = 42% →  70.0 (2nd)   乙镇 30/50 = 60% → 100.0 (1st)
乙镇 rose from 2nd to 1st, 甲街道 fell from 1st to 2nd; the averages went 75.0 → 85.0 → 85.0.
甲街道 never reports its push (a red light each month), so it is red all quarter.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.documents import bulletin_docx, bulletin_xlsx, charts
from campaigns.models import Bulletin, BulletinKind, Report
from campaigns.services import quarterly
from campaigns.services.dispatch import period_dispatch
from campaigns.services.quarterly import (
    parse_quarter,
    quarter_summarize,
    summary_publish,
    summary_text_save,
)
from tests.campaigns.test_documents import CONTEST, PUSH, docx_of, month, table_rows
from tests.conftest import Plan, Tree, client_for


def quarter(plan: Plan, tree: Tree, months: tuple[int, ...] = (4, 5, 6)) -> None:
    rates = {
        4: {tree.township_a: (30, 50), tree.township_b: (15, 50)},
        5: {tree.township_a: (24, 50), tree.township_b: (27, 50)},
        6: {tree.township_a: (21, 50), tree.township_b: (30, 50)},
    }
    for number in months:
        month(plan, number, rates[number])


@pytest.fixture
def summary(plan: Plan, tree: Tree, office) -> Bulletin:
    quarter(plan, tree)
    return quarter_summarize(plan.published, 2020, 2, office)


def test_it_refuses_a_quarter_whose_months_are_not_all_dispatched(plan: Plan, tree: Tree):
    quarter(plan, tree, months=(4,))
    with pytest.raises(ValidationError) as error:
        quarter_summarize(plan.published, 2020, 2)
    assert error.value.messages == [
        "2020年第二季度还不能小结：2020年5月、2020年6月尚未调度，请先完成这些调度期的调度"
    ]
    with pytest.raises(ValidationError, match="2020年第一季度不在方案期限内"):
        quarter_summarize(plan.published, 2020, 1)
    assert not Bulletin.objects.filter(kind=BulletinKind.QUARTERLY).exists()


def test_it_summarizes_a_quarter_once_however_often_it_runs(summary: Bulletin, plan: Plan):
    assert quarter_summarize(plan.published, 2020, 2) == summary
    assert Bulletin.objects.filter(kind=BulletinKind.QUARTERLY).count() == 1
    assert (summary.number, summary.revision, summary.published_at) == (1, 1, None)
    assert summary.period.label == "2020年6月"
    assert summary.title == "关于2020年第二季度全区民政系统“打擂攻坚”工作情况的小结"
    assert summary.text == summary.content["draft_text"]


def test_it_works_out_who_rose_and_who_fell(summary: Bulletin):
    c = summary.content
    assert [m["short"] for m in c["months"]] == ["4月", "5月", "6月"]
    assert [m["issue"] for m in c["months"]] == ["第1期", "第2期", "第3期"]
    [contest] = c["contests"]
    assert [(r["unit"], r["scores"], r["ranks"]) for r in contest["rows"]] == [
        ("乙镇", ["50.0", "90.0", "100.0"], [2, 1, 1]),
        ("甲街道", ["100.0", "80.0", "70.0"], [1, 2, 2]),
    ]
    assert [r["mean"] for r in contest["rows"]] == ["80.0", "83.3"]
    assert contest["averages"] == ["75.0", "85.0", "85.0"]
    assert c["risers"] == [{"task": CONTEST, "unit": "乙镇", "from": 2, "to": 1, "change": 1}]
    assert c["fallers"] == [{"task": CONTEST, "unit": "甲街道", "from": 1, "to": 2, "change": -1}]
    assert [m["lights"]["red"] for m in c["months"]] == [1, 1, 1]
    assert c["always_red"] == [{"unit": "甲街道", "task": PUSH}]
    text = c["draft_text"]
    assert "本季度参赛单位平均得分由4月的75.0分提高到6月的85.0分" in text
    assert "乙镇名次较季初上升1位，进步明显" in text
    assert "甲街道名次较季初下降1位，需引起重视" in text
    assert "4月、5月、6月连续亮红灯的有：甲街道（甲街道综合养老服务中心攻坚战）" in text
    assert text.splitlines()[1] == "一、总体情况"


def test_it_drafts_a_new_revision_when_a_month_was_corrected(
    summary: Bulletin, plan: Plan, tree: Tree
):
    may = summary.period.campaign.periods.get(label="2020年5月")
    report = Report.objects.get(period=may, task=plan.contest, unit=tree.township_a)
    entry = report.entries.get()
    entry.numerator = Decimal(30)  # 甲街道's May becomes 60%: 100 points, first again
    entry.save()
    period_dispatch(period=may)
    revised = quarter_summarize(plan.published, 2020, 2)
    assert (revised.revision, revised.number, revised.corrects) == (2, 1, summary)
    assert revised.content["contests"][0]["rows"][1]["scores"][1] == "100.0"
    summary.refresh_from_db()
    assert summary.content["contests"][0]["rows"][1]["scores"][1] == "80.0"


def test_it_leaves_nothing_behind_when_it_fails_half_way(plan: Plan, tree: Tree):
    quarter(plan, tree)
    with (
        mock.patch.object(quarterly, "summary_content", side_effect=RuntimeError("killed")),
        pytest.raises(RuntimeError),
    ):
        quarter_summarize(plan.published, 2020, 2)
    assert not Bulletin.objects.filter(kind=BulletinKind.QUARTERLY).exists()
    assert quarter_summarize(plan.published, 2020, 2).revision == 1


def test_the_office_edits_and_publishes_the_text(summary: Bulletin, office, leader):
    with pytest.raises(PermissionDenied):
        summary_text_save(bulletin=summary, text="改写", user=leader)
    with pytest.raises(ValidationError, match="小结正文不能为空"):
        summary_text_save(bulletin=summary, text="  \n ", user=office)
    summary_text_save(bulletin=summary, text="一、总体情况\n本季度工作有序推进。", user=office)
    published = summary_publish(bulletin=summary, user=office)
    assert published.published_at is not None and published.text.endswith("有序推进。")
    with pytest.raises(ValidationError, match="已发布"):
        summary_text_save(bulletin=summary, text="再改", user=office)


def test_the_summary_page_is_the_office_s_until_published(
    summary: Bulletin, plan: Plan, office, leader, township_a, township_b
):
    url = reverse("campaigns:summary_detail", args=[summary.pk])
    page = client_for(office).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/png;base64,' in html and 'name="text"' in html
    for outsider in (leader, township_a, township_b):
        assert client_for(outsider).get(url).status_code == 404
        docx = reverse("campaigns:bulletin_docx", args=[summary.pk])
        assert client_for(outsider).get(docx).status_code == 404
    edit = reverse("campaigns:summary_edit", args=[summary.pk])
    assert client_for(leader).post(edit, {"text": "改写"}).status_code == 404
    response = client_for(office).post(edit, {"text": "一、总体情况\n办公室改写的正文。"})
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.text == "一、总体情况\n办公室改写的正文。"
    publish = reverse("campaigns:summary_publish", args=[summary.pk])
    assert client_for(office).post(publish).status_code == 302
    assert "办公室改写的正文。" in client_for(leader).get(url).content.decode()
    assert client_for(township_b).get(url).status_code == 200, "peers' figures are visible"
    assert client_for(leader).post(publish).status_code == 403
    plan.published.peers_visible = False
    plan.published.save()
    assert client_for(township_b).get(url).status_code == 404


def test_the_office_runs_the_summary_from_the_list(plan: Plan, tree: Tree, office, leader):
    quarter(plan, tree, months=(4, 5))
    create = reverse("campaigns:summary_create", args=[plan.published.pk])
    listing = reverse("campaigns:summary_list", args=[plan.published.pk])
    response = client_for(office).post(create, {"quarter": "2020-Q2"}, follow=True)
    assert "2020年6月尚未调度" in response.content.decode()
    month(plan, 6, {tree.township_a: (21, 50)})
    response = client_for(office).post(create, {"quarter": "2020-Q2"})
    summary = Bulletin.objects.get(kind=BulletinKind.QUARTERLY)
    assert response["Location"] == reverse("campaigns:summary_detail", args=[summary.pk])
    assert client_for(leader).post(create, {"quarter": "2020-Q2"}).status_code == 403
    assert summary.title not in client_for(leader).get(listing).content.decode()
    assert summary.title in client_for(office).get(listing).content.decode()


def test_the_summary_document_has_the_text_the_charts_and_the_trends(summary: Bulletin, office):
    summary_text_save(bulletin=summary, text="一、总体情况\n本季度工作有序推进。", user=office)
    summary.refresh_from_db()
    doc = docx_of(bulletin_docx(summary))
    texts = [p.text for p in doc.paragraphs]
    assert "本季度工作有序推进。" in texts and texts.count("一、总体情况") == 1
    assert "附件" in texts
    assert len(doc.inline_shapes) == 1, "one trend chart per contest"
    trend = table_rows(doc.tables[0])
    assert trend[0][:4] == ["单位", "4月得分", "5月得分", "6月得分"]
    assert [(row[0], row[-1]) for row in trend[1:]] == [("乙镇", "升1位"), ("甲街道", "降1位")]
    book = load_workbook(BytesIO(bulletin_xlsx(summary)))
    assert book.sheetnames == ["总体情况", CONTEST, "攻坚战走势", "进位退位", "红灯单位"]
    assert {sheet.freeze_panes for sheet in book} == {"A2"}
    rows = [[c.value for c in row] for row in book[CONTEST].iter_rows(min_row=2)]
    assert [row[:5] for row in rows] == [[1, "乙镇", 50, 90, 100], [2, "甲街道", 100, 80, 70]]
    assert book[CONTEST]["C2"].number_format == "0.0"
    assert [c.value for c in book["进位退位"][2]] == ["进位", CONTEST, "乙镇", 2, 1, 1]


def test_it_draws_charts_without_a_cjk_font(monkeypatch):
    monkeypatch.setattr(charts, "cjk_family", lambda: None)
    png = charts.trend_chart("走势", ["4月", "5月"], [("甲街道", [60.0, None])])
    assert png.startswith(b"\x89PNG")


def test_it_summarizes_from_the_command(plan: Plan, tree: Tree, capsys):
    quarter(plan, tree)
    call_command("summarize", "--campaign", str(plan.published.pk), "--quarter", "2020-Q2")
    assert "第1期，第1版，初稿" in capsys.readouterr().out
    call_command("summarize", "--campaign", str(plan.published.pk), "--quarter", "2020-Q2")
    assert Bulletin.objects.filter(kind=BulletinKind.QUARTERLY).count() == 1
    with pytest.raises(CommandError, match="2020-Q2 的形式"):
        call_command("summarize", "--campaign", str(plan.published.pk), "--quarter", "Q2")
    assert parse_quarter("2020Q3") == (2020, 3)
