"""The data of a unit's own documents: its report for a period, its plan template.

The report's figures are the monitoring roll-up under the unit (the unit and the units below
it), counting approved and submitted reports, as the unit's dashboard can show them; the
narratives are the unit's own words from its reports of the period.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from papitrack.exports.documents.common import (
    Issuer,
    achievement_text,
    default_signature,
    issuer_of,
    letterhead_for,
    tally_text,
    target_text,
)
from papitrack.exports.documents.consolidated_data import period_words
from papitrack.exports.officialdoc import Letterhead, SignatureBlock
from papitrack.monitoring.achievement import StateCounts
from papitrack.monitoring.queries.completeness import completeness_rows
from papitrack.monitoring.queries.dashboards import plan_status
from papitrack.monitoring.queries.rollups import group_units
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Plan
from papitrack.reports.enums import ReportStatus
from papitrack.reports.models import Report
from papitrack.tasks.assignment import tasks_assigned_to
from papitrack.tasks.enums import AssigneeRole
from papitrack.tasks.models import TaskAssignee
from papitrack.unitplans.models import UnitPlan, UnitPlanItem

NARRATIVE_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


@dataclass(frozen=True)
class UnitKpiLine:
    task_label: str
    measure: str
    target: str
    value: str
    achievement: str
    achievement_label: str


@dataclass(frozen=True)
class UnitTaskLine:
    label: str
    title: str
    state: str
    state_label: str
    states: StateCounts
    kpis: tuple[UnitKpiLine, ...]


@dataclass(frozen=True)
class NarrativeLine:
    task_label: str
    text: str


@dataclass(frozen=True)
class ChildLine:
    name: str
    states: StateCounts


@dataclass(frozen=True)
class UnitReportData:
    letterhead: Letterhead
    signature: SignatureBlock
    recipients: tuple[str, ...]
    unit_name: str
    province_name: str
    plan_number: str
    plan_date: datetime.date
    plan_title: str
    period_code: str
    period_words: str
    today: datetime.date
    states: StateCounts
    tasks: tuple[UnitTaskLine, ...]
    children: tuple[ChildLine, ...]
    results: tuple[NarrativeLine, ...]
    shortcomings: tuple[NarrativeLine, ...]
    causes: tuple[NarrativeLine, ...]
    proposals: tuple[NarrativeLine, ...]

    @property
    def summary(self) -> str:
        return (
            f"Kết quả thực hiện Kế hoạch cải thiện Chỉ số hiệu quả quản trị và hành chính công "
            f"cấp tỉnh (PAPI) {self.period_words}"
        )


def unit_report_data(
    *,
    plan: Plan,
    unit: OrgUnit,
    period_code: str,
    signature: SignatureBlock | None,
    recipients: tuple[str, ...],
    issued_on: datetime.date | None = None,
    today: datetime.date | None = None,
    task_ids: frozenset[int] | None = None,
) -> UnitReportData:
    """A unit's report for a period (unknown period code -> KeyError).

    `task_ids` limits it to some tasks: a lead agency drafting the report of a unit it
    reviews sees that unit's figures on the tasks it leads only, as on the monitoring pages.
    """
    status = plan_status(
        plan=plan, root=unit, period_code=period_code, today=today, include_submitted=True
    )
    period = status.period
    if period is None or status.rollup is None:
        raise KeyError(period_code)
    tasks = []
    for result in status.tasks:
        if not result.assessed or (task_ids is not None and result.task.pk not in task_ids):
            continue
        tasks.append(
            UnitTaskLine(
                label=result.task.printed_label,
                title=result.task.title,
                state=str(result.state or ""),
                state_label=result.state_label,
                states=result.states,
                kpis=tuple(
                    UnitKpiLine(
                        task_label=result.task.printed_label,
                        measure=kpi.kpi.description or result.task.title,
                        target=target_text(kpi.kpi),
                        value=tally_text(kpi.kpi.kind, kpi.tally),
                        achievement=kpi.achievement,
                        achievement_label=achievement_text(kpi.achievement),
                    )
                    for kpi in result.kpis
                ),
            )
        )
    inside = [
        row
        for row in status.rows
        if period.contains(row.period) and (task_ids is None or row.task_id in task_ids)
    ]
    below = [row for row in inside if row.group_id != unit.pk]
    children = completeness_rows(
        rows=below, root=unit, units=group_units({row.group_id for row in below}), period=None
    )
    own_reports = Report.objects.filter(
        task__plan=plan,
        unit=unit,
        status__in=NARRATIVE_STATUSES,
        period__start__gte=period.start,
        period__end__lte=period.end,
    )
    if task_ids is not None:
        own_reports = own_reports.filter(task_id__in=task_ids)
    reports = list(own_reports.select_related("task").order_by("task__position", "period__end"))

    def narratives(field_name: str) -> tuple[NarrativeLine, ...]:
        seen: set[tuple[str, str]] = set()
        lines = []
        for report in reports:
            text = " ".join(str(getattr(report, field_name)).split())
            key = (report.task.printed_label, text)
            if text and key not in seen:
                seen.add(key)
                lines.append(NarrativeLine(task_label=report.task.printed_label, text=text))
        return tuple(lines)

    signer = next((report.signer_name for report in reversed(reports) if report.signer_name), "")
    issuer = issuer_of(unit)
    province = plan.issuer
    return UnitReportData(
        letterhead=letterhead_for(
            issuer, type_code="BC", year=(issued_on or status.today).year, issued_on=issued_on
        ),
        signature=signature or default_signature(unit, name=signer),
        recipients=recipients,
        unit_name=issuer.name,
        province_name=province.short_name or province.name,
        plan_number=plan.number,
        plan_date=plan.issued_on,
        plan_title=plan.title,
        period_code=period.code,
        period_words=period_words(period),
        today=status.today,
        states=sum((row.states for row in inside), StateCounts()),
        tasks=tuple(tasks),
        children=tuple(
            ChildLine(name=row.unit.display_name, states=row.states) for row in children
        ),
        results=narratives("results"),
        shortcomings=narratives("shortcomings"),
        causes=narratives("causes"),
        proposals=narratives("proposals"),
    )


# --- the unit's plan template ---------------------------------------------------------------


@dataclass(frozen=True)
class PlanTaskLine:
    label: str
    title: str
    province_target: str
    lead_text: str
    timeline_text: str
    unit_target: str
    actions: str
    deadline: str
    responsible: str


@dataclass(frozen=True)
class UnitPlanTemplateData:
    letterhead: Letterhead
    signature: SignatureBlock
    recipients: tuple[str, ...]
    issuer: Issuer
    province_name: str
    plan_number: str
    plan_date: datetime.date
    plan_title: str
    target_year: int
    purposes: tuple[str, ...]
    requirements: tuple[str, ...]
    tasks: tuple[PlanTaskLine, ...]

    @property
    def summary(self) -> str:
        return (
            f"Thực hiện Kế hoạch số {self.plan_number} của UBND tỉnh {self.province_name} về cải "
            f"thiện Chỉ số PAPI năm {self.target_year}"
        )


def _target_value(value: Decimal | None, text: str) -> str:
    if text.strip():
        return text.strip()
    if value is None:
        return ""
    return f"{value.normalize():f}".replace(".", ",")


def unit_plan_template_data(
    *,
    plan: Plan,
    unit: OrgUnit,
    signature: SignatureBlock | None,
    recipients: tuple[str, ...],
    issued_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> UnitPlanTemplateData:
    """The unit's assigned tasks, with what its saved plan already says (if anything)."""
    tasks = tasks_assigned_to(plan_id=plan.pk, unit=unit)
    leads: dict[int, list[str]] = {}
    for assignee in TaskAssignee.objects.filter(
        task__in=tasks, role=AssigneeRole.LEAD
    ).select_related("unit"):
        leads.setdefault(assignee.task_id, []).append(assignee.label)
    unit_plan = (
        UnitPlan.objects.filter(round__plan=plan, unit=unit)
        .prefetch_related(Prefetch("items", queryset=UnitPlanItem.objects.all()))
        .order_by("-round__opened_at")
        .first()
    )
    items = {item.task_id: item for item in unit_plan.items.all()} if unit_plan else {}
    lines = []
    for task in tasks:
        item = items.get(task.pk)
        lines.append(
            PlanTaskLine(
                label=task.printed_label,
                title=task.title,
                province_target="; ".join(
                    f"{kpi.description}: {target_text(kpi)}" if kpi.measure else target_text(kpi)
                    for kpi in task.kpis.all()
                )
                or task.kpi_text,
                lead_text=", ".join(leads.get(task.pk, [])) or task.lead_text,
                timeline_text=task.timeline_text,
                unit_target=_target_value(item.target_value, item.target_text).rstrip(".")
                if item
                else "",
                actions=item.actions if item else "",
                deadline=f"{item.deadline:%d/%m/%Y}" if item and item.deadline else "",
                responsible=item.responsible_person if item else "",
            )
        )
    issuer = issuer_of(unit)
    day = issued_on or today or timezone.localdate()
    province = plan.issuer
    return UnitPlanTemplateData(
        letterhead=letterhead_for(issuer, type_code="KH", year=day.year, issued_on=issued_on),
        signature=signature or default_signature(unit),
        recipients=recipients,
        issuer=issuer,
        province_name=province.short_name or province.name,
        plan_number=plan.number,
        plan_date=plan.issued_on,
        plan_title=plan.title,
        target_year=plan.target_year,
        purposes=tuple(str(item) for item in plan.purposes),
        requirements=tuple(str(item) for item in plan.requirements),
        tasks=tuple(lines),
    )
