"""Who may see, edit, review and reopen a report. Checked by views, API and services alike."""

from __future__ import annotations

from typing import Any

from papitrack.accounts.enums import Role
from papitrack.accounts.rules import (
    is_coordinator,
    is_member_of_unit_or_ancestor,
    role_of,
    sees_everything,
)
from papitrack.orgunits.enums import UnitKind, UnitLevel
from papitrack.orgunits.models import OrgUnit
from papitrack.reports.enums import EDITABLE_STATUSES, ReportKind, ReportStatus
from papitrack.reports.models import Report
from papitrack.tasks.enums import AssigneeRole

REPORTING_ROLES = frozenset({Role.UNIT_REPORTER, Role.LEAD_REVIEWER, Role.COORDINATOR})


def lead_units_of_task(report: Report) -> list[OrgUnit]:
    """Concrete lead units named on the report's task (levels are handled by area)."""
    return [
        assignee.unit
        for assignee in report.task.assignees.all()
        if assignee.role == AssigneeRole.LEAD and assignee.unit is not None
    ]


def reviewer_units(report: Report) -> list[OrgUnit]:
    """The units whose officers review this report (the coordinator may review any report).

    - a commune's report: its district;
    - a lead unit's consolidated report: nobody below the coordinator (Sở Nội vụ);
    - any other unit's report: the task's lead units, or — where the lead is the district
      level ("UBND cấp huyện") — the unit's own district.
    """
    unit = report.unit
    if report.kind == ReportKind.CONSOLIDATED:
        return []
    if unit.kind == UnitKind.COMMUNE and unit.parent is not None:
        return [unit.parent]
    leads = [lead for lead in lead_units_of_task(report) if lead.pk != unit.pk]
    if leads:
        return leads
    district_leads = any(
        assignee.role == AssigneeRole.LEAD and assignee.level == UnitLevel.DISTRICT
        for assignee in report.task.assignees.all()
    )
    if district_leads and unit.kind == UnitKind.DISTRICT_AGENCY and unit.parent is not None:
        return [unit.parent]
    return []


def is_lead_of_task(user: Any, report: Report) -> bool:
    return user.unit_id is not None and any(
        lead.pk == user.unit_id for lead in lead_units_of_task(report)
    )


def can_view_report(user: Any, report: Report) -> bool:
    if role_of(user) is None:
        return False
    if sees_everything(user):
        return True
    return is_member_of_unit_or_ancestor(user, report.unit) or is_lead_of_task(user, report)


def is_reporting_officer(user: Any, report: Report) -> bool:
    """An officer of the reporting unit itself (whatever the report's state)."""
    return role_of(user) in REPORTING_ROLES and user.unit_id == report.unit_id


def can_edit_report(user: Any, report: Report) -> bool:
    """Only the reporting unit's own officers edit, and only a draft or returned report."""
    return is_reporting_officer(user, report) and report.status in EDITABLE_STATUSES


def can_submit_report(user: Any, report: Report) -> bool:
    return can_edit_report(user, report)


def is_reviewer_of(user: Any, report: Report) -> bool:
    """The report's reviewer unit or the coordinator (whatever the report's state)."""
    if role_of(user) not in REPORTING_ROLES:
        return False
    if is_coordinator(user):
        return True
    if user.unit_id == report.unit_id:
        return False  # nobody approves their own unit's report
    return any(unit.pk == user.unit_id for unit in reviewer_units(report))


def can_review_report(user: Any, report: Report) -> bool:
    """Return or approve: a submitted report, by its reviewer unit or the coordinator."""
    return report.status == ReportStatus.SUBMITTED and is_reviewer_of(user, report)


def can_reopen_any(user: Any) -> bool:
    """Reopening approved reports is the coordinator's alone (Sở Nội vụ)."""
    return bool(is_coordinator(user))


def can_reopen_report(user: Any, report: Report) -> bool:
    return report.status == ReportStatus.APPROVED and bool(is_coordinator(user))
