"""The office's own pages for units, leaders and users: what is saved, and what is refused."""

from __future__ import annotations

from django.urls import reverse

from org.access import REPORT, has_unit_perm, units_visible_to
from org.models import Leader, Role, Unit, UnitKind, User
from tests.conftest import PASSWORD, Tree, client_for


def test_it_adds_a_community_under_a_street(tree: Tree, office: User, township_a: User):
    response = client_for(office).post(
        reverse("org:unit_create"),
        {
            "name": "甲三社区",
            "kind": UnitKind.COMMUNITY,
            "parent": tree.township_a.pk,
            "sort_order": 3,
            "is_active": "on",
        },
    )
    unit = Unit.objects.get(name="甲三社区")
    assert response.status_code == 302
    assert response["Location"] == reverse("org:unit_detail", args=[unit.pk])
    assert unit.path == f"{tree.township_a.path}{unit.pk}/"
    assert has_unit_perm(township_a, unit, REPORT)
    assert unit.history.first().history_user == office


def test_it_refuses_a_community_under_a_section_and_saves_nothing(tree: Tree, office: User):
    count = Unit.objects.count()
    response = client_for(office).post(
        reverse("org:unit_create"),
        {
            "name": "错放社区",
            "kind": UnitKind.COMMUNITY,
            "parent": tree.section.pk,
            "sort_order": 0,
        },
    )
    assert response.status_code == 200
    assert "社区的上级只能是街道、镇、经开区，“社会救助科”是科室" in response.content.decode()
    assert Unit.objects.count() == count


def test_it_refuses_a_duplicate_name_under_one_parent(tree: Tree, office: User):
    response = client_for(office).post(
        reverse("org:unit_create"),
        {
            "name": "甲一社区",
            "kind": UnitKind.COMMUNITY,
            "parent": tree.township_a.pk,
            "sort_order": 0,
        },
    )
    assert "同一上级单位下已有“甲一社区”" in response.content.decode()
    assert Unit.objects.filter(name="甲一社区").count() == 1


def test_it_moves_a_subtree_with_its_unit(tree: Tree, office: User):
    street = tree.township_a
    response = client_for(office).post(
        reverse("org:unit_edit", args=[tree.community_a1.pk]),
        {
            "name": "甲一社区",
            "kind": UnitKind.VILLAGE,
            "parent": tree.township_b.pk,
            "sort_order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    tree.community_a1.refresh_from_db()
    assert tree.community_a1.path.startswith(tree.township_b.path)
    assert tree.community_a1.depth == 2
    assert set(street.children.values_list("name", flat=True)) == {"甲二社区", "甲街道敬老院"}


def test_it_refuses_to_put_a_unit_under_its_own_descendant(tree: Tree, office: User):
    response = client_for(office).post(
        reverse("org:unit_edit", args=[tree.township_a.pk]),
        {
            "name": "甲街道",
            "kind": UnitKind.STREET,
            "parent": tree.community_a1.pk,
            "sort_order": 0,
        },
    )
    assert response.status_code == 200
    tree.township_a.refresh_from_db()
    assert tree.township_a.parent == tree.bureau


def test_it_creates_a_township_user_who_can_then_log_in(tree: Tree, office: User, client):
    response = client_for(office).post(
        reverse("org:user_create"),
        {
            "username": "jia-clerk",
            "full_name": "甲街道民政办",
            "role": Role.TOWNSHIP,
            "scope": [tree.township_a.pk],
            "phone": "13800000000",
            "is_active": "on",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="jia-clerk")
    assert set(units_visible_to(user).values_list("name", flat=True)) >= {"甲街道", "甲一社区"}
    assert (
        client.post(reverse("login"), {"username": "jia-clerk", "password": PASSWORD}).status_code
        == 302
    )
    # The office chose the password: its owner changes it before anything else.
    assert client.get(reverse("home"))["Location"] == reverse("password_change")
    new = "Jia-ziji-mima-2020"
    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert client.get(reverse("home")).status_code == 200


def test_it_refuses_a_township_user_scoped_to_a_section(tree: Tree, office: User):
    response = client_for(office).post(
        reverse("org:user_create"),
        {
            "username": "wrong",
            "full_name": "错配",
            "role": Role.TOWNSHIP,
            "scope": [tree.section.pk],
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "“社会救助科”是科室，镇街账号只能属于街道、镇、经开区" in response.content.decode()
    assert not User.objects.filter(username="wrong").exists()


def test_it_refuses_bad_user_input_with_chinese_messages(
    tree: Tree, office: User, township_a: User
):
    response = client_for(office).post(
        reverse("org:user_create"),
        {
            "username": "township_a",
            "full_name": "",
            "role": "",
            "scope": [],
            "phone": "12345",
            "password1": "123",
            "password2": "456",
        },
    )
    text = response.content.decode()
    for message in ("登录名“township_a”已被使用", "手机号码应为 11 位数字", "两次输入的密码不一致"):
        assert message in text
    assert User.objects.filter(username="township_a").count() == 1


def test_it_moves_a_user_to_another_township(tree: Tree, office: User, township_a: User):
    response = client_for(office).post(
        reverse("org:user_edit", args=[township_a.pk]),
        {
            "full_name": "调岗",
            "role": Role.TOWNSHIP,
            "scope": [tree.township_b.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert not has_unit_perm(township_a, tree.township_a)
    assert has_unit_perm(township_a, tree.village_b1, REPORT)


def test_it_will_not_let_the_office_lock_itself_out(tree: Tree, office: User):
    response = client_for(office).post(
        reverse("org:user_edit", args=[office.pk]),
        {"full_name": "办公室", "role": Role.OFFICE, "scope": [tree.bureau.pk]},
    )
    assert "不能停用自己的账号" in response.content.decode()
    office.refresh_from_db()
    assert office.is_active


def test_it_resets_a_password(tree: Tree, office: User, township_a: User, client):
    new = "Xin-mima-2020-ok"
    response = client_for(office).post(
        reverse("org:user_password", args=[township_a.pk]), {"password1": new, "password2": new}
    )
    assert response.status_code == 302
    login = client.post(reverse("login"), {"username": "township_a", "password": new})
    assert login.status_code == 302


def test_it_lets_a_user_change_their_own_password(tree: Tree, township_b: User):
    client = client_for(township_b)
    new = "Ziji-gai-mima-2020"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    township_b.refresh_from_db()
    assert township_b.check_password(new)


def test_it_records_leaders_and_refuses_a_duplicate(tree: Tree, office: User):
    client = client_for(office)
    data = {
        "name": "于万秀",
        "title": "局长",
        "unit": tree.bureau.pk,
        "sort_order": 1,
        "is_active": "on",
    }
    assert client.post(reverse("org:leader_create"), data).status_code == 302
    response = client.post(reverse("org:leader_create"), data)
    assert "已有领导“于万秀”" in response.content.decode()
    assert Leader.objects.filter(name="于万秀").count() == 1


def test_it_lists_only_the_units_a_township_may_see(tree: Tree, township_b: User):
    text = client_for(township_b).get(reverse("org:unit_list")).content.decode()
    assert "乙一村" in text
    assert "甲一社区" not in text and "社会救助科" not in text


def test_it_lists_only_its_section_to_a_section_user(tree: Tree, section: User):
    response = client_for(section).get(reverse("org:unit_list"))
    assert [u.name for u in response.context["page"]] == ["社会救助科"]
    assert (
        client_for(section)
        .get(reverse("org:unit_detail", args=[tree.other_section.pk]))
        .status_code
        == 404
    )


def test_it_keeps_the_user_pages_to_the_office(tree: Tree, section: User, township_a: User):
    assert client_for(section).get(reverse("org:user_list")).status_code == 403
    assert client_for(township_a).get(reverse("org:user_create")).status_code == 403
