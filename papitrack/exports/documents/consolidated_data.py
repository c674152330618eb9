"""The data of the province's consolidated report (6-month or annual), as frozen dataclasses.

Every figure comes from the monitoring app's roll-up (papitrack/monitoring/queries), with the
same parameters as the dashboards (approved reports only, today's date), so the document
and the dashboards show the same numbers. This module only picks and words them:

- the period's own figures per KPI (as the dashboard shows for that period), and for each
  quarter inside it the quarter's figures, from the same expected-report rows;
- completeness per unit over every report whose period lies inside the report's period;
- shortcomings: KPIs not met, overdue tasks, units late or missing, named;
- causes and proposals: the units' own narratives from approved reports, grouped;
- directions: the plan's solutions for the dimensions with a problem.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from papitrack.calendars.enums import PeriodKind, TaskState
from papitrack.exports.documents.common import (
    achievement_text,
    count_text,
    fold_narratives,
    issuer_of,
    letterhead_for,
    names_text,
    percent_text,
    tally_text,
    target_text,
)
from papitrack.exports.officialdoc import Letterhead, SignatureBlock
from papitrack.monitoring.achievement import StateCounts
from papitrack.monitoring.enums import Achievement
from papitrack.monitoring.queries.completeness import completeness_rows
from papitrack.monitoring.queries.dashboards import PlanStatus, plan_status
from papitrack.monitoring.queries.rollups import (
    ReportGroupRow,
    Rollup,
    TaskResult,
    compute_rollup,
    group_units,
)
from papitrack.monitoring.queries.scope import PeriodRef
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.evaluation import EvaluationRow
from papitrack.plans.models import Plan, Solution
from papitrack.plans.queries import evaluate_plan
from papitrack.reports.enums import ReportStatus
from papitrack.reports.models import ChildAnswer, KpiValue, Report
from papitrack.unitplans.models import UnitPlanRound
from papitrack.unitplans.queries import round_overview

PERIOD_WORDS = {
    PeriodKind.HALF_YEAR: "6 tháng",
    PeriodKind.YEAR: "năm",
    PeriodKind.NINE_MONTHS: "9 tháng",
    PeriodKind.QUARTER: "quý",
}
SOLUTIONS_PER_DIMENSION = 1
NAMED_EXCEPTIONS = 10


@dataclass(frozen=True)
class PeriodFigure:
    """A KPI's figure in one period (a quarter inside the report's period)."""

    label: str
    value: str
    achievement: str


@dataclass(frozen=True)
class KpiLine:
    code: str
    measure: str
    target: str
    value: str
    achievement: str  # Achievement value
    achievement_label: str
    quarters: tuple[PeriodFigure, ...]
    exceptions: tuple[str, ...]  # units that answered "not done", by name


@dataclass(frozen=True)
class TaskLine:
    label: str
    key: str
    title: str
    kpi_text: str
    lead_text: str
    implementing_text: str
    timeline_text: str
    expected_output: str
    state: str  # TaskState value, "" when the task owes nothing in the period
    state_label: str
    states: StateCounts
    kpis: tuple[KpiLine, ...]

    @property
    def result_text(self) -> str:
        """The appendix's "Kết quả thực hiện" cell, from approved reports."""
        lines = []
        for kpi in self.kpis:
            line = f"{kpi.code}: {kpi.value}"
            if kpi.achievement != Achievement.NO_DATA:
                line += f" – {kpi.achievement_label}"
            quarters = "; ".join(
                f"{figure.label}: {figure.value}" for figure in kpi.quarters if figure.value
            )
            lines.append(line + (f" ({quarters})" if quarters else ""))
        if self.states.expected:
            lines.append(
                f"Báo cáo: {count_text(self.states.received)}/"
                f"{count_text(self.states.expected)} đã gửi"
                + (f", {count_text(self.states.overdue)} quá hạn" if self.states.overdue else "")
                + (f" – {self.state_label}" if self.state_label else "")
            )
        else:
            lines.append("Không có báo cáo phải gửi trong kỳ")
        return "\n".join(lines)


@dataclass(frozen=True)
class DimensionSection:
    number: int
    name: str
    target: Decimal | None
    tasks: tuple[TaskLine, ...]
    kpi_counts: dict[str, int]
    solutions: tuple[str, ...]

    @property
    def has_problem(self) -> bool:
        return any(
            kpi.achievement == Achievement.NOT_MET for task in self.tasks for kpi in task.kpis
        ) or any(task.state == TaskState.OVERDUE for task in self.tasks)


@dataclass(frozen=True)
class UnitCompleteness:
    name: str
    kind: str  # UnitKind value
    is_own: bool  # the province's own reports, not a unit under it
    states: StateCounts

    @property
    def completeness(self) -> str:
        return percent_text(
            None if self.states.completeness is None else self.states.completeness * 100
        )


@dataclass(frozen=True)
class Grouped:
    """A narrative cited by one or more units."""

    text: str
    units: str


@dataclass(frozen=True)
class UnitPlanFacts:
    expected: int
    submitted: int
    on_time: int
    missing: tuple[str, ...]


@dataclass(frozen=True)
class ConsolidatedReportData:
    letterhead: Letterhead
    signature: SignatureBlock
    recipients: tuple[str, ...]
    issuer_name: str
    province_name: str
    plan_number: str
    plan_date: datetime.date
    plan_title: str
    period_code: str
    period_label: str
    period_words: str  # "6 tháng cuối năm 2020", "năm 2020"
    quarter_labels: tuple[str, ...]
    today: datetime.date
    states: StateCounts
    kpi_counts: dict[str, int]
    dimensions: tuple[DimensionSection, ...]
    evaluation: tuple[EvaluationRow, ...]
    baseline_year: int
    target_year: int
    units: tuple[UnitCompleteness, ...]
    unit_plans: UnitPlanFacts | None
    shortcomings: tuple[Grouped, ...]
    causes: tuple[Grouped, ...]
    proposals: tuple[Grouped, ...]
    results: tuple[Grouped, ...]

    @property
    def summary(self) -> str:
        return (
            f"Kết quả thực hiện Kế hoạch cải thiện Chỉ số hiệu quả quản trị và hành chính "
            f"công cấp tỉnh (PAPI) {self.period_words}"
        )

    @property
    def tasks(self) -> list[TaskLine]:
        return [task for dimension in self.dimensions for task in dimension.tasks]

    @property
    def missed(self) -> list[tuple[TaskLine, KpiLine]]:
        return [
            (task, kpi)
            for task in self.tasks
            for kpi in task.kpis
            if kpi.achievement == Achievement.NOT_MET
        ]

    @property
    def overdue_tasks(self) -> list[TaskLine]:
        return [task for task in self.tasks if task.state == TaskState.OVERDUE]

    @property
    def late_units(self) -> list[UnitCompleteness]:
        late = [unit for unit in self.units if unit.states.overdue or unit.states.done_late]
        return sorted(late, key=lambda unit: (-unit.states.overdue, -unit.states.done_late))


def period_words(period: PeriodRef) -> str:
    """ "6 tháng cuối năm 2020", "năm 2020", "quý III/2020": the period as a title says it."""
    if period.kind == PeriodKind.YEAR:
        return f"năm {period.start.year}"
    if period.kind == PeriodKind.HALF_YEAR:
        half = "đầu" if period.start.month == 1 else "cuối"
        return f"6 tháng {half} năm {period.start.year}"
    return period.label[:1].lower() + period.label[1:]


def _quarters(status: PlanStatus) -> list[PeriodRef]:
    period = status.period
    if period is None or period.kind == PeriodKind.QUARTER:
        return []
    return [
        candidate
        for candidate in status.periods
        if candidate.kind == PeriodKind.QUARTER and period.contains(candidate)
    ]


def _exceptions(plan: Plan, rollup: Rollup) -> dict[int, list[str]]:
    """KPI id -> units whose approved answer for the period's values is "not done" (named,
    as domain.md §3.2 asks below 100%)."""
    periods_by_task = {
        task_id: [period.id for period in periods]
        for task_id, (_, periods) in rollup.sources.items()
    }
    condition = Q()
    for task_id, period_ids in periods_by_task.items():
        condition |= Q(report__task_id=task_id, report__period_id__in=period_ids)
    if not periods_by_task:
        return {}
    approved = Q(report__status=ReportStatus.APPROVED, report__task__plan=plan)
    found: dict[int, list[str]] = defaultdict(list)
    for kpi_id, name in (
        KpiValue.objects.filter(condition, approved, answer=False)
        .order_by("report__unit__code")
        .values_list("kpi_id", "report__unit__name")
    ):
        found[kpi_id].append(name)
    for kpi_id, name in (
        ChildAnswer.objects.filter(condition, approved, answer=False)
        .order_by("child__code")
        .values_list("kpi_id", "child__name")
    ):
        if name not in found[kpi_id]:
            found[kpi_id].append(name)
    return found


def _task_line(
    result: TaskResult,
    quarter_results: list[tuple[PeriodRef, TaskResult]],
    exceptions: dict[int, list[str]],
) -> TaskLine:
    task = result.task
    kpis = []
    for position, kpi_result in enumerate(result.kpis):
        kpi = kpi_result.kpi
        quarters = tuple(
            PeriodFigure(
                label=period.label,
                value=tally_text(kpi.kind, quarter.kpis[position].tally)
                if quarter.assessed
                else "",
                achievement=quarter.kpis[position].achievement,
            )
            for period, quarter in quarter_results
        )
        kpis.append(
            KpiLine(
                code=kpi.code,
                measure=kpi.description,
                target=target_text(kpi),
                value=tally_text(kpi.kind, kpi_result.tally),
                achievement=kpi_result.achievement,
                achievement_label=achievement_text(kpi_result.achievement),
                quarters=quarters,
                exceptions=tuple(exceptions.get(kpi.pk, [])),
            )
        )
    return TaskLine(
        label=task.printed_label,
        key=task.key,
        title=task.title,
        kpi_text=task.kpi_text,
        lead_text=task.lead_text,
        implementing_text=task.implementing_text,
        timeline_text=task.timeline_text,
        expected_output=task.expected_output,
        state=str(result.state or ""),
        state_label=result.state_label,
        states=result.states,
        kpis=tuple(kpis),
    )


def _inside(rows: Iterable[ReportGroupRow], period: PeriodRef) -> list[ReportGroupRow]:
    return [row for row in rows if period.contains(row.period)]


def _narratives(
    plan: Plan, period: PeriodRef, field_name: str, limit: int = 12
) -> tuple[Grouped, ...]:
    """A narrative field of the approved reports of periods inside the period, grouped."""
    items = list(
        Report.objects.filter(
            task__plan=plan,
            status=ReportStatus.APPROVED,
            period__start__gte=period.start,
            period__end__lte=period.end,
        )
        .exclude(**{field_name: ""})
        .order_by("unit__code", "task__position")
        .values_list("unit__short_name", "unit__name", field_name)
    )
    grouped = fold_narratives(
        [(short or name, text.strip().rstrip(".")) for short, name, text in items]
    )
    return tuple(Grouped(text=text, units=names_text(names)) for text, names in grouped[:limit])


def _unit_plan_facts(plan: Plan, today: datetime.date) -> UnitPlanFacts | None:
    plan_round = (
        UnitPlanRound.objects.filter(plan=plan)
        .select_related("plan")
        .order_by("-opened_at")
        .first()
    )
    if plan_round is None:
        return None
    rows = round_overview(plan_round=plan_round, today=today)
    submitted = [row for row in rows if row.unit_plan.first_submitted_at is not None]
    return UnitPlanFacts(
        expected=len(rows),
        submitted=len(submitted),
        on_time=sum(1 for row in submitted if not row.is_late),
        missing=tuple(row.unit_plan.unit.display_name for row in rows if row.is_missing),
    )


def consolidated_report_data(
    *,
    plan: Plan,
    period_code: str,
    issuer_unit: OrgUnit,
    signature: SignatureBlock,
    recipients: tuple[str, ...],
    issued_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> ConsolidatedReportData:
    """Read everything the consolidated report says, for the whole province.

    About a dozen queries whatever the number of units (the roll-up's five, one per
    quarter, the named exceptions, narratives, solutions, the units' plans).
    Unknown period code -> KeyError.
    """
    status = plan_status(plan=plan, period_code=period_code, today=today)
    period = status.period
    rollup = status.rollup
    if period is None or rollup is None:
        raise KeyError(period_code)
    quarters = _quarters(status)
    quarter_rollups = [
        (
            quarter,
            compute_rollup(
                tasks=rollup.tasks,
                period=quarter,
                rows=list(status.rows),
                root=status.root,
                include_submitted=False,
                today=status.today,
            ),
        )
        for quarter in quarters
    ]
    exceptions = _exceptions(plan, rollup)
    solutions: dict[int | None, list[str]] = defaultdict(list)
    for solution in Solution.objects.filter(plan=plan).order_by("position"):
        solutions[solution.dimension_id].extend(str(item) for item in solution.items)
    dimensions = []
    for dimension in status.dimensions:
        tasks = tuple(
            _task_line(
                result,
                [(quarter, other.task_result(result.task)) for quarter, other in quarter_rollups],
                exceptions,
            )
            for result in dimension.tasks
        )
        dimensions.append(
            DimensionSection(
                number=dimension.dimension.number,
                name=dimension.dimension.name_vi,
                target=dimension.target.score if dimension.target else None,
                tasks=tasks,
                kpi_counts=dimension.kpi_counts,
                solutions=tuple(
                    solutions.get(dimension.dimension.pk, [])[:SOLUTIONS_PER_DIMENSION]
                ),
            )
        )
    kpi_counts = {
        value: sum(section.kpi_counts.get(value, 0) for section in dimensions)
        for value in Achievement.values
    }
    inside = _inside(status.rows, period)
    units = group_units({row.group_id for row in inside})
    unit_rows = completeness_rows(rows=inside, root=status.root, units=units, period=None)
    issuer = issuer_of(issuer_unit)
    province = plan.issuer
    return ConsolidatedReportData(
        letterhead=letterhead_for(
            issuer,
            type_code="BC",
            year=(issued_on or status.today).year,
            issued_on=issued_on,
        ),
        signature=signature,
        recipients=recipients,
        issuer_name=issuer.name,
        province_name=province.short_name or province.name,
        plan_number=plan.number,
        plan_date=plan.issued_on,
        plan_title=plan.title,
        period_code=period.code,
        period_label=period.label,
        period_words=period_words(period),
        quarter_labels=tuple(quarter.label for quarter in quarters),
        today=status.today,
        states=sum((row.states for row in inside), StateCounts()),
        kpi_counts=kpi_counts,
        dimensions=tuple(dimensions),
        evaluation=tuple(evaluate_plan(plan=plan)),
        baseline_year=plan.baseline_year,
        target_year=plan.target_year,
        units=tuple(
            UnitCompleteness(
                name=row.unit.display_name
                if not row.is_own
                else f"{row.unit.display_name} (báo cáo của tỉnh)",
                kind=row.unit.kind,
                is_own=row.is_own,
                states=row.states,
            )
            for row in unit_rows
        ),
        unit_plans=_unit_plan_facts(plan, status.today),
        shortcomings=_narratives(plan, period, "shortcomings"),
        causes=_narratives(plan, period, "causes"),
        proposals=_narratives(plan, period, "proposals"),
        results=_narratives(plan, period, "results", limit=6),
    )
