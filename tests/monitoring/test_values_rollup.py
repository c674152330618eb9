"""The KPI values rolled up alone (`member_rows` + `compute_tallies`, quality goal P4's
on-the-fly roll-up): the same tallies as the full roll-up, from every source."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from papitrack.monitoring.queries.rollups import (
    compute_rollup,
    compute_tallies,
    member_rows,
    plan_tasks,
    report_rows,
)
from papitrack.monitoring.queries.scope import plan_periods
from papitrack.monitoring.queries.stored import AUTO, FACTS, LIVE
from papitrack.orgunits.models import OrgUnit
from papitrack.reports.enums import ReportKind
from papitrack.tasks.enums import KpiKind
from tests.monitoring.figures import TODAY

pytestmark = pytest.mark.django_db

# The table each source reads the expected reports from, for the national scope.
NATIONAL_TABLES = {
    AUTO: "monitoring_storedreportcount",
    FACTS: "monitoring_reportfact",
    LIVE: "reports_report",
}


def _key(row: Any) -> tuple[Any, ...]:
    return (row.task_id, row.period.id, row.group_id, row.kind, row.unit_kind)


def _scopes(plan: Any) -> list[Any]:
    """The national scope, the province and one district (read live whatever the source)."""
    district = OrgUnit.objects.filter(parent=plan.issuer, kind="district").first()
    assert district is not None
    return [None, plan.issuer, district]


@pytest.mark.parametrize("source", [AUTO, FACTS, LIVE])
def test_member_rows_count_the_expected_reports(plan, source):
    for root in _scopes(plan):
        with CaptureQueriesContext(connection) as queries:
            members = {
                _key(row): row.expected for row in member_rows(plan=plan, root=root, source=source)
            }
        full = {
            _key(row): row.states.expected
            for row in report_rows(plan=plan, root=root, today=TODAY, source=LIVE)
        }
        assert members == full
        assert sum(members.values()) > 0
        if root is None:
            read = " ".join(query["sql"] for query in queries.captured_queries)
            assert NATIONAL_TABLES[source] in read


@pytest.mark.parametrize("source", [AUTO, FACTS, LIVE])
def test_the_values_alone_roll_up_as_the_full_rollup(plan, source):
    tasks = plan_tasks(plan=plan)
    compared = 0
    for root in _scopes(plan):
        members = member_rows(plan=plan, root=root, source=source)
        rows = report_rows(plan=plan, root=root, today=TODAY, source=LIVE)
        for period in plan_periods(plan.pk):
            for include_submitted in (False, True):
                tallies = compute_tallies(
                    tasks=tasks,
                    period=period,
                    rows=members,
                    root=root,
                    include_submitted=include_submitted,
                    source=source,
                )
                full = compute_rollup(
                    tasks=tasks,
                    period=period,
                    rows=rows,
                    root=root,
                    include_submitted=include_submitted,
                    today=TODAY,
                    source=LIVE,
                )
                assert tallies == full.tallies, (root, period.code, include_submitted)
                compared += sum(1 for tally in tallies.values() if tally.reported)
    assert compared > 0


def test_a_missing_member_changes_the_tallies(plan):
    """The members are read, not taken from elsewhere: a tally's expected count follows them."""
    tasks = plan_tasks(plan=plan)
    # A ratio KPI counts the reports of every unit kind (a share only its population's).
    with_ratios = {
        task.pk for task in tasks if any(kpi.kind == KpiKind.RATIO for kpi in task.kpis.all())
    }
    members = member_rows(plan=plan, root=None, source=LIVE)
    dropped = next(
        row
        for row in members
        if row.task_id in with_ratios and row.kind == ReportKind.UNIT and row.expected
    )
    options: dict[str, Any] = {
        "tasks": tasks,
        "period": dropped.period,
        "root": None,
        "include_submitted": False,
        "source": LIVE,
    }
    tallies = compute_tallies(rows=members, **options)
    fewer = compute_tallies(rows=[row for row in members if row is not dropped], **options)
    changed = {key for key in tallies.keys() | fewer.keys() if tallies.get(key) != fewer.get(key)}
    assert changed
    assert {group_id for _, group_id in changed} == {dropped.group_id}
