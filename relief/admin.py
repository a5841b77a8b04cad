"""Admin for the relief rosters: read only, and no way to an ID number the pages do not give.

The mask (first 6 + ******** + last 4) hides exactly the eight digits of the birth date, so
`IdDigitsGuard` keeps every field those digits follow from (the number, the birth date, on this
model or across relations) out of the admin: no column, field, filter, search, ordering or date
hierarchy uses them, and a lookup on them is refused whatever its value (400), so no answer
tells one number from another. Every view of a record that holds a number writes an audit row,
and so does every refused lookup.

Registered here, and why: persons (masked, audited), households (no number), visits and the
record of full views (a person is named by name only). Support periods, temporary aid and
caregivers are not: the person page shows them, and the admin would add nothing but another
way in; neither are the historical models (simple_history's version pages render every field).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminLookup, DisallowedModelAdminToField
from django.contrib.admin.views.main import IGNORED_PARAMS, ChangeList
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, HttpResponseBase

from audit.models import Action, Outcome
from audit.services import record

from .models import Household, IdNumberView, Person, Visit

# The number itself, and the birth date its middle eight digits spell (GB 11643).
ID_DIGIT_FIELDS = frozenset({"id_number", "birth_date"})


def reaches_id_digits(model: type[models.Model], path: object) -> bool:
    """Whether a lookup, column, search or ordering path reads a field of ID_DIGIT_FIELDS."""
    if not isinstance(path, str):
        return any(reaches_id_digits(model, name) for name in _names_in(path))
    for part in path.lstrip("-^=@").split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a transform (__year), "pk", or no field at all
        if field.name in ID_DIGIT_FIELDS:
            return True
        if field.related_model is None:
            return False
        model = field.related_model  # type: ignore[assignment]
    return False


def _names_in(expression: object) -> Iterator[str]:
    """The field names an ordering expression (F, OrderBy, Lower(...)) refers to."""
    if isinstance(expression, models.F):
        yield expression.name
    for source in getattr(expression, "get_source_expressions", list)():
        yield from _names_in(source)


def holds_id_digits(model: type[models.Model]) -> bool:
    return any(field.name in ID_DIGIT_FIELDS for field in model._meta.concrete_fields)


class IdDigitsChangeList(ChangeList):
    """A change list that never orders or groups by a field the ID digits follow from."""

    def __init__(
        self,
        request: HttpRequest,
        model: type[models.Model],
        list_display: list[Any],
        list_display_links: Any,
        list_filter: list[Any],
        date_hierarchy: str | None,
        *args: Any,
    ) -> None:
        if reaches_id_digits(model, date_hierarchy or ""):
            date_hierarchy = None
        super().__init__(
            request, model, list_display, list_display_links, list_filter, date_hierarchy, *args
        )

    def get_ordering(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> list[Any]:
        # One place for every source: ?o= on a column, the admin's ordering, Meta.ordering.
        ordering = super().get_ordering(request, queryset)
        kept = [o for o in ordering if not reaches_id_digits(self.model, o)]
        # A dropped field may be what made the order total (the number is unique): "-pk" does.
        return kept if len(kept) == len(ordering) else [*kept, "-pk"]


class IdDigitsGuard(admin.ModelAdmin):
    """No field the ID digits follow from is shown, filtered, searched or ordered by."""

    def _without_id_digits(self, names: Sequence[Any]) -> list[Any]:
        return [
            name
            for name in names
            if not reaches_id_digits(
                self.model, name[0] if isinstance(name, list | tuple) else name
            )
        ]

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        # Refused before the value is looked at: the same 400 whatever number is tried.
        if reaches_id_digits(self.model, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def to_field_allowed(self, request: HttpRequest, to_field: str) -> bool:
        return not reaches_id_digits(self.model, to_field) and super().to_field_allowed(
            request, to_field
        )

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        return self._without_id_digits(super().get_list_display(request))

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        return self._without_id_digits(super().get_list_filter(request))

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        return self._without_id_digits(super().get_search_fields(request))

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return IdDigitsChangeList

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        # The form and the read-only page are both built from these fieldsets.
        def kept(fields: Sequence[Any]) -> Iterator[Any]:
            for line in fields:  # a name, or a tuple of names shown on one line
                if isinstance(line, list | tuple):
                    line = tuple(n for n in line if not reaches_id_digits(self.model, n))
                    if line:
                        yield line
                elif not reaches_id_digits(self.model, line):
                    yield line

        return [
            (title, {**options, "fields": list(kept(options["fields"]))})
            for title, options in super().get_fieldsets(request, obj)
        ]


class ReadOnlyAdmin(IdDigitsGuard):
    """Nothing is added, changed or deleted here; a view of a record holding an ID number and
    a refused lookup are audited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_search_results(
        self, request: HttpRequest, queryset: models.QuerySet[Any], search_term: str
    ) -> tuple[models.QuerySet[Any], bool]:
        match = request.resolver_match
        if match is not None and match.view_name == "admin:autocomplete":
            # Nothing here is edited, so no form looks records up by name: the change list,
            # which is audited, is the one search.
            raise PermissionDenied
        return super().get_search_results(request, queryset, search_term)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        return self._audited(request, super().changelist_view, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        return self._audited(request, super().change_view, object_id, form_url, extra_context)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        return self._audited(request, super().history_view, object_id, extra_context)

    def _audited(self, request: HttpRequest, show: Any, *args: Any) -> HttpResponseBase:
        """Show the page; record a view of a record holding a number, or a refused lookup.

        A refused lookup is kept by its parameters' names only: their values are the guess.
        """
        label = self.model._meta.label_lower
        try:
            response = show(request, *args)
        except (DisallowedModelAdminLookup, DisallowedModelAdminToField):
            names = sorted(set(request.GET) - set(IGNORED_PARAMS))
            refused = {"status": 400, "parameters": names}
            record(
                request, Action.REFUSED, outcome=Outcome.REFUSED, object_type=label, detail=refused
            )
            raise
        context = getattr(response, "context_data", None)
        if response.status_code != 200 or context is None or not holds_id_digits(self.model):
            return response
        # The path says which page it was; a list says how many it held.
        detail = {"count": context["cl"].result_count} if "cl" in context else {}
        shown = context.get("original") or context.get("object")
        record(request, Action.VIEW, shown, object_type=label, detail=detail)
        return response


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("name", "id_number_masked", "unit", "assistance", "support_mode", "status")
    list_filter = ("assistance", "support_mode", "status")
    search_fields = ("name",)
    readonly_fields = ("id_number_masked",)

    @admin.display(description="身份证号")
    def id_number_masked(self, person: Person) -> str:
        return person.masked_id_number


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ("number", "head_name", "unit", "assistance")
    search_fields = ("number", "head_name")


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ("person", "visited_on", "kind", "visitor")


@admin.register(IdNumberView)
class IdNumberViewAdmin(ReadOnlyAdmin):
    list_display = ("viewed_at", "user", "person", "ip")
