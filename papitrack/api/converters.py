"""Turn query results into API payloads (plain dicts matching api/schemas.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from papitrack.orgunits.models import OrgUnit
from papitrack.plans.evaluation import EvaluationRow
from papitrack.tasks.models import Task, TaskAssignee


def plain(value: Decimal | None) -> Decimal | None:
    """Drop trailing zeros without switching to exponent notation: 46.5000 -> 46.5."""
    if value is None:
        return None
    return Decimal(format(value.normalize(), "f"))


def province_payload(province: OrgUnit) -> dict[str, Any]:
    return {
        "code": province.code,
        "name": province.name,
        "short_name": province.short_name,
        "valid_to": province.valid_to,
        "successor_codes": [link.successor.code for link in province.successor_links.all()],
    }


def _assignee_payload(assignee: TaskAssignee) -> dict[str, Any]:
    return {
        "unit_code": assignee.unit.code if assignee.unit else None,
        "level": assignee.level or None,
        "group": assignee.group or None,
        "label": assignee.label,
        "is_consolidating": assignee.is_consolidating,
    }


def task_payload(task: Task) -> dict[str, Any]:
    assignees = list(task.assignees.all())
    return {
        "id": task.id,
        "key": task.key,
        "dimension": task.dimension.code,
        "printed_block": task.printed_block,
        "printed_number": task.printed_number,
        "title": task.title,
        "sub_items": task.sub_items,
        "kpi_text": task.kpi_text,
        "kpis": [
            {
                "code": kpi.code,
                "kind": kpi.kind,
                "comparator": kpi.comparator or None,
                "value": plain(kpi.value),
                "unit": kpi.unit or None,
                "population": kpi.population,
                "measure": kpi.measure,
                "interpretation": kpi.interpretation,
            }
            for kpi in task.kpis.all()
        ],
        "lead_text": task.lead_text,
        "implementing_text": task.implementing_text,
        "leads": [_assignee_payload(a) for a in assignees if a.role == "lead"],
        "implementers": [_assignee_payload(a) for a in assignees if a.role == "implementing"],
        "timeline_text": task.timeline_text,
        "timeline_kind": task.timeline_kind,
        "timeline_year": task.timeline_year,
        "timeline_quarter": task.timeline_quarter,
        "timeline_month": task.timeline_month,
        "timeline_months": task.timeline_months,
        "expected_output": task.expected_output,
        "outputs": task.outputs,
        "flags": task.flags,
        "notes": task.notes,
    }


def evaluation_payload(row: EvaluationRow) -> dict[str, Any]:
    return {
        "dimension": row.dimension_code,
        "dimension_name": row.dimension_name,
        "baseline": plain(row.baseline),
        "implied_baseline": plain(row.implied_baseline),
        "target": plain(row.target),
        "increment": plain(row.increment),
        "actual": plain(row.actual),
        "met": row.met,
        "met_at_two_decimals": row.met_at_two_decimals,
        "improved": row.improved,
        "change": plain(row.change),
        "baseline_rank": row.baseline_rank,
        "baseline_group": row.baseline_group,
        "actual_rank": row.actual_rank,
        "actual_count": row.actual_count,
        "actual_group": row.actual_group,
        "target_group": row.target_group,
        "group_met": row.group_met,
        "group_sizes_status": row.group_status,
        "rank_change": row.rank_change,
    }
