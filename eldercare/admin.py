from django.contrib import admin

from .models import CommunityFacility, ComprehensiveCentre, DisplayPost, Inspection, Institution


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("unit", "ownership", "beds", "nursing_beds", "residents")


@admin.register(CommunityFacility)
class CommunityFacilityAdmin(admin.ModelAdmin):
    list_display = ("name", "community", "estate", "households", "area", "completed_on")


@admin.register(ComprehensiveCentre)
class ComprehensiveCentreAdmin(admin.ModelAdmin):
    list_display = ("name", "street", "opened_on")


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ("institution", "inspected_on", "inspector")


@admin.register(DisplayPost)
class DisplayPostAdmin(admin.ModelAdmin):
    list_display = ("institution", "item", "day", "on_time", "posted_at")
    readonly_fields = ("photo", "thumbnail")
