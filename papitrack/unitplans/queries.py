"""Reads for units' plans: assigned tasks, the coverage check, the round overview."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from papitrack.orgunits.enums import UnitKind
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Plan
from papitrack.tasks.assignment import expand_tasks, tasks_assigned_to
from papitrack.tasks.enums import Comparator
from papitrack.tasks.models import Kpi, Task, TaskAssignee
from papitrack.unitplans import rules
from papitrack.unitplans.enums import UnitPlanStatus
from papitrack.unitplans.models import UnitPlan, UnitPlanItem, UnitPlanRound

NOT_FOUND = "Không tìm thấy kế hoạch của đơn vị."
# Communes detail their tasks in their district's round, one level down (domain.md §4.1).
ROUND_UNIT_KINDS = frozenset(
    {
        UnitKind.DEPARTMENT,
        UnitKind.AGENCY,
        UnitKind.MASS_ORGANISATION,
        UnitKind.ENTERPRISE,
        UnitKind.DISTRICT,
        UnitKind.DISTRICT_AGENCY,
    }
)


def _tasks(plan: Plan) -> QuerySet[Task]:
    return plan.tasks.select_related("plan__issuer", "dimension").prefetch_related(
        Prefetch("assignees", queryset=TaskAssignee.objects.select_related("unit")), "kpis"
    )


def assigned_tasks_by_unit(*, plan: Plan, day: datetime.date) -> dict[int, list[Task]]:
    """Unit id -> the tasks it leads or implements (levels and groups expanded)."""
    result: dict[int, list[Task]] = {}
    for expanded in expand_tasks(tasks=_tasks(plan), day=day):
        for unit_id in {assignment.unit.pk for assignment in expanded.assignments}:
            result.setdefault(unit_id, []).append(expanded.task)
    return result


def round_units(*, plan: Plan, day: datetime.date) -> list[OrgUnit]:
    assigned = assigned_tasks_by_unit(plan=plan, day=day)
    return list(
        OrgUnit.objects.filter(pk__in=assigned, kind__in=ROUND_UNIT_KINDS).order_by("kind", "code")
    )


def weaker_than_province(item_value: Decimal, kpi: Kpi) -> bool:
    """A unit's target is weaker when it asks less than the province's KPI does."""
    if kpi.value is None or not kpi.comparator:
        return False
    if kpi.comparator in {Comparator.AT_LEAST, Comparator.MORE_THAN, Comparator.EQUAL}:
        return item_value < kpi.value
    return item_value > kpi.value


@dataclass(frozen=True)
class WeakerTarget:
    item: UnitPlanItem
    province_value: Decimal


@dataclass
class Coverage:
    assigned: list[Task]
    missing: list[Task] = field(default_factory=list)
    without_target: list[UnitPlanItem] = field(default_factory=list)
    without_responsible: list[UnitPlanItem] = field(default_factory=list)
    weaker: list[WeakerTarget] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return not (self.missing or self.without_target or self.without_responsible or self.weaker)


def coverage_of(*, unit_plan: UnitPlan, assigned: list[Task]) -> Coverage:
    """Assigned tasks missing from the plan, items without target or person, weaker targets."""
    items = {item.task_id: item for item in unit_plan.items.all()}
    coverage = Coverage(assigned=assigned)
    for task in assigned:
        item = items.get(task.pk)
        if item is None:
            coverage.missing.append(task)
            continue
        if item.target_value is None and not item.target_text.strip():
            coverage.without_target.append(item)
        if not item.responsible_person.strip():
            coverage.without_responsible.append(item)
        first_kpi = next((kpi for kpi in task.kpis.all() if kpi.value is not None), None)
        if (
            item.target_value is not None
            and first_kpi is not None
            and first_kpi.value is not None
            and weaker_than_province(item.target_value, first_kpi)
            and not item.justification.strip()
        ):
            coverage.weaker.append(WeakerTarget(item=item, province_value=first_kpi.value))
    return coverage


@dataclass(frozen=True)
class RoundRow:
    unit_plan: UnitPlan
    coverage: Coverage
    is_missing: bool
    is_late: bool
    days_late: int


def round_overview(*, plan_round: UnitPlanRound, today: datetime.date) -> list[RoundRow]:
    """Every unit of the round with its status: missing, late, incomplete (a fixed query count)."""
    assigned = assigned_tasks_by_unit(plan=plan_round.plan, day=plan_round.plan.issued_on)
    unit_plans = plan_round.unit_plans.select_related("unit").prefetch_related(
        Prefetch("items", queryset=UnitPlanItem.objects.select_related("task"))
    )
    rows = []
    for unit_plan in unit_plans:
        submitted_on = unit_plan.first_submitted_at.date() if unit_plan.first_submitted_at else None
        reference = submitted_on or today
        days_late = max((reference - plan_round.due_date).days, 0)
        rows.append(
            RoundRow(
                unit_plan=unit_plan,
                coverage=coverage_of(
                    unit_plan=unit_plan, assigned=assigned.get(unit_plan.unit_id, [])
                ),
                is_missing=unit_plan.status == UnitPlanStatus.DRAFT and submitted_on is None,
                is_late=days_late > 0,
                days_late=days_late,
            )
        )
    return rows


def get_unit_plan_for_user(user: Any, unit_plan_id: int) -> UnitPlan:
    unit_plan = (
        UnitPlan.objects.select_related("round__plan__issuer", "unit__parent__parent")
        .prefetch_related(Prefetch("items", queryset=UnitPlanItem.objects.select_related("task")))
        .filter(pk=unit_plan_id)
        .first()
    )
    if unit_plan is None or not rules.can_view_unit_plan(user, unit_plan):
        raise Http404(NOT_FOUND)
    return unit_plan


def unit_plans_visible_to(user: Any) -> QuerySet[UnitPlan]:
    unit_plans = UnitPlan.objects.select_related("round__plan", "unit")
    if rules.sees_all_unit_plans(user):
        return unit_plans
    if getattr(user, "unit_id", None) is None:
        return unit_plans.none()
    return unit_plans.filter(unit_id=user.unit_id) | unit_plans.filter(unit__parent_id=user.unit_id)


def assigned_tasks_for(*, unit_plan: UnitPlan) -> list[Task]:
    return tasks_assigned_to(plan_id=unit_plan.round.plan_id, unit=unit_plan.unit)
