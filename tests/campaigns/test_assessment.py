"""年终考核 worked out by hand on the test plan's April to June (the contest as in test_quarterly):

    甲街道  contest 100.00, 80.00, 70.00 → 83.33
            push (stage 1, 2, 3 of 3) 33.33, 66.67, 100.00 → 66.67
            task score (83.33 + 66.67) / 2 = 75.00; +5 for a commended practice → 80.00
    乙镇    contest 50.00, 90.00, 100.00 → 80.00 = task score → 80.00
The two tie for first place (良好 both) until 乙镇 loses 1.5 points: 78.50, second, 合格.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.documents import assessment_docx, assessment_table, assessment_xlsx
from campaigns.models import AdjustmentItem, Assessment
from campaigns.services.assessment import adjustment_add, grade_for, year_assess
from tests.campaigns.test_documents import CONTEST, PUSH, docx_of, month, table_rows
from tests.conftest import Plan, Tree, client_for

D = Decimal


def year(plan: Plan, tree: Tree) -> None:
    month(plan, 4, {tree.township_a: (30, 50), tree.township_b: (15, 50)}, stage=1)
    month(plan, 5, {tree.township_a: (24, 50), tree.township_b: (27, 50)}, stage=2)
    month(plan, 6, {tree.township_a: (21, 50), tree.township_b: (30, 50)}, stage=3)


def results(plan: Plan) -> list[tuple]:
    return list(
        Assessment.objects.filter(campaign=plan.published, year=2020)
        .order_by("rank", "unit__path")
        .values_list("rank", "unit__name", "task_score", "adjustment", "total", "grade")
    )


@pytest.fixture
def assessed(plan: Plan, tree: Tree, office) -> list[Assessment]:
    year(plan, tree)
    adjustment_add(plan.published, 2020, tree.township_a, "5", "特困供养经验被市局推广", office)
    return year_assess(plan.published, 2020)


def test_it_works_out_the_year_by_hand(assessed, plan: Plan, tree: Tree, office):
    assert results(plan) == [
        (1, "甲街道", D("75.00"), D("5.00"), D("80.00"), "良好"),
        (1, "乙镇", D("80.00"), D("0.00"), D("80.00"), "良好"),
    ]
    adjustment_add(plan.published, 2020, tree.township_b, "-1.5", "5月数据不实，予以纠正", office)
    assert results(plan) == [
        (1, "甲街道", D("75.00"), D("5.00"), D("80.00"), "良好"),
        (2, "乙镇", D("80.00"), D("-1.50"), D("78.50"), "合格"),
    ], "an item entered after the run is counted at once"


def test_it_traces_every_point_to_its_month(assessed, plan: Plan, tree: Tree):
    a = Assessment.objects.get(unit=tree.township_a)
    tasks = {t["task"]: t for t in a.details}
    assert tasks[CONTEST]["score"] == "83.33" and tasks[PUSH]["score"] == "66.67"
    months = [(m["period"], m["issue"], m["score"], m["rank"]) for m in tasks[CONTEST]["months"]]
    assert months == [
        ("2020年4月", "第1期", "100.00", 1),
        ("2020年5月", "第2期", "80.00", 2),
        ("2020年6月", "第3期", "70.00", 2),
    ]
    assert [m["score"] for m in tasks[PUSH]["months"]] == ["33.33", "66.67", "100.00"]
    april = plan.period
    assert tasks[CONTEST]["months"][0]["period_id"] == april.pk


def test_it_replaces_the_year_s_rows_however_often_it_runs(assessed, plan: Plan):
    before = results(plan)
    year_assess(plan.published, 2020)
    assert results(plan) == before and Assessment.objects.count() == 2
    with (
        mock.patch.object(Assessment.objects, "bulk_create", side_effect=RuntimeError("killed")),
        pytest.raises(RuntimeError),
    ):
        year_assess(plan.published, 2020)
    assert results(plan) == before, "the deleted rows came back with the rollback"
    with pytest.raises(ValidationError, match="2021年还没有已调度的调度期"):
        year_assess(plan.published, 2021)


def test_it_grades_by_the_total():
    grades = [grade_for(D(x)) for x in ("100", "90", "89.99", "80", "79.99", "60", "59.99", "0")]
    assert grades == ["优秀", "优秀", "良好", "良好", "合格", "合格", "不合格", "不合格"]


@pytest.mark.parametrize(
    ("points", "reason", "message"),
    [
        ("25", "理由", "分值应在 -20 到 +20 之间"),
        ("-20.5", "理由", "分值应在 -20 到 +20 之间"),
        ("0", "理由", "分值不能为 0"),
        ("两分", "理由", "分值应为数字"),
        ("1.005", "理由", "分值最多保留两位小数"),
        ("2", "  ", "请填写加扣分理由"),
    ],
)
def test_it_refuses_adjustments_out_of_bounds(
    plan: Plan, tree: Tree, office, points, reason, message
):
    with pytest.raises(ValidationError) as error:
        adjustment_add(plan.published, 2020, tree.township_a, points, reason, office)
    assert any(text.startswith(message) for text in error.value.messages)
    assert not AdjustmentItem.objects.exists()


def test_only_the_office_enters_adjustments_for_the_plan_s_units(
    plan: Plan, tree: Tree, office, leader, township_a
):
    for user in (leader, township_a, None):
        with pytest.raises(PermissionDenied):
            adjustment_add(plan.published, 2020, tree.township_a, "2", "理由", user)
    with pytest.raises(ValidationError, match="甲街道敬老院不是本方案的参赛单位"):
        adjustment_add(plan.published, 2020, tree.institution_a, "2", "理由", office)
    item = adjustment_add(plan.published, 2020, tree.township_a, "20", "满分奖励", office)
    assert (item.points, item.created_by) == (D("20"), office)


def test_the_assessment_page_for_office_and_leader(
    plan: Plan, tree: Tree, office, leader, section, township_a
):
    year(plan, tree)
    url = reverse("campaigns:assessment_detail", args=[plan.published.pk, 2020])
    assert "还没有计算年终考核" in client_for(leader).get(url).content.decode()
    for outsider in (section, township_a):
        assert client_for(outsider).get(url).status_code == 404
    run = reverse("campaigns:assessment_create", args=[plan.published.pk, 2020])
    assert client_for(leader).post(run).status_code == 403
    assert client_for(office).post(run).status_code == 302
    assert len(results(plan)) == 2

    add = reverse("campaigns:assessment_adjustment_create", args=[plan.published.pk, 2020])
    item = {"unit": tree.township_a.pk, "points": "5", "reason": "特困供养经验被市局推广"}
    assert client_for(leader).post(add, item).status_code == 403
    page = client_for(office).post(add, {**item, "points": "30"}, follow=True)
    assert "分值应在 -20 到 +20 之间" in page.content.decode()
    assert not AdjustmentItem.objects.exists()
    client_for(office).post(add, item)
    assert results(plan)[0][1:] == ("甲街道", D("75.00"), D("5.00"), D("80.00"), "良好")

    page = client_for(leader).get(url).content.decode()
    assert "各项任务权重相同" in page and "特困供养经验被市局推广" in page
    assert reverse("campaigns:bulletin_detail", args=[plan.period.bulletins.get().pk]) in page
    assert 'name="reason"' not in page, "the leader reads; only the office enters items"
    assert 'name="reason"' in client_for(office).get(url).content.decode()

    delete = reverse(
        "campaigns:assessment_adjustment_delete", args=[AdjustmentItem.objects.get().pk]
    )
    assert client_for(township_a).post(delete).status_code == 404
    assert client_for(leader).post(delete).status_code == 403
    page = client_for(office).post(delete, follow=True).content.decode()
    assert "请写明删除原因" in page and AdjustmentItem.objects.exists(), "no reason, no deletion"
    assert client_for(office).post(delete, {"reason": "重复录入"}).status_code == 302
    assert not AdjustmentItem.objects.exists()
    kept = AdjustmentItem.all_objects.get()
    assert (kept.delete_reason, kept.deleted_by) == ("重复录入", office), "marked, never erased"
    assert results(plan)[0][3] == D("0.00"), "the assessment follows the removal"
    outside = reverse("campaigns:assessment_detail", args=[plan.published.pk, 2019])
    assert client_for(office).get(outside).status_code == 404


def test_the_assessment_files_read_back_with_their_ranking(
    assessed, plan: Plan, tree: Tree, office, leader, township_b
):
    adjustment_add(plan.published, 2020, tree.township_b, "-1.5", "5月数据不实，予以纠正", office)
    table = assessment_table(plan.published, 2020)
    doc = docx_of(assessment_docx(table))
    texts = [p.text.replace("\n", "") for p in doc.paragraphs]
    assert "关于2020年度全区民政系统“打擂攻坚”工作考核结果的通报" in texts
    assert "甲街道：加5.00分。特困供养经验被市局推广。" in texts
    assert "乙镇：扣1.50分。5月数据不实，予以纠正。" in texts
    ranking = table_rows(doc.tables[0])
    assert ranking == [
        ["名次", "单位", "任务得分", "加扣分", "总分", "等次"],
        ["1", "甲街道", "75.00", "+5.00", "80.00", "良好"],
        ["2", "乙镇", "80.00", "-1.50", "78.50", "合格"],
    ]
    detail = table_rows(doc.tables[1])
    assert detail[0] == ["单位", "任务", "4月", "5月", "6月", "年度"]
    assert [row[1:] for row in detail[1:]] == [
        [PUSH, "33.3", "66.7", "100.0", "66.67"],
        [CONTEST, "100.0", "80.0", "70.0", "83.33"],
        [CONTEST, "50.0", "90.0", "100.0", "80.00"],
    ]

    book = load_workbook(BytesIO(assessment_xlsx(table)))
    assert book.sheetnames == ["年终考核", "加扣分项", "月度得分明细"]
    assert {sheet.freeze_panes for sheet in book} == {"A2"}
    rows = [[c.value for c in row] for row in book["年终考核"].iter_rows(min_row=2)]
    assert [(r[0], r[1], r[-2], r[-1]) for r in rows] == [
        (1, "甲街道", 80, "良好"),
        (2, "乙镇", 78.5, "合格"),
    ]
    assert book["年终考核"]["E2"].number_format == "0.00"
    assert book["加扣分项"]["C3"].value == "5月数据不实，予以纠正"
    trace = [[c.value for c in row] for row in book["月度得分明细"].iter_rows(min_row=2)]
    assert len(trace) == 9
    assert trace[0][:6] == ["甲街道", PUSH, "2020年4月", "第1期", 33.33, None]

    for name in ("campaigns:assessment_docx", "campaigns:assessment_xlsx"):
        url = reverse(name, args=[plan.published.pk, 2020])
        assert client_for(leader).get(url).status_code == 200
        assert client_for(township_b).get(url).status_code == 404


def test_it_assesses_from_the_command(plan: Plan, tree: Tree, capsys):
    year(plan, tree)
    call_command("assess", "--campaign", str(plan.published.pk), "--year", "2020")
    out = capsys.readouterr().out
    assert "1  乙镇  80.00  良好" in out and "2020年度考核完成，共 2 个单位" in out
