from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Leader, Unit, User


@admin.register(Unit)
class UnitAdmin(GuardedModelAdmin, SimpleHistoryAdmin):
    list_display = ("name", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name")
    # The tree is kept by org.services: move units on the office's own pages.
    readonly_fields = ("parent", "path", "depth")


@admin.register(Leader)
class LeaderAdmin(SimpleHistoryAdmin):
    list_display = ("name", "title", "unit", "user", "is_active")


@admin.register(User)
class AppUserAdmin(UserAdmin):
    list_display = ("username", "full_name", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("角色与单位", {"fields": ("full_name", "role", "phone")}),
    )
