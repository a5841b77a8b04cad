"""`seed_demo --reset`: remove what the demo built so it can be built again for today.

The demo bureau's units, leaders and accounts stay (the audit trail refers to the accounts and
is never rewritten); their passwords go back to the demo's. Everything the demo's calendar dates
goes: the plan with its months, reports, standings and bulletins, the relief and eldercare
records with their history, reminders and notices.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from campaigns.models import Bulletin, Campaign
from eldercare.models import (
    CommunityFacility,
    ComprehensiveCentre,
    DisplayPost,
    Inspection,
    Institution,
)
from org.demo import BUREAU, demo_logins
from org.models import Notice, Unit, UnitKind, User
from relief.models import Caregiver, Household, Person, TemporaryAid


@transaction.atomic
def demo_remove() -> int:
    """Delete the demo's dated rows; return how many rows went (history rows included)."""
    bureau = Unit.objects.filter(name=BUREAU[0], kind=UnitKind.BUREAU).first()
    if bureau is None:
        return 0
    under = {"unit__path__startswith": bureau.path}
    removed = 0
    campaigns = Campaign.objects.filter(bureau=bureau)
    # A correction protects the bulletin it corrects: the corrections go first.
    removed += Bulletin.objects.filter(campaign__in=campaigns).exclude(corrects=None).delete()[0]
    removed += campaigns.delete()[0]
    persons = Person.objects.filter(**under)
    removed += TemporaryAid.objects.filter(person__in=persons).delete()[0]
    for model, rows in (  # type: ignore[assignment]
        (Caregiver, Caregiver.objects.filter(person__in=persons)),
        (Person, persons),
        (Household, Household.objects.filter(**under)),
    ):
        ids = list(rows.values_list("pk", flat=True))
        removed += rows.delete()[0]
        removed += model.history.filter(pk__in=ids).delete()[0]  # type: ignore[attr-defined]
    institutions = Institution.objects.filter(**under)
    removed += DisplayPost.objects.filter(institution__in=institutions).delete()[0]
    removed += Inspection.objects.filter(institution__in=institutions).delete()[0]
    for model, rows in (  # type: ignore[assignment]
        (Institution, institutions),
        (
            CommunityFacility,
            CommunityFacility.objects.filter(community__path__startswith=bureau.path),
        ),
        (
            ComprehensiveCentre,
            ComprehensiveCentre.objects.filter(street__path__startswith=bureau.path),
        ),
    ):
        ids = list(rows.values_list("pk", flat=True))
        removed += rows.delete()[0]
        removed += model.history.filter(pk__in=ids).delete()[0]  # type: ignore[attr-defined]
    accounts = User.objects.filter(username__in=[login[0] for login in demo_logins()])
    removed += Notice.objects.filter(recipient__in=accounts).delete()[0]
    accounts.update(password=make_password(settings.DEMO_PASSWORD), must_change_password=False)
    return removed
