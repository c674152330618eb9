"""Stored roll-ups: expected-report counts and value sums pre-grouped per province (level
1) and per province's unit (level 2), kept in step with the reports.

Like DHIS2's analytics tables, but refreshed in the writing transaction rather than by a
nightly job: every write the figures depend on bumps the plan's data version
(plans/versions.py), whose `figures_changed` signal names the (task, period) slices that
changed; those slices are regrouped here (a few thousand reports nationally), and the
stored state moves to the new version. Writes that name no slice (a plan load, report
generation) rebuild the plan's tables. If the stored state is behind (a unit moved, a write
from outside the services), reads fall back to the live queries until the next rebuild
(`manage.py rebuild_rollups`), so figures are never stale, only slower.

Reads: monitoring/queries/stored.py. Design: docs/ARCHITECTURE.md, "Stored roll-ups".
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from papitrack.monitoring.models import (
    StoredChildAnswerSum,
    StoredReportCount,
    StoredRollupState,
    StoredValueSum,
)
from papitrack.monitoring.queries.expected import state_aggregates, status_aggregates
from papitrack.monitoring.queries.scope import group_at_level
from papitrack.monitoring.queries.stored import STORED_LEVELS, VALUE_SUMS
from papitrack.monitoring.queries.tallies import (
    count_answer,
    owes_report,
    own_answers,
    value_aggregates,
)
from papitrack.plans.versions import data_version
from papitrack.reports.enums import ReportKind, ReportStatus
from papitrack.reports.models import ChildAnswer, KpiValue, Report
from papitrack.tasks.models import Kpi

# "Done on time" compares the first submission with the due date; the day the figures are
# read on only splits the unsent reports (kept by due date), so any day serves here.
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
FOREIGN_KEYS = frozenset({"plan_id", "period_id", "task_id", "kpi_id", "group_id"})
COUNTING = (ReportStatus.APPROVED, ReportStatus.SUBMITTED)
STORED_MODELS = (StoredReportCount, StoredValueSum, StoredChildAnswerSum)

Slice = tuple[int, int]  # (task id, period id)


def _slice_filter(slices: Sequence[Slice] | None, prefix: str = "") -> Q:
    if slices is None:
        return Q()
    if not slices:
        return Q(pk__in=[])
    condition = Q()
    for task_id, period_id in slices:
        condition |= Q(**{f"{prefix}task_id": task_id, f"{prefix}period_id": period_id})
    return condition


def _grouped_by(
    rows: QuerySet[Any], *, plan_id: int, level: int, report: str, **extra: Any
) -> QuerySet[Any]:
    """Rows grouped by a StoredGroup's columns (and `extra`), every column aliased `s_…`;
    `report` is the path from the rows to their report ("" for reports themselves)."""
    keys = {
        "s_plan": Value(plan_id),
        "s_level": Value(level),
        "s_period": F(f"{report}period_id"),
        "s_task": F(f"{report}task_id"),
        "s_group": group_at_level(f"{report}unit", level),
        "s_report_kind": F(f"{report}kind"),
        "s_unit_kind": F(f"{report}unit__kind"),
        **extra,
    }
    grouped: QuerySet[Any] = rows.annotate(**keys).values(*keys)
    return grouped


def _report_counts(plan_id: int, level: int, slices: Sequence[Slice] | None) -> QuerySet[Any]:
    aggregates = state_aggregates(_ANY_DAY)
    # Slices name their tasks (the plan's): read through the (task, period) index alone.
    reports = (
        Report.objects.filter(_slice_filter(slices))
        if slices
        else Report.objects.filter(task__plan_id=plan_id)
    )
    counts: QuerySet[Any] = (
        _grouped_by(reports, plan_id=plan_id, level=level, report="", s_due_date=F("due_date"))
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
    values = (
        KpiValue.objects.filter(_slice_filter(slices, "report__"))
        if slices
        else KpiValue.objects.filter(report__task__plan_id=plan_id)
    )
    sums: QuerySet[Any] = (
        _grouped_by(
            values.filter(report__status__in=COUNTING),
            plan_id=plan_id,
            level=level,
            report="report__",
            s_kpi=F("kpi_id"),
            s_status=F("report__status"),
        )
        .annotate(**{f"s_{name}": value for name, value in value_aggregates(kpis).items()})
        .order_by()
    )
    return sums


def _alias(column: str) -> str:
    """The grouped query's name for a column: `s_` and the field's name (`plan`, not
    `plan_id`, which an annotation may not shadow)."""
    return f"s_{column.removesuffix('_id')}" if column in FOREIGN_KEYS else f"s_{column}"


def _insert_grouped(table: str, columns: Sequence[str], rows: QuerySet[Any]) -> None:
    """INSERT … SELECT of a grouped query, in the database (millions of reports nationally
    never pass through Python). The query's columns are all aliased `s_<column>`."""
    select, params = rows.query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    aliases = ", ".join(quote(_alias(column)) for column in columns)
    with connection.cursor() as cursor:
        # Table and column names come from the models above, never from input; the values
        # travel as parameters of Django's own compiled query.
        statement = (
            f"INSERT INTO {quote(table)} ({names}) "  # noqa: S608  # nosec B608
            f"SELECT {aliases} FROM ({select}) grouped"
        )
        cursor.execute(statement, params)


def _child_answer_sums(plan_id: int, slices: Sequence[Slice] | None) -> list[StoredChildAnswerSum]:
    """District answers for their communes, summed per group at every stored level.

    Computed in Python: a few thousand answers a quarter nationally, and the child's own
    answer and report are correlated subqueries, which the databases group by unevenly."""
    answers = ChildAnswer.objects.filter(
        report__status__in=COUNTING, report__kind=ReportKind.UNIT, answer__isnull=False
    )
    answers = (
        answers.filter(_slice_filter(slices, "report__"))
        if slices
        else answers.filter(report__task__plan_id=plan_id)
    )
    groups = {f"group_{level}": group_at_level("child", level) for level in STORED_LEVELS}
    rows = answers.annotate(
        own_status=Coalesce(Subquery(own_answers().values("report__status")[:1]), Value("")),
        owes=owes_report(),
        **groups,
    ).values_list(
        "report__period_id",
        "report__task_id",
        "kpi_id",
        "child__kind",
        "report__status",
        "own_status",
        "answer",
        "owes",
        *groups,
    )
    sums: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows.order_by():
        *key, answer, owes = row[: -len(groups)]
        for level, group_id in zip(STORED_LEVELS, row[-len(groups) :], strict=True):
            count_answer(sums[(level, group_id, *key)], answer=answer, owes=owes)
    return [
        StoredChildAnswerSum(
            plan_id=plan_id,
            level=level,
            group_id=group_id,
            period_id=period_id,
            task_id=task_id,
            kpi_id=kpi_id,
            report_kind=ReportKind.UNIT,
            unit_kind=unit_kind,
            status=status,
            own_status=own_status,
            answered=answered,
            yes=yes,
            extra_members=extra,
        )
        for (level, group_id, period_id, task_id, kpi_id, unit_kind, status, own_status), (
            answered,
            yes,
            extra,
        ) in sums.items()
    ]


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
    finer = model.objects.filter(plan_id=plan_id, level=level + 1).filter(_slice_filter(slices))
    keys = [c for c in columns if c not in sums and c not in {"plan_id", "level", "group_id"}]
    regrouped: QuerySet[Any] = (
        finer.annotate(
            s_plan=Value(plan_id),
            s_level=Value(level),
            s_group=group_at_level("group", level),
            **{_alias(column): F(column) for column in keys},
        )
        .values("s_plan", "s_level", "s_group", *(_alias(column) for column in keys))
        .annotate(**{_alias(name): Sum(name) for name in sums})
        .order_by()
    )
    return regrouped


def _write(plan_id: int, slices: Sequence[Slice] | None) -> None:
    for model in STORED_MODELS:
        model.objects.filter(plan_id=plan_id).filter(_slice_filter(slices)).delete()
    StoredChildAnswerSum.objects.bulk_create(_child_answer_sums(plan_id, slices), batch_size=2000)
    kpis = list(Kpi.objects.filter(task__plan_id=plan_id))
    finest = max(STORED_LEVELS)
    _insert_grouped(
        StoredReportCount._meta.db_table, REPORT_COLUMNS, _report_counts(plan_id, finest, slices)
    )
    _insert_grouped(
        StoredValueSum._meta.db_table, VALUE_COLUMNS, _value_sums(plan_id, finest, slices, kpis)
    )
    for level in range(finest - 1, min(STORED_LEVELS) - 1, -1):
        for model, columns, sums in (
            (StoredReportCount, REPORT_COLUMNS, REPORT_SUMS),
            (StoredValueSum, VALUE_COLUMNS, VALUE_SUMS),
        ):
            rows = _regrouped(model, columns, sums, plan_id=plan_id, level=level, slices=slices)
            _insert_grouped(model._meta.db_table, columns, rows)


@transaction.atomic
def rebuild_stored_rollups(*, plan_id: int) -> int:
    """Regroup all the plan's reports and values; returns the data version they hold."""
    _write(plan_id, None)
    # The planners choose indexes from statistics that ANALYZE gathers: without them SQLite
    # read these tables through the wrong index, scanning every level and period, and
    # PostgreSQL's autovacuum analyses them only some time after a rebuild.
    with connection.cursor() as cursor:
        for model in STORED_MODELS:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    version = data_version(plan_id=plan_id)
    StoredRollupState.objects.update_or_create(plan_id=plan_id, defaults={"version": version})
    return version


def refresh_stored_rollups(*, plan_id: int, version: int, slices: Sequence[Slice] | None) -> bool:
    """Bring the stored roll-ups to `version` after a write; call inside its transaction.

    Slices are regrouped only where the stored state held the version just before this
    write; a rebuild (no slices) always runs. Returns whether the stored state is current.
    """
    if slices is None:
        rebuild_stored_rollups(plan_id=plan_id)
        return True
    # The version row is locked by the write's own bump: writers of one plan queue there.
    updated = StoredRollupState.objects.filter(plan_id=plan_id, version=version - 1)
    if not updated.exists():
        return False
    if slices:
        _write(plan_id, slices)
    updated.update(version=version)
    return True


def forget_stored_rollups() -> None:
    """The unit tree changed: stored groups may be wrong, reads go live until a rebuild."""
    StoredRollupState.objects.all().delete()
