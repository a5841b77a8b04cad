from django.urls import path

from .views import importing, plan, reporting

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
    # The month: reports, review, evidence, periods
    path("reports/", reporting.my_reports, name="my_reports"),
    path("reports/<int:pk>/", reporting.report_detail, name="report_detail"),
    path("reports/<int:pk>/review/", reporting.report_review, name="report_review"),
    path("reports/<int:pk>/reopen/", reporting.report_reopen, name="report_reopen"),
    path("reports/<int:pk>/evidence/", reporting.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", reporting.evidence_file, name="evidence_file"),
    path(
        "evidence/<int:pk>/thumb/", reporting.evidence_file, {"thumb": True}, name="evidence_thumb"
    ),
    path("evidence/<int:pk>/delete/", reporting.evidence_delete, name="evidence_delete"),
    path("periods/open/", reporting.period_open, name="period_open"),
    path("periods/<int:pk>/", reporting.period_detail, name="period_detail"),
    path("periods/<int:pk>/close/", reporting.period_close, name="period_close"),
    path("periods/<int:pk>/remind/", reporting.period_remind, name="period_remind"),
    # Excel templates and uploads (campaigns/excel/)
]
