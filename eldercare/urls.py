from django.urls import path

from . import views

app_name = "eldercare"

urlpatterns = [
    path("", views.index, name="index"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution_detail"),
    path("institutions/<int:pk>/edit/", views.institution_edit, name="institution_edit"),
    path(
        "institutions/<int:pk>/displays/", views.institution_displays, name="institution_displays"
    ),
    path(
        "institutions/<int:pk>/inspections/new/",
        views.inspection_create,
        name="inspection_create",
    ),
    path("photos/<int:pk>/", views.post_photo, name="post_photo"),
    path("facilities/", views.facility_list, name="facility_list"),
    path("facilities/new/", views.facility_create, name="facility_create"),
    path("facilities/<int:pk>/edit/", views.facility_edit, name="facility_edit"),
    path("centres/", views.centre_list, name="centre_list"),
    path("centres/new/", views.centre_create, name="centre_create"),
    path("centres/<int:pk>/edit/", views.centre_edit, name="centre_edit"),
]
