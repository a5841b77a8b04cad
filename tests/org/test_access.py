"""Who sees and changes which unit: the rules of org/access.py, through the service and the URL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from org import services
from org.access import (
    MANAGE,
    REPORT,
    ROLE_POLICIES,
    VIEW,
    get_unit_for_user,
    has_unit_perm,
    units_visible_to,
)
from org.models import Role, Unit, UnitKind, User
from tests.conftest import Tree, make_user


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


def test_it_shows_a_township_its_own_units_and_their_communities(tree: Tree, township_a: User):
    assert names(units_visible_to(township_a)) == {"甲街道", "甲一社区", "甲二社区", "甲街道敬老院"}
    assert names(units_visible_to(township_a, REPORT)) == names(units_visible_to(township_a))
    assert not units_visible_to(township_a, MANAGE).exists()


def test_it_keeps_an_institution_to_itself(tree: Tree, institution: User):
    assert names(units_visible_to(institution)) == {"甲街道敬老院"}


def test_it_shows_a_section_only_its_section(tree: Tree, section: User):
    assert names(units_visible_to(section)) == {"社会救助科"}
    assert not units_visible_to(section, REPORT).exists()


def test_it_lets_a_leader_read_everything_and_write_nothing(tree: Tree, leader: User):
    assert units_visible_to(leader).count() == Unit.objects.count()
    assert not units_visible_to(leader, MANAGE).exists()
    assert not units_visible_to(leader, REPORT).exists()
    assert not has_unit_perm(leader, tree.township_a, MANAGE)


def test_it_lets_the_office_manage_the_whole_tree(tree: Tree, office: User):
    assert units_visible_to(office, MANAGE).count() == Unit.objects.count()
    assert has_unit_perm(office, tree.village_b1, MANAGE)


def test_it_reaches_units_added_after_the_grant(tree: Tree, township_a: User):
    new = services.unit_create(name="甲三社区", kind=UnitKind.COMMUNITY, parent=tree.township_a)
    assert has_unit_perm(township_a, new, REPORT)
    assert new in units_visible_to(township_a)


def test_it_follows_a_community_moved_to_another_township(
    tree: Tree, township_a: User, township_b: User
):
    services.unit_update(unit=tree.community_a1, parent=tree.township_b)
    assert tree.community_a1 not in units_visible_to(township_a)
    assert tree.community_a1 in units_visible_to(township_b)


def test_it_takes_old_grants_away_when_a_user_moves(tree: Tree, township_a: User):
    services.user_set_role_and_scope(user=township_a, role=Role.TOWNSHIP, scope=[tree.township_b])
    assert not has_unit_perm(township_a, tree.township_a)
    assert names(units_visible_to(township_a)) == {"乙镇", "乙一村"}


def test_it_grants_nothing_to_an_inactive_user(tree: Tree, township_a: User):
    township_a.is_active = False
    township_a.save()
    assert not units_visible_to(township_a).exists()
    assert not has_unit_perm(township_a, tree.township_a)


def test_it_refuses_a_scope_of_the_wrong_kind(tree: Tree):
    user = make_user("someone", Role.SECTION, tree.section)
    with pytest.raises(Exception) as caught:
        services.user_set_role_and_scope(user=user, role=Role.TOWNSHIP, scope=[tree.section])
    assert "镇街账号只能属于街道、镇、经开区" in str(caught.value)
    user.refresh_from_db()
    assert user.role == Role.SECTION
    assert has_unit_perm(user, tree.section)


def test_it_answers_404_outside_sight_and_403_for_a_missing_write(
    tree: Tree, township_a: User, leader: User
):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    with pytest.raises(Http404):
        get_unit_for_user(township_a, tree.township_b.pk)
    with pytest.raises(Http404):
        get_unit_for_user(township_a, "not-a-number")
    with pytest.raises(PermissionDenied):
        get_unit_for_user(leader, tree.township_b.pk, MANAGE)
    assert get_unit_for_user(township_a, tree.community_a2.pk, REPORT) == tree.community_a2


def test_it_decides_visibility_in_one_query_whatever_the_tree(tree: Tree, township_a: User):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            list(units_visible_to(township_a))
        return len(ctx.captured_queries)

    small = count_queries()
    for i in range(40):
        services.unit_create(name=f"甲{i}号社区", kind=UnitKind.COMMUNITY, parent=tree.township_a)
    assert small == count_queries() == 1
    assert units_visible_to(township_a).count() == 44


@pytest.mark.parametrize("perm", [VIEW, REPORT])
def test_it_scopes_a_related_queryset_as_a_subquery(tree: Tree, township_b: User, perm: str):
    from org.access import scope_queryset

    users = make_user("a-clerk", Role.TOWNSHIP, tree.township_a), township_b
    scoped = scope_queryset(
        township_b, User.objects.filter(pk__in=[u.pk for u in users]), unit_field="scope", perm=perm
    )
    assert list(scoped) == [township_b]


def test_it_sends_anonymous_visitors_to_login(client, tree: Tree):
    response = client.get(reverse("org:unit_detail", args=[tree.township_a.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_lets_the_section_keeping_a_roster_see_it_everywhere(tree: Tree, section, township_a):
    from org.access import record_units_visible_to

    assert names(record_units_visible_to(section, "relief")) == {"社会救助科"}
    services.unit_update(unit=tree.section, keeps_records="relief")
    assert record_units_visible_to(section, "relief").count() == Unit.objects.count()
    assert names(record_units_visible_to(section, "eldercare")) == {"社会救助科"}
    # Townships keep to their own, whatever the domain.
    assert names(record_units_visible_to(township_a, "relief")) == names(
        units_visible_to(township_a)
    )


def test_it_answers_404_for_a_pk_that_is_not_a_number_or_a_row_out_of_sight(
    tree: Tree, township_a: User, township_b: User
):
    from django.http import Http404

    from org.access import get_object_for_user, get_or_404

    for pk in ("abc", None, tree.township_b.pk, 999_999):
        with pytest.raises(Http404) as caught:
            get_or_404(units_visible_to(township_a), pk, "单位不存在或无权查看")
        assert str(caught.value) == "单位不存在或无权查看"
    assert get_or_404(units_visible_to(township_a), str(tree.community_a1.pk)) == tree.community_a1
    # Another township's clerk is a row out of sight: the same 404, with the default message.
    with pytest.raises(Http404) as caught:
        get_object_for_user(township_a, User.objects.all(), township_b.pk, unit_field="scope")
    assert str(caught.value) == "记录不存在或无权查看"
    with pytest.raises(Http404):
        get_object_for_user(township_a, User.objects.all(), "abc", unit_field="scope")


def test_it_gives_manage_to_the_office_alone():
    # is_bureau_office rests on this: holding MANAGE is being the office (see campaigns/excel/access.py).
    assert [role for role, policy in ROLE_POLICIES.items() if MANAGE in policy.perms] == [
        Role.OFFICE
    ]


def test_it_knows_the_bureau_office_and_the_bureaus_it_manages(
    tree: Tree, office: User, leader: User, section: User, township_a: User, institution: User
):
    from org.access import bureaus_managed_by, is_bureau_office

    assert is_bureau_office(office, tree.bureau)
    assert list(bureaus_managed_by(office)) == [tree.bureau]
    other = services.unit_create(name="另一区民政局", kind=UnitKind.BUREAU, parent=None)
    assert not is_bureau_office(office, other)
    assert list(bureaus_managed_by(office)) == [tree.bureau]
    for user in (leader, section, township_a, institution):
        assert not is_bureau_office(user, tree.bureau)
        assert not bureaus_managed_by(user).exists()
    office.is_active = False
    office.save()
    assert not is_bureau_office(office, tree.bureau)


def test_it_decides_who_keeps_a_domains_records_once_for_every_domain(
    tree: Tree, office: User, leader: User, section: User, township_a: User, institution: User
):
    from org.access import can_write_records, record_units_writable_by

    for domain in ("relief", "eldercare"):
        assert names(record_units_writable_by(township_a, domain)) == names(
            units_visible_to(township_a)
        )
        assert can_write_records(township_a, tree.community_a1, domain)
        assert not can_write_records(township_a, tree.village_b1, domain)
        assert names(record_units_writable_by(institution, domain)) == {"甲街道敬老院"}
        assert record_units_writable_by(office, domain).count() == Unit.objects.count()
        assert not record_units_writable_by(leader, domain).exists()
        assert not can_write_records(section, tree.township_a, domain)
    services.unit_update(unit=tree.section, keeps_records="relief")
    assert can_write_records(section, tree.village_b1, "relief")
    assert not can_write_records(section, tree.village_b1, "eldercare")
