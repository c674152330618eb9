"""Stored roll-ups: expected-report counts and value sums pre-grouped per province (level
1) and per province's unit (level 2), kept in step with the reports.

Like DHIS2's analytics tables, but refreshed in the writing transaction rather than by a
nightly job: every write the figures depend on bumps the plan's data version
(plans/versions.py), whose `figures_changed` signal names the (task, period) slices that
changed; those slices' facts are rewritten (facts.py: one row per report and per counted
value) and regrouped here (level 2 from the facts, level 1 from level 2), and the stored
state moves to the new version. Writes that name no slice (a plan load, report
generation) rebuild the plan's facts and tables. If the stored state is behind (a unit
moved, a write from outside the services), reads fall back to the live queries until the
next rebuild (`manage.py rebuild_rollups`), so figures are never stale, only slower.

Reads: monitoring/queries/stored.py. Design: docs/ARCHITECTURE.md, "Stored roll-ups and fact
tables".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, QuerySet, Sum, Value

from papitrack.monitoring.facts import FACT_MODELS, GROUP_COLUMNS, write_facts
from papitrack.monitoring.models import (
    AnswerFact,
    ReportFact,
    StoredChildAnswerSum,
    StoredReportCount,
    StoredRollupState,
    StoredValueSum,
    ValueFact,
)
from papitrack.monitoring.queries.expected import status_aggregates
from papitrack.monitoring.queries.facts import answer_aggregates, fact_state_aggregates
from papitrack.monitoring.queries.scope import group_at_level
from papitrack.monitoring.queries.stored import STORED_LEVELS, VALUE_SUMS
from papitrack.monitoring.queries.tallies import (
    value_aggregates,
)
from papitrack.monitoring.writes import Slice, alias, insert_selected, slice_filter
from papitrack.plans.versions import data_version
from papitrack.tasks.models import Kpi

# Only the counts that no day changes are stored (received, done on time): the day the
# figures are read on splits the unsent reports, kept by due date. Any day serves here.
_ANY_DAY = datetime.date(2000, 1, 1)
REPORT_SUMS = ("expected", "received", "done_on_time", "approved", "submitted", "returned")
REPORT_COLUMNS = (
    "plan_id",
    "level",
    "period_id",
    "task_id",
    "group_id",
    "report_kind",
    "unit_kind",
    "due_date",
    "expected",
    "received",
    "done_on_time",
    "approved",
    "submitted",
    "returned",
)
VALUE_COLUMNS = (
    "plan_id",
    "level",
    "period_id",
    "task_id",
    "kpi_id",
    "group_id",
    "report_kind",
    "unit_kind",
    "status",
    *VALUE_SUMS,
)
ANSWER_COLUMNS = (
    "plan_id",
    "level",
    "period_id",
    "task_id",
    "group_id",
    "report_kind",
    "unit_kind",
    "kpi_id",
    "status",
    "own_status",
    "answered",
    "yes",
    "extra_members",
)
STORED_MODELS = (StoredReportCount, StoredValueSum, StoredChildAnswerSum)


def _grouped_facts(
    facts: QuerySet[Any], *, plan_id: int, level: int, slices: Sequence[Slice] | None, **extra: Any
) -> QuerySet[Any]:
    """The plan's facts of the slices grouped by a StoredGroup's columns at `level` (and
    `extra`), every column aliased (writes.alias)."""
    keys = {
        "s_plan": Value(plan_id),
        "s_level": Value(level),
        "s_period": F("period_id"),
        "s_task": F("task_id"),
        "s_group": F(GROUP_COLUMNS[level]),
        "s_report_kind": F("kind"),
        "s_unit_kind": F("unit_kind"),
        **extra,
    }
    grouped: QuerySet[Any] = (
        facts.filter(plan_id=plan_id).filter(slice_filter(slices)).annotate(**keys).values(*keys)
    )
    return grouped


def _report_counts(plan_id: int, level: int, slices: Sequence[Slice] | None) -> QuerySet[Any]:
    aggregates = fact_state_aggregates(_ANY_DAY)
    counts: QuerySet[Any] = (
        _grouped_facts(
            ReportFact.objects.all(),
            plan_id=plan_id,
            level=level,
            slices=slices,
            s_due_date=F("due_date"),
        )
        .annotate(
            s_expected=Count("id"),
            s_received=aggregates["received"],
            s_done_on_time=aggregates["done_on_time"],
            **{f"s_{name}": value for name, value in status_aggregates().items()},
        )
        .order_by()
    )
    return counts


def _value_sums(
    plan_id: int, level: int, slices: Sequence[Slice] | None, kpis: Iterable[Kpi]
) -> QuerySet[Any]:
    sums: QuerySet[Any] = (
        _grouped_facts(
            ValueFact.objects.all(),
            plan_id=plan_id,
            level=level,
            slices=slices,
            s_kpi=F("kpi_id"),
            s_status=F("status"),
        )
        .annotate(**{f"s_{name}": value for name, value in value_aggregates(kpis).items()})
        .order_by()
    )
    return sums


def _answer_sums(plan_id: int, level: int, slices: Sequence[Slice] | None) -> QuerySet[Any]:
    """District answers for their communes, summed under the commune's group at `level`."""
    sums: QuerySet[Any] = (
        _grouped_facts(
            AnswerFact.objects.all(),
            plan_id=plan_id,
            level=level,
            slices=slices,
            s_kpi=F("kpi_id"),
            s_status=F("status"),
            s_own_status=F("own_status"),
        )
        .annotate(**{f"s_{name}": value for name, value in answer_aggregates().items()})
        .order_by()
    )
    return sums


def _regrouped(
    model: type[StoredReportCount | StoredValueSum],
    columns: Sequence[str],
    sums: Sequence[str],
    *,
    plan_id: int,
    level: int,
    slices: Sequence[Slice] | None,
) -> QuerySet[Any]:
    """Rows of `level` from the stored rows one level finer, grouped again under their
    groups' ancestors: every stored figure is a sum, and a province's group is its unit's
    province. Reading a few thousand stored rows halves what grouping the reports and
    values again cost (each approval pays it)."""
    finer = model.objects.filter(plan_id=plan_id, level=level + 1).filter(slice_filter(slices))
    keys = [c for c in columns if c not in sums and c not in {"plan_id", "level", "group_id"}]
    regrouped: QuerySet[Any] = (
        finer.annotate(
            s_plan=Value(plan_id),
            s_level=Value(level),
            s_group=group_at_level("group", level),
            **{alias(column): F(column) for column in keys},
        )
        .values("s_plan", "s_level", "s_group", *(alias(column) for column in keys))
        .annotate(**{alias(name): Sum(name) for name in sums})
        .order_by()
    )
    return regrouped


def _write(
    plan_id: int, slices: Sequence[Slice] | None, reports: Sequence[int] | None = None
) -> None:
    for model in STORED_MODELS:
        model.objects.filter(plan_id=plan_id).filter(slice_filter(slices)).delete()
    write_facts(plan_id=plan_id, slices=slices, reports=reports)
    for level in STORED_LEVELS:
        insert_selected(StoredChildAnswerSum, ANSWER_COLUMNS, _answer_sums(plan_id, level, slices))
    kpis = list(Kpi.objects.filter(task__plan_id=plan_id))
    finest = max(STORED_LEVELS)
    insert_selected(StoredReportCount, REPORT_COLUMNS, _report_counts(plan_id, finest, slices))
    insert_selected(StoredValueSum, VALUE_COLUMNS, _value_sums(plan_id, finest, slices, kpis))
    for level in range(finest - 1, min(STORED_LEVELS) - 1, -1):
        for model, columns, sums in (
            (StoredReportCount, REPORT_COLUMNS, REPORT_SUMS),
            (StoredValueSum, VALUE_COLUMNS, VALUE_SUMS),
        ):
            rows = _regrouped(model, columns, sums, plan_id=plan_id, level=level, slices=slices)
            insert_selected(model, columns, rows)


@transaction.atomic
def rebuild_stored_rollups(*, plan_id: int) -> int:
    """Regroup all the plan's reports and values; returns the data version they hold."""
    _write(plan_id, None)
    # The planners choose indexes from statistics that ANALYZE gathers: without them SQLite
    # read these tables through the wrong index, scanning every level and period, and
    # PostgreSQL's autovacuum analyses them only some time after a rebuild.
    with connection.cursor() as cursor:
        for model in (*FACT_MODELS, *STORED_MODELS):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    version = data_version(plan_id=plan_id)
    StoredRollupState.objects.update_or_create(plan_id=plan_id, defaults={"version": version})
    return version


def refresh_stored_rollups(
    *,
    plan_id: int,
    version: int,
    slices: Sequence[Slice] | None,
    reports: Sequence[int] | None = None,
) -> bool:
    """Bring the stored roll-ups to `version` after a write; call inside its transaction.

    Slices are regrouped only where the stored state held the version just before this
    write; a rebuild (no slices) always runs. `reports` (inside the slices) narrows the
    facts rewritten to theirs (facts.write_facts). Returns whether the stored state is
    current.
    """
    if slices is None:
        rebuild_stored_rollups(plan_id=plan_id)
        return True
    # The version row is locked by the write's own bump: writers of one plan queue there.
    updated = StoredRollupState.objects.filter(plan_id=plan_id, version=version - 1)
    if not updated.exists():
        return False
    if slices:
        _write(plan_id, slices, reports)
    updated.update(version=version)
    return True


def forget_stored_rollups() -> None:
    """The unit tree changed: stored groups may be wrong, reads go live until a rebuild."""
    StoredRollupState.objects.all().delete()
