"""The office's audit page: only the office reads it, and its filters find the rows asked for."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse

from audit.services import record
from org import services
from org.models import Role, UnitKind
from tests.conftest import Tree, client_for, make_user

URL = "/audit/"
TZ = ZoneInfo("Asia/Shanghai")


def listed(response) -> list[str]:
    """The usernames of the rows on the page, as shown."""
    page = response.context["page"]
    return [event.username for event in page]


@pytest.fixture
def events(tree: Tree, township_a, township_b, section):
    """A few rows over three days, written as the middleware and signals would."""
    rows = [
        (datetime(2020, 5, 1, 9, tzinfo=TZ), township_a, "login", "success", "10.0.0.1"),
        (datetime(2020, 5, 2, 9, tzinfo=TZ), township_a, "import", "invalid", "10.0.0.1"),
        (datetime(2020, 5, 2, 10, tzinfo=TZ), section, "accept", "success", "10.0.0.2"),
        (datetime(2020, 5, 3, 11, tzinfo=TZ), township_b, "refused", "refused", "10.0.0.3"),
    ]
    for at, user, action, outcome, ip in rows:
        request = RequestFactory().post("/plans/reports/7/review/", REMOTE_ADDR=ip)
        with time_machine.travel(at, tick=False):
            record(
                request,
                action,
                user=user,
                outcome=outcome,
                object_type="campaigns.report",
                object_id="7",
            )
    return rows


def test_it_is_in_the_menu_of_the_office_alone(office, leader, section, township_a):
    assert reverse("audit:event_list") == URL
    for user, shown in ((office, True), (leader, False), (section, False), (township_a, False)):
        page = client_for(user).get(reverse("home")).content.decode()
        assert (f'href="{URL}"' in page) is shown, user.username


@pytest.mark.parametrize("role", ["leader", "section", "township_a", "township_b", "institution"])
def test_it_refuses_everyone_but_the_office(request, role):
    user = request.getfixturevalue(role)
    assert client_for(user).get(URL).status_code == 403


def test_it_sends_anonymous_visitors_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_lists_the_rows_newest_first_and_takes_no_post(office, events):
    client = client_for(office)
    response = client.get(URL)
    assert response.status_code == 200
    # The office's own login (client_for) is the newest row.
    assert listed(response) == ["office", "township_b", "section", "township_a", "township_a"]
    page = response.content.decode()
    assert "审计日志" in page and "审核通过" in page and "拒绝访问" in page and "月报 #7" in page
    assert client.post(URL).status_code == 405


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "import"}, ["township_a"]),
        ({"outcome": "refused"}, ["township_b"]),
        ({"user": "township"}, ["township_b", "township_a", "township_a"]),
        ({"start": "2020-05-02", "end": "2020-05-02"}, ["section", "township_a"]),
        (
            {"object_type": "campaigns.report", "object_id": "7"},
            ["township_b", "section", "township_a", "township_a"],
        ),
        ({"object_id": "8"}, []),
        ({"ip": "10.0.0.2"}, ["section"]),
    ],
)
def test_it_filters(office, events, query, expected):
    response = client_for(office).get(URL, {**query, "end": query.get("end", "2020-12-31")})
    assert listed(response) == expected


def test_it_says_what_is_wrong_with_a_filter_and_ignores_it(office, events):
    response = client_for(office).get(
        URL, {"ip": "10.0.0", "action": "no-such", "end": "2020-12-31"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "来源地址" in page and "这一项没有用于筛选" in page
    assert len(listed(response)) == 4


def test_it_keeps_another_bureaus_rows_from_the_office(tree: Tree, office, events):
    other = services.unit_create(name="邻区民政局", kind=UnitKind.BUREAU, parent=None)
    stranger = make_user("stranger", Role.OFFICE, other)
    record(None, "export", user=stranger)
    record(None, "login_failed", username="who", outcome="invalid")
    names = listed(client_for(office).get(URL, {"end": "2099-12-31"}))
    assert "stranger" not in names and "who" in names
    assert "office" not in listed(client_for(stranger).get(URL))


def test_it_reads_a_page_in_the_same_queries_however_many_rows(
    office, tree: Tree, django_assert_max_num_queries
):
    client = client_for(office)
    for _ in range(3):
        record(None, "import", user=office)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for _ in range(60):
        record(None, "import", user=office, detail={"reason": "批量"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
