"""URLs of the documents screens (drafted documents, Excel in and out, DHIS2)."""

from django.urls import path

from papitrack.web.views import documents

urlpatterns = [
    path("documents/", documents.documents, name="documents"),
    path(
        "documents/consolidated-report/",
        documents.document_consolidated,
        name="document_consolidated",
    ),
    path("documents/unit-report/", documents.document_unit_report, name="document_unit_report"),
    path("documents/unit-plan/", documents.document_unit_plan, name="document_unit_plan"),
    path("documents/jobs/<int:job_id>/", documents.document_job, name="document_job"),
    path(
        "documents/jobs/<int:job_id>/status/",
        documents.document_job_status,
        name="document_job_status",
    ),
    path(
        "documents/jobs/<int:job_id>/<str:file_format>/",
        documents.document_job_download,
        name="document_job_download",
    ),
    path("documents/spreadsheets/", documents.spreadsheet_reports, name="spreadsheet_reports"),
    path(
        "documents/spreadsheets/<int:report_id>/",
        documents.spreadsheet_report,
        name="spreadsheet_report",
    ),
    path(
        "documents/spreadsheet-imports/<int:import_id>/",
        documents.spreadsheet_import,
        name="spreadsheet_import",
    ),
    path("documents/dhis2/", documents.dhis2, name="dhis2"),
    path("documents/dhis2/export/", documents.dhis2_export, name="dhis2_export"),
    path("documents/dhis2/mapping.yaml", documents.dhis2_mapping, name="dhis2_mapping"),
    path("documents/tables/<str:name>.xlsx", documents.table_export, name="table_export"),
]
