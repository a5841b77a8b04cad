"""The demo records: thousands of fictional persons with valid numbers, spread for every light,
and a second run that adds nothing."""

from __future__ import annotations

from datetime import date

import pytest

from eldercare.demo import seed_records as seed_eldercare
from eldercare.indicators import community_facility_rate, six_displays_rate
from eldercare.models import CommunityFacility, DisplayPost, Inspection, Institution
from org.demo import seed_org
from org.models import TOWNSHIP_KINDS, Unit, UnitKind
from relief import idnumber
from relief.demo import seed_records as seed_relief
from relief.indicators import concentrated_care_rate, dispersed_visit_rate
from relief.models import Person


@pytest.fixture
def demo(db: None) -> None:
    seed_org()
    assert seed_relief() > 10_000
    assert seed_eldercare() > 10_000


def rates(result: dict) -> list[float]:
    return [float(n / d * 100) for n, d in result.values() if d]


def test_it_seeds_fictional_records_once(demo: None):
    assert Person.objects.count() > 4000
    numbers = list(Person.objects.values_list("id_number", flat=True))
    assert all(n.startswith("371302") and not idnumber.problems(n) for n in numbers)
    assert Institution.objects.count() == 17 and CommunityFacility.objects.count() == 68
    assert Inspection.objects.count() == 17 * 12 and DisplayPost.objects.count() > 10_000
    assert seed_relief() == 0 and seed_eldercare() == 0


def test_it_spreads_the_units_from_far_behind_to_ahead(demo: None):
    october = date(2020, 10, 31)
    townships = list(Unit.objects.filter(kind__in=TOWNSHIP_KINDS))
    care = rates(concentrated_care_rate(townships, october))
    assert min(care) < 20 and max(care) > 60
    visits = rates(dispersed_visit_rate(townships, october))
    assert min(visits) < 60 and max(visits) > 95
    streets = list(Unit.objects.filter(kind=UnitKind.STREET))
    facilities = rates(community_facility_rate(streets, october))
    assert min(facilities) < 40 and max(facilities) > 70
    institutions = list(Unit.objects.filter(kind=UnitKind.INSTITUTION))
    displays = rates(six_displays_rate(institutions, october))
    assert min(displays) < 60 and max(displays) > 90
