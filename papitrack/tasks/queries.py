"""Reads for the plan's tasks: the filtered list, its filter options, and a unit's tasks."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from papitrack.lib.text import fold_text, vietnamese_sort_key
from papitrack.orgunits.enums import UnitGroup, UnitLevel
from papitrack.orgunits.models import OrgUnit
from papitrack.orgunits.queries import ancestors_of
from papitrack.plans.models import Plan
from papitrack.tasks.assignment import GROUP_MEMBER_KINDS, units_of_province
from papitrack.tasks.enums import AssigneeRole
from papitrack.tasks.models import Task, TaskAssignee

# Filter values use the plan file's notation (docs/plan-file-format.md, "Unit references").
LEVEL_PREFIX = "level:"
GROUP_PREFIX = "group:"


class AssignmentReason(models.TextChoices):
    """Why a unit has a task: named in the row, or covered by a level or group named there."""

    DIRECT = "direct", "trực tiếp"
    LEVEL = "level", "theo cấp"
    GROUP = "group", "theo nhóm"


class AssigneeKind(models.TextChoices):
    UNIT = "unit", "Đơn vị"
    LEVEL = "level", "Cấp"
    GROUP = "group", "Nhóm"


@dataclass(frozen=True)
class AssigneeOption:
    value: str
    label: str
    kind: str


@dataclass(frozen=True)
class AssignmentBasis:
    reason: str
    label: str
    is_consolidating: bool

    @property
    def reason_label(self) -> str:
        return AssignmentReason(self.reason).label


@dataclass(frozen=True)
class UnitTask:
    task: Task
    bases: tuple[AssignmentBasis, ...]


@dataclass(frozen=True)
class TaskAssignmentsForUnit:
    leads: list[UnitTask]
    implements: list[UnitTask]


@dataclass(frozen=True)
class Coverage:
    """How many units each level and each group of a plan stands for."""

    levels: dict[str, int]
    groups: dict[str, int]


def assignee_value(assignee: TaskAssignee) -> str:
    """The filter value of an assignee: a unit code, "level:commune" or "group:departments"."""
    if assignee.unit is not None:
        return assignee.unit.code
    if assignee.level:
        return LEVEL_PREFIX + assignee.level
    return GROUP_PREFIX + assignee.group


def _assignee_condition(value: str) -> Q:
    if value.startswith(LEVEL_PREFIX):
        return Q(level=value.removeprefix(LEVEL_PREFIX))
    if value.startswith(GROUP_PREFIX):
        return Q(group=value.removeprefix(GROUP_PREFIX))
    return Q(unit__code=value)


def with_assignees(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Add the dimension, KPIs and assignees (as lead_assignees and implementing_assignees)."""
    assignees = TaskAssignee.objects.select_related("unit").order_by("position")
    return tasks.select_related("dimension", "plan").prefetch_related(
        "kpis",
        Prefetch(
            "assignees",
            queryset=assignees.filter(role=AssigneeRole.LEAD),
            to_attr="lead_assignees",
        ),
        Prefetch(
            "assignees",
            queryset=assignees.filter(role=AssigneeRole.IMPLEMENTING),
            to_attr="implementing_assignees",
        ),
    )


def filter_tasks(
    *,
    plan: Plan,
    dimension_code: str | None = None,
    lead: str | None = None,
    implementer: str | None = None,
    timeline: str | None = None,
    text: str | None = None,
) -> QuerySet[Task]:
    """The plan's tasks in plan order, narrowed by every filter given.

    lead and implementer take a unit code, "level:<level>" or "group:<group>" and match the
    task row as printed (a commune does not match "level:commune" here). text matches when
    every word, folded like Task.search_text, occurs in it: "quan tri" finds "quản trị".
    """
    tasks = Task.objects.filter(plan=plan)
    if dimension_code:
        tasks = tasks.filter(dimension__code=dimension_code)
    for role, value in ((AssigneeRole.LEAD, lead), (AssigneeRole.IMPLEMENTING, implementer)):
        if value:
            tasks = tasks.filter(
                Exists(
                    TaskAssignee.objects.filter(
                        _assignee_condition(value), task=OuterRef("pk"), role=role
                    )
                )
            )
    if timeline:
        tasks = tasks.filter(timeline_kind=timeline)
    for word in fold_text(text or "").split():
        tasks = tasks.filter(search_text__icontains=word)
    return with_assignees(tasks.order_by("position"))


def assignee_options(*, plan: Plan, role: str) -> list[AssigneeOption]:
    """The units, levels and groups the plan names in one role, units first, by name."""
    options: dict[str, AssigneeOption] = {}
    for assignee in TaskAssignee.objects.filter(task__plan=plan, role=role).select_related("unit"):
        value = assignee_value(assignee)
        if value in options:
            continue
        kind = (
            AssigneeKind.UNIT
            if assignee.unit is not None
            else AssigneeKind.LEVEL
            if assignee.level
            else AssigneeKind.GROUP
        )
        # Full unit names in the select: short names ("SNV") are for the crowded table.
        label = assignee.unit.name if assignee.unit is not None else assignee.label
        options[value] = AssigneeOption(value=value, label=label, kind=kind)
    enum_order = {
        **{LEVEL_PREFIX + level: position for position, level in enumerate(UnitLevel.values)},
        **{GROUP_PREFIX + group: position for position, group in enumerate(UnitGroup.values)},
    }
    kind_order = {kind: position for position, kind in enumerate(AssigneeKind.values)}
    return sorted(
        options.values(),
        key=lambda option: (
            kind_order[option.kind],
            enum_order.get(option.value, 0),
            vietnamese_sort_key(option.label),
        ),
    )


def assignee_coverage(*, plan: Plan) -> Coverage:
    """Count the units behind each level and group on the plan's issue date.

    Uses the expansion rules of tasks.assignment, so the count matches who must report.
    """
    units = units_of_province(province=plan.issuer, day=plan.issued_on)
    return Coverage(
        levels=dict(Counter(unit.level for unit in units if unit.level)),
        groups={
            group: sum(1 for unit in units if unit.kind in kinds)
            for group, kinds in GROUP_MEMBER_KINDS.items()
        },
    )


def tasks_for_unit(*, unit: OrgUnit) -> TaskAssignmentsForUnit:
    """The tasks a unit leads and implements, and why.

    A unit has a task when the row names it (trực tiếp), names its level, e.g. a commune
    for "UBND cấp xã" (theo cấp), or names a group of its kind (theo nhóm). Levels and
    groups follow tasks.assignment: they reach only units below the issuing province that
    existed on the plan's issue date, so a commune created in 2025 has no task of a 2020
    plan. Load the unit with its parents (select_related) to save queries.
    """
    groups = [group for group, kinds in GROUP_MEMBER_KINDS.items() if unit.kind in kinds]
    indirect = Q(group__in=groups)
    if unit.level:
        indirect |= Q(level=unit.level)
    below_issuer = Q(task__plan__issuer__in=ancestors_of(unit=unit))
    assignees = (
        TaskAssignee.objects.filter(Q(unit=unit) | (indirect & below_issuer))
        .select_related("task__plan", "task__dimension", "unit")
        .order_by("task__plan__issued_on", "task__plan_id", "task__position", "position")
    )
    bases: dict[str, dict[int, list[AssignmentBasis]]] = {
        AssigneeRole.LEAD: {},
        AssigneeRole.IMPLEMENTING: {},
    }
    tasks: dict[int, Task] = {}
    for assignee in assignees:
        task = assignee.task
        if assignee.unit_id is not None:
            reason = AssignmentReason.DIRECT
        elif not unit.is_active_on(task.plan.issued_on):
            continue
        else:
            reason = AssignmentReason.LEVEL if assignee.level else AssignmentReason.GROUP
        tasks[task.pk] = task
        bases[assignee.role].setdefault(task.pk, []).append(
            AssignmentBasis(
                reason=reason, label=assignee.label, is_consolidating=assignee.is_consolidating
            )
        )
    return TaskAssignmentsForUnit(
        leads=[
            UnitTask(task=tasks[task_id], bases=tuple(found))
            for task_id, found in bases[AssigneeRole.LEAD].items()
        ],
        implements=[
            UnitTask(task=tasks[task_id], bases=tuple(found))
            for task_id, found in bases[AssigneeRole.IMPLEMENTING].items()
        ],
    )
