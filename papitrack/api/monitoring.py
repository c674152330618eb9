"""Monitoring through the API: a task's roll-up, completeness, the plan's status.

The same reads and the same permissions as the browser's monitoring pages: a unit outside
the caller's scope is a 404, unapproved figures (`include_submitted`) are for coordinators,
leaders and administrators only (403 otherwise). The rules are in docs/ARCHITECTURE.md,
"Roll-up rules".
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from papitrack.api.auth import USER_AUTH
from papitrack.monitoring.achievement import StateCounts
from papitrack.monitoring.queries.cached import cached_report_rows, cached_rollup
from papitrack.monitoring.queries.completeness import completeness_rows
from papitrack.monitoring.queries.dashboards import (
    DimensionStatus,
    pick_period,
    plan_status,
    received_counts,
)
from papitrack.monitoring.queries.rollups import (
    KpiResult,
    TaskResult,
    group_units,
    periods_of,
    task_for_rollup,
)
from papitrack.monitoring.queries.scope import LEVELS, PeriodRef, get_scope_unit_for_user
from papitrack.monitoring.rules import (
    can_include_submitted,
    can_view_task_rollup,
    default_task_scope,
)
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Plan
from papitrack.plans.versions import data_version

router = Router(tags=["monitoring"], auth=USER_AUTH)

UNKNOWN_PERIOD = "Không có kỳ báo cáo «{code}»."
NO_PERIOD = "Kế hoạch chưa có kỳ báo cáo nào."
UNKNOWN_LEVEL = "Cấp báo cáo phải là một trong: {levels}."
NOT_FOUND = "Không tìm thấy."
SUBMITTED_NOT_ALLOWED = (
    "Chỉ Sở Nội vụ, lãnh đạo tỉnh và quản trị hệ thống được xem số liệu chưa phê duyệt."
)


class ErrorOut(Schema):
    detail: str
    errors: list[str] = Field(default_factory=list)


class PeriodOut(Schema):
    code: str
    label: str
    kind: str
    start: datetime.date
    end: datetime.date


class UnitOut(Schema):
    code: str
    name: str
    kind: str


class StatesOut(Schema):
    expected: int
    received: int
    on_time: int
    late: int
    in_progress: int
    overdue: int
    completeness: Decimal | None = Field(description="Đã nộp ÷ phải nộp (0–1).")
    timeliness: Decimal | None = Field(description="Đúng hạn ÷ đã nộp (0–1).")
    state: str | None = Field(
        description="Trạng thái xấu nhất: overdue, in_progress, done_late, done_on_time."
    )


class KpiRollupOut(Schema):
    code: str
    kind: str
    accumulation: str
    zero_denominator: str
    numerator: Decimal | None
    denominator: Decimal | None
    ratio: Decimal | None = Field(description="Tổng tử số ÷ tổng mẫu số; null khi 0/0.")
    events: Decimal | None
    expected_units: int
    reported_units: int
    target_comparator: str
    target_percent: Decimal | None
    achievement: str
    traffic_light: str


class TaskStatusOut(Schema):
    id: int
    key: str
    label: str
    title: str
    source: str
    value_periods: list[str]
    on_track: bool
    states: StatesOut
    kpis: list[KpiRollupOut]


class ChildRollupOut(Schema):
    unit: UnitOut
    own_reports_only: bool
    states: StatesOut
    kpis: list[KpiRollupOut]


class TaskRollupOut(Schema):
    task: TaskStatusOut
    unit: UnitOut
    period: PeriodOut
    include_submitted: bool
    children: list[ChildRollupOut]


class CompletenessRowOut(Schema):
    unit: UnitOut
    own_reports_only: bool
    states: StatesOut
    approved: int


class CompletenessOut(Schema):
    unit: UnitOut
    period: PeriodOut | None
    level: str | None
    total: StatesOut
    rows: list[CompletenessRowOut]


class DimensionScoreOut(Schema):
    year: int
    score: Decimal


class DimensionStatusOut(Schema):
    code: str
    number: int
    name: str
    assessed_tasks: int
    on_track_tasks: int
    share_on_track: Decimal | None
    target_score: Decimal | None
    scores: list[DimensionScoreOut]
    tasks: list[TaskStatusOut]


class PlanStatusOut(Schema):
    plan_id: int
    period: PeriodOut | None
    include_submitted: bool
    today: datetime.date
    states: StatesOut
    dimensions: list[DimensionStatusOut]


def _period(period: PeriodRef) -> dict[str, Any]:
    return {
        "code": period.code,
        "label": period.label,
        "kind": period.kind,
        "start": period.start,
        "end": period.end,
    }


def _unit(unit: OrgUnit) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind}


def _states(states: StateCounts) -> dict[str, Any]:
    return {
        "expected": states.expected,
        "received": states.received,
        "on_time": states.done_on_time,
        "late": states.done_late,
        "in_progress": states.in_progress,
        "overdue": states.overdue,
        "completeness": states.completeness,
        "timeliness": states.timeliness,
        "state": states.state,
    }


def _kpi(result: KpiResult) -> dict[str, Any]:
    tally = result.tally
    reported = tally.reported > 0
    return {
        "code": result.kpi.code,
        "kind": result.kpi.kind,
        "accumulation": result.accumulation,
        "zero_denominator": result.zero_denominator,
        "numerator": tally.numerator if reported else None,
        "denominator": tally.denominator if reported else None,
        "ratio": tally.ratio if reported else None,
        "events": tally.events if reported and result.family == "count" else None,
        "expected_units": tally.expected,
        "reported_units": tally.reported,
        "target_comparator": result.target.comparator,
        "target_percent": result.target.value,
        "achievement": result.achievement,
        "traffic_light": result.light,
    }


def _task(result: TaskResult) -> dict[str, Any]:
    return {
        "id": result.task.pk,
        "key": result.task.key,
        "label": result.task.printed_label,
        "title": result.task.title,
        "source": result.source,
        "value_periods": [period.code for period in result.value_periods],
        "on_track": result.on_track,
        "states": _states(result.states),
        "kpis": [_kpi(kpi) for kpi in result.kpis],
    }


def _require_submitted_right(request: HttpRequest, include_submitted: bool) -> None:
    if include_submitted and not can_include_submitted(request.user):
        raise PermissionDenied(SUBMITTED_NOT_ALLOWED)


@router.get(
    "/tasks/{task_id}/rollup",
    response={200: TaskRollupOut, 403: ErrorOut, 404: ErrorOut},
    summary="Tổng hợp chỉ tiêu của một nhiệm vụ tại một đơn vị và các đơn vị cấp dưới",
)
def task_rollup(
    request: HttpRequest,
    task_id: int,
    period: str | None = None,
    unit: str | None = None,
    include_submitted: bool = False,
) -> dict[str, Any]:
    _require_submitted_right(request, include_submitted)
    task = task_for_rollup(task_id)
    if task is None:
        raise HttpError(404, NOT_FOUND)
    plan = task.plan
    scope = (
        OrgUnit.objects.filter(code=unit).first()
        if unit
        else default_task_scope(request.user, task, plan.issuer)
    )
    if scope is None or not can_view_task_rollup(request.user, task, scope):
        raise HttpError(404, NOT_FOUND)
    today = timezone.localdate()
    version = data_version(plan_id=plan.pk)
    rows = cached_report_rows(
        plan=plan, version=version, root=scope, today=today, task_ids=[task.pk]
    )
    periods = periods_of(rows)
    try:
        chosen = pick_period(periods, period, counts=received_counts(rows), today=today)
    except KeyError as error:
        raise HttpError(404, UNKNOWN_PERIOD.format(code=period)) from error
    if chosen is None:
        raise HttpError(404, NO_PERIOD)
    rollup = cached_rollup(
        plan=plan,
        version=version,
        tasks=[task],
        period=chosen,
        load_rows=lambda: rows,
        root=scope,
        include_submitted=include_submitted,
        today=today,
    )
    groups = group_units(rollup.group_ids)
    ordered = sorted(groups.values(), key=lambda group: (group.pk != scope.pk, group.code))
    return {
        "task": _task(rollup.task_result(task)),
        "unit": _unit(scope),
        "period": _period(chosen),
        "include_submitted": include_submitted,
        "children": [
            {
                "unit": _unit(group),
                "own_reports_only": group.pk == scope.pk,
                "states": _states(rollup.task_states(task, group.pk)),
                "kpis": [_kpi(kpi) for kpi in rollup.task_result(task, group.pk).kpis],
            }
            for group in ordered
        ],
    }


def _latest_plan() -> Plan:
    plan = Plan.objects.select_related("issuer", "index").order_by("-issued_on", "-pk").first()
    if plan is None:
        raise HttpError(404, NO_PERIOD)
    return plan


@router.get(
    "/completeness",
    response={200: CompletenessOut, 404: ErrorOut},
    summary="Mức độ đầy đủ và đúng hạn của báo cáo theo đơn vị, cấp và kỳ",
)
def completeness(
    request: HttpRequest,
    period: str | None = None,
    level: str | None = None,
    unit: str | None = None,
) -> dict[str, Any]:
    if level is not None and level not in LEVELS:
        raise HttpError(404, UNKNOWN_LEVEL.format(levels=", ".join(LEVELS)))
    plan = _latest_plan()
    try:
        scope = get_scope_unit_for_user(request.user, code=unit, default=plan.issuer)
    except Http404 as error:
        raise HttpError(404, NOT_FOUND) from error
    today = timezone.localdate()
    rows = cached_report_rows(
        plan=plan, version=data_version(plan_id=plan.pk), root=scope, today=today, level=level
    )
    periods = periods_of(rows)
    try:
        chosen = pick_period(periods, period, counts=received_counts(rows), today=today)
    except KeyError as error:
        raise HttpError(404, UNKNOWN_PERIOD.format(code=period)) from error
    table = completeness_rows(
        rows=rows, root=scope, units=group_units({row.group_id for row in rows}), period=chosen
    )
    return {
        "unit": _unit(scope),
        "period": _period(chosen) if chosen else None,
        "level": level,
        "total": _states(sum((row.states for row in table), StateCounts())),
        "rows": [
            {
                "unit": _unit(row.unit),
                "own_reports_only": row.is_own,
                "states": _states(row.states),
                "approved": row.approved,
            }
            for row in table
        ],
    }


def _dimension(dimension: DimensionStatus) -> dict[str, Any]:
    return {
        "code": dimension.dimension.code,
        "number": dimension.dimension.number,
        "name": dimension.dimension.name_vi,
        "assessed_tasks": dimension.assessed,
        "on_track_tasks": dimension.on_track,
        "share_on_track": dimension.share_on_track,
        "target_score": dimension.target.score if dimension.target else None,
        "scores": [{"year": point.year, "score": point.score} for point in dimension.scores],
        "tasks": [_task(result) for result in dimension.tasks],
    }


@router.get(
    "/plans/{plan_id}/status",
    response={200: PlanStatusOut, 403: ErrorOut, 404: ErrorOut},
    summary="Tình hình thực hiện kế hoạch theo chỉ số nội dung và nhiệm vụ trong một kỳ",
)
def status(
    request: HttpRequest,
    plan_id: int,
    period: str | None = None,
    include_submitted: bool = False,
) -> dict[str, Any]:
    _require_submitted_right(request, include_submitted)
    plan = Plan.objects.select_related("issuer", "index").filter(pk=plan_id).first()
    if plan is None:
        raise HttpError(404, NOT_FOUND)
    try:
        result = plan_status(plan=plan, period_code=period, include_submitted=include_submitted)
    except KeyError as error:
        raise HttpError(404, UNKNOWN_PERIOD.format(code=period)) from error
    return {
        "plan_id": plan.pk,
        "period": _period(result.period) if result.period else None,
        "include_submitted": include_submitted,
        "today": result.today,
        "states": _states(result.states),
        "dimensions": [_dimension(dimension) for dimension in result.dimensions],
    }
