"""Django's admin for the relief rosters: no ID number can be rebuilt from it, and every view
of a person is audited as the pages are."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from audit.models import Event
from relief import services
from relief.models import Person
from tests.conftest import PASSWORD, Tree, client_for
from tests.relief import factories

BORN = date(1931, 7, 19)  # a date no other page of the admin holds


@pytest.fixture
def superuser(db, django_user_model):
    user = django_user_model.objects.create_superuser("root", password=PASSWORD + "-root")
    # Not a password the office set and the owner must change: the admin opens at once.
    django_user_model.objects.filter(pk=user.pk).update(password_changed_at=timezone.now())
    user.refresh_from_db()
    return user


@pytest.fixture
def someone(tree: Tree) -> Person:
    return factories.person(
        tree.township_a,
        community=tree.community_a1,
        name="甲管理对象",
        household_number="A-9",
        id_number=factories.id_number(BORN, 417),
    )


def birth_date_texts(born: date) -> set[str]:
    """The ways a page may write a birth date (and with it the ID number's middle digits)."""
    return {
        born.isoformat(),
        f"{born:%Y%m%d}",
        f"{born.year}年{born.month}月{born.day}日",
        f"{born.year}年{born.month}月",
        date_format(born),
        date_format(born, "SHORT_DATE_FORMAT"),
    }


def what_gives_away(content: str, person: Person) -> set[str]:
    """Whatever in a page tells the person's full ID number or the digits the mask hides."""
    found = {t for t in birth_date_texts(person.birth_date) if t in content}
    for secret in (person.id_number, person.id_number[6:14]):
        if secret in content:
            found.add(secret)
    return found


def answer(response, *values: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """Status and body, without the CSRF token and the values the request itself carried."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    for value in values:
        text = text.replace(value, "VALUE")
    return response.status_code, text


def other_than(value: str, at: int) -> str:
    """`value` with its digit at `at` changed."""
    return value[:at] + str((int(value[at]) + 1) % 10) + value[at + 1 :]


def test_it_shows_a_person_without_the_birth_date_or_the_full_number(superuser, someone):
    client = client_for(superuser)
    for name in ("admin:relief_person_change", "admin:relief_person_history"):
        response = client.get(reverse(name, args=[someone.pk]))
        assert response.status_code == 200, name
        content = response.content.decode()
        assert "甲管理对象" in content
        assert not what_gives_away(content, someone), name
    for name, args in (
        ("admin:relief_person_change", [someone.pk]),
        ("admin:relief_person_changelist", []),
    ):
        content = client.get(reverse(name, args=args)).content.decode()
        assert someone.masked_id_number in content and not what_gives_away(content, someone)


def lookups_on_the_number(person: Person, prefix: str = "") -> list[tuple[str, str, str]]:
    """(parameter, a value true of the person, a value false of them)."""
    number, born = person.id_number, person.birth_date
    return [
        (f"{prefix}id_number__startswith", number[:7], other_than(number, 6)[:7]),
        (f"{prefix}id_number__startswith", number[:14], other_than(number, 13)[:14]),
        (f"{prefix}id_number", number, other_than(number, 10)),
        (f"{prefix}id_number__contains", number[6:14], other_than(number, 9)[6:14]),
        (f"{prefix}birth_date__year", str(born.year), str(born.year + 1)),
        (f"{prefix}birth_date", born.isoformat(), born.replace(day=20).isoformat()),
        (f"{prefix}birth_date__gte", born.isoformat(), born.replace(day=20).isoformat()),
    ]


def assert_lookups_tell_nothing(client, url: str, lookups) -> None:  # type: ignore[no-untyped-def]
    for parameter, true, false in lookups:
        hit = client.get(url, {parameter: true})
        miss = client.get(url, {parameter: false})
        assert answer(hit, true) == answer(miss, false), f"{url}?{parameter}= tells them apart"
        assert hit.status_code == 400, f"{url}?{parameter}= is not refused"


def test_no_query_of_the_change_list_tells_one_number_from_another(superuser, someone):
    """Lookups are refused whatever the value; a search or an ordering reads no number."""
    client = client_for(superuser)
    url = reverse("admin:relief_person_changelist")
    lookups = lookups_on_the_number(someone) + lookups_on_the_number(
        someone, "household__members__"
    )
    assert_lookups_tell_nothing(client, url, lookups)
    number = someone.id_number
    for true, false in ((number[:10], other_than(number, 9)[:10]), (number, other_than(number, 7))):
        hit, miss = client.get(url, {"q": true}), client.get(url, {"q": false})
        assert hit.context["cl"].result_count == miss.context["cl"].result_count == 0
    for index in range(len(admin.site._registry[Person].list_display)):
        for order in (str(index), f"-{index}"):
            response = client.get(url, {"o": order})
            assert response.status_code == 200
            order_by = response.context["cl"].queryset.query.order_by
            assert not [o for o in order_by if "id_number" in str(o) or "birth" in str(o)]


def test_it_refuses_lookups_through_a_visit_and_records_the_attempt(superuser, someone):
    services.visit_create(person=someone, visited_on=date(2020, 5, 6), visitor="探访员")
    client = client_for(superuser)
    url = reverse("admin:relief_visit_changelist")
    lookups = lookups_on_the_number(someone, "person__")
    assert_lookups_tell_nothing(client, url, lookups)
    refused = Event.objects.filter(action="refused", object_type="relief.visit")
    assert refused.count() == 2 * len(lookups)
    event = refused.first()
    assert event is not None
    assert (event.user, event.ip, event.outcome) == (superuser, "127.0.0.1", "refused")
    # The parameter is named, its value (part of a number) is not kept.
    assert "person__" in str(event.detail)
    assert someone.id_number[:7] not in str(event.detail)


def careless_admin():  # type: ignore[no-untyped-def]
    """Person's admin as someone might change it without thinking of the number."""

    class Careless(type(admin.site._registry[Person])):  # type: ignore[misc]
        list_display = ("name", "birth_date", "id_number", "household__members__birth_date")
        list_filter = ("birth_date", "status")
        search_fields = ("name", "id_number", "^birth_date")
        ordering = ("birth_date", "id_number")
        date_hierarchy = "birth_date"
        readonly_fields = ("id_number", "birth_date", "masked_id_number")
        fieldsets = ((None, {"fields": (("name", "birth_date"), "id_number", "masked_id_number")}),)

    return Careless(Person, admin.site)


def test_the_protection_holds_however_the_admin_is_configured(superuser, someone):
    model_admin = careless_admin()
    request = RequestFactory().get(reverse("admin:relief_person_changelist"))
    request.user = superuser
    changelist = model_admin.get_changelist_instance(request)
    named = [
        *changelist.list_display,
        *changelist.search_fields,
        *[str(o) for o in changelist.queryset.query.order_by],
        str(changelist.date_hierarchy),
        *[str(getattr(spec, "field_path", "")) for spec in changelist.filter_specs],
    ]
    assert not [n for n in named if "id_number" in n or "birth_date" in n]
    fields = flatten_fieldsets(model_admin.get_fieldsets(request, someone))
    assert fields == ["name", "masked_id_number"]
    assert not model_admin.lookup_allowed("id_number__startswith", "3", request)
    assert not model_admin.to_field_allowed(request, "id_number")


def test_every_view_of_a_person_writes_one_audit_row(superuser, someone):
    client = client_for(superuser)
    for name, args, view in (
        ("admin:relief_person_change", [someone.pk], "change"),
        ("admin:relief_person_history", [someone.pk], "history"),
        ("admin:relief_person_changelist", [], "changelist"),
    ):
        before = Event.objects.count()
        assert client.get(reverse(name, args=args)).status_code == 200
        assert Event.objects.count() == before + 1, name
        event = Event.objects.order_by("-id").first()
        assert event is not None
        assert (event.action, event.outcome, event.object_type) == (
            "view",
            "success",
            "relief.person",
        )
        assert (event.user, event.username, event.ip) == (superuser, "root", "127.0.0.1")
        assert event.path == reverse(name, args=args)
        assert event.detail == ({"count": 1} if view == "changelist" else {})
        if args:
            assert (event.object_id, event.object_repr) == (str(someone.pk), "甲管理对象")
    assert not any(someone.id_number in str(e.__dict__) for e in Event.objects.all())


def test_no_form_looks_persons_up_by_name(superuser, someone):
    """The admin edits nothing, so the autocomplete (a list of persons outside the audited
    change list) answers no one."""
    services.visit_create(person=someone, visited_on=date(2020, 5, 6), visitor="探访员")
    query = {"app_label": "relief", "model_name": "visit", "field_name": "person", "term": "甲"}
    response = client_for(superuser).get(reverse("admin:autocomplete"), query)
    assert response.status_code == 403
    assert "甲管理对象" not in response.content.decode()
    assert Event.objects.filter(action="refused", path=reverse("admin:autocomplete")).count() == 1
