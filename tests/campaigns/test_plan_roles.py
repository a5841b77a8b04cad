"""Every way a plan assigns work, through the import to the pages: 牵头单位 and 配合领导 as roles of
their own, brackets at a task's end, "…下同", 完成时限 as written and as a date, leaders named with
their post, and the review page settling every unknown name at once.

The wording follows real plans of the corpus (tests/campaigns/plan_corpus): 嘉鱼县's
"（牵头单位:县发改局(粮食局);责任单位:各镇人民政府,嘉鱼经济开发区）", 江苏省劳动保障厅's
"（工资处、就管中心）", the run-together labels "牵头领导:阮斌副局长责任部门:建工科、安全站".
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import Campaign, Task
from campaigns.plan_import import parse_plan
from campaigns.services.importing import campaign_import, unmatched_names
from org.models import Leader, Unit, UnitKind
from tests.conftest import Tree, client_for

PLAN = """测试区民政局2025年重点工作任务分解
一、兜底保障
1.加强低保规范管理。完善低保对象认定机制，开展专项治理（社会救助科牵头，养老服务科、区财政局配合）。
2.提升特困供养水平。集中供养率达到 60%。[牵头单位:社会救助科;责任单位:甲街道,乙镇;完成时限:2025年10月底]
3.做好临时救助。落实“先行救助”（各镇街道按职责分工负责，下同）。
4.加强救助站管理。规范流浪乞讨人员救助管理。
二、养老服务
5.推进居家养老服务中心建设。
牵头领导:阮斌副局长配合领导:王芳责任部门:养老服务科、建工科完成时限：长期坚持
6.城镇居民人均可支配收入增长9%。 (工资处、就管中心)
"""


@pytest.fixture
def leaders(tree: Tree) -> dict[str, Leader]:
    return {
        name: Leader.objects.create(name=name, unit=tree.bureau, title=title)
        for name, title in (("阮斌", "副局长"), ("王芳", "副局长"))
    }


@pytest.fixture
def plan(tree: Tree, office, leaders) -> Campaign:
    with time_machine.travel(date(2025, 3, 1), tick=False):
        return campaign_import(text=PLAN, bureau=tree.bureau, user=office)


def test_brackets_labels_and_notes_give_each_task_its_roles():
    tasks = parse_plan(PLAN).tasks
    roles = [
        (t.number, t.lead_units, t.responsible_units, t.cooperating_units, t.deadline_text)
        for t in tasks
    ]
    assert roles == [
        ("1", ["社会救助科"], [], ["养老服务科", "区财政局"], ""),
        ("2", ["社会救助科"], ["甲街道", "乙镇"], [], "2025年10月底"),
        ("3", [], ["各镇街道"], [], ""),
        ("4", [], ["各镇街道"], [], ""),  # "…下同" holds for the next task
        ("5", [], ["养老服务科", "建工科"], [], "长期坚持"),
        ("6", [], ["工资处", "就管中心"], [], ""),
    ]
    assert (tasks[4].lead_leaders, tasks[4].co_leaders) == (["阮斌副局长"], ["王芳"])
    # the bracket leaves the text; a bracket that names nobody stays
    assert tasks[0].content == "完善低保对象认定机制，开展专项治理。"
    assert "（" not in tasks[1].content
    assert tasks[2].content == "落实“先行救助”。"
    assert [t.deadline for t in tasks] == [None, date(2025, 10, 31), None, None, None, None]


def test_a_note_beginning_with_yixia_holds_for_the_tasks_after_it_only():
    text = "\n".join(
        [
            "一、社区治理",
            "1.完善社区服务设施。（基层政权建设和社区治理科负责）",
            "（以下任务均由社会事务及社会组织管理科牵头）",
            "2.规范社会组织登记。",
            "3.开展社会组织等级评估。",
        ]
    )
    tasks = parse_plan(text).tasks
    assert [(t.lead_units, t.responsible_units) for t in tasks] == [
        ([], ["基层政权建设和社区治理科"]),
        (["社会事务及社会组织管理科"], []),
        (["社会事务及社会组织管理科"], []),
    ]


@pytest.mark.parametrize(
    ("written", "plan_year", "due"),
    [
        ("2025年12月底", 2025, date(2025, 12, 31)),
        ("8月底前", 2025, date(2025, 8, 31)),
        ("2020年10月前", 2020, date(2020, 10, 31)),
        ("2025年6月30日前", 2025, date(2025, 6, 30)),
        ("年底前", 2025, date(2025, 12, 31)),
        ("长期坚持", 2025, None),
        ("按季度", 2025, None),
        ("每月10日前", 2025, None),
    ],
)
def test_a_deadline_becomes_a_date_only_where_it_names_one(written, plan_year, due):
    text = (
        f"{plan_year}年工作要点\n一、救助\n1.做好救助。\n责任单位：社会救助科\n完成时限：{written}"
    )
    (task,) = parse_plan(text).tasks
    assert (task.deadline_text, task.deadline) == (written, due)


def test_the_import_saves_lead_units_among_the_responsible_and_the_deadline(plan, tree):
    first, second, *_, fifth, sixth = plan.tasks.order_by("order")
    assert list(first.lead_units.all()) == [tree.section]
    assert tree.section in first.responsible_units.all()  # a 牵头单位 carries the task
    assert list(first.cooperating_units.all()) == [tree.other_section]
    assert first.unmatched_names == {"cooperating": ["区财政局"]}
    assert (second.deadline, second.deadline_text) == (date(2025, 10, 31), "2025年10月底")
    assert set(second.participants.all()) == {tree.township_a, tree.township_b}
    # a leader written with the post after the name is the bureau's leader
    assert [leader.name for leader in fifth.lead_leaders.all()] == ["阮斌"]
    assert [leader.name for leader in fifth.co_leaders.all()] == ["王芳"]
    assert (fifth.deadline, fifth.deadline_text) == (None, "长期坚持")
    assert fifth.unmatched_names == {"responsible": ["建工科"]}
    assert sixth.unmatched_names == {"responsible": ["工资处", "就管中心"]}


def test_the_plan_pages_show_the_lead_unit_the_co_leader_and_the_deadline(plan, office):
    client = client_for(office)
    review = client.get(reverse("campaigns:campaign_review", args=[plan.pk])).content.decode()
    assert "牵头单位：" in review and "配合领导：" in review
    assert "2025年10月底" in review and "长期坚持" in review and "（未设为日期）" in review
    assert "全部新建为配合单位（4 个）" in review
    detail = client.get(reverse("campaigns:campaign_detail", args=[plan.pk])).content.decode()
    assert "牵头单位：</span>社会救助科" in detail
    assert "配合领导：</span>王芳" in detail
    assert "完成时限：</span>长期坚持" in detail
    matrix = client.get(reverse("campaigns:campaign_matrix", args=[plan.pk])).content.decode()
    assert "牵：牵头单位" in matrix and "<td>牵</td>" in matrix and ">配合</span>" in matrix


def test_the_export_has_the_lead_unit_and_the_co_leader_columns(plan, office):
    response = client_for(office).get(reverse("campaigns:campaign_export", args=[plan.pk]))
    sheet = load_workbook(BytesIO(response.content))["任务"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    fifth = rows[5]
    assert fifth[header.index("牵头领导")] == "阮斌副局长"
    assert fifth[header.index("配合领导")] == "王芳"
    assert rows[1][header.index("牵头单位")] == "社会救助科"
    assert fifth[header.index("完成时限")] == "长期坚持"


def test_every_unknown_unit_name_becomes_a_partner_in_one_step(plan, office, tree):
    before = Unit.objects.count()
    url = reverse("campaigns:campaign_resolve_all_partners", args=[plan.pk])
    page = client_for(office).post(url, follow=True).content.decode()
    assert "已把 4 个名称新建为配合单位" in page
    created = Unit.objects.filter(parent=tree.bureau, kind=UnitKind.PARTNER)
    assert sorted(u.name for u in created) == sorted(["区财政局", "建工科", "工资处", "就管中心"])
    assert Unit.objects.count() == before + 4
    assert unmatched_names(plan) == {}
    sixth = plan.tasks.order_by("order").last()
    assert {u.name for u in sixth.responsible_units.all()} == {"工资处", "就管中心"}
    # again: nothing left to create
    client_for(office).post(url)
    assert Unit.objects.count() == before + 4


def test_only_the_plans_office_may_create_partners_at_once(plan, township_a, section, leader):
    url = reverse("campaigns:campaign_resolve_all_partners", args=[plan.pk])
    for user in (township_a, section, leader):
        assert client_for(user).post(url).status_code in (403, 404)
    assert not Unit.objects.filter(kind=UnitKind.PARTNER).exists()
    assert Task.objects.filter(campaign=plan).exclude(unmatched_names={}).count() == 3


def test_a_plan_of_an_earlier_year_without_an_issue_date_runs_through_that_year(
    tree: Tree, office, leaders
):
    with time_machine.travel(date(2026, 12, 7), tick=False):
        campaign = campaign_import(text=PLAN, bureau=tree.bureau, user=office)
    assert (campaign.year, campaign.start, campaign.end) == (
        2025,
        date(2025, 1, 1),
        date(2025, 12, 31),
    )
    assert campaign.tasks.get(number="2").deadline == date(2025, 10, 31)


def test_a_deadline_outside_the_plans_period_is_kept_as_written_and_said(
    tree: Tree, office, leaders
):
    text = PLAN.replace("完成时限:2025年10月底", "完成时限:2024年10月底")
    with time_machine.travel(date(2025, 3, 1), tick=False):
        campaign = campaign_import(text=text, bureau=tree.bureau, user=office)
    task = campaign.tasks.get(number="2")
    assert (task.deadline, task.deadline_text) == (None, "2024年10月底")
    assert (
        "“提升特困供养水平”的“2024年10月底”不在方案期限（2025年3月1日至2025年12月31日）内，"
        "未设为完成日期：请先核对方案期限，再修改这些任务"
    ) in campaign.import_warnings


def test_a_bracket_a_line_wrap_cut_keeps_its_labels_and_a_typo_does_not_spread():
    text = "\n".join(
        [
            "一、兜底保障",
            "1.做好低保工作。(牵头单位:社会救助科;责任单位:各镇人",
            "民政府,甲街道)",
            "2.做好特困供养（未闭合的括号。",
            "责任单位：养老服务科",
        ]
    )
    first, second = parse_plan(text).tasks
    assert (first.lead_units, first.responsible_units) == (
        ["社会救助科"],
        ["各镇人民政府", "甲街道"],
    )
    assert second.responsible_units == ["养老服务科"]


def test_items_numbered_1_in_brackets_are_the_tasks_where_they_carry_the_labels():
    text = "\n".join(
        [
            "一、兜底保障",
            "1.社会救助",
            "（1）提高低保标准。城乡低保标准提高 6.2%。",
            "责任单位：社会救助科",
            "完成时限：2025年6月底",
            "（2）规范特困供养。",
            "责任单位：社会救助科、各镇街道",
            "2.养老服务",
            "（1）建设居家养老服务站。（养老服务科负责）",
            "（2）开展养老机构等级评定。（养老服务科负责）",
        ]
    )
    tasks = parse_plan(text).tasks
    assert [(t.chapter, t.number, t.title, t.responsible_units) for t in tasks] == [
        ("1.社会救助", "（1）", "提高低保标准", ["社会救助科"]),
        ("1.社会救助", "（2）", "规范特困供养", ["社会救助科", "各镇街道"]),
        ("2.养老服务", "（1）", "建设居家养老服务站", ["养老服务科"]),
        ("2.养老服务", "（2）", "开展养老机构等级评定", ["养老服务科"]),
    ]
    assert tasks[0].content == "城乡低保标准提高 6.2%。"


def test_every_countys_citys_and_districts_government_is_one_name():
    """咸宁's "市税务局等,各县、市、区政府,咸宁高新区管委会": three units, not five."""
    text = "一、财税支持\n1.加强对防疫重点企业财税支持。\n责任单位：市税务局等,各县、市、区政府,咸宁高新区管委会"
    (task,) = parse_plan(text).tasks
    assert task.responsible_units == ["市税务局", "各县、市、区政府", "咸宁高新区管委会"]
    (other,) = parse_plan(text.replace("各县、市、区政府", "区民政局、区财政局")).tasks
    assert other.responsible_units == ["市税务局", "区民政局", "区财政局", "咸宁高新区管委会"]
