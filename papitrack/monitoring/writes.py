"""What the writers of the stored tables share: the slices a write names, and INSERT … SELECT.

Writers: monitoring/facts.py (the fact tables) and monitoring/stored_rollups.py (the stored
roll-ups). A slice is the (task id, period id) pair whose reports a write changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.db.models import Q, QuerySet

from papitrack.reports.enums import ReportStatus

Slice = tuple[int, int]  # (task id, period id)
# Report states whose values can count (the "include submitted" switch is applied on read).
COUNTING = (ReportStatus.APPROVED, ReportStatus.SUBMITTED)


def slice_filter(slices: Sequence[Slice] | None, prefix: str = "") -> Q:
    """Rows of the given slices (`prefix` leads from the rows to their task and period);
    every row for None."""
    if slices is None:
        return Q()
    if not slices:
        return Q(pk__in=[])
    condition = Q()
    for task_id, period_id in slices:
        condition |= Q(**{f"{prefix}task_id": task_id, f"{prefix}period_id": period_id})
    return condition


def alias(column: str) -> str:
    """A selecting query's name for a column: `s_` and the field's name (`plan`, not
    `plan_id`, which an annotation may not shadow)."""
    return f"s_{column.removesuffix('_id')}"


def insert_selected(model: type[models.Model], columns: Sequence[str], rows: QuerySet[Any]) -> None:
    """INSERT … SELECT of a query into `model`'s table, in the database (millions of rows
    nationally never pass through Python). The query names its columns `alias(column)`."""
    select, params = rows.query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    aliases = ", ".join(quote(alias(column)) for column in columns)
    with connection.cursor() as cursor:
        # Table and column names come from the models, never from input; the values
        # travel as parameters of Django's own compiled query.
        statement = (
            f"INSERT INTO {quote(model._meta.db_table)} ({names}) "  # noqa: S608  # nosec B608
            f"SELECT {aliases} FROM ({select}) selected"
        )
        cursor.execute(statement, params)
