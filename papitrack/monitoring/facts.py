"""The fact tables: every expected report, every value of a counting report and every
district answer for a commune in one, flattened beside its report's period, task, kinds,
status and unit groups (models.Fact).

Written with the stored roll-ups (stored_rollups.py calls `write_facts` for the slices a
write changed, or the whole plan) and under the same StoredRollupState; read by the
on-the-fly national roll-up (queries/facts.py) and by the stored roll-ups' regrouping.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import BooleanField, Case, F, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from papitrack.monitoring.models import AnswerFact, ReportFact, ValueFact
from papitrack.monitoring.queries.scope import DueDayEnd, group_at_level
from papitrack.monitoring.queries.tallies import owes_report, own_answers
from papitrack.monitoring.writes import COUNTING, Slice, alias, insert_selected, slice_filter
from papitrack.reports.enums import ReportKind
from papitrack.reports.models import ChildAnswer, KpiValue, Report

FACT_MODELS = (ReportFact, ValueFact, AnswerFact)
# The group column of each stored level (StoredGroup): level L's group is the unit's
# ancestor at depth L, or the unit itself.
GROUP_COLUMNS = {1: "group_1_id", 2: "group_2_id"}
_COMMON = (
    "plan_id",
    "period_id",
    "task_id",
    *GROUP_COLUMNS.values(),
    "kind",
    "unit_kind",
    "status",
)
REPORT_FACT_COLUMNS = (*_COMMON, "report_id", "due_date", "sent", "sent_on_time")
ANSWER_FACT_COLUMNS = (*_COMMON, "kpi_id", "own_status", "owes", "answer")
VALUE_FACT_COLUMNS = (
    *_COMMON,
    "report_id",
    "kpi_id",
    "numerator",
    "denominator",
    "count",
    "answer",
    "milestone_status",
)


def _selected(
    rows: QuerySet[Any], *, plan_id: int, report: str, unit: str, **extra: Any
) -> QuerySet[Any]:
    """Rows as Fact columns, each aliased (writes.alias); `report` is the path from the rows
    to their report ("" for reports themselves), `unit` to the unit they are grouped under,
    `extra` the other columns' paths or expressions."""
    columns = {
        "plan_id": Value(plan_id),
        "period_id": F(f"{report}period_id"),
        "task_id": F(f"{report}task_id"),
        **{column: group_at_level(unit, level) for level, column in GROUP_COLUMNS.items()},
        "kind": F(f"{report}kind"),
        "unit_kind": F(f"{unit}__kind"),
        "status": F(f"{report}status"),
        **{column: F(path) if isinstance(path, str) else path for column, path in extra.items()},
    }
    aliased = {alias(column): expression for column, expression in columns.items()}
    selected: QuerySet[Any] = rows.annotate(**aliased).values(*aliased).order_by()
    return selected


def _of_slices(
    rows: QuerySet[Any], *, plan_id: int, slices: Sequence[Slice] | None, report: str
) -> QuerySet[Any]:
    """The rows of the slices, or all the plan's for None; `report` leads to their report.

    Slices name their tasks (the plan's), so they are read through the (task, period) index
    alone, without a join on the task table."""
    if slices is not None:
        return rows.filter(slice_filter(slices, report))
    return rows.filter(**{f"{report}task__plan_id": plan_id})


def _flag(condition: Q) -> Case:
    """True or false, never null (a report never sent is not on time)."""
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def write_facts(
    *, plan_id: int, slices: Sequence[Slice] | None, reports: Sequence[int] | None = None
) -> None:
    """Replace the facts of the slices (all the plan's for None) with the reports' own.

    `reports`, ids of reports inside the slices (those whose workflow moved), narrows the
    report and value facts replaced to theirs: nothing else of the slices changed, and a
    commune task's slice nationally is ~10,000 reports. The slices' answer facts are
    replaced whole (a few hundred): an answer's standing follows its child's own report.
    """
    for model in (ReportFact, ValueFact):
        rows = model.objects.filter(plan_id=plan_id)
        if reports is not None:
            rows = rows.filter(report_id__in=list(reports))
        rows.filter(slice_filter(slices)).delete()
    AnswerFact.objects.filter(plan_id=plan_id).filter(slice_filter(slices)).delete()
    moved = Q() if reports is None else Q(pk__in=list(reports))
    insert_selected(
        ReportFact,
        REPORT_FACT_COLUMNS,
        _selected(
            _of_slices(Report.objects.filter(moved), plan_id=plan_id, slices=slices, report=""),
            plan_id=plan_id,
            report="",
            unit="unit",
            report_id="pk",
            due_date="due_date",
            sent=_flag(Q(first_submitted_at__isnull=False)),
            sent_on_time=_flag(Q(first_submitted_at__lt=DueDayEnd("due_date"))),
        ),
    )
    values = KpiValue.objects.filter(report__status__in=COUNTING)
    if reports is not None:
        values = values.filter(report_id__in=list(reports))
    insert_selected(
        ValueFact,
        VALUE_FACT_COLUMNS,
        _selected(
            _of_slices(values, plan_id=plan_id, slices=slices, report="report__"),
            plan_id=plan_id,
            report="report__",
            unit="report__unit",
            report_id="report_id",
            kpi_id="kpi_id",
            numerator="numerator",
            denominator="denominator",
            count="count",
            answer="answer",
            milestone_status="milestone_status",
        ),
    )
    answers = ChildAnswer.objects.filter(
        report__status__in=COUNTING, report__kind=ReportKind.UNIT, answer__isnull=False
    )
    insert_selected(
        AnswerFact,
        ANSWER_FACT_COLUMNS,
        _selected(
            _of_slices(answers, plan_id=plan_id, slices=slices, report="report__"),
            plan_id=plan_id,
            report="report__",
            unit="child",
            kpi_id="kpi_id",
            own_status=Coalesce(Subquery(own_answers().values("report__status")[:1]), Value("")),
            owes=owes_report(),
            answer="answer",
        ),
    )
