"""Fixtures of the campaigns tests. The plan a test bureau writes, for the plan-rule tests: a draft campaign, a contest of
two townships, its rate indicator, the plan once published, and a helper for refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from campaigns.services.plan import (
    campaign_publish,
    campaign_save,
    indicator_save,
    task_save,
)
from org.demo import seed_org
from org.models import Unit, UnitKind, User


@pytest.fixture
def demo_org(db: None) -> None:
    """The Lanshan demo bureau's tree, leaders and accounts (org.demo), without plan or months."""
    seed_org()


@pytest.fixture
def demo_bureau(demo_org: None) -> Unit:
    return Unit.objects.get(kind=UnitKind.BUREAU)


@pytest.fixture
def demo_office(demo_org: None) -> User:
    return User.objects.get(username="office")


TITLE = "测试区民政系统“打擂攻坚”工作方案"
PERIOD = "（2020年4月10日至2020年12月31日）"


@pytest.fixture
def campaign(tree, office):
    return campaign_save(
        bureau=tree.bureau,
        user=office,
        title=TITLE,
        year=2020,
        start=date(2020, 4, 10),
        end=date(2020, 12, 31),
    )


@pytest.fixture
def contest(campaign, tree):
    return task_save(
        campaign=campaign,
        number="（一）",
        kind="contest",
        title="低保审批擂台赛",
        responsible_units=[tree.section],
        participants=[tree.township_a, tree.township_b],
    )


@pytest.fixture
def rate(contest):
    return indicator_save(
        task=contest, name="低保审批办结率", kind="rate", default_target=Decimal(95)
    )


@pytest.fixture
def published(campaign, contest, rate, office):
    campaign_publish(campaign=campaign, user=office)
    # `contest.campaign` and `rate.task.campaign` are this very object: let them see the status.
    campaign.refresh_from_db()
    return campaign


def refused(call, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        call(**kwargs)
    return info.value
