"""The 我的任务 panel on the home page: each task once, only the user's own, and the navigation's
unread-notice count asked once however many panels the page has."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.home import my_tasks
from tests.conftest import client_for


def titles(user) -> list[str]:
    data = my_tasks(user)
    assert data is not None
    return [task.title for task in data["tasks"]]


def test_it_lists_each_task_the_township_takes_part_in_once(plan, township_a, township_b):
    # task_a names 甲街道 both as participant and as responsible unit: still one row.
    assert titles(township_a) == ["甲街道综合养老服务中心攻坚战", "特困人员供养水平擂台赛"]
    assert titles(township_b) == ["特困人员供养水平擂台赛"]


def test_it_counts_each_indicator_once(plan, township_a):
    data = my_tasks(township_a)
    assert data is not None
    assert [task.indicator_count for task in data["tasks"]] == [1, 1]


def test_it_lists_for_a_section_only_the_tasks_it_carries(plan, section, tree):
    from campaigns.models import TaskKind
    from campaigns.services import plan as plan_services

    # A task the section only takes part in (never happens in a real plan) is not its own.
    plan_services.task_save(
        campaign=plan.published,
        kind=TaskKind.PUSH,
        title="只列参赛单位的任务",
        responsible_units=[tree.other_section],
        participants=[tree.section],
    )
    assert titles(section) == ["甲街道综合养老服务中心攻坚战", "特困人员供养水平擂台赛"]


def test_it_leaves_out_draft_plans(plan, township_a):
    from campaigns.models import TaskKind
    from campaigns.services import plan as plan_services

    plan_services.task_save(
        campaign=plan.draft,
        kind=TaskKind.PUSH,
        title="草稿里的任务",
        responsible_units=[],
        participants=[plan.task_a.participants.first()],
    )
    assert "草稿里的任务" not in titles(township_a)


def test_it_asks_for_the_unread_notices_once_per_page(plan, township_a):
    client = client_for(township_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    unread = [
        q for q in queries.captured_queries if '"org_notice"' in q["sql"] and "COUNT" in q["sql"]
    ]
    assert len(unread) == 1
