"""每月一调度: one bulletin per period however often it runs, nothing half-written after a crash,
and a 更正 that says what changed when the figures moved."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from campaigns.models import Bulletin, BulletinKind, PeriodStatus, Report, ReportStatus, Standing
from campaigns.services import dispatch as dispatch_services
from campaigns.services.dispatch import period_dispatch
from campaigns.tasks import dispatch_due, dispatch_period
from tests.conftest import Plan, Tree, client_for


def submit(plan: Plan, unit, num: int, den: int, problems: str = "个别老人不愿入住") -> Report:
    report = Report.objects.get(period=plan.period, task=plan.contest, unit=unit)
    entry = report.entries.get()
    entry.numerator, entry.denominator = Decimal(num), Decimal(den)
    entry.save()
    report.status, report.problems = ReportStatus.SUBMITTED, problems
    report.save()
    return report


def state(plan: Plan) -> tuple:
    plan.period.refresh_from_db()
    return (
        plan.period.status,
        list(
            Standing.objects.filter(period=plan.period)
            .values_list("unit_id", "task_id", "score", "rank", "light")
            .order_by("unit_id", "task_id")
        ),
        list(Bulletin.objects.values_list("pk", "kind", "number", "revision", "fingerprint")),
    )


def test_it_issues_one_bulletin_however_often_it_runs(plan: Plan, tree: Tree):
    submit(plan, tree.township_a, 30, 50)
    first = period_dispatch(period=plan.period, today=date(2020, 5, 5))
    after_first = state(plan)
    second = period_dispatch(period=plan.period, today=date(2020, 5, 5))
    assert second == first and state(plan) == after_first
    assert Bulletin.objects.count() == 1
    assert first.kind == BulletinKind.MONTHLY and first.content["issue"] == "第1期"
    assert first.title == "关于2020年4月份全区民政系统“打擂攻坚”工作调度情况的通报"
    assert first.content["issued_on"] == "2020年5月5日"
    assert plan.period.status == PeriodStatus.DISPATCHED
    contest = first.content["contests"][0]
    assert [(r["rank"], r["unit"], r["light"]) for r in contest["rows"]] == [
        (1, "甲街道", "green"),
        (2, "乙镇", "red"),
    ]
    assert (
        first.content["overview"]["missing"] == ["甲街道", "乙镇"]
        or "乙镇" in first.content["overview"]["missing"]
    )
    assert {
        "unit": "甲街道",
        "task": "特困人员供养水平擂台赛",
        "text": "个别老人不愿入住",
    } in first.content["problems"]


def test_it_leaves_nothing_behind_when_it_fails_half_way(plan: Plan, tree: Tree):
    submit(plan, tree.township_a, 30, 50)
    before = state(plan)
    with (
        mock.patch.object(
            dispatch_services, "bulletin_content", side_effect=RuntimeError("worker killed")
        ),
        pytest.raises(RuntimeError),
    ):
        period_dispatch(period=plan.period)
    assert state(plan) == before, "standings and period status rolled back with the failure"
    bulletin = period_dispatch(period=plan.period)
    assert Bulletin.objects.get() == bulletin
    assert Standing.objects.filter(period=plan.period).count() == 3


def test_it_issues_a_correction_that_says_what_changed(plan: Plan, tree: Tree, office):
    submit(plan, tree.township_a, 30, 50)
    report_b = Report.objects.get(period=plan.period, task=plan.contest, unit=tree.township_b)
    original = period_dispatch(period=plan.period, today=date(2020, 5, 5))
    # 乙镇's late report is accepted after the bulletin, with a higher rate than 甲街道's.
    entry = report_b.entries.get()
    entry.numerator, entry.denominator = Decimal(45), Decimal(50)
    entry.save()
    report_b.status = ReportStatus.SUBMITTED
    report_b.save()
    correction = period_dispatch(period=plan.period, user=office, today=date(2020, 5, 8))
    assert correction.kind == BulletinKind.CORRECTION and correction.corrects == original
    assert correction.number == original.number and correction.revision == 2
    assert correction.title.endswith("（更正）")
    said = correction.content["corrections"]
    assert (
        "特困人员供养水平擂台赛：乙镇名次由第2名改为第1名，得分由0.0改为100.0，红灯改为绿灯" in said
    )
    original.refresh_from_db()
    assert original.content["contests"][0]["rows"][0]["unit"] == "甲街道", (
        "a published bulletin never changes"
    )
    assert period_dispatch(period=plan.period, today=date(2020, 5, 9)) == correction


def test_it_dispatches_from_the_command_and_the_scheduled_task(plan: Plan, capsys):
    call_command("dispatch", "--campaign", str(plan.published.pk), "--period", "2020-04")
    assert "第1期" in capsys.readouterr().out
    with pytest.raises(CommandError, match="没有开启2020年6月调度期"):
        call_command("dispatch", "--campaign", str(plan.published.pk), "--period", "2020-06")
    assert dispatch_period(plan.period.pk) == Bulletin.objects.get().pk
    assert dispatch_due("2020-05-05") == []  # already dispatched: nothing is due
    assert Bulletin.objects.count() == 1


def test_it_leaves_periods_before_their_dispatch_day_alone(plan: Plan):
    assert dispatch_due("2020-05-04") == []
    assert not Bulletin.objects.exists()


def test_it_shows_the_bulletin_and_keeps_private_ones_in_the_bureau(
    plan: Plan, tree: Tree, office, township_b, leader
):
    submit(plan, tree.township_a, 30, 50)
    response = client_for(office).post(reverse("campaigns:period_dispatch", args=[plan.period.pk]))
    bulletin = Bulletin.objects.get()
    assert response["Location"] == reverse("campaigns:bulletin_detail", args=[bulletin.pk])
    page = client_for(township_b).get(response["Location"]).content.decode()
    assert "二、擂台赛进展及排名" in page and "甲街道" in page
    plan.published.peers_visible = False
    plan.published.save()
    assert client_for(township_b).get(response["Location"]).status_code == 404
    assert client_for(leader).get(response["Location"]).status_code == 200
    assert (
        client_for(leader)
        .post(reverse("campaigns:period_dispatch", args=[plan.period.pk]))
        .status_code
        == 403
    )


def test_it_keeps_an_unpublished_summary_with_the_office(plan: Plan, tree: Tree, office, leader):
    from campaigns.models import Bulletin, BulletinKind
    from campaigns.selectors.ranking import bulletins_visible_to

    monthly = period_dispatch(period=plan.period, today=date(2020, 5, 5))
    draft = Bulletin.objects.create(
        campaign=plan.published,
        period=None,
        kind=BulletinKind.QUARTERLY,
        number=1,
        title="2020年第二季度小结",
        issued_on=date(2020, 7, 6),
        content={},
        fingerprint="x",
    )
    assert set(bulletins_visible_to(leader)) == {monthly}
    assert set(bulletins_visible_to(office)) == {monthly, draft}
    assert (
        client_for(leader).get(reverse("campaigns:bulletin_detail", args=[draft.pk])).status_code
        == 404
    )
