from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read only: audit rows are never added, changed or deleted by hand."""

    list_display = ("at", "username", "role", "ip", "action", "object_type", "object_id", "outcome")
    list_filter = ("action", "outcome", "role")
    search_fields = ("username", "object_id", "path")
    date_hierarchy = "at"
    readonly_fields = [field.name for field in Event._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
