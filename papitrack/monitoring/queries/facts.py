"""Reads of the fact tables (models.Fact): the national scope's rows grouped on the fly.

The same rows as the live queries of `expected.report_rows`, `tallies._grouped_values` and
`tallies._fallback_answers` (same keys), grouped from one covering index per table, in its
order: no join, no sort. A quarter nationally is ~250,000 reports and as many
values, which the live queries reach unit by unit through the reports (quality goal P4's
on-the-fly roll-up). Asked with `source=FACTS` while the facts are current
(stored.reads_facts); writes: monitoring/facts.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import Aggregate, Count, Q

from papitrack.monitoring.models import AnswerFact, ReportFact, ValueFact
from papitrack.monitoring.queries.aggregates import plain_count
from papitrack.monitoring.queries.scope import level_filter

# The national scope's groups: the provinces (level 1).
_GROUP = "group_1_id"


def fact_state_aggregates(today: datetime.date) -> dict[str, Count]:
    """`expected.state_aggregates` over ReportFact, whose first submissions are flags."""
    return {
        "done_on_time": plain_count("id", filter=Q(sent_on_time=True)),
        "received": plain_count("id", filter=Q(sent=True)),
        "in_progress": plain_count("id", filter=Q(sent=False, due_date__gte=today)),
        "overdue": plain_count("id", filter=Q(sent=False, due_date__lt=today)),
    }


def fact_report_rows(
    *,
    plan_id: int,
    period_ids: Iterable[int] | None,
    report_level: str | None,
    task_ids: Iterable[int] | None,
    aggregates: Mapping[str, Aggregate],
) -> list[dict[str, Any]]:
    """Expected reports per (task, period, province, report kind, unit kind)."""
    facts = ReportFact.objects.filter(plan_id=plan_id).filter(
        level_filter(report_level, unit_kind_field="unit_kind")
    )
    if period_ids is not None:
        facts = facts.filter(period_id__in=list(period_ids))
    if task_ids is not None:
        facts = facts.filter(task_id__in=list(task_ids))
    keys = ("task_id", "period_id", "group", "kind", "unit__kind")
    rows = (
        facts.values("task_id", "period_id", _GROUP, "kind", "unit_kind")
        .annotate(**aggregates)
        .order_by()
        .values_list("task_id", "period_id", _GROUP, "kind", "unit_kind", *aggregates)
    )
    return [dict(zip((*keys, *aggregates), row, strict=True)) for row in rows]


def fact_value_rows(
    *,
    plan_id: int,
    kpis: list[tuple[int, int]],
    period_id: int,
    statuses: Iterable[str],
    reports: Q,
    aggregates: Mapping[str, Aggregate],
) -> list[dict[str, Any]]:
    """Value sums per (KPI, province, unit kind) of the `kpis` ((task, KPI) pairs), from
    the counted reports that `reports` (a condition on the report kind and task) admits."""
    facts = (
        ValueFact.objects.filter(
            plan_id=plan_id,
            period_id=period_id,
            status__in=list(statuses),
            # The tasks seek into the index (which the task leads after the status), so a
            # read of some KPIs touches only their tasks' rows.
            task_id__in=sorted({task_id for task_id, _ in kpis}),
            kpi_id__in=[kpi_id for _, kpi_id in kpis],
        )
        .filter(reports)
        # The task leads the grouping as it leads the index (a KPI has one task), so the
        # rows arrive grouped.
        .values("task_id", "kpi_id", _GROUP, "unit_kind")
        .annotate(**aggregates)
        .order_by()
        .values_list("kpi_id", _GROUP, "unit_kind", *aggregates)
    )
    keys = ("kpi_id", "group", "report__unit__kind")
    return [dict(zip((*keys, *aggregates), row, strict=True)) for row in facts]


def fact_answer_rows(
    *, plan_id: int, kpi_ids: list[int], period_id: int, statuses: Sequence[str]
) -> list[tuple[int, int, str, int, int, int]]:
    """As `tallies._fallback_answers`' live sums: the district answers whose report is
    counted and whose child's own answer is not, per (KPI, province, child kind)."""
    return list(
        AnswerFact.objects.filter(
            plan_id=plan_id, period_id=period_id, kpi_id__in=kpi_ids, status__in=statuses
        )
        .exclude(own_status__in=statuses)
        .values("kpi_id", _GROUP, "unit_kind")
        .annotate(**answer_aggregates())
        .order_by()
        .values_list("kpi_id", _GROUP, "unit_kind", *answer_aggregates())
    )


def answer_aggregates() -> dict[str, Count]:
    """The sums of a set of AnswerFact rows (shared with the stored roll-ups): answers, yes
    answers, and answers for children that owe no report (members the expected reports do
    not count)."""
    return {
        "answered": plain_count("id"),
        "yes": plain_count("id", filter=Q(answer=True)),
        "extra_members": plain_count("id", filter=Q(owes=False)),
    }
