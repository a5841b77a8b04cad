"""Every computed indicator the apps register answers the same call campaigns makes."""

from __future__ import annotations

from datetime import date

import pytest

from org import computed
from org.models import Unit


def test_it_registers_the_five_indicators_of_seed_000():
    assert {spec.key for spec in computed.all_indicators()} == {
        "relief.concentrated_care_rate",
        "relief.dispersed_visit_rate",
        "eldercare.community_facility_rate",
        "eldercare.four_contests_score",
        "eldercare.six_displays_rate",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("key", [spec.key for spec in computed.all_indicators()])
def test_it_takes_the_period_start_whatever_the_indicator(key):
    spec = computed.get(key)
    assert spec is not None and spec.compute is not None
    assert spec.compute(Unit.objects.none(), date(2020, 6, 30), start=date(2020, 4, 1)) == {}
