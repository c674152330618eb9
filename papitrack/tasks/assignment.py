"""Expand a task's assignees (units, levels, groups) into the concrete units they mean.

"UBND cấp xã" means every commune active on the day; "các Sở, Ban, ngành" every department
and provincial agency. "Các cơ quan, đơn vị có liên quan" names nobody: it stays unresolved
until the lead unit names the units, and is reported as such rather than guessed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from papitrack.orgunits.enums import UnitGroup, UnitKind
from papitrack.orgunits.models import OrgUnit
from papitrack.tasks.enums import AssigneeRole
from papitrack.tasks.models import Task, TaskAssignee

GROUP_MEMBER_KINDS: dict[str, frozenset[str]] = {
    UnitGroup.DEPARTMENTS: frozenset({UnitKind.DEPARTMENT, UnitKind.AGENCY}),
    UnitGroup.MASS_ORGANISATIONS: frozenset({UnitKind.MASS_ORGANISATION}),
    UnitGroup.ALL_UNITS: frozenset(
        {UnitKind.DEPARTMENT, UnitKind.AGENCY, UnitKind.DISTRICT, UnitKind.COMMUNE}
    ),
}


@dataclass(frozen=True)
class ConcreteAssignment:
    unit: OrgUnit
    role: str
    via: str
    is_consolidating: bool


@dataclass(frozen=True)
class ExpandedTask:
    task: Task
    assignments: tuple[ConcreteAssignment, ...]
    unresolved: tuple[TaskAssignee, ...]

    def units(self, role: str) -> list[OrgUnit]:
        seen: dict[int, OrgUnit] = {}
        for assignment in self.assignments:
            if assignment.role == role:
                seen.setdefault(assignment.unit.pk, assignment.unit)
        return list(seen.values())


def units_of_province(*, province: OrgUnit, day: datetime.date) -> list[OrgUnit]:
    """Every unit under the province (three levels deep) active on the day, in one query."""
    under = Q(parent=province) | Q(parent__parent=province) | Q(parent__parent__parent=province)
    units = OrgUnit.objects.filter(under).select_related("parent__parent")
    return [unit for unit in units if unit.is_active_on(day)]


def _members(assignee: TaskAssignee, units: Iterable[OrgUnit], issuer: OrgUnit) -> list[OrgUnit]:
    if assignee.level:
        return [unit for unit in units if unit.level == assignee.level]
    kinds = GROUP_MEMBER_KINDS.get(assignee.group)
    if kinds is None:
        return []
    return [unit for unit in units if unit.kind in kinds and unit.pk != issuer.pk]


def expand_tasks(*, tasks: Iterable[Task], day: datetime.date) -> list[ExpandedTask]:
    """Concrete lead and implementing units of each task, as on the given day."""
    task_list = list(tasks)
    if not task_list:
        return []
    issuer = task_list[0].plan.issuer
    units = units_of_province(province=issuer, day=day)
    expanded = []
    for task in task_list:
        assignments: list[ConcreteAssignment] = []
        unresolved: list[TaskAssignee] = []
        for assignee in task.assignees.all():
            if assignee.unit is not None:
                members = [assignee.unit]
                via = "unit"
            else:
                members = _members(assignee, units, issuer)
                via = "level" if assignee.level else "group"
            if not members:
                unresolved.append(assignee)
            assignments.extend(
                ConcreteAssignment(
                    unit=member,
                    role=assignee.role,
                    via=via,
                    is_consolidating=assignee.is_consolidating,
                )
                for member in members
            )
        expanded.append(
            ExpandedTask(task=task, assignments=tuple(assignments), unresolved=tuple(unresolved))
        )
    return expanded


def lead_units_for(expanded: ExpandedTask, *, unit: OrgUnit) -> list[OrgUnit]:
    """Who reviews a unit's report on this task: its own lead, nearest first.

    A lead that is a level (e.g. district PCs lead II.4) leads for its own area only, so a
    commune's report goes to its own district, not to every district.
    """
    leads = expanded.units(AssigneeRole.LEAD)
    ancestors = []
    current = unit.parent
    while current is not None:
        ancestors.append(current)
        current = current.parent
    area_leads = [lead for lead in leads if lead.kind == UnitKind.DISTRICT]
    own_area = [lead for lead in area_leads if lead in ancestors]
    if area_leads and unit.kind in {UnitKind.COMMUNE}:
        return own_area
    return [lead for lead in leads if lead.kind != UnitKind.DISTRICT] or own_area


def tasks_assigned_to(*, plan_id: int, unit: OrgUnit) -> list[Task]:
    """Tasks of a plan that a unit leads or implements, in one query (no full expansion)."""
    groups = [group for group, kinds in GROUP_MEMBER_KINDS.items() if unit.kind in kinds]
    condition = Q(unit=unit) | Q(group__in=groups)
    if unit.level:
        condition |= Q(level=unit.level)
    assignees = TaskAssignee.objects.filter(condition, task__plan_id=plan_id)
    return list(
        Task.objects.filter(pk__in=assignees.values("task_id"))
        .prefetch_related("kpis")
        .order_by("position")
    )
