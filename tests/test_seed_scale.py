"""seed_scale at toy sizes: a whole district, logins that work, a second run that adds nothing,
the open month put back for another load test, and no run under production settings."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from campaigns.models import Bulletin, Period, PeriodStatus, Report, ReportStatus
from minzheng.scale import bureau_name, username
from org.models import Unit, UnitKind, User
from relief.models import Person

TINY = [
    "--townships=6",
    "--communities=1",
    "--institutions=2",
    "--persons=120",
    "--months=1",
]


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_scale", "--districts=1", *TINY, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def district(db: None) -> str:
    return seed()


def test_it_builds_a_whole_district(district: str):
    bureau = Unit.objects.get(name=bureau_name(1), parent=None)
    units = Unit.objects.filter(path__startswith=bureau.path)
    assert units.filter(kind__in=(UnitKind.STREET, UnitKind.TOWN)).count() == 6
    assert units.filter(kind__in=(UnitKind.COMMUNITY, UnitKind.VILLAGE)).count() == 6
    assert units.filter(kind=UnitKind.INSTITUTION).count() == 2
    assert Person.objects.filter(unit__path__startswith=bureau.path).count() == 120
    periods = Period.objects.filter(campaign__bureau=bureau).order_by("starts")
    assert [p.status for p in periods] == [PeriodStatus.DISPATCHED, PeriodStatus.OPEN]
    assert Bulletin.objects.filter(period=periods[0]).count() == 1
    assert "第 1/1 区" in district and "已调度" in district  # progress, step by step
    # Its logins take the demo password and are not sent to change it first.
    for who in ("leader", "jiuzhu", "t01"):
        user = User.objects.get(username=username(1, who))
        assert user.check_password(settings.DEMO_PASSWORD)
        if hasattr(user, "must_change_password"):
            assert not user.must_change_password
    client = Client()
    client.force_login(User.objects.get(username=username(1, "t01")))
    assert client.get("/").status_code == 200  # not sent to change the password first


def test_a_second_run_adds_nothing_and_reset_open_puts_the_open_month_back(district: str):
    counts = (Unit.objects.count(), Person.objects.count(), Report.objects.count())
    again = seed()
    assert "已存在，跳过" in again
    assert counts == (Unit.objects.count(), Person.objects.count(), Report.objects.count())
    open_reports = Report.objects.filter(period__status=PeriodStatus.OPEN)
    before = sorted(open_reports.values_list("pk", "status"))
    open_reports.update(status=ReportStatus.SUBMITTED)
    seed("--reset-open")
    assert sorted(open_reports.values_list("pk", "status")) == before


@pytest.mark.django_db
def test_it_refuses_bad_sizes_and_production():
    with pytest.raises(CommandError, match="--townships"):
        call_command("seed_scale", "--townships=3", stdout=io.StringIO())
    with (
        override_settings(SETTINGS_MODULE="minzheng.settings.production"),
        pytest.raises(CommandError, match="生产环境"),
    ):
        call_command("seed_scale", stdout=io.StringIO())
    assert not Unit.objects.exists()
