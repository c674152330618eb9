"""Who may draft which document, use which spreadsheet, exchange data with DHIS2.

The same predicates guard the web pages, the API and the services.
"""

from __future__ import annotations

from typing import Any

from papitrack.accounts.enums import Role
from papitrack.accounts.rules import (
    is_coordinator,
    is_member_of_unit_or_ancestor,
    role_of,
    sees_everything,
)
from papitrack.orgunits.models import OrgUnit
from papitrack.reports import rules as report_rules
from papitrack.reports.models import Report
from papitrack.tasks.enums import AssigneeRole
from papitrack.tasks.models import TaskAssignee

CONSOLIDATED_ROLES = frozenset({Role.COORDINATOR, Role.LEADER})


def can_draft_consolidated_report(user: Any) -> bool:
    """The province's 6-month and annual reports: Sở Nội vụ (coordinator) and the leaders."""
    return role_of(user) in CONSOLIDATED_ROLES


def leads_tasks_of(user: Any, unit: OrgUnit) -> bool:
    """The user's unit leads a task on which the unit has to report (it reviews the unit)."""
    if role_of(user) is None or user.unit_id is None:
        return False
    led = TaskAssignee.objects.filter(role=AssigneeRole.LEAD, unit_id=user.unit_id).values(
        "task_id"
    )
    return Report.objects.filter(unit=unit, task_id__in=led).exists()


def reads_whole_unit(user: Any, unit: OrgUnit) -> bool:
    """Every figure of the unit: province-wide roles, the unit and the units above it."""
    return role_of(user) is not None and (
        sees_everything(user) or is_member_of_unit_or_ancestor(user, unit)
    )


def tasks_led_by(user: Any) -> list[int]:
    """Ids of the tasks the user's unit leads (what a lead agency sees of other units)."""
    return sorted(
        TaskAssignee.objects.filter(role=AssigneeRole.LEAD, unit_id=user.unit_id)
        .values_list("task_id", flat=True)
        .distinct()
    )


def can_draft_unit_report(user: Any, unit: OrgUnit) -> bool:
    """A unit's own report: its officers and those above it, the province-wide roles, and
    the lead agencies that review it (limited to the tasks they lead)."""
    return reads_whole_unit(user, unit) or leads_tasks_of(user, unit)


def can_draft_unit_plan_template(user: Any, unit: OrgUnit) -> bool:
    """The template of a unit's implementation plan: the unit itself and Sở Nội vụ."""
    if role_of(user) is None:
        return False
    return user.unit_id == unit.pk or is_coordinator(user) or sees_everything(user)


def can_use_spreadsheet(user: Any, report: Report) -> bool:
    """Download a report's template and check a filled one: the reporting unit's officers
    (a district for its communes) and the coordinator, who may send it to the unit."""
    return report_rules.is_reporting_officer(user, report) or is_coordinator(user)


def can_commit_spreadsheet(user: Any, report: Report) -> bool:
    """Writing the values is the reporting unit's alone, like every edit of a report."""
    return report_rules.can_edit_report(user, report)


def can_exchange_with_dhis2(user: Any) -> bool:
    """DHIS2 export and import: Sở Nội vụ (the import then writes only what the
    coordinator could type in by hand)."""
    return is_coordinator(user)
