"""Writes for plans: load (or reload) a plan file into the database."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from papitrack.audit.services import record_audit
from papitrack.indices.models import Dimension, Index
from papitrack.lib.datafiles import read_yaml
from papitrack.lib.text import fold_text
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Duty, Plan, PlanTarget, Solution
from papitrack.plans.planfile import ParsedPlan, PlanFileError, UnitRef, parse_plan
from papitrack.plans.versions import bump_data_version
from papitrack.tasks.enums import AssigneeRole, TimelineKind
from papitrack.tasks.models import Kpi, Task, TaskAssignee

UNKNOWN_INDEX = "index: không có chỉ số «{code}» (hãy nạp khung chỉ số trước)."
TASK_IN_USE = (
    "Nhiệm vụ {key} đã có báo cáo nên không thể xóa khỏi kế hoạch; hãy giữ nhiệm vụ trong tệp."
)
KPI_IN_USE = "Chỉ tiêu {code} đã có số liệu báo cáo nên không thể xóa khỏi kế hoạch."


@dataclass(frozen=True)
class PlanLoadResult:
    plan: Plan
    warnings: list[str]


def read_plan_file(*, path: Path) -> ParsedPlan:
    """Parse and validate a plan file against the units and index in the database."""
    raw = read_yaml(path)
    index_code = raw.get("index") if isinstance(raw, dict) else None
    index = Index.objects.filter(code=index_code).first()
    if index is None:
        raise PlanFileError([UNKNOWN_INDEX.format(code=index_code)])
    dimension_codes = {
        dimension.code: dimension.number
        for dimension in index.dimensions.filter(is_aggregate=False)
    }
    unit_codes = set(OrgUnit.objects.values_list("code", flat=True))
    return parse_plan(raw, unit_codes=unit_codes, dimension_codes=dimension_codes)


def _assignee(
    task: Task, role: str, position: int, ref: UnitRef, units: dict[str, OrgUnit]
) -> TaskAssignee:
    return TaskAssignee(
        task=task,
        role=role,
        position=position,
        unit=units.get(ref.unit_code),
        level=ref.level,
        group=ref.group,
        is_consolidating=role == AssigneeRole.LEAD and position == 1,
    )


@transaction.atomic
def load_plan(*, path: Path) -> PlanLoadResult:
    """Validate a plan file and create or update the plan with that code.

    Targets, solutions and duties are replaced; tasks and KPIs are updated in place by their
    stable keys so that reports keep pointing at them. Side effects: one audit entry; bumps
    the plan's data version (its tasks and KPIs may have changed).
    """
    parsed = read_plan_file(path=path)
    is_new = not Plan.objects.filter(code=parsed.code).exists()
    index = Index.objects.get(code=parsed.index)
    dimensions = {dimension.code: dimension for dimension in Dimension.objects.filter(index=index)}
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    checksum = hashlib.sha256(path.read_bytes()).hexdigest()
    plan = Plan.objects.filter(code=parsed.code).first() or Plan(code=parsed.code)
    plan.number = parsed.number
    plan.title = parsed.title
    plan.issued_on = parsed.issued_on
    plan.place = parsed.place
    plan.issuer = units[parsed.issuer]
    plan.signer_name = parsed.signer_name
    plan.signer_title = parsed.signer_title
    plan.signing_authority = parsed.signing_authority
    plan.index = index
    plan.baseline_year = parsed.baseline_year
    plan.target_year = parsed.target_year
    plan.stated_baseline_score = parsed.stated_baseline_score
    plan.stated_baseline_group = parsed.stated_baseline_group
    plan.unit_plan_deadline = parsed.unit_plan_deadline
    plan.unit_plan_deadline_wording = parsed.unit_plan_deadline_wording
    plan.unit_plan_deadline_inclusive = parsed.unit_plan_deadline_inclusive
    plan.preamble = parsed.preamble
    plan.purposes = parsed.purposes
    plan.requirements = parsed.requirements
    plan.recipients = parsed.recipients
    plan.source_notes = parsed.source_notes
    plan.source_file = path.name
    plan.source_checksum = checksum
    plan.full_clean()
    plan.save()
    plan.targets.all().delete()
    plan.solutions.all().delete()
    plan.duties.all().delete()
    PlanTarget.objects.bulk_create(
        PlanTarget(
            plan=plan,
            dimension=dimensions[target.dimension],
            label=target.label,
            score=target.score,
            increment=target.increment,
            target_group=target.target_group,
            stated_baseline_group=(
                parsed.stated_baseline_group
                if target.dimension == "overall"
                else parsed.baseline_dimension_groups.get(target.dimension)
            ),
            text=target.text,
        )
        for target in parsed.targets
    )
    Solution.objects.bulk_create(
        Solution(
            plan=plan,
            section=solution.section,
            position=position,
            dimension=dimensions.get(solution.dimension or ""),
            heading=solution.heading,
            items=solution.items,
        )
        for position, solution in enumerate(parsed.solutions, start=1)
    )
    for parsed_duty in parsed.duties:
        duty = Duty.objects.create(
            plan=plan,
            number=parsed_duty.number,
            heading=parsed_duty.heading,
            is_request=parsed_duty.is_request,
            groups=[ref.group or ref.level for ref in parsed_duty.units if not ref.unit_code],
            items=parsed_duty.items,
        )
        duty.units.set([units[ref.unit_code] for ref in parsed_duty.units if ref.unit_code])
    _sync_tasks(plan, parsed, dimensions, units)
    record_audit(
        actor=None,
        action="plan.load" if is_new else "plan.reload",
        target=plan,
        changes={"source_checksum": [None, checksum]},
        comment=path.name,
    )
    bump_data_version(plan_id=plan.pk)
    return PlanLoadResult(plan=plan, warnings=parsed.warnings)


def _sync_tasks(
    plan: Plan, parsed: ParsedPlan, dimensions: dict[str, Dimension], units: dict[str, OrgUnit]
) -> None:
    """Update tasks and KPIs in place by their stable keys, so reports keep their task.

    A task or KPI that the file no longer has is deleted only while nothing reports on it;
    otherwise the whole load is refused.
    """
    existing = {task.key: task for task in plan.tasks.prefetch_related("kpis")}
    keep = {parsed_task.key for parsed_task in parsed.tasks}
    for key, task in existing.items():
        if key not in keep:
            if task.reports.exists():
                raise PlanFileError([TASK_IN_USE.format(key=key)])
            task.delete()
    assignees: list[TaskAssignee] = []
    for parsed_task in parsed.tasks:
        timeline = parsed_task.timeline
        task = existing.get(parsed_task.key) or Task(plan=plan, key=parsed_task.key)
        task.position = parsed_task.position
        task.dimension = dimensions[parsed_task.dimension]
        task.printed_block = parsed_task.printed_block
        task.printed_number = parsed_task.printed_number
        task.title = parsed_task.title
        task.raw_text = parsed_task.raw_text
        task.sub_items = parsed_task.sub_items
        task.kpi_text = parsed_task.kpi_text
        task.lead_text = parsed_task.lead_text
        task.implementing_text = parsed_task.implementing_text
        task.timeline_text = parsed_task.timeline_text
        task.timeline_kind = timeline.get("kind") or TimelineKind.ONGOING
        task.timeline_year = timeline.get("year")
        task.timeline_quarter = timeline.get("quarter")
        task.timeline_month = timeline.get("month")
        task.timeline_months = timeline.get("months")
        task.expected_output = parsed_task.expected_output
        task.outputs = parsed_task.outputs
        task.flags = parsed_task.flags
        task.notes = parsed_task.notes
        task.search_text = fold_text(
            " ".join(
                [
                    parsed_task.title,
                    " ".join(item["text"] for item in parsed_task.sub_items),
                    parsed_task.kpi_text,
                    parsed_task.lead_text,
                    parsed_task.implementing_text,
                    parsed_task.expected_output,
                ]
            )
        )
        task.save()
        current_kpis = {kpi.code: kpi for kpi in task.kpis.all()} if task.pk else {}
        wanted = {kpi.code for kpi in parsed_task.kpis}
        for code, kpi in current_kpis.items():
            if code not in wanted:
                if kpi.values.exists():
                    raise PlanFileError([KPI_IN_USE.format(code=code)])
                kpi.delete()
        for position, parsed_kpi in enumerate(parsed_task.kpis, start=1):
            kpi = current_kpis.get(parsed_kpi.code) or Kpi(task=task, code=parsed_kpi.code)
            kpi.position = position
            kpi.kind = parsed_kpi.kind
            kpi.comparator = parsed_kpi.comparator
            kpi.value = parsed_kpi.value
            kpi.unit = parsed_kpi.unit
            kpi.population = parsed_kpi.population
            kpi.measure = parsed_kpi.measure
            kpi.interpretation = parsed_kpi.interpretation
            kpi.save()
        task.assignees.all().delete()
        for position, ref in enumerate(parsed_task.leads, start=1):
            assignees.append(_assignee(task, AssigneeRole.LEAD, position, ref, units))
        for position, ref in enumerate(parsed_task.implementers, start=1):
            assignees.append(_assignee(task, AssigneeRole.IMPLEMENTING, position, ref, units))
    TaskAssignee.objects.bulk_create(assignees)
