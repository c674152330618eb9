"""Every figure of a plan under a scope, from one source: what the tests of the stored
roll-ups and of the fact tables hold against the figures computed from the reports."""

from __future__ import annotations

import datetime
from typing import Any

from papitrack.monitoring.queries.expected import report_rows
from papitrack.monitoring.queries.rollups import compute_rollup, plan_tasks
from papitrack.monitoring.queries.scope import plan_periods

TODAY = datetime.date(2020, 10, 20)  # inside the demo's Q3 reporting window


def all_figures(plan: Any, root: Any, *, source: str, today: datetime.date = TODAY) -> Any:
    """The report rows, and each period's tallies and states with and without submitted
    reports."""
    rows = report_rows(plan=plan, root=root, today=today, source=source)
    tasks = plan_tasks(plan=plan)
    figures: dict[Any, Any] = {
        "rows": sorted(
            rows, key=lambda r: (r.task_id, r.period.id, r.group_id, r.kind, r.unit_kind)
        )
    }
    for period in plan_periods(plan.pk):
        for include_submitted in (False, True):
            rollup = compute_rollup(
                tasks=tasks,
                period=period,
                rows=rows,
                root=root,
                include_submitted=include_submitted,
                today=today,
                source=source,
            )
            figures[(period.code, include_submitted)] = (rollup.tallies, rollup.states)
    return figures
