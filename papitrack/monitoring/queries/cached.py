"""Expected-report rows and roll-ups kept in the cache, keyed on the plan's data version.

The pages ask for the same figures again and again between two changes (a deadline morning:
every dashboard of every user), and computing them reads and rolls up every report of the
plan. Each entry's key names everything the figures depend on: the plan and its data version
(plans/versions.py, bumped by every write they depend on), the scope unit, the day (task
states move from "in progress" to "overdue" at midnight), the period, the "include
submitted" switch and the tasks. The user is not part of any key: the figures of a scope are
the same for everyone allowed to see it, and views check that permission before asking.
The plan's tasks and KPIs are cached too: only a plan load or a rule change alters them, and
both bump the version.

`report_rows` and `compute_rollup` themselves stay uncached (benchmarks and tests call them
to compute).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.core.cache import cache

from papitrack.lib.caching import cache_key, cached
from papitrack.monitoring.achievement import StateCounts
from papitrack.monitoring.queries.expected import ReportGroupRow, periods_of, report_rows
from papitrack.monitoring.queries.rollups import GroupFigures, Rollup, compute_rollup, plan_tasks
from papitrack.monitoring.queries.scope import PeriodRef
from papitrack.monitoring.rollup import Tally
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Plan
from papitrack.tasks.models import Task

# Part of every key: a change to what an entry holds (not to the data) must not read
# entries written by the previous code, e.g. in a shared cache during a deployment.
LAYOUT = 2  # 2: totals and per-group figures as two entries


@dataclass(frozen=True)
class RowsSummary:
    """What most pages need of the rows: the periods, reports received and approved per
    period, the four-state totals per period and over all periods (a few hundred bytes,
    where the rows of a province are a few hundred kilobytes to read back)."""

    periods: tuple[PeriodRef, ...]
    received: dict[PeriodRef, int]
    approved: dict[PeriodRef, int]
    period_states: dict[int, StateCounts]
    total_states: StateCounts

    def states(self, period: PeriodRef | None) -> StateCounts:
        """As `completeness.total_states(rows, period)`: one period, or all without one."""
        if period is None:
            return self.total_states
        return self.period_states.get(period.id, StateCounts())


def summarise_rows(rows: Sequence[ReportGroupRow]) -> RowsSummary:
    # Plain integers per period id, one StateCounts per period at the end: a province's rows
    # over five years are some 20,000, and a StateCounts made at each addition (and a
    # PeriodRef hashed at each) was a third of an uncached dashboard nationally.
    sums: dict[int, list[int]] = {}
    first_rows: dict[int, ReportGroupRow] = {}
    for row in rows:
        entry = sums.get(row.period.id)
        if entry is None:
            entry = sums[row.period.id] = [0, 0, 0, 0, 0]
            first_rows[row.period.id] = row
        states = row.states
        entry[0] += states.done_on_time
        entry[1] += states.done_late
        entry[2] += states.in_progress
        entry[3] += states.overdue
        entry[4] += row.approved
    states_by_period = {
        period_id: StateCounts(
            done_on_time=entry[0], done_late=entry[1], in_progress=entry[2], overdue=entry[3]
        )
        for period_id, entry in sums.items()
    }
    return RowsSummary(
        periods=tuple(periods_of(first_rows.values())),
        received={
            first_rows[period_id].period: states.received
            for period_id, states in states_by_period.items()
        },
        approved={first_rows[period_id].period: entry[4] for period_id, entry in sums.items()},
        period_states=states_by_period,
        total_states=sum(states_by_period.values(), StateCounts()),
    )


@dataclass(frozen=True)
class RollupTotals:
    """What a Rollup computed over the whole scope, without the task instances (the caller
    has them) or the per-group figures (a second entry, read only by pages that show
    groups: unpickling them was a third of a dashboard's time)."""

    sources: dict[int, tuple[str, tuple[PeriodRef, ...]]]
    group_ids: set[int]
    kpi_totals: dict[int, Tally]
    task_totals: dict[int, StateCounts]


def _ids(ids: Iterable[int] | None) -> str:
    return "*" if ids is None else ",".join(str(pk) for pk in sorted(set(ids)))


def cached_plan_tasks(*, plan: Plan, version: int) -> list[Task]:
    """`plan_tasks` (tasks, dimensions, KPIs, roll-up rules), cached: they change only with a
    plan load or a rule change, both of which bump the data version."""
    return cached(
        cache_key("monitoring-tasks", LAYOUT, plan.pk, version), lambda: plan_tasks(plan=plan)
    )


def cached_report_rows(
    *,
    plan: Plan,
    version: int,
    root: OrgUnit | None,
    today: datetime.date,
    level: str | None = None,
    task_ids: Iterable[int] | None = None,
) -> list[ReportGroupRow]:
    """`report_rows` of the plan under `root` (every period), cached.

    `version` is `plans.versions.data_version(plan_id=plan.pk)`, read before this call.
    """
    wanted = None if task_ids is None else sorted(set(task_ids))
    key = cache_key(
        "monitoring-rows",
        LAYOUT,
        plan.pk,
        version,
        "-" if root is None else root.pk,
        today.isoformat(),
        level or "-",
        _ids(wanted),
    )
    return cached(
        key, lambda: report_rows(plan=plan, root=root, today=today, level=level, task_ids=wanted)
    )


def cached_rows_summary(
    *,
    plan: Plan,
    version: int,
    root: OrgUnit | None,
    today: datetime.date,
    load_rows: Callable[[], Sequence[ReportGroupRow]],
) -> RowsSummary:
    """`summarise_rows` of `cached_report_rows(plan, version, root, today)` (`load_rows`,
    called only on a miss), cached."""
    key = cache_key(
        "monitoring-summary",
        LAYOUT,
        plan.pk,
        version,
        "-" if root is None else root.pk,
        today.isoformat(),
    )
    return cached(key, lambda: summarise_rows(load_rows()))


def cached_rollup(
    *,
    plan: Plan,
    version: int,
    tasks: Sequence[Task],
    period: PeriodRef,
    load_rows: Callable[[], Sequence[ReportGroupRow]],
    root: OrgUnit | None,
    include_submitted: bool,
    today: datetime.date,
) -> Rollup:
    """`compute_rollup`, cached.

    `load_rows` (called only on a miss) must return `cached_report_rows(plan=plan,
    version=version, root=root, today=today)`, of every level and with at least the given
    tasks: the roll-up is then a function of the key's parts alone, whichever of those rows
    the caller holds.
    """
    task_list = list(tasks)
    key = cache_key(
        "monitoring-rollup",
        LAYOUT,
        plan.pk,
        version,
        "-" if root is None else root.pk,
        today.isoformat(),
        period.id,
        int(include_submitted),
        _ids(task.pk for task in task_list),
    )

    groups_key = key.replace("monitoring-rollup", "monitoring-rollup-groups", 1)

    def compute() -> tuple[RollupTotals, GroupFigures]:
        rollup = compute_rollup(
            tasks=task_list,
            period=period,
            rows=list(load_rows()),
            root=root,
            include_submitted=include_submitted,
            today=today,
        )
        totals = RollupTotals(
            sources=rollup.sources,
            group_ids=rollup.group_ids,
            kpi_totals=rollup.kpi_totals,
            task_totals=rollup.task_totals,
        )
        return totals, (rollup.tallies, rollup.states)

    def compute_totals() -> RollupTotals:
        totals, groups = compute()
        cache.set(groups_key, groups)
        return totals

    def load_groups() -> GroupFigures:
        # Usually stored with the totals; computed again if it aged out alone.
        return cached(groups_key, lambda: compute()[1])

    figures = cached(key, compute_totals)
    return Rollup(
        period=period,
        root=root,
        include_submitted=include_submitted,
        today=today,
        tasks=task_list,
        sources=figures.sources,
        group_ids=figures.group_ids,
        load_groups=load_groups,
    ).with_totals(kpi_totals=figures.kpi_totals, task_totals=figures.task_totals)
