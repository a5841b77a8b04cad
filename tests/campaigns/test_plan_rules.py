"""Every rule of campaigns/services/plan.py on campaigns, tasks and indicators: what is refused,
in which words, and that a refusal saves nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from campaigns.models import Campaign, Indicator, Target, Task
from campaigns.services.plan import (
    campaign_save,
    indicator_save,
    targets_set,
    task_save,
)
from org import services
from org.models import UnitKind
from tests.campaigns.conftest import PERIOD, TITLE, refused

# --- campaigns ---------------------------------------------------------------------------------


def test_it_refuses_a_campaign_that_ends_before_it_starts(tree, office):
    error = refused(
        campaign_save,
        bureau=tree.bureau,
        user=office,
        title=TITLE,
        year=2020,
        start=date(2020, 4, 10),
        end=date(2020, 4, 1),
    )
    assert error.message_dict == {"end": ["结束日期不能早于开始日期"]}
    assert Campaign.objects.count() == 0


def test_it_refuses_to_move_the_end_of_a_saved_campaign_before_its_start(campaign, office):
    error = refused(campaign_save, campaign=campaign, user=office, end=date(2020, 3, 31))
    assert error.message_dict == {"end": ["结束日期不能早于开始日期"]}
    campaign.refresh_from_db()
    assert campaign.end == date(2020, 12, 31)


@pytest.mark.parametrize(
    ("report_due_day", "dispatch_day", "fields"),
    [
        (0, 5, ["report_due_day"]),
        (29, 5, ["report_due_day"]),
        (3, 0, ["dispatch_day"]),
        (3, 29, ["dispatch_day"]),
        (31, 30, ["report_due_day", "dispatch_day"]),
    ],
)
def test_it_refuses_report_and_dispatch_days_outside_1_to_28(
    tree, office, report_due_day, dispatch_day, fields
):
    error = refused(
        campaign_save,
        bureau=tree.bureau,
        user=office,
        title=TITLE,
        year=2020,
        start=date(2020, 4, 10),
        end=date(2020, 12, 31),
        report_due_day=report_due_day,
        dispatch_day=dispatch_day,
    )
    assert error.message_dict == {
        field: ["应为 1 到 28 之间的日子（每月都有这一天）"] for field in fields
    }
    assert Campaign.objects.count() == 0


def test_it_accepts_the_28th_as_report_and_dispatch_day(tree, office):
    campaign = campaign_save(
        bureau=tree.bureau,
        user=office,
        title=TITLE,
        year=2020,
        start=date(2020, 4, 10),
        end=date(2020, 12, 31),
        report_due_day=1,
        dispatch_day=28,
    )
    campaign.refresh_from_db()
    assert (campaign.report_due_day, campaign.dispatch_day) == (1, 28)


@pytest.mark.parametrize(("yellow", "red"), [(30, 30), (40, 30), (-1, 30), (10, 101)], ids=str)
def test_it_refuses_a_yellow_gap_not_below_the_red_gap(campaign, office, yellow, red):
    error = refused(
        campaign_save,
        campaign=campaign,
        user=office,
        yellow_gap=Decimal(yellow),
        red_gap=Decimal(red),
    )
    assert error.message_dict == {"red_gap": ["应满足 0 ≤ 绿灯容差 < 红灯差距 ≤ 100"]}
    campaign.refresh_from_db()
    assert (campaign.yellow_gap, campaign.red_gap) == (Decimal(0), Decimal(20))


def test_it_saves_gaps_in_order(campaign, office):
    campaign_save(campaign=campaign, user=office, yellow_gap=Decimal(5), red_gap=Decimal(100))
    campaign.refresh_from_db()
    assert (campaign.yellow_gap, campaign.red_gap) == (Decimal(5), Decimal(100))


@pytest.mark.parametrize("year", [2019, 2021])
def test_it_refuses_a_year_outside_the_campaign_dates(tree, office, year):
    error = refused(
        campaign_save,
        bureau=tree.bureau,
        user=office,
        title=TITLE,
        year=year,
        start=date(2020, 4, 10),
        end=date(2020, 12, 31),
    )
    assert error.message_dict == {"year": ["年度应在方案的开始和结束日期之间"]}
    assert Campaign.objects.count() == 0


def test_it_accepts_either_year_of_a_campaign_across_new_year(tree, office):
    campaign = campaign_save(
        bureau=tree.bureau,
        user=office,
        title=TITLE,
        year=2021,
        start=date(2020, 4, 10),
        end=date(2021, 6, 30),
    )
    assert Campaign.objects.get().year == 2021 == campaign.year


def test_it_refuses_a_campaign_outside_a_bureau(tree, office):
    error = refused(
        campaign_save,
        bureau=tree.township_a,
        user=office,
        title=TITLE,
        year=2020,
        start=date(2020, 4, 10),
        end=date(2020, 12, 31),
    )
    assert error.message_dict == {"bureau": ["方案必须属于一个局"]}
    assert Campaign.objects.count() == 0


def test_it_refuses_to_shorten_a_campaign_past_a_task_deadline(campaign, office, tree):
    task_save(
        campaign=campaign,
        kind="push",
        title="养老服务项目建设攻坚战",
        deadline=date(2020, 12, 15),
        participants=[tree.township_a],
    )
    error = refused(campaign_save, campaign=campaign, user=office, end=date(2020, 11, 30))
    assert error.message_dict == {
        "end": ["任务“养老服务项目建设攻坚战”的完成时限将不在方案期限内，请先调整"]
    }
    campaign.refresh_from_db()
    assert campaign.end == date(2020, 12, 31)
    assert Task.objects.get().deadline == date(2020, 12, 15)


def test_it_refuses_to_move_the_start_past_an_indicator_deadline(campaign, office, contest):
    indicator_save(
        task=contest,
        name="低保审批办结率",
        kind="rate",
        default_target=Decimal(95),
        deadline=date(2020, 5, 31),
    )
    error = refused(campaign_save, campaign=campaign, user=office, start=date(2020, 6, 1))
    assert error.message_dict == {
        "end": ["指标“低保审批办结率”的完成时限将不在方案期限内，请先调整"]
    }
    campaign.refresh_from_db()
    assert campaign.start == date(2020, 4, 10)


def test_it_shortens_a_campaign_that_keeps_every_deadline_inside(campaign, office, tree):
    task_save(
        campaign=campaign,
        kind="push",
        title="养老服务项目建设攻坚战",
        deadline=date(2020, 11, 30),
        participants=[tree.township_a],
    )
    campaign_save(campaign=campaign, user=office, end=date(2020, 11, 30))
    campaign.refresh_from_db()
    assert campaign.end == date(2020, 11, 30)


# --- tasks -------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1])
def test_it_refuses_a_contest_with_fewer_than_two_participants(campaign, tree, count):
    error = refused(
        task_save,
        campaign=campaign,
        kind="contest",
        title="低保审批擂台赛",
        participants=[tree.township_a, tree.township_b][:count],
    )
    assert error.message_dict == {"participants": ["擂台赛至少要有两个参赛单位才能排名"]}
    assert Task.objects.count() == 0


def test_it_accepts_a_push_with_one_participant(campaign, tree):
    task = task_save(campaign=campaign, kind="push", title="攻坚战", participants=[tree.township_a])
    assert list(Task.objects.get(pk=task.pk).participants.all()) == [tree.township_a]


def test_it_refuses_to_take_a_participant_from_a_saved_contest(contest, tree):
    error = refused(
        task_save,
        task=contest,
        kind="contest",
        title=contest.title,
        responsible_units=[tree.section],
        participants=[tree.township_a],
    )
    assert error.message_dict == {"participants": ["擂台赛至少要有两个参赛单位才能排名"]}
    assert set(Task.objects.get(pk=contest.pk).participants.all()) == {
        tree.township_a,
        tree.township_b,
    }


@pytest.mark.parametrize(
    ("deadline", "written"),
    [(date(2021, 1, 15), "2021年1月15日"), (date(2020, 4, 9), "2020年4月9日")],
)
def test_it_refuses_a_task_deadline_outside_the_campaign(campaign, tree, deadline, written):
    error = refused(
        task_save,
        campaign=campaign,
        kind="push",
        title="养老服务项目建设攻坚战",
        deadline=deadline,
        participants=[tree.township_a],
    )
    assert error.message_dict == {"deadline": [f"完成时限{written}不在方案期限内{PERIOD}"]}
    assert Task.objects.count() == 0


def test_it_accepts_a_task_deadline_on_the_last_day(campaign, tree):
    task_save(
        campaign=campaign,
        kind="push",
        title="养老服务项目建设攻坚战",
        deadline=date(2020, 12, 31),
        participants=[tree.township_a],
    )
    assert Task.objects.get().deadline == date(2020, 12, 31)


def test_it_refuses_participants_from_another_bureau(campaign, tree):
    other = services.unit_create(name="外区民政局", kind=UnitKind.BUREAU, parent=None)
    street = services.unit_create(name="外区街道", kind=UnitKind.STREET, parent=other)
    error = refused(
        task_save,
        campaign=campaign,
        kind="contest",
        title="低保审批擂台赛",
        participants=[tree.township_a, street],
    )
    assert error.message_dict == {"participants": ["外区街道不属于测试区民政局"]}
    assert Task.objects.count() == 0


def test_it_gives_every_problem_of_a_task_at_once(campaign, tree):
    other = services.unit_create(name="外区民政局", kind=UnitKind.BUREAU, parent=None)
    street = services.unit_create(name="外区街道", kind=UnitKind.STREET, parent=other)
    error = refused(
        task_save,
        campaign=campaign,
        kind="contest",
        title="低保审批擂台赛",
        deadline=date(2021, 3, 1),
        participants=[street],
    )
    assert error.message_dict == {
        "participants": ["擂台赛至少要有两个参赛单位才能排名", "外区街道不属于测试区民政局"],
        "deadline": [f"完成时限2021年3月1日不在方案期限内{PERIOD}"],
    }
    assert Task.objects.count() == 0


# --- indicators --------------------------------------------------------------------------------


@pytest.mark.parametrize("target", [Decimal(101), Decimal(-1), Decimal("100.01")])
def test_it_refuses_a_rate_target_outside_0_to_100(contest, target):
    error = refused(
        indicator_save, task=contest, name="低保审批办结率", kind="rate", default_target=target
    )
    assert error.message_dict == {"default_target": ["目标值是比率，应在 0 到 100（%）之间"]}
    assert Indicator.objects.count() == 0


@pytest.mark.parametrize("target", [Decimal(0), Decimal(100)])
def test_it_accepts_rate_targets_of_0_and_100(contest, target):
    indicator_save(task=contest, name="低保审批办结率", kind="rate", default_target=target)
    assert Indicator.objects.get().default_target == target


@pytest.mark.parametrize("kind", ["quantity", "amount"])
def test_it_refuses_a_negative_target(contest, kind):
    error = refused(
        indicator_save, task=contest, name="新建养老服务中心", kind=kind, default_target=Decimal(-5)
    )
    assert error.message_dict == {"default_target": ["目标值不能是负数"]}
    assert Indicator.objects.count() == 0


@pytest.mark.parametrize("stages", [[], ["投入运营"], ["投入运营", "  ", ""]])
def test_it_refuses_a_milestone_with_fewer_than_two_stages(contest, stages):
    error = refused(
        indicator_save, task=contest, name="综合养老服务中心", kind="milestone", stages=stages
    )
    assert error.message_dict["stages"] == ["节点类指标至少要有两个节点，如“开工建设”“投入运营”"]
    assert Indicator.objects.count() == 0


@pytest.mark.parametrize("target", [Decimal(3), Decimal(0), Decimal("1.5")])
def test_it_refuses_a_milestone_target_that_is_not_one_of_its_stages(contest, target):
    error = refused(
        indicator_save,
        task=contest,
        name="综合养老服务中心",
        kind="milestone",
        stages=["开工建设", "投入运营"],
        default_target=target,
    )
    assert error.message_dict == {"default_target": ["目标值应为第 1 到第 2 个节点之一"]}
    assert Indicator.objects.count() == 0


def test_it_sets_a_milestone_target_to_the_last_stage_by_default(contest):
    indicator_save(
        task=contest,
        name="综合养老服务中心",
        kind="milestone",
        stages=[" 选址 ", "开工建设", "", "投入运营"],
    )
    saved = Indicator.objects.get()
    assert saved.stages == ["选址", "开工建设", "投入运营"]
    assert saved.default_target == Decimal(3)


@pytest.mark.parametrize(
    "stages", [["开工建设", "开工建设"], ["开工建设", "投入运营", " 开工建设 "]]
)
def test_it_refuses_duplicate_stage_names(contest, stages):
    error = refused(
        indicator_save, task=contest, name="综合养老服务中心", kind="milestone", stages=stages
    )
    assert error.message_dict == {"stages": ["节点名称不能重复"]}
    assert Indicator.objects.count() == 0


def test_it_drops_the_stages_of_an_indicator_that_is_not_a_milestone(contest):
    indicator_save(
        task=contest,
        name="低保审批办结率",
        kind="rate",
        stages=["开工建设", "投入运营"],
        default_target=Decimal(95),
    )
    assert Indicator.objects.get().stages == []


@pytest.mark.parametrize("weight", [Decimal(0), Decimal(101), Decimal(-10)])
def test_it_refuses_a_weight_outside_0_to_100(contest, weight):
    error = refused(
        indicator_save,
        task=contest,
        name="低保审批办结率",
        kind="rate",
        default_target=Decimal(95),
        weight=weight,
    )
    assert error.message_dict == {"weight": ["权重应大于 0、不超过 100"]}
    assert Indicator.objects.count() == 0


def test_it_refuses_weights_of_one_task_above_100_naming_what_is_left(contest):
    indicator_save(
        task=contest, name="低保审批办结率", kind="rate", default_target=Decimal(95), weight=60
    )
    error = refused(
        indicator_save,
        task=contest,
        name="审批平均用时",
        kind="quantity",
        direction="lower",
        default_target=Decimal(10),
        weight=Decimal(50),
    )
    assert error.message_dict == {
        "weight": ["“低保审批擂台赛”其他指标的权重合计已有 60，这一项最多还能设 40"]
    }
    assert list(Indicator.objects.values_list("name", "weight")) == [
        ("低保审批办结率", Decimal(60))
    ]


def test_it_counts_weights_per_task_and_not_the_indicator_itself(contest, campaign, tree):
    first = indicator_save(
        task=contest, name="低保审批办结率", kind="rate", default_target=Decimal(95), weight=60
    )
    indicator_save(
        task=contest, name="审批平均用时", kind="quantity", default_target=Decimal(10), weight=40
    )
    other = task_save(
        campaign=campaign, kind="push", title="攻坚战", participants=[tree.township_a]
    )
    indicator_save(task=other, name="完成率", kind="rate", default_target=Decimal(100))
    # changing the first indicator's own weight: its old 60 does not count against it
    indicator_save(indicator=first, weight=Decimal("59.5"))
    error = refused(indicator_save, indicator=first, weight=Decimal("60.01"))
    assert error.message_dict == {
        "weight": ["“低保审批擂台赛”其他指标的权重合计已有 40，这一项最多还能设 60"]
    }
    assert Indicator.objects.get(pk=first.pk).weight == Decimal("59.5")


def test_it_refuses_a_computed_indicator_without_a_key(contest):
    error = refused(
        indicator_save,
        task=contest,
        name="集中供养率",
        kind="rate",
        default_target=Decimal(60),
        source="computed",
    )
    assert error.message_dict == {"computed_key": ["请选择一个计算口径"]}
    assert Indicator.objects.count() == 0


def test_it_refuses_a_computed_key_that_is_not_registered(contest):
    error = refused(
        indicator_save,
        task=contest,
        name="集中供养率",
        kind="rate",
        source="computed",
        computed_key="relief.no_such_rate",
    )
    assert error.message_dict == {"computed_key": ["请选择一个计算口径"]}
    assert Indicator.objects.count() == 0


def test_it_refuses_a_computed_key_of_another_kind(contest):
    error = refused(
        indicator_save,
        task=contest,
        name="集中供养人数",
        kind="quantity",
        default_target=Decimal(60),
        source="computed",
        computed_key="relief.concentrated_care_rate",
    )
    [message] = error.message_dict["computed_key"]
    assert list(error.message_dict) == ["computed_key"]
    assert message.startswith("计算口径“特困人员集中供养率”算出的是")
    assert message.endswith("，与指标类型不符")
    assert Indicator.objects.count() == 0


def test_it_names_the_kind_of_a_computed_key_in_chinese(contest):
    error = refused(
        indicator_save,
        task=contest,
        name="集中供养人数",
        kind="quantity",
        source="computed",
        computed_key="relief.concentrated_care_rate",
    )
    assert error.message_dict == {
        "computed_key": ["计算口径“特困人员集中供养率”算出的是比率，与指标类型不符"]
    }


def test_it_saves_a_computed_indicator_of_the_right_kind(contest):
    indicator_save(
        task=contest,
        name="集中供养率",
        kind="rate",
        default_target=Decimal(60),
        source="computed",
        computed_key="relief.concentrated_care_rate",
    )
    assert Indicator.objects.get().computed_key == "relief.concentrated_care_rate"


def test_it_refuses_a_computed_key_on_a_reported_indicator(contest):
    error = refused(
        indicator_save,
        task=contest,
        name="集中供养率",
        kind="rate",
        default_target=Decimal(60),
        computed_key="relief.concentrated_care_rate",
    )
    assert error.message_dict == {"computed_key": ["单位填报的指标不需要计算口径"]}
    assert Indicator.objects.count() == 0


def test_it_refuses_applies_to_units_that_are_not_participants(contest, tree):
    error = refused(
        indicator_save,
        task=contest,
        name="低保审批办结率",
        kind="rate",
        default_target=Decimal(95),
        applies_to=[tree.township_a, tree.community_a1, tree.section],
    )
    assert error.message_dict == {"applies_to": ["甲一社区、社会救助科不是这项任务的参赛单位"]}
    assert Indicator.objects.count() == 0


def test_it_saves_applies_to_among_the_participants(contest, tree):
    indicator = indicator_save(
        task=contest,
        name="低保审批办结率",
        kind="rate",
        default_target=Decimal(95),
        applies_to=[tree.township_b],
    )
    assert list(Indicator.objects.get(pk=indicator.pk).applies_to.all()) == [tree.township_b]


def test_it_refuses_an_indicator_deadline_outside_the_campaign(contest):
    error = refused(
        indicator_save,
        task=contest,
        name="低保审批办结率",
        kind="rate",
        default_target=Decimal(95),
        deadline=date(2021, 1, 31),
    )
    assert error.message_dict == {"deadline": [f"完成时限2021年1月31日不在方案期限内{PERIOD}"]}
    assert Indicator.objects.count() == 0


def test_it_refuses_a_kind_change_that_its_unit_targets_do_not_fit(contest, tree):
    indicator = indicator_save(
        task=contest, name="新增托管人数", kind="quantity", default_target=Decimal(50)
    )
    targets_set(indicator=indicator, values={tree.township_a: (Decimal(150), None, "")})
    error = refused(indicator_save, indicator=indicator, kind="rate", default_target=Decimal(50))
    assert error.message_dict == {"kind": ["甲街道的目标值是比率，应在 0 到 100（%）之间"]}
    saved = Indicator.objects.get(pk=indicator.pk)
    assert saved.kind == "quantity"
    assert Target.objects.get().value == Decimal(150)
