"""Monitoring screens (dashboards, drill-downs) and the public progress page."""

from django.urls import path

from papitrack.web.views import dashboard, monitoring, public

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("monitoring/status/", dashboard.plan_status_view, name="plan_status"),
    path("monitoring/completeness/", monitoring.completeness, name="completeness"),
    path("monitoring/overdue/", monitoring.overdue, name="overdue"),
    path("monitoring/league/", monitoring.league, name="league"),
    path("monitoring/tasks/<int:task_id>/", monitoring.task_rollup, name="task_rollup"),
    path("public/", public.public_progress, name="public_progress"),
]
