"""Completeness (received ÷ expected) and timeliness (on time ÷ received) of reports.

Per scope unit and period, drilled down one level at a time (province → district →
commune), as a heat map of units × periods, as a league table of the units of one level,
and as the list of overdue reports with their days late. Completion is the first
submission (`first_submitted_at`, local day) against the report's due date.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from papitrack.calendars.enums import TaskState
from papitrack.calendars.periods import task_state
from papitrack.lib.text import SortKey, vietnamese_sort_key
from papitrack.monitoring.achievement import StateCounts
from papitrack.monitoring.queries.expected import ReportGroupRow, state_aggregates, states_of
from papitrack.monitoring.queries.scope import PeriodRef, in_scope, level_filter, sorted_periods
from papitrack.orgunits.enums import UnitKind
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Plan
from papitrack.reports.enums import ReportStatus
from papitrack.reports.models import Report

# Order of the drill-down rows: the unit's own reports, then its bodies, then its areas.
KIND_ORDER = {kind: position for position, kind in enumerate(UnitKind.values)}


@dataclass(frozen=True)
class CompletenessRow:
    """One unit of the drill-down: its own reports (`is_own`) or its whole subtree."""

    unit: OrgUnit
    is_own: bool
    states: StateCounts
    approved: int = 0
    submitted: int = 0
    returned: int = 0

    @property
    def completeness(self) -> Decimal | None:
        return self.states.completeness

    @property
    def timeliness(self) -> Decimal | None:
        return self.states.timeliness


def _unit_sort_key(unit: OrgUnit) -> tuple[int, SortKey]:
    return KIND_ORDER.get(unit.kind, 99), vietnamese_sort_key(unit.display_name)


def completeness_rows(
    *,
    rows: Iterable[ReportGroupRow],
    root: OrgUnit,
    units: dict[int, OrgUnit],
    period: PeriodRef | None,
) -> list[CompletenessRow]:
    """The root's own reports first, then one row per child with reports, by kind and name."""
    states: dict[int, StateCounts] = defaultdict(StateCounts)
    statuses: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        if period is not None and row.period.id != period.id:
            continue
        states[row.group_id] = states[row.group_id] + row.states
        counts = statuses[row.group_id]
        counts[0] += row.approved
        counts[1] += row.submitted
        counts[2] += row.returned
    result = [
        CompletenessRow(
            unit=units[group_id],
            is_own=group_id == root.pk,
            states=counts,
            approved=statuses[group_id][0],
            submitted=statuses[group_id][1],
            returned=statuses[group_id][2],
        )
        for group_id, counts in states.items()
        if group_id in units
    ]
    return sorted(result, key=lambda row: (not row.is_own, _unit_sort_key(row.unit)))


def total_states(rows: Iterable[ReportGroupRow], period: PeriodRef | None = None) -> StateCounts:
    return sum(
        (row.states for row in rows if period is None or row.period.id == period.id),
        StateCounts(),
    )


@dataclass(frozen=True)
class HeatmapRow:
    unit: OrgUnit
    is_own: bool
    cells: tuple[tuple[PeriodRef, StateCounts], ...]
    total: StateCounts


@dataclass(frozen=True)
class Heatmap:
    periods: tuple[PeriodRef, ...]
    rows: tuple[HeatmapRow, ...]
    totals: tuple[StateCounts, ...]

    @property
    def total(self) -> StateCounts:
        return sum(self.totals, StateCounts())


def heatmap(*, rows: Iterable[ReportGroupRow], root: OrgUnit, units: dict[int, OrgUnit]) -> Heatmap:
    """Completeness of each child unit (rows) in each period (columns)."""
    row_list = list(rows)
    periods = tuple(sorted_periods(row.period for row in row_list))
    column = {period.id: position for position, period in enumerate(periods)}
    cells: dict[int, list[StateCounts]] = defaultdict(lambda: [StateCounts()] * len(periods))
    for row in row_list:
        if row.group_id not in units:
            continue
        position = column[row.period.id]
        cells[row.group_id][position] = cells[row.group_id][position] + row.states
    heat_rows = sorted(
        (
            HeatmapRow(
                unit=units[group_id],
                is_own=group_id == root.pk,
                cells=tuple(zip(periods, values, strict=True)),
                total=sum(values, StateCounts()),
            )
            for group_id, values in cells.items()
        ),
        key=lambda heat_row: (not heat_row.is_own, _unit_sort_key(heat_row.unit)),
    )
    totals = tuple(
        sum((heat_row.cells[position][1] for heat_row in heat_rows), StateCounts())
        for position in range(len(periods))
    )
    return Heatmap(periods=periods, rows=tuple(heat_rows), totals=totals)


@dataclass(frozen=True)
class LeagueRow:
    rank: int
    unit_id: int
    code: str
    name: str
    parent_name: str
    states: StateCounts

    @property
    def completeness(self) -> Decimal | None:
        return self.states.completeness

    @property
    def timeliness(self) -> Decimal | None:
        return self.states.timeliness


def _league_key(states: StateCounts) -> tuple[Decimal, Decimal]:
    return (states.completeness or Decimal(0), states.timeliness or Decimal(0))


def league_table(
    *,
    plan: Plan,
    root: OrgUnit,
    period: PeriodRef | None,
    level: str | None,
    today: datetime.date,
) -> list[LeagueRow]:
    """Units under the root ranked by their own reports: completeness, then timeliness.

    Ties share the best rank ("1224"), as PAPI ranks do; names break ties in the order only.
    One query.
    """
    reports = (
        Report.objects.filter(task__plan=plan)
        .filter(in_scope("unit", root))
        .filter(level_filter(level))
        .exclude(unit=root)
    )
    if period is not None:
        reports = reports.filter(period_id=period.id)
    grouped = (
        reports.values(
            "unit_id", "unit__code", "unit__name", "unit__short_name", "unit__parent__short_name"
        )
        .annotate(**state_aggregates(today))
        .order_by()
    )
    entries = [
        (
            row,
            states_of(row),
        )
        for row in grouped
    ]
    entries.sort(
        key=lambda entry: (
            tuple(-part for part in _league_key(entry[1])),
            vietnamese_sort_key(entry[0]["unit__short_name"] or entry[0]["unit__name"]),
        )
    )
    result: list[LeagueRow] = []
    for position, (row, states) in enumerate(entries, start=1):
        tied = result and _league_key(result[-1].states) == _league_key(states)
        result.append(
            LeagueRow(
                rank=result[-1].rank if tied else position,
                unit_id=row["unit_id"],
                code=row["unit__code"],
                name=row["unit__short_name"] or row["unit__name"],
                parent_name=row["unit__parent__short_name"] or "",
                states=states,
            )
        )
    return result


@dataclass(frozen=True)
class OverdueRow:
    report: Report
    days_late: int


def overdue_reports(
    *,
    plan: Plan,
    root: OrgUnit,
    period: PeriodRef | None,
    level: str | None,
    today: datetime.date,
) -> QuerySet[Report]:
    """Expected reports not yet submitted whose due date has passed, oldest due first."""
    reports = (
        Report.objects.filter(task__plan=plan, first_submitted_at__isnull=True, due_date__lt=today)
        .filter(in_scope("unit", root))
        .filter(level_filter(level))
        .select_related("task", "unit__parent", "period")
        .order_by("due_date", "unit__code", "task__position", "period__end")
    )
    if period is not None:
        reports = reports.filter(period_id=period.id)
    return reports


@dataclass(frozen=True)
class OverdueLine:
    """An overdue report as the exported table prints it (plain values, no model)."""

    period_label: str
    task_label: str
    task_title: str
    unit_code: str
    unit_name: str
    parent_name: str
    status: str
    due_date: datetime.date
    days_late: int

    @classmethod
    def from_row(cls, row: OverdueRow) -> OverdueLine:
        report = row.report
        parent = report.unit.parent
        return cls(
            period_label=report.period.label,
            task_label=report.task.printed_label,
            task_title=report.task.title,
            unit_code=report.unit.code,
            unit_name=report.unit.display_name,
            parent_name=parent.display_name if parent else "",
            status=report.status,
            due_date=report.due_date,
            days_late=row.days_late,
        )


def overdue_lines(
    reports: QuerySet[Report], *, today: datetime.date, limit: int
) -> Iterator[OverdueLine]:
    """The overdue list for an export: read as plain values, streamed in chunks."""
    columns = (
        "period__label",
        "task__printed_block",
        "task__printed_number",
        "task__title",
        "unit__code",
        "unit__short_name",
        "unit__name",
        "unit__parent__short_name",
        "unit__parent__name",
        "status",
        "due_date",
    )
    for row in reports.values_list(*columns)[:limit].iterator(chunk_size=2000):
        (period, block, number, title, code, short, name, parent_short, parent, status, due) = row
        yield OverdueLine(
            period_label=period,
            task_label=f"{block}.{number}",
            task_title=title,
            unit_code=code,
            unit_name=short or name,
            parent_name=parent_short or parent or "",
            status=status,
            due_date=due,
            days_late=(today - due).days,
        )


def overdue_rows(reports: Iterable[Report], *, today: datetime.date) -> list[OverdueRow]:
    return [
        OverdueRow(report=report, days_late=(today - report.due_date).days) for report in reports
    ]


@dataclass(frozen=True)
class UnitWork:
    """What a unit has to do: reports due, returned to it, overdue (its own reports)."""

    due: list[Report]
    returned: list[Report]
    overdue: list[OverdueRow]
    submitted: list[Report]


def unit_work(*, unit: OrgUnit, plan: Plan, today: datetime.date) -> UnitWork:
    """The unit's own reports that are not approved, sorted into what the unit must do next.

    One query; a unit owes at most a few hundred reports a year.
    """
    reports = list(
        Report.objects.filter(task__plan=plan, unit=unit)
        .exclude(status=ReportStatus.APPROVED)
        .select_related("task", "period", "unit__parent")
        .order_by("due_date", "task__position")
    )
    return UnitWork(
        due=[
            report
            for report in reports
            if report.first_submitted_at is None
            and report.due_date >= today
            and report.status != ReportStatus.RETURNED
        ],
        returned=[report for report in reports if report.status == ReportStatus.RETURNED],
        overdue=overdue_rows(
            (
                report
                for report in reports
                if report.first_submitted_at is None
                and report.due_date < today
                and report.status != ReportStatus.RETURNED
            ),
            today=today,
        ),
        submitted=[report for report in reports if report.status == ReportStatus.SUBMITTED],
    )


def drill_path(unit: OrgUnit, *, top: OrgUnit) -> list[OrgUnit]:
    """The units from `top` down to `unit` (free of queries with parents select_related)."""
    chain: list[OrgUnit] = []
    current: OrgUnit | None = unit
    while current is not None:
        chain.insert(0, current)
        if current.pk == top.pk:
            return chain
        current = current.parent
    return [unit]


@dataclass(frozen=True)
class ReportState:
    """One expected report with its state of Decision 42/2014 and its days late."""

    report: Report
    state: TaskState
    days_late: int


def report_states(reports: Iterable[Report], *, today: datetime.date) -> list[ReportState]:
    result = []
    for report in reports:
        submitted = report.first_submitted_at
        submitted_on = timezone.localtime(submitted).date() if submitted else None
        state = task_state(due=report.due_date, completed_on=submitted_on, today=today)
        late_until = submitted_on or today
        result.append(
            ReportState(
                report=report, state=state, days_late=max((late_until - report.due_date).days, 0)
            )
        )
    return result
