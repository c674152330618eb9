"""Stored roll-ups (monitoring/stored_rollups.py) against the figures computed from the
reports: equal for every period, scope and switch, and kept equal by each workflow move."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from papitrack.monitoring.models import (
    StoredChildAnswerSum,
    StoredReportCount,
    StoredRollupState,
)
from papitrack.monitoring.queries.expected import report_rows
from papitrack.monitoring.queries.stored import AUTO, LIVE, current_stored_level
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.versions import bump_data_version, data_version
from papitrack.reports.models import ChildAnswer, Report
from papitrack.reports.services import approve_report, return_report
from tests.monitoring.figures import TODAY, all_figures

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("scope", ["national", "province"])
def test_stored_figures_equal_the_live_ones_for_every_period_and_switch(plan, scope):
    root = None if scope == "national" else plan.issuer
    assert current_stored_level(plan_id=plan.pk, root=root) == (1 if root is None else 2)

    stored = all_figures(plan, root, source=AUTO)
    live = all_figures(plan, root, source=LIVE)

    assert stored["rows"], "the demo cycle has expected reports"
    assert stored == live
    assert any(tallies for tallies, _ in (v for k, v in stored.items() if k != "rows"))


def test_district_answers_for_communes_are_stored_by_their_status(plan):
    stored = StoredChildAnswerSum.objects.filter(plan=plan)
    answering = Report.objects.filter(child_answers__isnull=False).distinct()
    assert answering.count() == 1  # the demo: one district answered for its communes
    assert set(stored.values_list("status", flat=True)) == {"submitted"}
    # Children whose own answer was approved, is waiting, was returned, or who gave none.
    assert set(stored.values_list("own_status", flat=True)) == {
        "",
        "approved",
        "submitted",
        "returned",
    }
    assert sum(stored.filter(level=1).values_list("answered", flat=True)) == (
        ChildAnswer.objects.filter(answer__isnull=False).count()
    )

    # Approved (past the services; a change naming no slice rebuilds), counted either way.
    answering.update(status="approved")
    bump_data_version(plan_id=plan.pk)
    assert set(stored.values_list("status", flat=True)) == {"approved"}
    for root in (None, plan.issuer):
        assert all_figures(plan, root, source=AUTO) == all_figures(plan, root, source=LIVE)
    # The stand-in answers reach the figures: without them the yes/no tallies differ.
    stored.delete()
    assert all_figures(plan, None, source=AUTO) != all_figures(plan, None, source=LIVE)


def test_stored_rows_read_no_report_and_scope_below_a_province_is_live(plan):
    with CaptureQueriesContext(connection) as queries:
        report_rows(plan=plan, root=plan.issuer, today=TODAY)
    grouped = queries.captured_queries[-1]["sql"]
    assert "monitoring_storedreportcount" in grouped
    assert "reports_report" not in grouped

    district = OrgUnit.objects.get(code="508")
    assert current_stored_level(plan_id=plan.pk, root=district) is None


def _submitted(task_key: str, unit_code: str) -> Report:
    return Report.objects.get(
        task__key=task_key, unit__code=unit_code, period__code="2020Q3", status="submitted"
    )


def test_each_workflow_move_refreshes_its_slice(plan, province_admin):
    report = _submitted("D3-T1", "QNA-SGTVT")
    stored = StoredReportCount.objects.filter(
        task_id=report.task_id, period_id=report.period_id, level=2
    )
    approved_before = sum(stored.values_list("approved", flat=True))

    approve_report(report_id=report.pk, actor=province_admin, version=report.version)

    state = StoredRollupState.objects.get(plan=plan)
    assert state.version == data_version(plan_id=plan.pk)
    assert sum(stored.values_list("approved", flat=True)) == approved_before + 1
    assert all_figures(plan, plan.issuer, source=AUTO) == all_figures(
        plan, plan.issuer, source=LIVE
    )

    other = _submitted("D3-T1", "QNA-SYT")
    return_report(
        report_id=other.pk, actor=province_admin, version=other.version, comment="Thiếu minh chứng."
    )
    assert all_figures(plan, None, source=AUTO) == all_figures(plan, None, source=LIVE)


def test_behind_stored_figures_are_not_read_until_rebuilt(plan, province_admin):
    StoredRollupState.objects.filter(plan=plan).update(version=0)
    assert current_stored_level(plan_id=plan.pk, root=plan.issuer) is None

    # A move while behind does not touch the tables: they stay unread.
    report = _submitted("D3-T1", "QNA-SGTVT")
    approve_report(report_id=report.pk, actor=province_admin, version=report.version)
    assert current_stored_level(plan_id=plan.pk, root=plan.issuer) is None

    output = io.StringIO()
    call_command("rebuild_rollups", stdout=output)
    assert "phiên bản" in output.getvalue()
    assert current_stored_level(plan_id=plan.pk, root=plan.issuer) == 2
    assert all_figures(plan, plan.issuer, source=AUTO) == all_figures(
        plan, plan.issuer, source=LIVE
    )


def test_a_change_without_slices_rebuilds(plan):
    Report.objects.filter(task__plan=plan, status="submitted").update(status="approved")
    bump_data_version(plan_id=plan.pk)  # as code writing past the services must

    assert current_stored_level(plan_id=plan.pk, root=None) == 1
    assert all_figures(plan, None, source=AUTO) == all_figures(plan, None, source=LIVE)


def test_a_moved_unit_stops_the_storedall_figures(plan):
    commune = OrgUnit.objects.filter(parent__code="508").first()
    assert commune is not None
    commune.parent = OrgUnit.objects.get(code="509")
    commune.save()

    assert not StoredRollupState.objects.filter(plan=plan).exists()
    assert current_stored_level(plan_id=plan.pk, root=plan.issuer) is None
