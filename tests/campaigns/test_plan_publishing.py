"""Unit targets, publishing, and what a change to a published plan leaves behind."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from campaigns.models import Campaign, CampaignStatus, Indicator, Target, Task
from campaigns.services.plan import (
    campaign_problems,
    campaign_publish,
    indicator_delete,
    indicator_save,
    targets_set,
    task_delete,
    task_save,
)
from org.models import Notice, Role
from tests.campaigns.conftest import PERIOD, TITLE, refused
from tests.conftest import make_user

# --- unit targets ------------------------------------------------------------------------------


def test_it_refuses_a_whole_batch_of_targets_for_one_bad_value(rate, tree):
    error = refused(
        targets_set,
        indicator=rate,
        values={
            tree.township_a: (Decimal(120), None, ""),
            tree.township_b: (Decimal(80), None, "基数低"),
        },
    )
    assert error.messages == ["甲街道的目标值是比率，应在 0 到 100（%）之间"]
    assert Target.objects.count() == 0


def test_it_refuses_a_target_for_a_unit_that_is_not_a_participant(rate, tree):
    error = refused(
        targets_set,
        indicator=rate,
        values={
            tree.community_a1: (Decimal(90), None, ""),
            tree.township_a: (Decimal(90), None, ""),
        },
    )
    assert error.messages == ["甲一社区不是这项指标的适用单位"]
    assert Target.objects.count() == 0


def test_it_refuses_a_target_for_a_participant_the_indicator_does_not_apply_to(contest, tree):
    indicator = indicator_save(
        task=contest,
        name="低保审批办结率",
        kind="rate",
        default_target=Decimal(95),
        applies_to=[tree.township_a],
    )
    error = refused(
        targets_set, indicator=indicator, values={tree.township_b: (Decimal(90), None, "")}
    )
    assert error.messages == ["乙镇不是这项指标的适用单位"]
    assert Target.objects.count() == 0


def test_it_refuses_a_target_deadline_outside_the_campaign(rate, tree):
    error = refused(
        targets_set,
        indicator=rate,
        values={tree.township_a: (Decimal(90), date(2021, 1, 1), "")},
    )
    assert error.messages == [f"甲街道的完成时限2021年1月1日不在方案期限内{PERIOD}"]
    assert Target.objects.count() == 0


def test_it_removes_a_target_given_no_value(rate, tree):
    targets_set(
        indicator=rate,
        values={
            tree.township_a: (Decimal(90), None, ""),
            tree.township_b: (Decimal(80), None, ""),
        },
    )
    remaining = targets_set(indicator=rate, values={tree.township_a: (None, None, "")})
    assert remaining == 1
    assert list(Target.objects.values_list("unit__name", "value")) == [("乙镇", Decimal(80))]


def test_it_sets_the_same_targets_twice_to_the_same_rows(rate, tree):
    values = {
        tree.township_a: (Decimal(90), date(2020, 10, 31), "基数高"),
        tree.township_b: (Decimal("85.5"), None, ""),
    }
    assert targets_set(indicator=rate, values=values) == 2
    first = list(Target.objects.order_by("pk").values_list())
    assert targets_set(indicator=rate, values=values) == 2
    assert list(Target.objects.order_by("pk").values_list()) == first
    assert [(t[2], t[3], t[4], t[5]) for t in first] == [
        (tree.township_a.pk, Decimal(90), date(2020, 10, 31), "基数高"),
        (tree.township_b.pk, Decimal("85.5"), None, ""),
    ]


# --- publishing --------------------------------------------------------------------------------


def test_it_names_an_empty_plan_as_not_publishable(campaign, office):
    assert campaign_problems(campaign) == ["方案还没有任何任务"]
    error = refused(campaign_publish, campaign=campaign, user=office)
    assert error.messages == ["方案还没有任何任务"]
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_it_does_not_publish_a_contest_without_indicators(campaign, contest, office):
    error = refused(campaign_publish, campaign=campaign, user=office)
    assert error.messages == ["“（一）低保审批擂台赛”是擂台赛，还没有用来排名的指标"]
    campaign.refresh_from_db()
    assert (campaign.status, campaign.published_at) == (CampaignStatus.DRAFT, None)
    assert Notice.objects.count() == 0


def test_it_does_not_publish_weights_that_sum_to_90(campaign, contest, office):
    indicator_save(
        task=contest, name="低保审批办结率", kind="rate", default_target=Decimal(95), weight=50
    )
    indicator_save(
        task=contest, name="审批平均用时", kind="quantity", default_target=Decimal(10), weight=40
    )
    error = refused(campaign_publish, campaign=campaign, user=office)
    assert error.messages == ["“（一）低保审批擂台赛”的指标权重合计为 90，应为 100"]
    campaign.refresh_from_db()
    assert (campaign.status, campaign.published_at) == (CampaignStatus.DRAFT, None)


def test_it_lists_every_problem_of_a_draft_by_task(campaign, contest, tree):
    task_save(campaign=campaign, kind="push", title="养老服务项目建设攻坚战")
    assert campaign_problems(campaign) == [
        "“（一）低保审批擂台赛”是擂台赛，还没有用来排名的指标",
        "“养老服务项目建设攻坚战”是攻坚战，还没有节点或指标",
        "“养老服务项目建设攻坚战”还没有责任单位",
    ]


def test_it_lists_the_unmatched_names_of_a_draft_once_and_first(campaign, contest, rate):
    for task, pending in (
        (contest, {"responsible": ["组织部"], "cooperating": ["宣传部"]}),
        (
            task_save(
                campaign=campaign,
                kind="key_task",
                title="提升城乡社区综合服务能力",
                responsible_units=[campaign.bureau],
            ),
            {"cooperating": ["宣传部", "文体旅游广电局"]},
        ),
    ):
        task.unmatched_names = pending
        task.save()
    assert campaign_problems(campaign) == [
        "还有 3 个名称没有对应到单位或领导：组织部、宣传部、文体旅游广电局"
    ]


def test_it_publishes_a_good_draft_and_tells_the_units(
    campaign,
    contest,
    rate,
    office,
    section,
    township_a,
    township_b,
    institution,
    django_capture_on_commit_callbacks,
):
    assert campaign_problems(campaign) == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = campaign_publish(campaign=campaign, user=office)
    assert len(callbacks) == 2  # the notices, and the beat schedule that now includes the plan
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PUBLISHED
    assert campaign.published_at is not None
    assert result.published_at == campaign.published_at
    notices = Notice.objects.filter(title=f"《{TITLE}》已发布")
    assert sorted(n.recipient.username for n in notices) == [
        "section",
        "township_a",
        "township_b",
    ]
    assert {(n.body, n.link) for n in notices} == {
        ("请查看本单位承担的任务和目标。", reverse("campaigns:campaign_detail", args=[campaign.pk]))
    }
    assert Notice.objects.count() == 3  # not the office, not the institution


def test_it_publishes_only_once(published, office, township_a, django_capture_on_commit_callbacks):
    first = Campaign.objects.get(pk=published.pk).published_at
    with django_capture_on_commit_callbacks(execute=True):
        error = refused(campaign_publish, campaign=published, user=office)
    assert error.messages == ["只有草稿可以发布"]
    saved = Campaign.objects.get(pk=published.pk)
    assert (saved.status, saved.published_at) == (CampaignStatus.PUBLISHED, first)
    assert Notice.objects.count() == 0


# --- changing a published plan -----------------------------------------------------------------


def test_it_keeps_the_history_of_a_change_to_a_published_task(published, contest, tree, office):
    before = contest.history.count()
    contest._history_user = office
    task_save(
        task=contest,
        kind="contest",
        title=contest.title,
        goal="低保审批办结率达到 98%",
        responsible_units=[tree.section],
        participants=[tree.township_a, tree.township_b],
    )
    assert contest.history.count() > before
    latest = contest.history.first()
    assert latest.goal == "低保审批办结率达到 98%"
    assert latest.history_user == office
    assert contest.history.filter(goal="").exists()


def test_it_tells_the_units_of_a_published_task_about_a_change(
    published,
    contest,
    tree,
    township_a,
    township_b,
    section,
    office,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        task_save(
            task=contest,
            kind="contest",
            title=contest.title,
            goal="低保审批办结率达到 98%",
            responsible_units=[tree.section],
            participants=[tree.township_a, tree.township_b],
        )
    title = f"《{TITLE}》有调整：任务“低保审批擂台赛”"
    notices = Notice.objects.filter(title__contains="低保审批擂台赛")
    assert sorted((n.recipient.username, n.title) for n in notices) == [
        ("section", title),
        ("township_a", title),
        ("township_b", title),
    ]
    assert notices[0].link == reverse("campaigns:campaign_detail", args=[published.pk])


def test_it_tells_a_unit_taken_off_a_published_task(
    published, tree, township_a, township_b, django_capture_on_commit_callbacks
):
    push = task_save(
        campaign=published,
        kind="push",
        title="养老服务项目建设攻坚战",
        participants=[tree.township_a, tree.township_b],
    )
    Notice.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        task_save(task=push, kind="push", title=push.title, participants=[tree.township_a])
    assert sorted(
        Notice.objects.filter(title__contains="养老服务项目建设攻坚战").values_list(
            "recipient__username", flat=True
        )
    ) == ["township_a", "township_b"]


def test_it_tells_nobody_about_changes_to_a_draft(
    campaign, contest, tree, township_a, township_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        task_save(
            task=contest,
            kind="contest",
            title=contest.title,
            goal="低保审批办结率达到 98%",
            participants=[tree.township_a, tree.township_b],
        )
        indicator_save(task=contest, name="低保审批办结率", kind="rate", default_target=95)
    assert Notice.objects.count() == 0


def test_it_tells_the_units_about_new_unit_targets_on_a_published_plan(
    published, rate, tree, township_a, township_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        targets_set(indicator=rate, values={tree.township_b: (Decimal(90), None, "")})
    assert list(Notice.objects.values_list("recipient__username", "title")) == [
        ("township_b", f"《{TITLE}》有调整：指标“低保审批办结率”的目标值")
    ]


def test_it_refuses_to_delete_a_task_of_a_published_plan(published, contest):
    error = refused(task_delete, task=contest)
    assert error.messages == [
        "已发布方案的任务不能删除；如已不再开展，请在任务说明中注明并调整目标"
    ]
    assert Task.objects.filter(pk=contest.pk).exists()
    assert Indicator.objects.filter(task=contest).count() == 1


def test_it_refuses_to_delete_an_indicator_of_a_published_plan(published, rate):
    error = refused(indicator_delete, indicator=rate)
    assert error.messages == ["已发布方案的指标不能删除，可以把权重调整到其他指标"]
    assert Indicator.objects.filter(pk=rate.pk).exists()


def test_it_deletes_tasks_and_indicators_of_a_draft(campaign, contest, rate):
    indicator_delete(indicator=rate)
    assert Indicator.objects.count() == 0
    task_delete(task=contest)
    assert Task.objects.count() == 0
    assert Campaign.objects.filter(pk=campaign.pk).exists()


def test_it_tells_a_township_user_only_about_their_own_units(
    published, tree, township_a, django_capture_on_commit_callbacks
):
    other_user = make_user("township_a2", Role.TOWNSHIP, tree.township_b)
    with django_capture_on_commit_callbacks(execute=True):
        task_save(campaign=published, kind="push", title="攻坚战", participants=[tree.township_a])
    assert list(Notice.objects.values_list("recipient__username", flat=True)) == ["township_a"]
    assert not Notice.objects.filter(recipient=other_user).exists()
