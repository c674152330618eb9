"""Reads of the stored roll-ups: the same rows as the live queries, from pre-grouped tables.

`expected.report_rows` and `tallies._grouped_values` ask `current_stored_level` first: for
the national scope (level 1) and a province's (level 2), while the stored figures hold the
plan's current data version, they read `StoredReportCount` / `StoredValueSum` (tens of rows
per group) instead of every report and value of the period (quality goal P4). Otherwise, or
with `source=LIVE`, they compute from the reports; with `source=FACTS` the national scope
groups the fact tables (queries/facts.py). Writes: monitoring/stored_rollups.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import F, Q, QuerySet, Sum

from papitrack.monitoring.models import (
    StoredChildAnswerSum,
    StoredReportCount,
    StoredRollupState,
    StoredValueSum,
)
from papitrack.monitoring.queries.aggregates import plain_sum
from papitrack.monitoring.queries.scope import level_filter
from papitrack.orgunits.models import OrgUnit
from papitrack.reports.enums import ReportKind

# Where figures come from: stored roll-ups when they serve the scope and are current
# (AUTO, the pages); the national scope's fact tables grouped on the fly when current, else
# the reports (FACTS: the benchmark's on-the-fly roll-up); or always the reports themselves
# (LIVE: the tests that hold the stored figures and the facts against them).
AUTO = "auto"
FACTS = "facts"
LIVE = "live"
# Levels kept: the national scope's groups (provinces) and a province's (its units).
STORED_LEVELS = (1, 2)

VALUE_SUMS = (
    "ratio_reported",
    "sum_numerator",
    "sum_denominator",
    "answered",
    "yes",
    "counted",
    "sum_events",
    "meeting",
    "milestone_reported",
    "done",
)


# Sums of decimals, read back through Django's Decimal conversion; every other stored sum
# counts reports or values.
DECIMAL_SUMS = frozenset({"sum_numerator", "sum_denominator", "sum_events"})


def current_stored_level(*, plan_id: int, root: OrgUnit | None) -> int | None:
    """The stored level that serves `root`'s groups, if the stored figures hold the plan's
    current data version; None means: compute from the reports. One query."""
    level = 1 if root is None else root.depth + 1
    if level not in STORED_LEVELS:
        return None
    current = StoredRollupState.objects.filter(
        plan_id=plan_id, version=F("plan__data_version__number")
    ).exists()
    return level if current else None


def reads_facts(*, plan_id: int, root: OrgUnit | None, source: str) -> bool:
    """Whether figures asked `source=FACTS` come from the fact tables (queries/facts.py):
    for the national scope, while they hold the plan's current data version. One query."""
    return (
        source == FACTS
        and root is None
        and current_stored_level(plan_id=plan_id, root=None) is not None
    )


def _scope_groups(root: OrgUnit | None) -> Q:
    """Stored rows of the root's children and of the root's own reports."""
    if root is None:
        return Q()
    return Q(group_id__in=OrgUnit.objects.filter(Q(pk=root.pk) | Q(parent=root.pk)).values("pk"))


def stored_report_rows(
    *,
    plan_id: int,
    level: int,
    root: OrgUnit | None,
    today: datetime.date,
    period_ids: Iterable[int] | None,
    report_level: str | None,
    task_ids: Iterable[int] | None,
) -> list[dict[str, Any]]:
    """Rows shaped like the live query's in `expected.report_rows` (same keys)."""
    counts = _stored_counts(
        plan_id=plan_id,
        level=level,
        root=root,
        period_ids=period_ids,
        report_level=report_level,
        task_ids=task_ids,
    )
    unsent = F("expected") - F("received")
    totals = ("done_on_time", "received", "approved", "submitted", "returned")
    rows = (
        counts.values("task_id", "period_id", "group_id", "report_kind", "unit_kind")
        .annotate(
            # Named apart from the columns they sum (an annotation may not shadow a field).
            **{f"total_{name}": plain_sum(name) for name in totals},
            in_progress=plain_sum(unsent, filter=Q(due_date__gte=today), default=0),
            overdue=plain_sum(unsent, filter=Q(due_date__lt=today), default=0),
        )
        .order_by()
        # Tuples, each made into the live query's dict once (a province's rows over five
        # years are some 20,000).
        .values_list(
            "task_id",
            "period_id",
            "group_id",
            "report_kind",
            "unit_kind",
            "in_progress",
            "overdue",
            *(f"total_{name}" for name in totals),
        )
    )
    keys = ("task_id", "period_id", "group", "kind", "unit__kind", "in_progress", "overdue")
    return [dict(zip((*keys, *totals), row, strict=True)) for row in rows]


def stored_member_rows(
    *, plan_id: int, level: int, root: OrgUnit | None, period_ids: Iterable[int] | None
) -> list[dict[str, Any]]:
    """Rows shaped like the live query's in `expected.member_rows` (same keys)."""
    counts = _stored_counts(
        plan_id=plan_id,
        level=level,
        root=root,
        period_ids=period_ids,
        report_level=None,
        task_ids=None,
    )
    keys = ("task_id", "period_id", "group", "kind", "unit__kind", "expected")
    rows = (
        counts.values("task_id", "period_id", "group_id", "report_kind", "unit_kind")
        .annotate(total_expected=plain_sum("expected"))
        .order_by()
        .values_list(
            "task_id", "period_id", "group_id", "report_kind", "unit_kind", "total_expected"
        )
    )
    return [dict(zip(keys, row, strict=True)) for row in rows]


def _stored_counts(
    *,
    plan_id: int,
    level: int,
    root: OrgUnit | None,
    period_ids: Iterable[int] | None,
    report_level: str | None,
    task_ids: Iterable[int] | None,
) -> QuerySet[StoredReportCount]:
    counts = StoredReportCount.objects.filter(plan_id=plan_id, level=level).filter(
        _scope_groups(root),
        level_filter(report_level, kind_field="report_kind", unit_kind_field="unit_kind"),
    )
    if period_ids is not None:
        counts = counts.filter(period_id__in=list(period_ids))
    if task_ids is not None:
        counts = counts.filter(task_id__in=list(task_ids))
    return counts


def stored_value_rows(
    *,
    plan_id: int,
    kpi_ids: list[int],
    period_id: int,
    level: int,
    root: OrgUnit | None,
    statuses: Sequence[str],
    lead_only: set[int],
) -> list[dict[str, Any]]:
    """Rows shaped like `tallies._grouped_values`' live ones (same keys)."""
    sums = (
        # The plan first: the (plan, level, period, group) index holds a period's rows.
        StoredValueSum.objects.filter(
            plan_id=plan_id, level=level, period_id=period_id, kpi_id__in=kpi_ids
        )
        .filter(status__in=statuses)
        .filter(
            Q(report_kind=ReportKind.UNIT)
            | Q(report_kind=ReportKind.CONSOLIDATED, task_id__in=list(lead_only))
        )
        .filter(_scope_groups(root))
    )
    return [
        {
            "kpi_id": row["kpi_id"],
            "group": row["group_id"],
            "report__unit__kind": row["unit_kind"],
            **{name: row[f"total_{name}"] for name in VALUE_SUMS},
        }
        for row in sums.values("kpi_id", "group_id", "unit_kind")
        .annotate(
            **{
                f"total_{name}": Sum(name) if name in DECIMAL_SUMS else plain_sum(name)
                for name in VALUE_SUMS
            }
        )
        .order_by()
    ]


def stored_child_answer_rows(
    *,
    plan_id: int,
    kpi_ids: list[int],
    period_id: int,
    level: int,
    root: OrgUnit | None,
    statuses: Sequence[str],
) -> list[tuple[int, int, str, int, int, int]]:
    """As `tallies._fallback_answers`' live sums: the district answers whose report is
    counted and whose child's own answer is not."""
    sums = (
        StoredChildAnswerSum.objects.filter(
            plan_id=plan_id, level=level, period_id=period_id, kpi_id__in=kpi_ids
        )
        .filter(status__in=statuses)
        .exclude(own_status__in=statuses)
        .filter(_scope_groups(root))
        .values("kpi_id", "group_id", "unit_kind")
        .annotate(
            total_answered=Sum("answered"),
            total_yes=Sum("yes"),
            total_extra=Sum("extra_members"),
        )
        .order_by()
        .values_list(
            "kpi_id", "group_id", "unit_kind", "total_answered", "total_yes", "total_extra"
        )
    )
    return list(sums)
