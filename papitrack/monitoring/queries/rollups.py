"""KPI roll-ups, achievement and the four task states, per task, scope unit and period.

A fixed number of queries whatever the number of units (quality goals P3 and P4; see the
10- and 240-commune test in tests/monitoring/test_views.py): the expected reports grouped
(`expected.report_rows`), then the KPI values (`tallies`), then the pure rules of rollup.py
and achievement.py. The rules are in docs/ARCHITECTURE.md, "Roll-up rules".
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Prefetch

from papitrack.calendars.enums import TaskState
from papitrack.monitoring.achievement import (
    StateCounts,
    Target,
    is_on_track,
    judge,
    share_target,
    traffic_light,
)
from papitrack.monitoring.enums import Achievement
from papitrack.monitoring.queries.expected import (
    ExpectedReports,
    ReportGroupRow,
    member_rows,
    periods_of,
    report_rows,
)
from papitrack.monitoring.queries.scope import PeriodRef, counting_statuses, finest_partition
from papitrack.monitoring.queries.stored import AUTO
from papitrack.monitoring.queries.tallies import combined_tallies, explicit_tallies, rule_of
from papitrack.monitoring.rollup import Tally, family_of
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Plan
from papitrack.reports.enums import ReportKind
from papitrack.tasks.models import Kpi, Task, TaskAssignee

# ReportGroupRow, member_rows, periods_of and report_rows are re-exported: a page reads the
# expected reports and rolls them up through this one module.
__all__ = [
    "KpiResult",
    "ReportGroupRow",
    "Rollup",
    "TaskResult",
    "ValueSource",
    "compute_rollup",
    "compute_tallies",
    "group_units",
    "kpi_result",
    "member_rows",
    "periods_of",
    "plan_tasks",
    "report_rows",
    "task_for_rollup",
]


class ValueSource(models.TextChoices):
    OWN = "own", "Số liệu của chính kỳ này"
    COMBINED = "combined", "Tổng hợp từ các kỳ ngắn hơn trong kỳ này"
    NONE = "none", "Nhiệm vụ không có kỳ báo cáo trong kỳ này"


def task_for_rollup(task_id: int) -> Task | None:
    """One task with its plan's issuer, dimension, KPIs (with rules) and assignees."""
    kpis = Kpi.objects.select_related("rollup_rule").order_by("position")
    return (
        Task.objects.select_related("plan__issuer", "dimension")
        .prefetch_related(
            Prefetch("kpis", queryset=kpis),
            Prefetch("assignees", queryset=TaskAssignee.objects.select_related("unit")),
        )
        .filter(pk=task_id)
        .first()
    )


def plan_tasks(*, plan: Plan) -> list[Task]:
    """The plan's tasks with dimension, KPIs and their roll-up rules (two queries)."""
    kpis = Kpi.objects.select_related("rollup_rule").order_by("position")
    return list(
        Task.objects.filter(plan=plan)
        .select_related("dimension")
        .prefetch_related(Prefetch("kpis", queryset=kpis))
        .order_by("position")
    )


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiResult:
    kpi: Kpi
    tally: Tally
    target: Target
    achievement: str
    light: str
    accumulation: str
    zero_denominator: str

    @property
    def achievement_label(self) -> str:
        return str(Achievement(self.achievement).label)

    @property
    def family(self) -> str:
        return family_of(self.kpi.kind).value


def kpi_result(kpi: Kpi, tally: Tally, *, final: bool) -> KpiResult:
    accumulation, zero_denominator = rule_of(kpi)
    target = share_target(kind=kpi.kind, comparator=kpi.comparator, value=kpi.value)
    achievement = judge(
        kind=kpi.kind,
        tally=tally,
        target=target,
        zero_denominator=zero_denominator,
        final=final,
    )
    return KpiResult(
        kpi=kpi,
        tally=tally,
        target=target,
        achievement=achievement,
        light=traffic_light(achievement=achievement, tally=tally, target=target),
        accumulation=accumulation,
        zero_denominator=zero_denominator,
    )


@dataclass(frozen=True)
class TaskResult:
    task: Task
    source: str
    value_periods: tuple[PeriodRef, ...]
    kpis: tuple[KpiResult, ...]
    states: StateCounts

    @property
    def state(self) -> TaskState | None:
        return self.states.state

    @property
    def state_label(self) -> str:
        return "" if self.state is None else str(TaskState(self.state).label)

    @property
    def achievements(self) -> list[str]:
        return [result.achievement for result in self.kpis]

    @property
    def assessed(self) -> bool:
        """The task owes reports in the period (otherwise it is left out of shares)."""
        return self.states.expected > 0

    @property
    def on_track(self) -> bool:
        return is_on_track(state=self.state, achievements=self.achievements)

    @property
    def source_label(self) -> str:
        return str(ValueSource(self.source).label)


# (KPI, group) -> tally and (task, group) -> state counts: a roll-up's per-group figures.
GroupFigures = tuple[dict[tuple[int, int], Tally], dict[tuple[int, int], StateCounts]]


@dataclass
class Rollup:
    """Tallies and states of a set of tasks for one period under one scope unit.

    Groups are the scope unit's children (and the unit itself, for its own reports);
    `task_result(task)` is the whole scope, `task_result(task, group_id)` one group.
    """

    period: PeriodRef
    root: OrgUnit | None
    include_submitted: bool
    today: datetime.date
    tasks: list[Task]
    tallies: dict[tuple[int, int], Tally] = field(default_factory=dict)
    states: dict[tuple[int, int], StateCounts] = field(default_factory=dict)
    sources: dict[int, tuple[str, tuple[PeriodRef, ...]]] = field(default_factory=dict)
    group_ids: set[int] = field(default_factory=set)
    # Set by the cache (queries/cached.py): the per-group figures are read on first use,
    # as pages about the whole scope need only the totals (kept with them).
    load_groups: Callable[[], GroupFigures] | None = field(default=None, repr=False, compare=False)
    _kpi_totals: dict[int, Tally] | None = field(default=None, init=False, repr=False)
    _task_totals: dict[int, StateCounts] | None = field(default=None, init=False, repr=False)

    def _load(self) -> None:
        if self.load_groups is not None:
            self.tallies, self.states = self.load_groups()
            self.load_groups = None

    def has_group(self, task: Task, group_id: int) -> bool:
        """The task has expected reports under the group in this period."""
        self._load()
        return (task.pk, group_id) in self.states

    @property
    def kpi_totals(self) -> dict[int, Tally]:
        """KPI -> its tally over the whole scope (summed once, then kept)."""
        if self._kpi_totals is None:
            self._load()
            totals: dict[int, Tally] = defaultdict(Tally)
            for (kpi_id, _), tally in self.tallies.items():
                totals[kpi_id] = totals[kpi_id] + tally
            self._kpi_totals = dict(totals)
        return self._kpi_totals

    @property
    def task_totals(self) -> dict[int, StateCounts]:
        """Task -> its state counts over the whole scope (summed once, then kept)."""
        if self._task_totals is None:
            self._load()
            totals: dict[int, StateCounts] = defaultdict(StateCounts)
            for (task_id, _), counts in self.states.items():
                totals[task_id] = totals[task_id] + counts
            self._task_totals = dict(totals)
        return self._task_totals

    def with_totals(
        self, *, kpi_totals: dict[int, Tally], task_totals: dict[int, StateCounts]
    ) -> Rollup:
        """The roll-up with its totals already summed (kept in the cache with the figures)."""
        self._kpi_totals, self._task_totals = kpi_totals, task_totals
        return self

    def tally(self, kpi: Kpi, group_id: int | None = None) -> Tally:
        if group_id is not None:
            self._load()
            return self.tallies.get((kpi.pk, group_id), Tally())
        return self.kpi_totals.get(kpi.pk, Tally())

    def task_states(self, task: Task, group_id: int | None = None) -> StateCounts:
        if group_id is not None:
            self._load()
            return self.states.get((task.pk, group_id), StateCounts())
        return self.task_totals.get(task.pk, StateCounts())

    def task_result(self, task: Task, group_id: int | None = None) -> TaskResult:
        source, value_periods = self.sources.get(task.pk, (ValueSource.NONE, ()))
        return TaskResult(
            task=task,
            source=source,
            value_periods=value_periods,
            kpis=tuple(
                kpi_result(kpi, self.tally(kpi, group_id), final=self.period.is_final)
                for kpi in task.kpis.all()
            ),
            states=self.task_states(task, group_id),
        )

    def results(self) -> list[TaskResult]:
        return [self.task_result(task) for task in self.tasks]


# --- the roll-up ------------------------------------------------------------------------------


def compute_rollup(
    *,
    tasks: list[Task],
    period: PeriodRef,
    rows: list[ReportGroupRow],
    root: OrgUnit | None,
    include_submitted: bool,
    today: datetime.date,
    source: str = AUTO,
) -> Rollup:
    """Tallies and task states of `tasks` for `period` under `root`.

    `rows` are `report_rows(...)` covering at least the periods inside `period`. Task
    states count every expected report of a period inside `period` (the year's state of an
    ongoing task is the worst of its period reports); values come from the period's own
    reports, or, for a task with none, from its shortest periods inside it, combined.
    """
    rollup = Rollup(
        period=period,
        root=root,
        include_submitted=include_submitted,
        today=today,
        tasks=tasks,
    )
    task_ids = {task.pk for task in tasks}
    for row in rows:
        if row.task_id not in task_ids or not period.contains(row.period):
            continue
        key = (row.task_id, row.group_id)
        rollup.states[key] = rollup.states.get(key, StateCounts()) + row.states
        rollup.group_ids.add(row.group_id)
    values = _values_plan(tasks=tasks, period=period, rows=rows)
    rollup.sources.update(values.sources)
    rollup.tallies.update(
        _tallies(
            values=values,
            period=period,
            rows=rows,
            root=root,
            statuses=counting_statuses(include_submitted=include_submitted),
            source=source,
        )
    )
    rollup.group_ids.update(group_id for _, group_id in rollup.tallies)
    return rollup


def compute_tallies(
    *,
    tasks: list[Task],
    period: PeriodRef,
    rows: Sequence[ExpectedReports],
    root: OrgUnit | None,
    include_submitted: bool,
    source: str = AUTO,
) -> dict[tuple[int, int], Tally]:
    """(KPI, group) -> tally of `tasks` for `period` under `root`: the KPI values rolled up
    as `compute_rollup` rolls them, without the task states.

    `rows` are the members, `member_rows(...)` (or `report_rows(...)`) covering at least
    the periods inside `period`."""
    return _tallies(
        values=_values_plan(tasks=tasks, period=period, rows=rows),
        period=period,
        rows=rows,
        root=root,
        statuses=counting_statuses(include_submitted=include_submitted),
        source=source,
    )


@dataclass(frozen=True)
class _ValuesPlan:
    """Where each task's values for a period come from: its own reports of the period
    (`own`), or its shortest periods inside it, combined (`partitions`)."""

    own: list[Task]
    combined: list[Task]
    partitions: dict[int, list[PeriodRef]]
    # Tasks counted from the lead's consolidated report (no unit reports).
    lead_only: set[int]
    sources: dict[int, tuple[str, tuple[PeriodRef, ...]]]


def _values_plan(
    *, tasks: list[Task], period: PeriodRef, rows: Sequence[ExpectedReports]
) -> _ValuesPlan:
    task_ids = {task.pk for task in tasks}
    task_periods: dict[int, set[PeriodRef]] = defaultdict(set)
    with_unit_reports: set[int] = set()
    for row in rows:
        if row.task_id not in task_ids or not period.contains(row.period):
            continue
        task_periods[row.task_id].add(row.period)
        if row.kind == ReportKind.UNIT:
            with_unit_reports.add(row.task_id)
    plan = _ValuesPlan(
        own=[],
        combined=[],
        partitions={},
        lead_only=set(task_periods) - with_unit_reports,
        sources={},
    )
    for task in tasks:
        periods = task_periods.get(task.pk, set())
        if period in periods:
            plan.own.append(task)
            plan.sources[task.pk] = (ValueSource.OWN, (period,))
            continue
        partition = finest_partition(period, periods)
        if partition:
            plan.combined.append(task)
            plan.partitions[task.pk] = partition
            plan.sources[task.pk] = (ValueSource.COMBINED, tuple(partition))
    return plan


def _tallies(
    *,
    values: _ValuesPlan,
    period: PeriodRef,
    rows: Sequence[ExpectedReports],
    root: OrgUnit | None,
    statuses: tuple[str, ...],
    source: str,
) -> dict[tuple[int, int], Tally]:
    tallies = explicit_tallies(
        tasks=values.own,
        period=period,
        rows=rows,
        root=root,
        statuses=statuses,
        lead_only=values.lead_only,
        source=source,
    )
    if values.combined:
        tallies.update(
            combined_tallies(
                tasks=values.combined,
                partitions=values.partitions,
                root=root,
                statuses=statuses,
                lead_only=values.lead_only,
            )
        )
    return tallies


def group_units(group_ids: Iterable[int]) -> dict[int, OrgUnit]:
    """The units behind group ids, with their parents (one query)."""
    return {
        unit.pk: unit
        for unit in OrgUnit.objects.filter(pk__in=list(group_ids)).select_related("parent")
    }
