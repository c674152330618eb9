from django.urls import path

from papitrack.web import urls_documents, urls_monitoring, urls_surveys
from papitrack.web.views import (
    audit,
    notifications,
    papi,
    plans,
    reports,
    tasks,
    unitplans,
    units,
)

app_name = "web"

urlpatterns = [
    path("", plans.plan_list, name="plan_list"),
    path("plans/<int:plan_id>/", plans.plan_overview, name="plan_overview"),
    path(
        "plans/<int:plan_id>/dimensions/<str:code>/",
        plans.dimension_detail,
        name="dimension_detail",
    ),
    path("plans/<int:plan_id>/tasks/", tasks.task_list, name="task_list"),
    path("tasks/", tasks.latest_task_list, name="latest_task_list"),
    path("tasks/<int:task_id>/", tasks.task_detail, name="task_detail"),
    path("units/", units.unit_list, name="unit_list"),
    path("units/<str:code>/", units.unit_detail, name="unit_detail"),
    path("papi/", papi.papi_explorer, name="papi_explorer"),
    path("papi/provinces/<str:code>/", papi.province_history_view, name="province_history"),
    *urls_surveys.urlpatterns,
    *urls_monitoring.urlpatterns,
    *urls_documents.urlpatterns,
    path("reports/", reports.report_list, name="report_list"),
    path("reports/<int:report_id>/", reports.report_detail, name="report_detail"),
    path("evidence/<int:evidence_id>/", reports.evidence_download, name="evidence_download"),
    path("unit-plans/", unitplans.unitplan_round, name="unitplan_round"),
    path("unit-plans/<int:unit_plan_id>/", unitplans.unitplan_detail, name="unitplan_detail"),
    path(
        "unit-plans/<int:unit_plan_id>/document/",
        unitplans.unitplan_document,
        name="unitplan_document",
    ),
    path("audit/", audit.audit_list, name="audit_list"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path(
        "notifications/preferences/",
        notifications.notification_preferences,
        name="notification_preferences",
    ),
]
