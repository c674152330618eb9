"""The fact tables (monitoring/facts.py): one row per expected report and per counted value,
kept in step by each write, and the national figures grouped from them on the fly equal to
the figures computed from the reports."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from papitrack.monitoring.models import AnswerFact, ReportFact, StoredRollupState, ValueFact
from papitrack.monitoring.queries.stored import FACTS, LIVE, reads_facts
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.versions import bump_data_version
from papitrack.reports.models import ChildAnswer, KpiValue, Report
from papitrack.reports.services import approve_report, return_report
from tests.monitoring.figures import all_figures

pytestmark = pytest.mark.django_db


def _fact_rows(plan: Any) -> Counter[tuple[Any, ...]]:
    return Counter(
        ReportFact.objects.filter(plan=plan).values_list(
            "report_id",
            "task_id",
            "period_id",
            "group_2_id",
            "kind",
            "status",
            "due_date",
            "sent",
            "sent_on_time",
        )
    )


def _report_rows(plan: Any) -> Counter[tuple[Any, ...]]:
    """As `_fact_rows`, from the reports: the level-2 group is the unit under the province
    that the report's unit is or falls under (a commune's district); on time is sent by
    the end of the due date's local day."""
    units = {unit.pk: unit for unit in OrgUnit.objects.all()}

    def under_province(unit_id: int) -> int:
        unit = units[unit_id]
        while unit.depth > 2:
            unit = units[unit.parent_id]
        return unit.pk

    return Counter(
        (
            report_id,
            task_id,
            period_id,
            under_province(unit_id),
            kind,
            status,
            due_date,
            sent is not None,
            sent is not None and timezone.localtime(sent).date() <= due_date,
        )
        for report_id, task_id, period_id, unit_id, kind, status, due_date, sent in (
            Report.objects.filter(task__plan=plan).values_list(
                "pk",
                "task_id",
                "period_id",
                "unit_id",
                "kind",
                "status",
                "due_date",
                "first_submitted_at",
            )
        )
    )


VALUE_FIELDS = ("kpi_id", "numerator", "denominator", "count", "answer", "milestone_status")


def _value_facts(plan: Any) -> Counter[tuple[Any, ...]]:
    return Counter(
        ValueFact.objects.filter(plan=plan).values_list(
            "task_id", "period_id", "status", "report_id", *VALUE_FIELDS
        )
    )


def _counted_values(plan: Any) -> Counter[tuple[Any, ...]]:
    """As `_value_facts`, from the values of the approved and submitted reports."""
    return Counter(
        KpiValue.objects.filter(
            report__task__plan=plan, report__status__in=["approved", "submitted"]
        ).values_list(
            "report__task_id", "report__period_id", "report__status", "report_id", *VALUE_FIELDS
        )
    )


def test_facts_hold_every_report_and_only_the_counted_values(plan):
    assert (
        ReportFact.objects.filter(plan=plan).count()
        == Report.objects.filter(task__plan=plan).count()
    )
    facts = _fact_rows(plan)
    assert facts == _report_rows(plan)
    # Sent on time, sent late and never sent are all in the demo.
    assert {(sent, on_time) for *_, sent, on_time in facts} == {
        (True, True),
        (True, False),
        (False, False),
    }
    assert set(ReportFact.objects.values_list("group_1_id", flat=True)) == {plan.issuer_id}

    assert _value_facts(plan) == _counted_values(plan)
    assert (
        sum(_value_facts(plan).values()) < KpiValue.objects.filter(report__task__plan=plan).count()
    )

    # The district answering for its communes: each answer under its commune, with the
    # status of the commune's own answering report (approved, waiting, returned, none).
    answers = ChildAnswer.objects.filter(
        report__task__plan=plan, report__status__in=["approved", "submitted"]
    ).exclude(answer=None)
    assert Counter(
        AnswerFact.objects.filter(plan=plan).values_list("kpi_id", "group_2_id", "answer")
    ) == Counter(answers.values_list("kpi_id", "child__parent_id", "answer"))
    assert set(AnswerFact.objects.values_list("own_status", flat=True)) == {
        "",
        "approved",
        "submitted",
        "returned",
    }


def test_national_figures_from_the_facts_equal_the_live_ones(plan):
    assert reads_facts(plan_id=plan.pk, root=None, source=FACTS)
    with CaptureQueriesContext(connection) as queries:
        from_facts = all_figures(plan, None, source=FACTS)
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "monitoring_reportfact" in read
    assert "monitoring_valuefact" in read
    assert "monitoring_answerfact" in read

    assert from_facts == all_figures(plan, None, source=LIVE)
    assert any(figure[0] for key, figure in from_facts.items() if key != "rows")

    # The values are read from the facts: without one, the figures differ.
    ValueFact.objects.filter(plan=plan, status="approved").first().delete()
    assert all_figures(plan, None, source=FACTS) != all_figures(plan, None, source=LIVE)


def test_a_province_and_behind_facts_are_read_from_the_reports(plan):
    assert not reads_facts(plan_id=plan.pk, root=plan.issuer, source=FACTS)
    with CaptureQueriesContext(connection) as queries:
        assert all_figures(plan, plan.issuer, source=FACTS) == all_figures(
            plan, plan.issuer, source=LIVE
        )
    assert "monitoring_reportfact" not in " ".join(q["sql"] for q in queries.captured_queries)

    StoredRollupState.objects.filter(plan=plan).update(version=0)
    assert not reads_facts(plan_id=plan.pk, root=None, source=FACTS)
    ValueFact.objects.filter(plan=plan).delete()  # not read while behind
    assert all_figures(plan, None, source=FACTS) == all_figures(plan, None, source=LIVE)


def test_each_workflow_move_rewrites_its_reports_facts(plan, province_admin):
    # Two departments' reports with values (a department's level-2 group is itself).
    approved, returned = (
        Report.objects.get(
            task__key="D3-T1", unit__code=code, period__code="2020Q3", status="submitted"
        )
        for code in ("QNA-SGTVT", "QNA-SYT")
    )
    assert approved.values.exists()
    assert returned.values.exists()
    kept = {
        model: set(
            model.objects.filter(task_id=approved.task_id, period_id=approved.period_id)
            .exclude(report_id__in=[approved.pk, returned.pk])
            .values_list("pk", flat=True)
        )
        for model in (ReportFact, ValueFact)
    }
    assert all(kept.values())
    approve_report(report_id=approved.pk, actor=province_admin, version=approved.version)
    return_report(
        report_id=returned.pk,
        actor=province_admin,
        version=returned.version,
        comment="Thiếu minh chứng.",
    )

    assert _fact_rows(plan) == _report_rows(plan)
    assert _value_facts(plan) == _counted_values(plan)
    # Only the moved reports' report and value facts were rewritten: the rest of their
    # slices kept their rows.
    for model, before in kept.items():
        others = model.objects.filter(
            task_id=approved.task_id, period_id=approved.period_id
        ).exclude(report_id__in=[approved.pk, returned.pk])
        assert set(others.values_list("pk", flat=True)) == before
        assert model.objects.filter(report_id=approved.pk).exists()
    assert not ValueFact.objects.filter(report_id=returned.pk).exists()
    # The returned report's values left the facts; the approved report's are approved.
    statuses = {key[:3] for key in _value_facts(plan)}
    assert (approved.task_id, approved.period_id, "approved") in statuses
    assert (
        ValueFact.objects.filter(
            task_id=approved.task_id, period_id=approved.period_id, status="submitted"
        ).count()
        == KpiValue.objects.filter(
            report__task_id=approved.task_id,
            report__period_id=approved.period_id,
            report__status="submitted",
        ).count()
    )
    assert all_figures(plan, None, source=FACTS) == all_figures(plan, None, source=LIVE)


def test_a_change_without_slices_rebuilds_the_facts(plan):
    Report.objects.filter(task__plan=plan, status="submitted").update(status="approved")
    bump_data_version(plan_id=plan.pk)  # as code writing past the services must

    assert not ReportFact.objects.filter(plan=plan, status="submitted").exists()
    assert _fact_rows(plan) == _report_rows(plan)
    assert all_figures(plan, None, source=FACTS) == all_figures(plan, None, source=LIVE)
