"""Reads of reports: what a user may see, one report with everything its page shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from papitrack.accounts.enums import Role
from papitrack.accounts.rules import role_of, sees_everything
from papitrack.reports import rules
from papitrack.reports.models import Evidence, Report, ReportTransition
from papitrack.tasks.enums import AssigneeRole
from papitrack.tasks.models import TaskAssignee

NOT_FOUND = "Không tìm thấy báo cáo."


def _unit_or_below(unit_id: int) -> Q:
    return Q(unit_id=unit_id) | Q(unit__parent_id=unit_id) | Q(unit__parent__parent_id=unit_id)


def reports_visible_to(user: Any) -> QuerySet[Report]:
    """Reports the user may read: everything for coordinators and leaders; otherwise the
    reports of the user's unit and the units below it, plus (for a lead unit) every report
    on the tasks it leads."""
    reports = Report.objects.select_related(
        "task__dimension", "unit__parent", "period", "approved_by"
    )
    role = role_of(user)
    if role is None:
        return reports.none()
    if sees_everything(user):
        return reports
    if user.unit_id is None:
        return reports.none()
    condition = _unit_or_below(user.unit_id)
    if role in {Role.LEAD_REVIEWER, Role.COORDINATOR, Role.UNIT_REPORTER}:
        led_tasks = TaskAssignee.objects.filter(
            role=AssigneeRole.LEAD, unit_id=user.unit_id
        ).values("task_id")
        condition |= Q(task_id__in=led_tasks)
    return reports.filter(condition)


def filter_reports(
    reports: QuerySet[Report],
    *,
    period: str | None = None,
    task: str | None = None,
    unit: str | None = None,
    status: str | None = None,
    dimension: str | None = None,
) -> QuerySet[Report]:
    if period:
        reports = reports.filter(period__code=period)
    if task:
        reports = (
            reports.filter(task__key=task)
            # isascii: "²" passes isdigit() but not int().
            if not (task.isascii() and task.isdigit())
            else reports.filter(task_id=int(task))
        )
    if unit:
        reports = reports.filter(unit__code=unit)
    if status:
        reports = reports.filter(status=status)
    if dimension:
        reports = reports.filter(task__dimension__code=dimension)
    return reports


def get_report_for_user(user: Any, report_id: int) -> Report:
    """The report with its task, KPIs and values, or 404 when the user may not see it."""
    report = (
        Report.objects.select_related(
            "task__dimension", "task__plan", "unit__parent__parent", "period", "approved_by"
        )
        .prefetch_related(
            "task__kpis",
            Prefetch("task__assignees", queryset=TaskAssignee.objects.select_related("unit")),
            "values__kpi",
            "child_answers__child",
            Prefetch(
                "evidence",
                queryset=Evidence.objects.filter(removed_at__isnull=True).select_related(
                    "uploaded_by", "kpi"
                ),
            ),
            Prefetch(
                "transitions",
                queryset=ReportTransition.objects.select_related("actor").order_by("at", "id"),
            ),
        )
        .filter(pk=report_id)
        .first()
    )
    if report is None or not rules.can_view_report(user, report):
        # 404, not 403: an outsider learns nothing about which ids exist.
        raise Http404(NOT_FOUND)
    return report


def get_evidence_for_user(user: Any, evidence_id: int) -> Evidence:
    evidence = (
        Evidence.objects.select_related("report__unit__parent__parent", "report__task")
        .prefetch_related(
            Prefetch(
                "report__task__assignees", queryset=TaskAssignee.objects.select_related("unit")
            )
        )
        .filter(pk=evidence_id, removed_at__isnull=True)
        .first()
    )
    if evidence is None or not rules.can_view_report(user, evidence.report):
        raise Http404(NOT_FOUND)
    return evidence


@dataclass(frozen=True)
class ReportPermissions:
    can_edit: bool
    can_submit: bool
    can_review: bool
    can_reopen: bool


def permissions_for(user: Any, report: Report) -> ReportPermissions:
    return ReportPermissions(
        can_edit=rules.can_edit_report(user, report),
        can_submit=rules.can_submit_report(user, report),
        can_review=rules.can_review_report(user, report),
        can_reopen=rules.can_reopen_report(user, report),
    )


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
