"""Who may see which monitoring figures. Checked by views, API and services alike.

- Coordinators, leaders and administrators see every unit and may include submitted
  (not yet approved) figures.
- Anyone else sees their own unit and the units below it, and a lead unit sees every unit
  on the tasks it leads.
- Approved figures of the whole plan (by dimension and task) are public (the public page).
"""

from __future__ import annotations

from typing import Any

from papitrack.accounts.rules import (
    is_administrator,
    is_coordinator,
    is_member_of_unit_or_ancestor,
    role_of,
    sees_everything,
)
from papitrack.orgunits.models import OrgUnit
from papitrack.tasks.enums import AssigneeRole
from papitrack.tasks.models import Task


def can_view_unit(user: Any, unit: OrgUnit) -> bool:
    if role_of(user) is None:
        return False
    return sees_everything(user) or is_member_of_unit_or_ancestor(user, unit)


def leads_task(user: Any, task: Task) -> bool:
    """The user's unit is a concrete lead of the task (assignees must be prefetched)."""
    return user.unit_id is not None and any(
        assignee.role == AssigneeRole.LEAD and assignee.unit_id == user.unit_id
        for assignee in task.assignees.all()
    )


def can_view_task_rollup(user: Any, task: Task, unit: OrgUnit) -> bool:
    return can_view_unit(user, unit) or (role_of(user) is not None and leads_task(user, task))


def default_task_scope(user: Any, task: Task, province: OrgUnit) -> OrgUnit | None:
    """Where a task's roll-up opens: the province for those who may see it, else the user's
    own unit (None when the user has none)."""
    if can_view_task_rollup(user, task, province):
        return province
    unit: OrgUnit | None = getattr(user, "unit", None)
    return unit


def can_include_submitted(user: Any) -> bool:
    """Submitted figures are not final; the province-wide view of them is the coordinator's,
    the leaders' and the administrators'. Others see them on their own reports."""
    return sees_everything(user)


def can_set_rollup_rules(user: Any) -> bool:
    return bool(is_coordinator(user) or is_administrator(user))
