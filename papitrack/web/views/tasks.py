"""Task screens: the plan's filtered task list and one task."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from papitrack.orgunits.enums import UnitGroup
from papitrack.orgunits.models import OrgUnit
from papitrack.tasks.enums import AssigneeRole
from papitrack.tasks.models import TaskAssignee
from papitrack.tasks.queries import Coverage, assignee_coverage, assignee_options, filter_tasks
from papitrack.web.fetch import get_latest_plan_for_user, get_plan_for_user, get_task_for_user
from papitrack.web.forms import TaskFilterForm

COVERAGE_HINT = "gồm {count} đơn vị trong danh mục đơn vị"
# "Các cơ quan, đơn vị có liên quan" cannot be counted: the plan leaves it to the lead unit.
RELEVANT_UNITS_HINT = "do đơn vị chủ trì xác định"


@dataclass(frozen=True)
class AssigneeRow:
    """A lead or implementer as the task page shows it: a unit links to its page."""

    label: str
    unit: OrgUnit | None
    hint: str
    is_consolidating: bool


@require_safe
@login_required
def latest_task_list(request: HttpRequest) -> HttpResponse:
    """The navigation bar's "Nhiệm vụ": the task list of the latest plan."""
    plan = get_latest_plan_for_user(request.user)
    return redirect("web:task_list", plan_id=plan.pk)


@require_safe
@login_required
def task_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, plan_id)
    form = TaskFilterForm(
        request.GET or None,
        dimensions=list(plan.index.dimensions.filter(is_aggregate=False)),
        leads=assignee_options(plan=plan, role=AssigneeRole.LEAD),
        implementers=assignee_options(plan=plan, role=AssigneeRole.IMPLEMENTING),
    )
    filters: dict[str, Any] = {}
    if form.is_bound:
        # An invalid field is reported on the form and ignored; the valid ones still filter.
        form.is_valid()
        filters = form.cleaned_data
    tasks = list(
        filter_tasks(
            plan=plan,
            dimension_code=filters.get("dimension") or None,
            lead=filters.get("lead") or None,
            implementer=filters.get("implementer") or None,
            timeline=filters.get("timeline") or None,
            text=filters.get("q") or None,
        )
    )
    return render(
        request,
        "web/task_list.html",
        {
            "plan": plan,
            "form": form,
            "tasks": tasks,
            "is_filtered": any(filters.get(name) for name in form.fields),
        },
    )


@require_safe
@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_task_for_user(request.user, task_id)
    coverage = assignee_coverage(plan=task.plan)
    return render(
        request,
        "web/task_detail.html",
        {
            "task": task,
            "plan": task.plan,
            "leads": _assignee_rows(task.lead_assignees, coverage),  # type: ignore[attr-defined]
            "implementers": _assignee_rows(
                task.implementing_assignees,  # type: ignore[attr-defined]
                coverage,
            ),
            "kpis": list(task.kpis.all()),
            "raw_differs": bool(task.raw_text) and task.raw_text != task.title,
        },
    )


def _assignee_rows(assignees: Iterable[TaskAssignee], coverage: Coverage) -> list[AssigneeRow]:
    rows = []
    for assignee in assignees:
        hint = ""
        if assignee.level:
            hint = COVERAGE_HINT.format(count=coverage.levels.get(assignee.level, 0))
        elif assignee.group == UnitGroup.RELEVANT_UNITS:
            hint = RELEVANT_UNITS_HINT
        elif assignee.group:
            hint = COVERAGE_HINT.format(count=coverage.groups.get(assignee.group, 0))
        rows.append(
            AssigneeRow(
                label=assignee.label,
                unit=assignee.unit,
                hint=hint,
                is_consolidating=assignee.is_consolidating,
            )
        )
    return rows
