"""Every model Django's admin registers, walked: no admin page shows an ID number or the birth
date that spells its middle digits, no lookup reaching either tells one number from another,
and every view of a record holding one is audited.

The walk starts from `admin.site._registry`, so an admin added later is checked without a
test of its own; the fields are found by name (`id_number`, `birth_date`) on any model.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib import admin
from django.db import models
from django.urls import NoReverseMatch, reverse
from simple_history.admin import SimpleHistoryAdmin

from audit.models import Event
from relief import services
from relief.models import Person
from tests.conftest import Tree, client_for
from tests.relief import factories
from tests.relief.test_admin import BORN, answer, other_than, superuser, what_gives_away
from tests.test_personal_data_scan import id_numbers_in

__all__ = ["superuser"]  # the fixture, used by the tests below

ID_DIGIT_FIELDS = ("id_number", "birth_date")


def holds_id_digits(model: type[models.Model]) -> bool:
    return any(f.name in ID_DIGIT_FIELDS for f in model._meta.concrete_fields)


def paths_to_id_digits(
    model: type[models.Model], relations: int = 2, prefix: str = ""
) -> list[str]:
    """Lookup paths from `model` to a field an ID number's digits follow from, through at most
    `relations` relations, forward or reverse."""
    found = []
    for field in model._meta.get_fields():
        if field.name in ID_DIGIT_FIELDS:
            found.append(prefix + field.name)
        elif isinstance(field.related_model, type) and relations > 0:
            found += paths_to_id_digits(
                field.related_model, relations - 1, f"{prefix}{field.name}__"
            )
    return found


@pytest.fixture
def records(tree: Tree, superuser) -> list[Person]:
    """Two persons (one with a household, a visit, a caregiver and a recorded full view)."""
    people = [
        factories.person(
            tree.township_a,
            community=tree.community_a1,
            name="甲管理对象",
            household_number="A-9",
            id_number=factories.id_number(BORN, 417),
        ),
        factories.person(
            tree.township_b,
            name="乙管理对象",
            id_number=factories.id_number(date(1944, 2, 27), 233),
        ),
    ]
    services.visit_create(person=people[0], visited_on=date(2020, 5, 6), visitor="探访员")
    services.caregiver_assign(person=people[0], name="护理员", agreement_start=date(2020, 1, 1))
    services.id_number_view_record(
        user=superuser, person=people[0], ip="10.0.0.1", reason="核对身份信息"
    )
    return people


def registered() -> list[tuple[type[models.Model], admin.ModelAdmin]]:
    return list(admin.site._registry.items())


def url(model: type[models.Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def pages_of(model: type[models.Model], model_admin: admin.ModelAdmin) -> list[str]:
    """The change list, and for every record its change page, history and past versions."""
    pages = [url(model, "changelist")]
    for obj in model._default_manager.order_by("pk")[:5]:
        pages += [url(model, "change", obj.pk), url(model, "history", obj.pk)]
        if isinstance(model_admin, SimpleHistoryAdmin):
            for version in obj.history.all():  # type: ignore[attr-defined]
                try:
                    pages.append(url(model, "simple_history", obj.pk, version.history_id))
                except NoReverseMatch:
                    break
    return pages


def test_no_admin_page_shows_a_number_or_the_birth_date_it_holds(superuser, records):
    client = client_for(superuser)
    read: list[str] = []
    leaks: dict[str, set[str]] = {}
    for model, model_admin in registered():
        for page in pages_of(model, model_admin):
            response = client.get(page)
            if response.status_code != 200:
                continue
            read.append(page)
            content = response.content.decode()
            found = id_numbers_in(response.content)
            for person in records:
                found |= what_gives_away(content, person)
            if found:
                leaks[page] = found
    assert not leaks
    assert url(Person, "change", records[0].pk) in read
    assert len(read) > 30, f"only {len(read)} admin pages answered: the walk would prove little"


def test_no_admin_lookup_tells_one_number_from_another(superuser, records):
    client = client_for(superuser)
    person = records[0]
    number, born = person.id_number, person.birth_date
    tried = 0
    for model, _model_admin in registered():
        for path in paths_to_id_digits(model):
            if path.endswith("id_number"):
                lookup, true, false = f"{path}__startswith", number[:7], other_than(number, 6)[:7]
            else:
                lookup, true, false = f"{path}__year", str(born.year), str(born.year + 1)
            changelist = url(model, "changelist")
            hit, miss = (
                client.get(changelist, {lookup: true}),
                client.get(changelist, {lookup: false}),
            )
            assert answer(hit, true) == answer(miss, false), f"{changelist}?{lookup}="
            tried += 1
    assert tried > 10


def test_every_admin_view_of_a_record_holding_a_number_is_audited(superuser, records):
    client = client_for(superuser)
    holding = [(m, a) for m, a in registered() if holds_id_digits(m)]
    assert Person in {m for m, _ in holding}
    for model, _model_admin in holding:
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"make a {model._meta.label} in the records fixture"
        for page, named in (
            (url(model, "changelist"), None),
            (url(model, "change", obj.pk), obj),
            (url(model, "history", obj.pk), obj),
        ):
            before = Event.objects.count()
            assert client.get(page).status_code == 200, page
            events = list(Event.objects.order_by("id")[before:])
            assert [(e.action, e.object_type) for e in events] == [
                ("view", model._meta.label_lower)
            ], page
            if named is not None:
                assert (events[0].object_id, events[0].object_repr) == (str(obj.pk), str(obj))
