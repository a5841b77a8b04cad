"""Admin for the relief rosters: ID numbers appear masked here too, and nothing is edited."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Household, IdNumberView, Person, Visit


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("name", "masked_id_number", "unit", "assistance", "support_mode", "status")
    list_filter = ("assistance", "support_mode", "status")
    search_fields = ("name",)
    exclude = ("id_number",)
    readonly_fields = ("masked_id_number",)


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
