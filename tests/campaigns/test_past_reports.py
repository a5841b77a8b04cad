"""往期月报: a township or institution sees its own reports of the periods no longer open, the
latest first, page by page; never another unit's, however the URL is written."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Period, Report, ReportStatus
from campaigns.services.reporting import period_close, period_open
from tests.conftest import Plan, client_for

URL = reverse("campaigns:my_reports")


def past(client, **params) -> list[Report]:
    response = client.get(URL, params)
    assert response.status_code == 200
    page = response.context["past"]
    return list(page.object_list)


def close_months(plan: Plan, office, months: int) -> None:
    """April (the fixture's open period) and the months after it, each closed in turn."""
    period_close(period=plan.period, user=office)
    for month in range(5, 4 + months):
        period_close(
            period=period_open(campaign=plan.published, day=date(2020, month, 15)), user=office
        )


def test_it_lists_the_townships_closed_months_only_its_own(
    plan: Plan, office, township_a, township_b, tree
):
    client_a, client_b = client_for(township_a), client_for(township_b)
    assert past(client_a) == []  # April is still open: it is in the month's list instead
    close_months(plan, office, 2)
    mine = past(client_a)
    assert {r.unit for r in mine} == {tree.township_a}
    assert [(r.period.label, r.task.title) for r in mine] == [
        ("2020年5月", "甲街道综合养老服务中心攻坚战"),
        ("2020年5月", "特困人员供养水平擂台赛"),
        ("2020年4月", "甲街道综合养老服务中心攻坚战"),
        ("2020年4月", "特困人员供养水平擂台赛"),
    ]
    theirs = past(client_b)
    assert {r.unit for r in theirs} == {tree.township_b}
    page = client_b.get(URL).content.decode()
    assert "往期月报" in page
    assert f'href="{reverse("campaigns:report_detail", args=[plan.report_a.pk])}"' not in page
    # The report behind a row opens for its own township only.
    assert (
        client_a.get(reverse("campaigns:report_detail", args=[plan.report_a.pk])).status_code == 200
    )
    assert (
        client_b.get(reverse("campaigns:report_detail", args=[plan.report_a.pk])).status_code == 404
    )


def test_it_leaves_the_open_month_out(plan: Plan, office, township_a):
    close_months(plan, office, 1)
    period_open(campaign=plan.published, day=date(2020, 5, 15))  # May open, April closed
    labels = {r.period.label for r in past(client_for(township_a))}
    assert labels == {"2020年4月"}


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999", "1.5", "%00"])
def test_it_answers_any_page_number(plan: Plan, office, township_a, page):
    close_months(plan, office, 1)
    assert len(past(client_for(township_a), page=page)) == 2


def test_it_pages_thirty_at_a_time(plan: Plan, office, township_a, monkeypatch):
    from campaigns.views import reporting

    monkeypatch.setattr(reporting, "PAST_PER_PAGE", 3)
    close_months(plan, office, 2)
    client = client_for(township_a)
    first, second = past(client), past(client, page=2)
    assert len(first) == 3 and len(second) == 1
    assert not set(first) & set(second)
    assert "第 1 / 2 页" in client.get(URL).content.decode()


def test_it_shows_no_history_to_the_office_and_leaders(plan: Plan, office, leader):
    close_months(plan, office, 1)
    for user in (office, leader):
        response = client_for(user).get(URL)
        assert response.status_code == 200
        assert "past" not in response.context
        assert "往期月报" not in response.content.decode()


def test_it_filters_by_one_of_the_users_periods(plan: Plan, office, township_a):
    close_months(plan, office, 3)
    client = client_for(township_a)
    may = Period.objects.get(campaign=plan.published, label="2020年5月")
    assert {r.period for r in past(client, period=may.pk)} == {may}
    page = client.get(URL, {"period": may.pk}).content.decode()
    assert f'<option value="{may.pk}" selected>2020年5月</option>' in page
    assert "2020年5月共 2 份" in page


@pytest.mark.parametrize("value", ["", "abc", "-1", "99999"])
def test_it_shows_every_period_for_a_filter_it_does_not_know(plan: Plan, office, township_a, value):
    close_months(plan, office, 2)
    assert len(past(client_for(township_a), period=value)) == 4


def test_it_ignores_another_units_period(plan: Plan, office, township_a, tree):
    """A period the user has no report in (another bureau's) filters nothing and shows nothing."""
    from campaigns.services import plan as plan_services
    from org import services as org_services
    from org.models import UnitKind

    close_months(plan, office, 1)
    other = org_services.unit_create(name="外区民政局", kind=UnitKind.BUREAU, parent=None)
    foreign = plan_services.campaign_save(
        bureau=other,
        user=office,
        title="外区方案",
        year=2020,
        start=date(2020, 1, 1),
        end=date(2020, 12, 31),
    )
    period = Period.objects.create(
        campaign=foreign,
        starts=date(2020, 4, 1),
        ends=date(2020, 4, 30),
        label="外区2020年4月",
        due=date(2020, 5, 3),
        dispatch_on=date(2020, 5, 5),
        status="closed",
    )
    response = client_for(township_a).get(URL, {"period": period.pk})
    assert len(response.context["past"].object_list) == 2
    assert "外区" not in response.content.decode()


def test_it_shows_a_section_the_reports_it_has_reviewed(plan: Plan, office, section, tree):
    reports = Report.objects.filter(period=plan.period)
    contest_a = reports.get(task=plan.contest, unit=tree.township_a)
    contest_b = reports.get(task=plan.contest, unit=tree.township_b)
    Report.objects.filter(pk=contest_a.pk).update(status=ReportStatus.ACCEPTED)
    Report.objects.filter(pk=contest_b.pk).update(status=ReportStatus.RETURNED)
    Report.objects.filter(pk=plan.report_a.pk).update(status=ReportStatus.SUBMITTED)
    client = client_for(section)
    assert {r.pk for r in past(client)} == {contest_a.pk, contest_b.pk}
    page = client.get(URL).content.decode()
    assert "已审核的月报" in page and "待审核的月报" in page


def test_it_keeps_other_sections_reviews_out(plan: Plan, office, tree):
    from tests.conftest import make_user

    Report.objects.filter(period=plan.period).update(status=ReportStatus.ACCEPTED)
    other = make_user("yanglao-test", "section", tree.other_section)
    assert past(client_for(other)) == []
    assert "已审核的月报" not in client_for(other).get(URL).content.decode()


def test_its_queries_do_not_grow_with_the_months(plan: Plan, office, township_a):
    client = client_for(township_a)
    close_months(plan, office, 1)
    client.get(URL)  # warm the session and permission caches

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries.captured_queries)

    one_month = count()
    for month in (5, 6, 7):
        period_close(
            period=period_open(campaign=plan.published, day=date(2020, month, 15)), user=office
        )
    assert count() == one_month
