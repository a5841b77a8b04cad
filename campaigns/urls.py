from django.urls import path

from .views import importing, plan

app_name = "campaigns"

urlpatterns = [
    path("", plan.campaign_list, name="campaign_list"),
    path("new/", plan.campaign_create, name="campaign_create"),
    path("import/", importing.import_plan, name="campaign_import"),
    path("<int:pk>/", plan.campaign_detail, name="campaign_detail"),
    path("<int:pk>/edit/", plan.campaign_edit, name="campaign_edit"),
    path("<int:pk>/review/", plan.campaign_review, name="campaign_review"),
    path("<int:pk>/review/names/", importing.resolve_name, name="campaign_resolve_name"),
    path("<int:pk>/publish/", plan.campaign_publish, name="campaign_publish"),
    path("<int:pk>/matrix/", plan.campaign_matrix, name="campaign_matrix"),
    path("<int:pk>/export.xlsx", plan.campaign_export, name="campaign_export"),
    path("<int:pk>/history/", plan.campaign_history, name="campaign_history"),
    path("<int:pk>/tasks/new/", plan.task_create, name="task_create"),
    path("tasks/<int:pk>/edit/", plan.task_edit, name="task_edit"),
    path("tasks/<int:pk>/delete/", plan.task_delete, name="task_delete"),
    path("tasks/<int:pk>/indicators/new/", plan.indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/edit/", plan.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/delete/", plan.indicator_delete, name="indicator_delete"),
    path("indicators/<int:pk>/targets/", plan.indicator_targets, name="indicator_targets"),
]
