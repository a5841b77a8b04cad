from django.urls import path

from .views import boards, documents, excel, importing, plan, ranking, reporting

app_name = "campaigns"

urlpatterns = [
    path("", plan.campaign_list, name="campaign_list"),
    path("new/", plan.campaign_create, name="campaign_create"),
    path("import/", importing.import_plan, name="campaign_import"),
    path("<int:pk>/", plan.campaign_detail, name="campaign_detail"),
    path("<int:pk>/edit/", plan.campaign_edit, name="campaign_edit"),
    path("<int:pk>/review/", plan.campaign_review, name="campaign_review"),
    path("<int:pk>/review/names/", importing.resolve_name, name="campaign_resolve_name"),
    path(
        "<int:pk>/review/names/partners/",
        importing.resolve_all_as_partners,
        name="campaign_resolve_all_partners",
    ),
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
    path("periods/<int:pk>/dispatch/", ranking.period_dispatch_view, name="period_dispatch"),
    # Rankings and bulletins
    path("boards/", boards.boards_home, name="boards"),
    path("<int:pk>/board/", boards.board, name="board"),
    path("<int:pk>/screens/", boards.display_links, name="display_links"),
    path("bulletins/", ranking.bulletin_list, name="bulletin_list"),
    path("bulletins/<int:pk>/", ranking.bulletin_detail, name="bulletin_detail"),
    # Bulletin documents, quarterly summaries and year-end assessments (campaigns/documents/)
    path("bulletins/<int:pk>/document.docx", documents.bulletin_docx, name="bulletin_docx"),
    path("bulletins/<int:pk>/document.xlsx", documents.bulletin_xlsx, name="bulletin_xlsx"),
    path("<int:pk>/summaries/", documents.summary_list, name="summary_list"),
    path("<int:pk>/summaries/create/", documents.summary_create, name="summary_create"),
    path("summaries/<int:pk>/", documents.summary_detail, name="summary_detail"),
    path("summaries/<int:pk>/edit/", documents.summary_edit, name="summary_edit"),
    path("summaries/<int:pk>/publish/", documents.summary_publish, name="summary_publish"),
    path("<int:pk>/assessment/<int:year>/", documents.assessment_detail, name="assessment_detail"),
    path(
        "<int:pk>/assessment/<int:year>/create/",
        documents.assessment_create,
        name="assessment_create",
    ),
    path(
        "<int:pk>/assessment/<int:year>/adjustments/create/",
        documents.assessment_adjustment_create,
        name="assessment_adjustment_create",
    ),
    path(
        "adjustments/<int:pk>/delete/",
        documents.assessment_adjustment_delete,
        name="assessment_adjustment_delete",
    ),
    path(
        "<int:pk>/assessment/<int:year>/assessment.xlsx",
        documents.assessment_xlsx,
        name="assessment_xlsx",
    ),
    path(
        "<int:pk>/assessment/<int:year>/assessment.docx",
        documents.assessment_docx,
        name="assessment_docx",
    ),
    # Excel templates and uploads (campaigns/excel/)
    path(
        "periods/<int:pk>/units/<int:unit_pk>/template.xlsx",
        excel.report_template,
        name="report_template",
    ),
    path("periods/<int:pk>/units/<int:unit_pk>/upload/", excel.report_upload, name="report_upload"),
    path("periods/<int:pk>/upload/", excel.reports_bulk_upload, name="reports_bulk_upload"),
]
