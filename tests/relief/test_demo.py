"""The demo records: thousands of fictional persons with valid numbers, spread for every light,
and a second run that adds nothing."""

from __future__ import annotations

from datetime import date

import pytest

from eldercare.demo import seed_records as seed_eldercare
from eldercare.indicators import community_facility_rate, six_displays_rate
from eldercare.models import CommunityFacility, DisplayPost, Inspection, Institution
from org.demo import seed_org
from org.demo_calendar import DemoCalendar
from org.models import TOWNSHIP_KINDS, Unit, UnitKind
from relief import idnumber
from relief.demo import seed_records as seed_relief
from relief.indicators import concentrated_care_rate, dispersed_visit_rate
from relief.models import Person

# A year fully behind the day it is seeded: 2026's campaign seen from 2027-01-20 runs March 2026
# to February 2027, so every month of the records' year has happened.
WHEN = DemoCalendar(date(2027, 1, 20))


@pytest.fixture
def demo(db: None) -> None:
    seed_org()
    assert seed_relief(WHEN) > 10_000
    assert seed_eldercare(WHEN) > 10_000


def rates(result: dict) -> list[float]:
    return [float(n / d * 100) for n, d in result.values() if d]


def test_it_seeds_fictional_records_once(demo: None):
    assert Person.objects.count() > 4000
    numbers = list(Person.objects.values_list("id_number", flat=True))
    assert all(n.startswith("371302") and not idnumber.problems(n) for n in numbers)
    assert Institution.objects.count() == 17 and CommunityFacility.objects.count() == 68
    # Ten months inspected in full, January's by the 20th only, February's not yet.
    assert 17 * 10 < Inspection.objects.count() < 17 * 11
    assert DisplayPost.objects.count() > 10_000
    assert seed_relief(WHEN) == 0 and seed_eldercare(WHEN) == 0


def test_it_spreads_the_units_from_far_behind_to_ahead(demo: None):
    october = date(2026, 12, 31)  # the records' tenth month (the year starts in March)
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


def test_it_dates_nothing_after_the_day_it_is_seeded(db: None):
    from relief.models import SupportPeriod, TemporaryAid, Visit

    june = DemoCalendar(date(2026, 6, 20))
    seed_org()
    seed_relief(june)
    seed_eldercare(june)
    today = june.today
    assert Visit.objects.exists() and not Visit.objects.filter(visited_on__gt=today).exists()
    assert not TemporaryAid.objects.filter(paid_on__gt=today).exists()
    assert not SupportPeriod.objects.filter(starts_on__gt=today).exists()
    assert not Person.objects.filter(since__gt=today).exists()
    assert not Inspection.objects.filter(inspected_on__gt=today).exists()
    assert DisplayPost.objects.filter(day=date(2026, 6, 19)).exists()
    assert not DisplayPost.objects.filter(posted_at__date__gte=today).exists()
    assert not CommunityFacility.objects.filter(completed_on__gt=today).exists()
    # The year's first months are there: visits from January on.
    assert Visit.objects.filter(visited_on__lt=date(2026, 2, 1)).exists()
