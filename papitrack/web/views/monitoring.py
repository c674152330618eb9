"""Drill-down screens: completeness by unit, overdue reports, the league table, one task.

Each starts at the province for those who see everything (at their own unit otherwise) and
goes one level down per click: province → district → commune. Every table exports to XLSX
with `export=xlsx`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from papitrack.calendars.enums import ReportingLevel
from papitrack.monitoring.achievement import StateCounts
from papitrack.monitoring.queries.cached import cached_report_rows, cached_rollup
from papitrack.monitoring.queries.completeness import (
    completeness_rows,
    drill_path,
    league_table,
    overdue_lines,
    overdue_reports,
    overdue_rows,
    report_states,
)
from papitrack.monitoring.queries.dashboards import received_counts
from papitrack.monitoring.queries.rollups import group_units, periods_of, task_for_rollup
from papitrack.monitoring.queries.scope import (
    get_scope_unit_for_user,
    plan_periods,
)
from papitrack.monitoring.rules import (
    can_include_submitted,
    can_view_task_rollup,
    can_view_unit,
    default_task_scope,
)
from papitrack.monitoring.tables import (
    completeness_table,
    league_table_export,
    overdue_table,
    report_states_table,
    task_rollup_table,
)
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Plan
from papitrack.plans.versions import data_version
from papitrack.reports.models import Report
from papitrack.tasks.models import Task
from papitrack.web.monitoring_support import (
    LEVEL_LABELS,
    UNKNOWN_PERIOD,
    Filters,
    choose_period,
    query_with,
    read_filters,
    xlsx_response,
)
from papitrack.web.views.dashboard import EXPORT_ROW_LIMIT, get_monitored_plan

PAGE_SIZE = 50
NO_TASK = "Không tìm thấy nhiệm vụ."
DEFAULT_LEAGUE_LEVEL = ReportingLevel.COMMUNE


def _top(request: HttpRequest, plan: Plan) -> OrgUnit:
    """Where the drill-down path starts for this user: the province, or their own unit."""
    if can_view_unit(request.user, plan.issuer):
        return plan.issuer
    unit = getattr(request.user, "unit", None)
    return unit if unit is not None else plan.issuer


def _context(request: HttpRequest, filters: Filters, **extra: Any) -> dict[str, Any]:
    return {
        "filters": filters,
        "levels": LEVEL_LABELS.items(),
        "can_include_submitted": can_include_submitted(request.user),
        "export_url": query_with(request, export="xlsx", page=None),
        **extra,
    }


@require_safe
@login_required
def completeness(request: HttpRequest) -> HttpResponse:
    """Reports received ÷ expected and on time ÷ received, for each unit one level down."""
    plan = get_monitored_plan()
    filters = read_filters(request)
    unit = get_scope_unit_for_user(request.user, code=filters.unit, default=plan.issuer)
    today = timezone.localdate()
    rows = cached_report_rows(
        plan=plan,
        version=data_version(plan_id=plan.pk),
        root=unit,
        today=today,
        level=filters.level,
    )
    periods = periods_of(rows)
    period = choose_period(periods, filters.period, counts=received_counts(rows), today=today)
    table = completeness_rows(
        rows=rows,
        root=unit,
        units=group_units({row.group_id for row in rows}),
        period=period,
    )
    is_leaf = all(row.is_own for row in table)
    own_reports: list[Report] = []
    if is_leaf and period is not None:
        own_reports = list(
            Report.objects.filter(task__plan=plan, unit=unit, period_id=period.id)
            .select_related("task", "period")
            .order_by("due_date", "task__position")
        )
    own_states = report_states(own_reports, today=today)
    if filters.export:
        if is_leaf:
            return xlsx_response(
                report_states_table(f"Báo cáo của {unit.display_name}", own_states, unit=unit),
                name=f"bao-cao-{unit.code}",
            )
        return xlsx_response(
            completeness_table(table, period=period, root=unit), name=f"day-du-{unit.code}"
        )
    return render(
        request,
        "web/monitoring/completeness.html",
        _context(
            request,
            filters,
            unit=unit,
            path=drill_path(unit, top=_top(request, plan)),
            periods=periods,
            period=period,
            rows=table,
            total=sum((row.states for row in table), StateCounts()),
            total_approved=sum(row.approved for row in table),
            is_leaf=is_leaf,
            own_reports=own_states,
            today=today,
        ),
    )


@require_safe
@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    """Reports not submitted after their due date, with days late; all periods by default."""
    plan = get_monitored_plan()
    filters = read_filters(request)
    unit = get_scope_unit_for_user(request.user, code=filters.unit, default=plan.issuer)
    today = timezone.localdate()
    periods = plan_periods(plan.pk)
    period = None
    if filters.period:
        period = next((p for p in periods if p.code == filters.period), None)
        if period is None:
            raise Http404(UNKNOWN_PERIOD.format(code=filters.period))
    reports = overdue_reports(plan=plan, root=unit, period=period, level=filters.level, today=today)
    if filters.export:
        lines = overdue_lines(reports, today=today, limit=EXPORT_ROW_LIMIT)
        return xlsx_response(
            overdue_table(lines, period=period, root=unit), name=f"qua-han-{unit.code}"
        )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/monitoring/overdue.html",
        _context(
            request,
            filters,
            unit=unit,
            path=drill_path(unit, top=_top(request, plan)),
            periods=periods,
            period=period,
            page=page,
            rows=overdue_rows(page.object_list, today=today),
            today=today,
        ),
    )


@require_safe
@login_required
def league(request: HttpRequest) -> HttpResponse:
    """Units of one level ranked by completeness, then timeliness, of their own reports."""
    plan = get_monitored_plan()
    filters = read_filters(request)
    unit = get_scope_unit_for_user(request.user, code=filters.unit, default=plan.issuer)
    today = timezone.localdate()
    level = filters.level or DEFAULT_LEAGUE_LEVEL
    periods = plan_periods(plan.pk)
    period = None
    if filters.period:
        period = next((p for p in periods if p.code == filters.period), None)
        if period is None:
            raise Http404(UNKNOWN_PERIOD.format(code=filters.period))
    rows = league_table(plan=plan, root=unit, period=period, level=level, today=today)
    if filters.export:
        return xlsx_response(
            league_table_export(rows, period=period, root=unit, level_label=LEVEL_LABELS[level]),
            name=f"xep-hang-{level}",
        )
    return render(
        request,
        "web/monitoring/league.html",
        _context(
            request,
            filters,
            unit=unit,
            path=drill_path(unit, top=_top(request, plan)),
            periods=periods,
            period=period,
            level=level,
            level_label=LEVEL_LABELS[level],
            rows=rows,
        ),
    )


def get_task_for_monitoring(task_id: int) -> Task:
    task = task_for_rollup(task_id)
    if task is None:
        raise Http404(NO_TASK)
    return task


@require_safe
@login_required
def task_rollup(request: HttpRequest, task_id: int) -> HttpResponse:
    """One task's KPIs rolled up under a unit, with each unit one level down."""
    task = get_task_for_monitoring(task_id)
    plan = task.plan
    filters = read_filters(request)
    units = OrgUnit.objects.select_related("parent__parent__parent")
    if filters.unit:
        unit = units.filter(code=filters.unit).first()
    else:
        default = default_task_scope(request.user, task, plan.issuer)
        unit = units.filter(pk=default.pk).first() if default is not None else None
    if unit is None or not can_view_task_rollup(request.user, task, unit):
        raise Http404(NO_TASK)
    today = timezone.localdate()
    version = data_version(plan_id=plan.pk)
    rows = cached_report_rows(
        plan=plan, version=version, root=unit, today=today, task_ids=[task.pk]
    )
    periods = periods_of(rows)
    period = choose_period(periods, filters.period, counts=received_counts(rows), today=today)
    top = (
        plan.issuer
        if can_view_task_rollup(request.user, task, plan.issuer)
        else _top(request, plan)
    )
    context = _context(
        request, filters, task=task, unit=unit, path=drill_path(unit, top=top), periods=periods
    )
    if period is None:
        # The unit owes no report on this task: say so rather than answer 404.
        return render(request, "web/monitoring/task_rollup.html", {**context, "period": None})
    rollup = cached_rollup(
        plan=plan,
        version=version,
        tasks=[task],
        period=period,
        load_rows=lambda: rows,
        root=unit,
        include_submitted=filters.include_submitted,
        today=today,
    )
    groups = group_units(rollup.group_ids)
    ordered = sorted(
        groups.values(), key=lambda group: (group.pk != unit.pk, group.kind, group.code)
    )
    group_rows = [
        (group, group.pk == unit.pk, rollup.task_result(task, group.pk)) for group in ordered
    ]
    total = rollup.task_result(task)
    if filters.export:
        return xlsx_response(
            task_rollup_table(
                total=total,
                rows=group_rows,
                period=period,
                root=unit,
                include_submitted=filters.include_submitted,
            ),
            name=f"nhiem-vu-{task.key}",
        )
    return render(
        request,
        "web/monitoring/task_rollup.html",
        {**context, "period": period, "total": total, "group_rows": group_rows},
    )
