"""The demo bureau of seed 000: its real names, and a second run that changes nothing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from org.access import units_visible_to
from org.models import Leader, Role, Unit, UnitKind, User


@pytest.fixture
def demo(db: None) -> None:
    """The bureau's units, leaders and logins (the records and the plan have their own tests)."""
    from org.demo import seed_org

    seed_org()


def test_it_loads_the_lanshan_bureau(demo: None):
    assert Unit.objects.get(kind=UnitKind.BUREAU).name == "临沂市兰山区民政局"
    assert set(Unit.objects.filter(kind=UnitKind.SECTION).values_list("name", flat=True)) == {
        "社会救助科",
        "养老服务科",
        "基层政权建设和社区治理科",
        "社会事务及社会组织管理科",
        "局办公室",
    }
    assert list(Leader.objects.values_list("name", flat=True)) == [
        "于万秀",
        "马仕敏",
        "范建勋",
        "张琦",
        "汤有秀",
        "范金龙",
        "徐萌",
    ]
    assert Unit.objects.filter(kind=UnitKind.STREET).count() == 4
    assert Unit.objects.filter(kind=UnitKind.TOWN).count() == 8
    assert Unit.objects.get(kind=UnitKind.DEVZONE).name == "兰山经济开发区"
    communities = Unit.objects.filter(kind=UnitKind.COMMUNITY)
    assert communities.count() == 68
    assert set(communities.values_list("parent__kind", flat=True)) == {UnitKind.STREET}
    assert Unit.objects.filter(kind=UnitKind.INSTITUTION).count() == 17


def test_it_changes_nothing_when_run_twice(db: None):
    call_command("seed_demo")

    def snapshot() -> tuple:
        return (
            list(Unit.objects.values_list("id", "name", "path")),
            list(Leader.objects.values_list("id", "name", "user_id")),
            list(User.objects.values_list("id", "username", "password", "role")),
            Unit.history.count(),
        )

    before = snapshot()
    call_command("seed_demo")
    assert snapshot() == before


def test_it_skips_a_database_that_has_units(db: None, capsys):
    Unit.objects.create(name="别的局", kind=UnitKind.BUREAU, path="/x/")
    call_command("seed_demo", "--if-empty")
    assert not User.objects.exists()
    assert "未载入演示数据" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("username", "role", "sees"),
    [
        ("leader", Role.LEADER, 104),
        ("office", Role.OFFICE, 104),
        ("jiuzhu", Role.SECTION, 1),
        ("yanglao", Role.SECTION, 1),
        ("lanshan", Role.TOWNSHIP, 1 + 18 + 1),
        ("baishabu", Role.TOWNSHIP, 1 + 1),
        ("fulizhongxin", Role.INSTITUTION, 1),
    ],
)
def test_it_gives_each_demo_login_its_role_and_home(demo: None, client, username, role, sees):
    response = client.post(
        reverse("login"), {"username": username, "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = User.objects.get(username=username)
    assert user.role == role
    assert units_visible_to(user).count() == sees
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert f"{user.full_name}，您好" in home.content.decode()
