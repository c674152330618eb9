"""Dashboards: one URL, the view chosen by the user's role, and the plan's status page.

- coordinator (and administrator): completeness heat map, overdue list, achievement by
  dimension, the 8-dimension radar with baseline and target;
- leader: the plan's state on one page, effort (tasks) next to outcome (PAPI scores);
- lead agency: its tasks with every unit's value;
- implementing unit: what is due, what was returned, what is overdue.
Every table has an "Xuất Excel" link: the same URL with `export=<table>`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from papitrack.accounts.enums import Role
from papitrack.accounts.rules import role_of, sees_everything
from papitrack.lib.caching import cache_key, cached
from papitrack.monitoring.queries.cached import LAYOUT
from papitrack.monitoring.queries.completeness import OverdueLine
from papitrack.monitoring.queries.dashboards import (
    CoordinatorDashboard,
    PlanStatus,
    coordinator_dashboard,
    latest_plan,
    lead_dashboard,
    plan_status,
    unit_dashboard,
)
from papitrack.monitoring.rules import can_include_submitted
from papitrack.monitoring.tables import (
    completeness_table,
    dimensions_table,
    heatmap_table,
    overdue_table,
    reports_table,
    task_rollup_table,
    tasks_table,
)
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Plan
from papitrack.plans.versions import data_version
from papitrack.web.monitoring_support import (
    UNKNOWN_PERIOD,
    Filters,
    query_with,
    radar_chart,
    read_filters,
    trend_chart,
    xlsx_response,
)

NO_PLAN = "Chưa có kế hoạch nào để theo dõi."
NO_UNIT = "Tài khoản chưa được gắn với đơn vị nào."
UNKNOWN_TABLE = "Không có bảng «{name}» để xuất."
# Exports are capped like DHIS2's analytics requests; a larger list is filtered first.
EXPORT_ROW_LIMIT = 50_000


def get_monitored_plan() -> Plan:
    plan = latest_plan()
    if plan is None:
        raise Http404(NO_PLAN)
    return plan


def _status_or_404(**arguments: Any) -> PlanStatus:
    try:
        return plan_status(**arguments)
    except KeyError as error:
        raise Http404(UNKNOWN_PERIOD.format(code=error.args[0])) from error


EXPORTS = ("heatmap", "overdue", "dimensions", "tasks", "due", "returned", "submitted", "children")


def _base_context(request: HttpRequest, filters: Filters, **extra: Any) -> dict[str, Any]:
    return {
        "filters": filters,
        "can_include_submitted": can_include_submitted(request.user),
        "exports": {name: query_with(request, export=name) for name in EXPORTS},
        **extra,
    }


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    plan = get_monitored_plan()
    filters = read_filters(request)
    user = request.user
    if role_of(user) == Role.LEADER:
        return _leader(request, plan, filters)
    if sees_everything(user):
        return _coordinator(request, plan, filters)
    unit = getattr(user, "unit", None)
    if unit is None:
        raise Http404(NO_UNIT)
    if role_of(user) == Role.LEAD_REVIEWER:
        return _lead(request, plan, unit, filters)
    return _unit(request, plan, unit, filters)


def _coordinator_data(
    plan: Plan, filters: Filters, *, today: datetime.date | None = None
) -> CoordinatorDashboard:
    try:
        return coordinator_dashboard(
            plan=plan,
            period_code=filters.period,
            include_submitted=filters.include_submitted,
            today=today,
        )
    except KeyError as error:
        raise Http404(UNKNOWN_PERIOD.format(code=error.args[0])) from error


def _coordinator(request: HttpRequest, plan: Plan, filters: Filters) -> HttpResponse:
    if filters.export:
        data = _coordinator_data(plan, filters)
        if filters.export == "heatmap":
            return xlsx_response(
                heatmap_table(data.heatmap, root=data.status.root), name="ban-do-nhiet"
            )
        return _status_export(data.status, filters.export)
    # The page is read far more often than its figures change (every coordinator, all day,
    # between two workflow moves), and rendering its tables cost more than reading the
    # cached figures: the rendered body is kept under what it depends on — the plan's data
    # version, the day (tasks fall overdue at midnight), the query string (period, switch,
    # the links it keeps) and whether the user may include submitted reports (the filter
    # form shows that switch). Nothing in it is personal; a 404 for an unknown period is
    # never stored. The body is computed for the day its key names.
    today = timezone.localdate()
    key = cache_key(
        "coordinator-dashboard-body",
        LAYOUT,
        plan.pk,
        data_version(plan_id=plan.pk),
        today.isoformat(),
        can_include_submitted(request.user),
        request.GET.urlencode(),
    )

    def render_body() -> str:
        data = _coordinator_data(plan, filters, today=today)
        return render_to_string(
            "web/monitoring/_coordinator_body.html",
            _base_context(
                request, filters, data=data, status=data.status, radar=radar_chart(data.status)
            ),
            request=request,
        )

    return render(
        request,
        "web/monitoring/dashboard_coordinator.html",
        {"body": cached(key, render_body)},
    )


def _status_export(status: PlanStatus, name: str) -> HttpResponse:
    if name == "dimensions":
        return xlsx_response(dimensions_table(status), name="chi-so-noi-dung")
    if name == "tasks":
        return xlsx_response(tasks_table(status), name="nhiem-vu")
    raise Http404(UNKNOWN_TABLE.format(name=name))


def _leader(request: HttpRequest, plan: Plan, filters: Filters) -> HttpResponse:
    status = _status_or_404(
        plan=plan, period_code=filters.period, include_submitted=filters.include_submitted
    )
    if filters.export:
        return _status_export(status, filters.export)
    return render(
        request,
        "web/monitoring/dashboard_leader.html",
        _base_context(
            request,
            filters,
            status=status,
            radar=radar_chart(status),
            overall_trend=trend_chart(status, None),
            trends=[
                (dimension, f"trend-{dimension.dimension.code}", trend_chart(status, position))
                for position, dimension in enumerate(status.dimensions)
            ],
        ),
    )


def _lead(request: HttpRequest, plan: Plan, unit: OrgUnit, filters: Filters) -> HttpResponse:
    try:
        data = lead_dashboard(
            plan=plan,
            unit=unit,
            period_code=filters.period,
            include_submitted=filters.include_submitted,
        )
    except KeyError as error:
        raise Http404(UNKNOWN_PERIOD.format(code=error.args[0])) from error
    if filters.export:
        task = next((item for item in data.tasks if item.total.task.key == filters.export), None)
        if task is None or data.period is None:
            raise Http404(UNKNOWN_TABLE.format(name=filters.export))
        return xlsx_response(
            task_rollup_table(
                total=task.total,
                rows=[(group, group.pk == plan.issuer_id, result) for group, result in task.rows],
                period=data.period,
                root=plan.issuer,
                include_submitted=data.include_submitted,
            ),
            name=f"nhiem-vu-{task.total.task.key}",
        )
    return render(
        request,
        "web/monitoring/dashboard_lead.html",
        _base_context(
            request,
            filters,
            data=data,
            plan=plan,
            root=plan.issuer,
            items=[(item, query_with(request, export=item.total.task.key)) for item in data.tasks],
        ),
    )


def _unit(request: HttpRequest, plan: Plan, unit: OrgUnit, filters: Filters) -> HttpResponse:
    today = timezone.localdate()
    data = unit_dashboard(plan=plan, unit=unit, today=today)
    work = data.work
    exports = {
        "due": ("Báo cáo sắp đến hạn", work.due),
        "returned": ("Báo cáo bị trả lại", work.returned),
        "submitted": ("Báo cáo chờ duyệt", work.submitted),
    }
    if filters.export in exports:
        title, reports = exports[filters.export]
        return xlsx_response(reports_table(title, reports, unit=unit), name=filters.export)
    if filters.export == "overdue":
        lines = [OverdueLine.from_row(row) for row in work.overdue]
        return xlsx_response(overdue_table(lines, period=None, root=unit), name="qua-han")
    if filters.export == "children":
        return xlsx_response(
            completeness_table(data.children, period=data.period, root=unit),
            name="don-vi-truc-thuoc",
        )
    if filters.export:
        raise Http404(UNKNOWN_TABLE.format(name=filters.export))
    return render(
        request,
        "web/monitoring/dashboard_unit.html",
        _base_context(request, filters, data=data, today=today),
    )


@require_safe
@login_required
def plan_status_view(request: HttpRequest) -> HttpResponse:
    """Every dimension and task with value, target, achievement and state (any official)."""
    plan = get_monitored_plan()
    filters = read_filters(request)
    status = _status_or_404(
        plan=plan, period_code=filters.period, include_submitted=filters.include_submitted
    )
    if filters.export:
        return _status_export(status, filters.export)
    return render(
        request,
        "web/monitoring/plan_status.html",
        _base_context(request, filters, status=status),
    )
