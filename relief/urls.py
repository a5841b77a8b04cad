from django.urls import path

from . import views

app_name = "relief"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("persons/export/", views.person_export, name="person_export"),
    path("persons/import/", views.roster_import, name="roster_import"),
    path("persons/template/", views.roster_template, name="roster_template"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/support/edit/", views.person_support_edit, name="person_support_edit"),
    path("persons/<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    path("persons/<int:pk>/aid/new/", views.aid_create, name="aid_create"),
    path("persons/<int:pk>/caregivers/new/", views.caregiver_create, name="caregiver_create"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("households/", views.household_list, name="household_list"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
]
