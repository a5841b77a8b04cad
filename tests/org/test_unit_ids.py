"""org.access.unit_ids_visible_to reads the same units as units_visible_to, for every role and
permission (pages use it to filter several queries by one list of ids)."""

from __future__ import annotations

import pytest

from org.access import MANAGE, REPORT, VIEW, unit_ids_visible_to, units_visible_to
from org.models import User
from tests.conftest import Tree


@pytest.mark.parametrize("persona", ["office", "leader", "section", "township_a", "institution"])
@pytest.mark.parametrize("perm", [VIEW, REPORT, MANAGE])
def test_it_reads_the_units_the_subquery_reads(tree: Tree, persona: str, perm: str, request):
    user: User = request.getfixturevalue(persona)
    expected = set(units_visible_to(user, perm).values_list("pk", flat=True))
    assert set(unit_ids_visible_to(user, perm)) == expected
    if persona == "township_a" and perm == VIEW:
        assert tree.community_a1.pk in expected and tree.township_b.pk not in expected


def test_it_reads_nothing_for_an_inactive_user(tree: Tree, township_a):
    township_a.is_active = False
    assert unit_ids_visible_to(township_a) == []
