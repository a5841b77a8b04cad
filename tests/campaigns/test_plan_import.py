"""campaigns/services/importing.py on the bureau's three real documents (seeds 000, 002, 003),
imported into the Lanshan demo bureau: tasks, names matched to units and leaders, suggested
indicators, the names left to settle, and text that is no plan."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from campaigns.models import Campaign, CampaignStatus, Indicator, Task
from campaigns.services.importing import (
    NOT_A_PLAN,
    campaign_import,
    unmatched_name_resolve,
    unmatched_names,
)
from org.models import Leader, Unit, UnitKind, User

PLANS = Path(__file__).resolve().parents[2] / "campaigns" / "fixtures" / "plans"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
LANSHAN = "lanshan-2020-dalei-gongjian.txt"
XIHAIAN = "xihaian-2020-gongzuo-yaodian.txt"
XINGQING = "xingqing-2020-minzheng-fangan.txt"
SEED_COPIES = {"000": LANSHAN, "002": XIHAIAN, "003": XINGQING}

STREETS = ["兰山街道", "银雀山街道", "金雀山街道", "柳青街道"]
TOWNS = ["白沙埠镇", "半程镇", "枣园镇", "义堂镇", "李官镇", "方城镇", "汪沟镇", "马厂湖镇"]
TOWNSHIPS = {*STREETS, *TOWNS, "兰山经济开发区"}


def import_plan(name: str, bureau: Unit, office: User) -> Campaign:
    return campaign_import(
        text=(PLANS / name).read_text(encoding="utf-8"), bureau=bureau, user=office
    )


@pytest.fixture
def lanshan(demo_bureau: Unit, demo_office: User) -> Campaign:
    return import_plan(LANSHAN, demo_bureau, demo_office)


@pytest.fixture
def xingqing(demo_bureau: Unit, demo_office: User) -> Campaign:
    return import_plan(XINGQING, demo_bureau, demo_office)


def names(units) -> list[str]:
    return [u.name for u in units]


# --- seed 000: 兰山区民政系统“打擂攻坚”工作方案 ----------------------------------------------------


def test_it_imports_the_lanshan_head_as_a_draft(lanshan, demo_bureau, demo_office):
    saved = Campaign.objects.get(pk=lanshan.pk)
    assert saved.title == "兰山区民政系统“打擂攻坚”工作方案"
    assert saved.doc_number == "临兰民〔2020〕22号"
    assert saved.issue_date == date(2020, 4, 10)
    assert saved.status == CampaignStatus.DRAFT
    assert saved.published_at is None
    assert (saved.bureau, saved.created_by) == (demo_bureau, demo_office)
    assert (saved.year, saved.start, saved.end) == (2020, date(2020, 4, 10), date(2020, 12, 31))
    assert saved.source_text == (PLANS / LANSHAN).read_text(encoding="utf-8")


def test_it_imports_five_contests_then_two_pushes(lanshan):
    tasks = list(lanshan.tasks.all())
    assert [(t.number, t.kind) for t in tasks] == [
        ("（一）", "contest"),
        ("（二）", "contest"),
        ("（三）", "contest"),
        ("（四）", "contest"),
        ("（五）", "contest"),
        ("（一）", "push"),
        ("（二）", "push"),
    ]
    assert [t.title for t in tasks] == [
        "特困人员供养水平擂台赛",
        "养老服务设施建设打擂赛",
        "养老机构服务质量擂台赛",
        "城乡社区治理擂台赛",
        "公墓建设擂台赛",
        "养老服务项目建设攻坚战",
        "社会组织培育攻坚战",
    ]
    assert [t.chapter for t in tasks] == ["一、横向打擂台"] * 5 + ["二、纵向抓攻坚"] * 2


def test_it_matches_each_lanshan_task_to_its_lead_leaders(lanshan):
    tasks = list(lanshan.tasks.all())
    written = [
        ["于万秀", "马仕敏"],
        ["范建勋"],
        ["范建勋"],
        ["范建勋", "张琦"],
        ["汤有秀", "范金龙"],
        ["范建勋"],
        ["汤有秀", "徐萌"],
    ]
    assert [names(t.lead_leaders.all()) for t in tasks] == written
    assert [t.leaders_text for t in tasks] == ["、".join(w) for w in written]
    assert all(
        leader.unit.kind == UnitKind.BUREAU for t in tasks for leader in t.lead_leaders.all()
    )


def test_it_matches_each_lanshan_task_to_its_responsible_section(lanshan):
    tasks = list(lanshan.tasks.all())
    sections = [
        [u.name for u in t.responsible_units.all() if u.kind == UnitKind.SECTION] for t in tasks
    ]
    assert sections == [
        ["社会救助科"],
        ["养老服务科"],
        ["养老服务科"],
        ["基层政权建设和社区治理科"],
        ["社会事务及社会组织管理科"],
        ["养老服务科"],
        ["社会事务及社会组织管理科"],
    ]
    assert [t.responsible_text for t in tasks] == [
        "社会救助科、各镇街道（经开区）",
        "养老服务科、各街道",
        "养老服务科、各镇街道（经开区）",
        "基层政权建设和社区治理科、各镇街道（经开区）",
        "社会事务及社会组织管理科、各镇街道（经开区）",
        "养老服务科、白沙埠镇、半程镇",
        "社会事务及社会组织管理科",
    ]
    assert all(t.cooperating_text == "" and not t.cooperating_units.exists() for t in tasks)


def test_it_expands_every_township_into_the_participants_of_contest_one(lanshan):
    first = lanshan.tasks.get(number="（一）", kind="contest")
    participants = list(first.participants.all())
    assert len(participants) == 13
    assert set(names(participants)) == TOWNSHIPS
    assert sorted(u.kind for u in participants) == ["devzone"] + ["street"] * 4 + ["town"] * 8
    assert set(names(first.responsible_units.all())) == TOWNSHIPS | {"社会救助科"}


def test_it_takes_the_four_streets_as_the_participants_of_contest_two(lanshan):
    second = lanshan.tasks.get(number="（二）", kind="contest")
    assert sorted(names(second.participants.all())) == sorted(STREETS)


def test_it_names_two_towns_responsible_for_push_one(lanshan):
    push = lanshan.tasks.get(number="（一）", kind="push")
    responsible = names(push.responsible_units.all())
    assert "白沙埠镇" in responsible
    assert "半程镇" in responsible
    assert sorted(responsible) == sorted(["养老服务科", "白沙埠镇", "半程镇"])
    assert sorted(names(push.participants.all())) == sorted(["白沙埠镇", "半程镇"])


def test_it_keeps_the_goal_of_task_one_verbatim(lanshan):
    first = lanshan.tasks.get(order=10)
    assert first.goal == (
        "全区完全及部分不能自理特困供养人员集中供养率达到 60%，形成典型经验，争取上级部门发文推广。"
    )


def test_it_suggests_the_concentrated_care_rate_on_contest_one(lanshan):
    first = lanshan.tasks.get(number="（一）", kind="contest")
    rate = first.indicators.get(name="集中供养率")
    assert (rate.kind, rate.default_target, rate.deadline, rate.unit_of_measure) == (
        "rate",
        Decimal(60),
        date(2020, 10, 31),
        "%",
    )
    assert rate.source == "reported"
    assert rate.weight == Decimal(100)


def test_it_splits_the_weights_of_every_task_to_exactly_100(lanshan):
    weighted = {
        t.title: sum(i.weight for i in t.indicators.all())
        for t in lanshan.tasks.all()
        if t.indicators.exists()
    }
    assert weighted == {
        "特困人员供养水平擂台赛": Decimal(100),
        "养老服务设施建设打擂赛": Decimal(100),
        "城乡社区治理擂台赛": Decimal(100),
        "社会组织培育攻坚战": Decimal(100),
    }
    assert (
        list(lanshan.tasks.get(order=20).indicators.values_list("weight", flat=True))
        == [Decimal(25)] * 4
    )


def test_it_leaves_no_lanshan_name_unmatched(lanshan):
    assert unmatched_names(lanshan) == {}
    assert [t.unmatched_names for t in lanshan.tasks.all()] == [{}] * 7


# --- seed 002: 青岛西海岸新区 2020 年度民政工作要点 ---------------------------------------------


def test_it_imports_forty_work_points_in_ten_chapters(demo_bureau, demo_office):
    campaign = import_plan(XIHAIAN, demo_bureau, demo_office)
    tasks = list(campaign.tasks.all())
    assert len(tasks) == 40
    assert [t.number for t in tasks] == [str(n) for n in range(1, 41)]
    assert len({t.chapter for t in tasks}) == 10
    assert {t.kind for t in tasks} == {"key_task"}
    assert Task.objects.filter(campaign=campaign).exclude(kind="key_task").count() == 0
    assert "全部 40 项任务均未标注责任单位，请逐项指定" in campaign.import_warnings
    assert campaign.doc_number == "青西新民〔2020〕36号"


# --- seed 003: 关于进一步加强民政工作的实施方案 -----------------------------------------------------


def test_it_imports_twenty_tasks_under_six_headings(xingqing):
    tasks = list(xingqing.tasks.all())
    assert len(tasks) == 20
    assert [t.number for t in tasks] == [str(n) for n in range(1, 21)]
    assert len({t.chapter for t in tasks}) == 6


def test_it_splits_three_xingqing_indicators_to_exactly_100(xingqing):
    task = xingqing.tasks.get(title="提升城乡社区综合服务能力")
    assert list(task.indicators.values_list("weight", flat=True)) == [
        Decimal("33.33"),
        Decimal("33.33"),
        Decimal("33.34"),
    ]
    sums = {sum(i.weight for i in t.indicators.all()) for t in xingqing.tasks.all()}
    assert sums == {Decimal(0), Decimal(100)}


def test_it_keeps_the_unit_names_of_a_xingqing_task_as_written(xingqing, demo_bureau):
    task = xingqing.tasks.get(title="提升城乡社区综合服务能力")
    assert "审批服务管理局" in task.responsible_text
    assert "文体旅游广电局" in task.cooperating_text
    assert task.responsible_text == "组织部、民政局、审批服务管理局、各街道办事处"
    # "民政局" is the importing bureau itself; "各街道办事处" are the demo bureau's streets
    assert set(names(task.responsible_units.all())) == {demo_bureau.name, *STREETS}
    assert task.unmatched_names["responsible"] == ["组织部", "审批服务管理局"]
    assert "文体旅游广电局" in task.unmatched_names["cooperating"]


def test_it_lists_the_xingqing_names_it_could_not_match(xingqing):
    pending = unmatched_names(xingqing)
    assert "组织部" in pending["responsible"]
    assert "宣传部" in pending["cooperating"]
    assert "民政局" not in pending["responsible"] + pending["cooperating"]
    assert "leaders" not in pending


def _where(campaign: Campaign, name: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for task in campaign.tasks.all():
        for role, pending in task.unmatched_names.items():
            if name in pending:
                found.setdefault(role, []).append(task.pk)
    return found


def test_it_creates_a_partner_for_an_unmatched_name_and_adds_it_everywhere(xingqing, demo_bureau):
    where = _where(xingqing, "组织部")
    assert set(where) == {"responsible", "cooperating"}
    units_before = Unit.objects.count()

    settled = unmatched_name_resolve(campaign=xingqing, name="组织部", create_partner=True)

    partner = Unit.objects.get(name="组织部")
    assert (partner.kind, partner.parent) == (UnitKind.PARTNER, demo_bureau)
    assert Unit.objects.count() == units_before + 1
    assert settled == len(where["responsible"]) + len(where["cooperating"])
    for pk in where["responsible"]:
        task = Task.objects.get(pk=pk)
        assert partner in task.responsible_units.all()
        assert partner not in task.participants.all()
    for pk in where["cooperating"]:
        assert partner in Task.objects.get(pk=pk).cooperating_units.all()
    assert list(partner.responsible_tasks.order_by("pk").values_list("pk", flat=True)) == sorted(
        where["responsible"]
    )
    assert _where(xingqing, "组织部") == {}
    pending = unmatched_names(xingqing)
    assert "组织部" not in pending["responsible"] + pending["cooperating"]
    # settling it again finds nothing to do and creates no second unit
    assert unmatched_name_resolve(campaign=xingqing, name="组织部", create_partner=True) == 0
    assert Unit.objects.filter(name="组织部").count() == 1


def test_it_drops_an_unmatched_name_without_creating_a_unit(xingqing):
    where = _where(xingqing, "宣传部")
    assert list(where) == ["cooperating"]
    before = {t.pk: set(t.cooperating_units.all()) for t in xingqing.tasks.all()}
    units_before = Unit.objects.count()

    assert unmatched_name_resolve(campaign=xingqing, name="宣传部", drop=True) == len(
        where["cooperating"]
    )

    assert Unit.objects.count() == units_before
    assert not Unit.objects.filter(name="宣传部").exists()
    assert {t.pk: set(t.cooperating_units.all()) for t in xingqing.tasks.all()} == before
    assert "宣传部" not in unmatched_names(xingqing)["cooperating"]
    assert "宣传部" in Task.objects.get(pk=where["cooperating"][0]).cooperating_text


def test_it_refuses_to_map_a_unit_name_onto_a_leader(xingqing):
    leader = Leader.objects.get(name="于万秀")
    pending_before = [t.unmatched_names for t in xingqing.tasks.all()]
    with pytest.raises(ValidationError) as info:
        unmatched_name_resolve(campaign=xingqing, name="组织部", leader=leader)
    assert info.value.messages == ["“组织部”写在责任单位里，只能对应到单位"]
    assert [t.unmatched_names for t in xingqing.tasks.all()] == pending_before
    assert not leader.led_tasks.filter(campaign=xingqing).exists()


def test_it_asks_for_exactly_one_way_to_settle_a_name(xingqing):
    with pytest.raises(ValidationError) as info:
        unmatched_name_resolve(campaign=xingqing, name="组织部", create_partner=True, drop=True)
    assert info.value.messages == ["请为这个名称选择一种处理方式"]
    assert not Unit.objects.filter(name="组织部").exists()
    assert "组织部" in unmatched_names(xingqing)["responsible"]


# --- not a plan --------------------------------------------------------------------------------


def test_it_refuses_text_that_is_no_plan(demo_bureau, demo_office):
    def counts() -> tuple[int, int, int]:
        return Campaign.objects.count(), Task.objects.count(), Indicator.objects.count()

    before = counts()  # the demo loader may already hold a plan of its own
    with pytest.raises(ValidationError) as info:
        campaign_import(text="今天天气很好。我们去公园散步。", bureau=demo_bureau, user=demo_office)
    assert info.value.messages == [NOT_A_PLAN]
    assert counts() == before
    assert not Campaign.objects.filter(source_text__contains="今天天气很好").exists()


# --- the project's copies of the documents -----------------------------------------------------


def test_it_keeps_the_plan_documents_byte_for_byte():
    if SEEDS.is_dir():
        for seed, copy in SEED_COPIES.items():
            [original] = SEEDS.glob(f"{seed}_*.txt")
            assert (PLANS / copy).read_bytes() == original.read_bytes(), copy
    else:
        for copy in SEED_COPIES.values():
            assert (PLANS / copy).is_file(), copy
            assert (PLANS / copy).stat().st_size > 0, copy
