"""Personas and a small bureau for the tests.

The tree: 测试区民政局 with two sections, two townships (甲街道 with two communities, 乙镇 with
one village), an institution under 甲街道 and one under the bureau. Personas follow
CONVENTIONS.md: `office`, `leader`, `section`, `township_a`, `township_b` (the outsider),
`institution`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from org import services
from org.models import Role, Unit, UnitKind, User

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "Ceshi-mima-2020"


@dataclass
class Tree:
    bureau: Unit
    section: Unit
    other_section: Unit
    township_a: Unit
    community_a1: Unit
    community_a2: Unit
    township_b: Unit
    village_b1: Unit
    institution_a: Unit
    institution_bureau: Unit


@pytest.fixture
def tree(db: None) -> Tree:
    bureau = services.unit_create(name="测试区民政局", kind=UnitKind.BUREAU, parent=None)
    section = services.unit_create(name="社会救助科", kind=UnitKind.SECTION, parent=bureau)
    other = services.unit_create(name="养老服务科", kind=UnitKind.SECTION, parent=bureau)
    township_a = services.unit_create(name="甲街道", kind=UnitKind.STREET, parent=bureau)
    township_b = services.unit_create(name="乙镇", kind=UnitKind.TOWN, parent=bureau)
    return Tree(
        bureau=bureau,
        section=section,
        other_section=other,
        township_a=township_a,
        community_a1=services.unit_create(
            name="甲一社区", kind=UnitKind.COMMUNITY, parent=township_a
        ),
        community_a2=services.unit_create(
            name="甲二社区", kind=UnitKind.COMMUNITY, parent=township_a
        ),
        township_b=township_b,
        village_b1=services.unit_create(name="乙一村", kind=UnitKind.VILLAGE, parent=township_b),
        institution_a=services.unit_create(
            name="甲街道敬老院", kind=UnitKind.INSTITUTION, parent=township_a
        ),
        institution_bureau=services.unit_create(
            name="测试区社会福利中心", kind=UnitKind.INSTITUTION, parent=bureau
        ),
    )


def make_user(username: str, role: str, unit: Unit) -> User:
    return services.user_create(
        username=username,
        password=PASSWORD,
        role=role,
        scope=[unit],
        full_name=username,
        must_change_password=False,
    )


@pytest.fixture
def office(tree: Tree) -> User:
    return make_user("office", Role.OFFICE, tree.bureau)


@pytest.fixture
def leader(tree: Tree) -> User:
    return make_user("leader", Role.LEADER, tree.bureau)


@pytest.fixture
def section(tree: Tree) -> User:
    return make_user("section", Role.SECTION, tree.section)


@pytest.fixture
def township_a(tree: Tree) -> User:
    return make_user("township_a", Role.TOWNSHIP, tree.township_a)


@pytest.fixture
def township_b(tree: Tree) -> User:
    return make_user("township_b", Role.TOWNSHIP, tree.township_b)


@pytest.fixture
def institution(tree: Tree) -> User:
    return make_user("institution", Role.INSTITUTION, tree.institution_a)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class Plan:
    draft: Any
    published: Any
    task_a: Any  # in the published plan, township A alone takes part
    indicator_a: Any
    contest: Any  # in the published plan, townships A and B compete
    period: Any  # April 2020 of the published plan, open
    report_a: Any  # township A's report on task_a
    evidence_a: Any  # a PDF attached to it


@pytest.fixture
def plan(tree: Tree, office: User) -> Plan:
    """A draft plan and a published one of the test bureau."""
    from datetime import date
    from decimal import Decimal

    from campaigns.models import IndicatorKind, TaskKind
    from campaigns.services import plan as plan_services

    def campaign(title: str) -> Any:
        return plan_services.campaign_save(
            bureau=tree.bureau,
            user=office,
            title=title,
            year=2020,
            start=date(2020, 4, 10),
            end=date(2020, 12, 31),
        )

    draft = campaign("草稿方案")
    published = campaign("测试区民政系统“打擂攻坚”工作方案")
    task_a = plan_services.task_save(
        campaign=published,
        kind=TaskKind.PUSH,
        title="甲街道综合养老服务中心攻坚战",
        responsible_units=[tree.section, tree.township_a],
        participants=[tree.township_a],
    )
    indicator_a = plan_services.indicator_save(
        task=task_a,
        name="中心建设进度",
        kind=IndicatorKind.MILESTONE,
        stages=["选址", "开工", "投入运营"],
        weight=Decimal(100),
    )
    contest = plan_services.task_save(
        campaign=published,
        kind=TaskKind.CONTEST,
        title="特困人员供养水平擂台赛",
        responsible_units=[tree.section],
        participants=[tree.township_a, tree.township_b],
    )
    plan_services.indicator_save(
        task=contest,
        name="集中供养率",
        kind=IndicatorKind.RATE,
        unit_of_measure="%",
        default_target=Decimal(60),
        weight=Decimal(100),
    )
    plan_services.campaign_publish(campaign=published, user=office)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from campaigns.models import Report
    from campaigns.services.evidence import evidence_add
    from campaigns.services.reporting import period_open

    period = period_open(campaign=published, day=date(2020, 4, 15))
    report_a = Report.objects.get(period=period, task=task_a, unit=tree.township_a)
    township_user = User.objects.filter(scope=tree.township_a).first() or office
    evidence_a = evidence_add(
        report=report_a,
        upload=SimpleUploadedFile("照片.pdf", b"%PDF-1.4 test evidence"),
        user=township_user,
    )
    return Plan(draft, published, task_a, indicator_a, contest, period, report_a, evidence_a)
