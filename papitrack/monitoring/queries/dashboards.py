"""What each dashboard shows: the plan's state by dimension and task, and the role views.

Each function reads the expected reports once (`report_rows`) and derives completeness,
timeliness, the heat map, task states and the periods from them; KPI values, scores,
targets and the overdue list add one query each. The rows and the roll-ups are cached under
the plan's data version (`queries/cached.py`), as are the tasks; scores and targets are read
fresh.
"""

from __future__ import annotations

import datetime
import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Max
from django.utils import timezone

from papitrack.indices.enums import ScoreStatus
from papitrack.indices.models import Dimension, PublishedScore
from papitrack.lib.caching import cache_key, cached
from papitrack.lib.text import vietnamese_sort_key
from papitrack.monitoring.achievement import StateCounts
from papitrack.monitoring.enums import Achievement
from papitrack.monitoring.queries.cached import (
    LAYOUT,
    RowsSummary,
    cached_plan_tasks,
    cached_report_rows,
    cached_rollup,
    cached_rows_summary,
)
from papitrack.monitoring.queries.completeness import (
    CompletenessRow,
    Heatmap,
    OverdueRow,
    UnitWork,
    completeness_rows,
    heatmap,
    overdue_reports,
    overdue_rows,
    unit_work,
)
from papitrack.monitoring.queries.rollups import (
    ReportGroupRow,
    Rollup,
    TaskResult,
    group_units,
    periods_of,
)
from papitrack.monitoring.queries.scope import PeriodRef, default_period
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Plan, PlanTarget
from papitrack.plans.versions import data_version
from papitrack.reports.enums import ReportStatus
from papitrack.reports.models import Report
from papitrack.tasks.enums import AssigneeRole
from papitrack.tasks.models import Task

OVERDUE_PREVIEW = 10


@dataclass(frozen=True)
class ScorePoint:
    year: int
    score: Decimal


@dataclass(frozen=True)
class DimensionStatus:
    """One PAPI dimension: its tasks' results next to its published score trend."""

    dimension: Dimension
    tasks: tuple[TaskResult, ...]
    target: PlanTarget | None
    scores: tuple[ScorePoint, ...]

    @property
    def assessed(self) -> int:
        return sum(1 for result in self.tasks if result.assessed)

    @property
    def on_track(self) -> int:
        return sum(1 for result in self.tasks if result.assessed and result.on_track)

    @property
    def share_on_track(self) -> Decimal | None:
        return None if not self.assessed else Decimal(self.on_track) / self.assessed

    @property
    def kpi_counts(self) -> dict[str, int]:
        counts = Counter(kpi.achievement for result in self.tasks for kpi in result.kpis)
        return {value: counts.get(value, 0) for value in Achievement.values}

    def score_in(self, year: int) -> Decimal | None:
        return next((point.score for point in self.scores if point.year == year), None)

    @property
    def latest(self) -> ScorePoint | None:
        return self.scores[-1] if self.scores else None


@dataclass(frozen=True)
class PlanStatus:
    """The plan's state for one period under one unit (by default the whole province)."""

    plan: Plan
    root: OrgUnit
    period: PeriodRef | None
    periods: tuple[PeriodRef, ...]
    include_submitted: bool
    today: datetime.date
    overall: DimensionStatus | None
    dimensions: tuple[DimensionStatus, ...]
    rollup: Rollup | None
    summary: RowsSummary
    # The expected-report rows are read (from the cache) only by the pages that show them.
    load_rows: Callable[[], Sequence[ReportGroupRow]] = field(repr=False, compare=False)
    data_version: int = 0

    @cached_property
    def rows(self) -> tuple[ReportGroupRow, ...]:
        return tuple(self.load_rows())

    @property
    def tasks(self) -> list[TaskResult]:
        return [result for dimension in self.dimensions for result in dimension.tasks]

    @property
    def states(self) -> StateCounts:
        return self.summary.states(self.period)

    @property
    def assessed(self) -> int:
        return sum(dimension.assessed for dimension in self.dimensions)

    @property
    def on_track(self) -> int:
        return sum(dimension.on_track for dimension in self.dimensions)

    @property
    def share_on_track(self) -> Decimal | None:
        return None if not self.assessed else Decimal(self.on_track) / self.assessed


def pick_period(
    periods: Sequence[PeriodRef],
    code: str | None,
    *,
    counts: dict[PeriodRef, int],
    today: datetime.date,
) -> PeriodRef | None:
    """The period asked for by code; without a code, the default. Unknown code -> KeyError."""
    if code:
        for period in periods:
            if period.code == code:
                return period
        raise KeyError(code)
    return default_period(counts, today=today)


def received_counts(rows: Sequence[ReportGroupRow]) -> dict[PeriodRef, int]:
    counts: dict[PeriodRef, int] = defaultdict(int)
    for row in rows:
        counts[row.period] += row.states.received
    return counts


def approved_counts(rows: Sequence[ReportGroupRow]) -> dict[PeriodRef, int]:
    counts: dict[PeriodRef, int] = defaultdict(int)
    for row in rows:
        counts[row.period] += row.approved
    return counts


def plan_status(
    *,
    plan: Plan,
    root: OrgUnit | None = None,
    period_code: str | None = None,
    include_submitted: bool = False,
    today: datetime.date | None = None,
    approved_default: bool = False,
) -> PlanStatus:
    """Per dimension and task: values, targets, achievement and the four-state status.

    Without a period code the latest period with a report received opens (with an approved
    one, for `approved_default`, as on the public page). About nine queries, none per unit.
    """
    today = today or timezone.localdate()
    root = root or plan.issuer
    version = data_version(plan_id=plan.pk)
    scope = root

    @functools.cache
    def load_rows() -> list[ReportGroupRow]:
        # Once per call at most, and only if an entry below is missing or the page shows rows.
        return cached_report_rows(plan=plan, version=version, root=scope, today=today)

    summary = cached_rows_summary(
        plan=plan, version=version, root=root, today=today, load_rows=load_rows
    )
    periods = list(summary.periods)
    counts = summary.approved if approved_default else summary.received
    period = pick_period(periods, period_code, counts=counts, today=today)
    tasks = cached_plan_tasks(plan=plan, version=version)
    rollup = (
        cached_rollup(
            plan=plan,
            version=version,
            tasks=tasks,
            period=period,
            load_rows=load_rows,
            root=root,
            include_submitted=include_submitted,
            today=today,
        )
        if period is not None
        else None
    )
    targets = {
        target.dimension_id: target
        for target in PlanTarget.objects.filter(plan=plan).select_related("dimension")
    }
    scores: dict[int, list[ScorePoint]] = defaultdict(list)
    for dimension_id, year, score in (
        PublishedScore.objects.filter(
            index_id=plan.index_id,
            province_id=plan.issuer_id,
            status=ScoreStatus.PUBLISHED,
            score__isnull=False,
        )
        .order_by("year")
        .values_list("dimension_id", "year", "score")
    ):
        if score is not None:
            scores[dimension_id].append(ScorePoint(year=year, score=score))
    by_dimension: dict[int, list[Task]] = defaultdict(list)
    dimensions: dict[int, Dimension] = {}
    for task in tasks:
        by_dimension[task.dimension_id].append(task)
        dimensions[task.dimension_id] = task.dimension
    for target in targets.values():
        dimensions.setdefault(target.dimension_id, target.dimension)
    statuses = [
        DimensionStatus(
            dimension=dimension,
            tasks=tuple(rollup.task_result(task) for task in by_dimension.get(dimension.pk, []))
            if rollup is not None
            else (),
            target=targets.get(dimension.pk),
            scores=tuple(scores.get(dimension.pk, [])),
        )
        for dimension in sorted(dimensions.values(), key=lambda d: d.number)
    ]
    overall = next((status for status in statuses if status.dimension.is_aggregate), None)
    return PlanStatus(
        plan=plan,
        root=root,
        period=period,
        periods=tuple(periods),
        include_submitted=include_submitted,
        today=today,
        overall=overall,
        dimensions=tuple(status for status in statuses if not status.dimension.is_aggregate),
        rollup=rollup,
        summary=summary,
        load_rows=load_rows,
        data_version=version,
    )


@dataclass(frozen=True)
class CoordinatorDashboard:
    status: PlanStatus
    overdue: list[OverdueRow]
    overdue_total: int
    # Read (from the cache) only when used: the page keeps the heat map's HTML in a cached
    # fragment, and unpickling a thousand cells for nothing took a third of a request.
    load_heatmap: Callable[[], Heatmap] = field(repr=False, compare=False)

    @cached_property
    def heatmap(self) -> Heatmap:
        return self.load_heatmap()


def coordinator_dashboard(
    *,
    plan: Plan,
    period_code: str | None = None,
    include_submitted: bool = False,
    today: datetime.date | None = None,
) -> CoordinatorDashboard:
    """Completeness heat map, overdue list, achievement by dimension, scores for the radar."""
    status = plan_status(
        plan=plan, period_code=period_code, include_submitted=include_submitted, today=today
    )
    # Neither depends on the period or the switch: one entry each per scope, day and version.
    parts = (LAYOUT, plan.pk, status.data_version, status.root.pk, status.today.isoformat())

    def compute_heatmap() -> Heatmap:
        units = group_units({row.group_id for row in status.rows})
        return heatmap(rows=status.rows, root=status.root, units=units)

    def compute_overdue() -> list[OverdueRow]:
        overdue = overdue_reports(
            plan=plan, root=status.root, period=None, level=None, today=status.today
        )
        return overdue_rows(overdue[:OVERDUE_PREVIEW], today=status.today)

    return CoordinatorDashboard(
        status=status,
        overdue=cached(cache_key("monitoring-overdue-preview", *parts), compute_overdue),
        overdue_total=status.summary.total_states.overdue,
        load_heatmap=lambda: cached(cache_key("monitoring-heatmap", *parts), compute_heatmap),
    )


@dataclass(frozen=True)
class LeadTaskRows:
    """A task the user's unit leads: the whole province and each unit under it."""

    total: TaskResult
    rows: tuple[tuple[OrgUnit, TaskResult], ...]


@dataclass(frozen=True)
class LeadDashboard:
    unit: OrgUnit
    period: PeriodRef | None
    periods: tuple[PeriodRef, ...]
    include_submitted: bool
    tasks: tuple[LeadTaskRows, ...]


def lead_dashboard(
    *,
    plan: Plan,
    unit: OrgUnit,
    period_code: str | None = None,
    include_submitted: bool = False,
    today: datetime.date | None = None,
) -> LeadDashboard:
    """The lead unit's tasks with the value of every unit under the province, per period."""
    today = today or timezone.localdate()
    root = plan.issuer
    led_ids = list(
        Task.objects.filter(
            plan=plan, assignees__role=AssigneeRole.LEAD, assignees__unit=unit
        ).values_list("pk", flat=True)
    )
    led = set(led_ids)
    version = data_version(plan_id=plan.pk)
    tasks = [task for task in cached_plan_tasks(plan=plan, version=version) if task.pk in led]
    rows = cached_report_rows(plan=plan, version=version, root=root, today=today, task_ids=led)
    periods = periods_of(rows)
    period = pick_period(periods, period_code, counts=received_counts(rows), today=today)
    if period is None or not tasks:
        return LeadDashboard(
            unit=unit,
            period=period,
            periods=tuple(periods),
            include_submitted=include_submitted,
            tasks=(),
        )
    rollup = cached_rollup(
        plan=plan,
        version=version,
        tasks=tasks,
        period=period,
        load_rows=lambda: rows,
        root=root,
        include_submitted=include_submitted,
        today=today,
    )
    units = group_units(rollup.group_ids)
    ordered = sorted(
        units.values(),
        key=lambda u: (u.pk != root.pk, u.kind, vietnamese_sort_key(u.display_name)),
    )
    return LeadDashboard(
        unit=unit,
        period=period,
        periods=tuple(periods),
        include_submitted=include_submitted,
        tasks=tuple(
            LeadTaskRows(
                total=rollup.task_result(task),
                rows=tuple(
                    (group, rollup.task_result(task, group.pk))
                    for group in ordered
                    if rollup.has_group(task, group.pk)
                ),
            )
            for task in tasks
        ),
    )


@dataclass(frozen=True)
class UnitDashboard:
    unit: OrgUnit
    work: UnitWork
    period: PeriodRef | None
    children: list[CompletenessRow]


def unit_dashboard(
    *, plan: Plan, unit: OrgUnit, today: datetime.date | None = None
) -> UnitDashboard:
    """What is due, returned and overdue for the unit; for a unit with units below it
    (a district), their completeness in the latest period with reports."""
    today = today or timezone.localdate()
    work = unit_work(unit=unit, plan=plan, today=today)
    rows = cached_report_rows(
        plan=plan, version=data_version(plan_id=plan.pk), root=unit, today=today
    )
    below = [row for row in rows if row.group_id != unit.pk]
    period = default_period(received_counts(below), today=today) if below else None
    children = (
        completeness_rows(
            rows=below,
            root=unit,
            units=group_units({row.group_id for row in below}),
            period=period,
        )
        if below
        else []
    )
    return UnitDashboard(unit=unit, work=work, period=period, children=children)


def last_approved_at(*, plan: Plan) -> datetime.datetime | None:
    """When the public figures last changed: the latest approval of a report of the plan."""
    latest: datetime.datetime | None = Report.objects.filter(
        task__plan=plan, status=ReportStatus.APPROVED
    ).aggregate(latest=Max("approved_at"))["latest"]
    return latest


def latest_plan() -> Plan | None:
    """The plan the monitoring pages follow: the latest issued, with issuer and index."""
    return Plan.objects.select_related("issuer", "index").order_by("-issued_on", "-pk").first()
