"""Expected reports grouped under the scope unit, with their four-state counts.

One query (plus the plan's periods) whatever the number of units: completeness,
timeliness, task states and the members of each share all come from these rows. A read of
the KPI values alone needs only the members: `member_rows` counts the expected reports
without their states.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import Aggregate, Count, Q, QuerySet

from papitrack.monitoring.achievement import StateCounts
from papitrack.monitoring.queries.aggregates import plain_count
from papitrack.monitoring.queries.facts import fact_report_rows, fact_state_aggregates
from papitrack.monitoring.queries.scope import (
    DueDayEnd,
    PeriodRef,
    group_of,
    in_scope,
    level_filter,
    plan_periods,
)
from papitrack.monitoring.queries.stored import (
    AUTO,
    current_stored_level,
    reads_facts,
    stored_member_rows,
    stored_report_rows,
)
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Plan
from papitrack.reports.enums import ReportStatus
from papitrack.reports.models import Report
from papitrack.tasks.models import Task


class ExpectedReports(Protocol):
    """Expected reports of one task and period under one group, of one report and unit
    kind: what a KPI roll-up needs of them (its members)."""

    @property
    def task_id(self) -> int: ...
    @property
    def period(self) -> PeriodRef: ...
    @property
    def group_id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def unit_kind(self) -> str: ...
    @property
    def expected(self) -> int: ...


@dataclass(frozen=True)
class ReportGroupRow:
    """Expected reports of one task and period under one group, of one report and unit kind."""

    task_id: int
    period: PeriodRef
    group_id: int
    kind: str
    unit_kind: str
    states: StateCounts
    approved: int
    submitted: int
    returned: int

    @property
    def expected(self) -> int:
        return self.states.expected


@dataclass(frozen=True)
class MemberRow:
    """How many reports one task and period expects under one group, of one report and
    unit kind (`member_rows`)."""

    task_id: int
    period: PeriodRef
    group_id: int
    kind: str
    unit_kind: str
    expected: int


def state_aggregates(today: datetime.date) -> dict[str, Count]:
    """Counts of the four states (completion is the first submission's local day); late is
    received minus on time, which spares a second date comparison per row."""
    return {
        "done_on_time": plain_count("id", filter=Q(first_submitted_at__lt=DueDayEnd("due_date"))),
        "received": plain_count("id", filter=Q(first_submitted_at__isnull=False)),
        "in_progress": plain_count(
            "id", filter=Q(first_submitted_at__isnull=True, due_date__gte=today)
        ),
        "overdue": plain_count("id", filter=Q(first_submitted_at__isnull=True, due_date__lt=today)),
    }


def states_of(row: dict[str, Any]) -> StateCounts:
    """The StateCounts of a row annotated with `state_aggregates`."""
    return StateCounts(
        done_on_time=row["done_on_time"],
        done_late=row["received"] - row["done_on_time"],
        in_progress=row["in_progress"],
        overdue=row["overdue"],
    )


def report_rows(
    *,
    plan: Plan,
    root: OrgUnit | None,
    today: datetime.date,
    period_ids: Iterable[int] | None = None,
    level: str | None = None,
    task_ids: Iterable[int] | None = None,
    source: str = AUTO,
) -> list[ReportGroupRow]:
    """Expected reports of the plan under the root: all periods, levels and tasks, or the
    given ones. Three queries: the plan's periods, whether stored roll-ups (or the facts,
    for `source=FACTS`) serve the scope (queries/stored.py), and the reports grouped
    (stored, from the facts, or live)."""
    periods = {period.id: period for period in plan_periods(plan.pk)}
    rows = _grouped_rows(
        plan=plan,
        root=root,
        period_ids=period_ids,
        level=level,
        task_ids=task_ids,
        source=source,
        stored=lambda stored_level: stored_report_rows(
            plan_id=plan.pk,
            level=stored_level,
            root=root,
            today=today,
            period_ids=period_ids,
            report_level=level,
            task_ids=task_ids,
        ),
        fact_aggregates={**fact_state_aggregates(today), **status_aggregates()},
        live_aggregates={**state_aggregates(today), **status_aggregates()},
    )
    return [
        ReportGroupRow(
            **_row_keys(row, periods),
            states=states_of(row),
            approved=row["approved"],
            submitted=row["submitted"],
            returned=row["returned"],
        )
        for row in rows
        if row["group"] is not None
    ]


def member_rows(
    *,
    plan: Plan,
    root: OrgUnit | None,
    period_ids: Iterable[int] | None = None,
    source: str = AUTO,
) -> list[MemberRow]:
    """The number of expected reports under the root per (task, period, group, report
    kind, unit kind), from the same source as `report_rows` would read (three queries).

    One count instead of the four states and three statuses: on the national fact table
    the grouping takes half the time, which is what a roll-up of the values alone spends
    on its members (`rollups.compute_tallies`)."""
    periods = {period.id: period for period in plan_periods(plan.pk)}
    expected = {"expected": plain_count("id")}
    rows = _grouped_rows(
        plan=plan,
        root=root,
        period_ids=period_ids,
        level=None,
        task_ids=None,
        source=source,
        stored=lambda stored_level: stored_member_rows(
            plan_id=plan.pk, level=stored_level, root=root, period_ids=period_ids
        ),
        fact_aggregates=expected,
        live_aggregates=expected,
    )
    return [
        MemberRow(**_row_keys(row, periods), expected=row["expected"])
        for row in rows
        if row["group"] is not None
    ]


def _row_keys(row: dict[str, Any], periods: dict[int, PeriodRef]) -> dict[str, Any]:
    """The grouping keys of a grouped row (the live query's names) as the rows' fields."""
    return {
        "task_id": row["task_id"],
        "period": periods[row["period_id"]],
        "group_id": row["group"],
        "kind": row["kind"],
        "unit_kind": row["unit__kind"],
    }


def _grouped_rows(
    *,
    plan: Plan,
    root: OrgUnit | None,
    period_ids: Iterable[int] | None,
    level: str | None,
    task_ids: Iterable[int] | None,
    source: str,
    stored: Callable[[int], Iterable[dict[str, Any]]],
    fact_aggregates: Mapping[str, Aggregate],
    live_aggregates: Mapping[str, Aggregate],
) -> Iterable[dict[str, Any]]:
    """The expected reports grouped from the source that serves the scope: the stored
    roll-ups at the level `current_stored_level` gives (`stored(level)`), the fact tables
    (`reads_facts`), or the reports themselves; each with its own aggregates, under the
    live query's keys."""
    stored_level = current_stored_level(plan_id=plan.pk, root=root) if source == AUTO else None
    if stored_level is not None:
        return stored(stored_level)
    if reads_facts(plan_id=plan.pk, root=root, source=source):
        return fact_report_rows(
            plan_id=plan.pk,
            period_ids=period_ids,
            report_level=level,
            task_ids=task_ids,
            aggregates=fact_aggregates,
        )
    return _live_rows(
        plan=plan,
        root=root,
        period_ids=period_ids,
        level=level,
        task_ids=task_ids,
        aggregates=live_aggregates,
    )


def _live_rows(
    *,
    plan: Plan,
    root: OrgUnit | None,
    period_ids: Iterable[int] | None,
    level: str | None,
    task_ids: Iterable[int] | None,
    aggregates: Mapping[str, Aggregate],
) -> QuerySet[Report, dict[str, Any]]:
    # Task ids, not a join on the plan: the period's reports are read through the
    # (unit, period) index without touching the task table; the periods' labels likewise
    # come from their own small query rather than from a join on every report.
    tasks = list(task_ids) if task_ids is not None else Task.objects.filter(plan=plan).values("pk")
    reports = (
        Report.objects.filter(task_id__in=tasks)
        .filter(in_scope("unit", root))
        .filter(level_filter(level))
    )
    if period_ids is not None:
        reports = reports.filter(period_id__in=list(period_ids))
    return (
        reports.annotate(group=group_of("unit", root))
        .values("task_id", "period_id", "group", "kind", "unit__kind")
        .annotate(**aggregates)
        .order_by()
    )


def status_aggregates() -> dict[str, Count]:
    return {
        "approved": plain_count("id", filter=Q(status=ReportStatus.APPROVED)),
        "submitted": plain_count("id", filter=Q(status=ReportStatus.SUBMITTED)),
        "returned": plain_count("id", filter=Q(status=ReportStatus.RETURNED)),
    }


def periods_of(rows: Iterable[ReportGroupRow]) -> list[PeriodRef]:
    return sorted({row.period for row in rows}, key=lambda p: (p.end, -p.start.toordinal()))
