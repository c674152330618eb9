"""Cached roll-ups: every write they depend on shows at once; a second read costs less.

The figures are compared with those computed with caching off (DummyCache): a cache that
served an entry after its data changed would fail these tests.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, reset_queries
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from papitrack.monitoring.enums import Accumulation, ZeroDenominator
from papitrack.monitoring.queries.cached import summarise_rows
from papitrack.monitoring.queries.completeness import total_states
from papitrack.monitoring.queries.dashboards import (
    PlanStatus,
    approved_counts,
    plan_status,
    received_counts,
)
from papitrack.monitoring.queries.expected import periods_of, report_rows
from papitrack.monitoring.services import set_kpi_rollup_rule
from papitrack.plans.versions import data_version
from papitrack.reports.generation import generate_expected_reports
from papitrack.reports.models import Report
from papitrack.reports.services import (
    KpiValueInput,
    ReportEdit,
    approve_report,
    return_report,
    save_report,
    submit_report,
)
from papitrack.tasks.models import Kpi

pytestmark = pytest.mark.django_db

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
PERIOD = "2020Q3"


def _figures(status: PlanStatus) -> dict[str, Any]:
    """What the pages show of a status: task states, KPI tallies and achievements, counts."""
    assert status.rollup is not None
    return {
        "states": status.states,
        "received": status.summary.received,
        "approved": status.summary.approved,
        "tasks": [
            (result.task.key, result.states, [(kpi.tally, kpi.achievement) for kpi in result.kpis])
            for result in status.tasks
        ],
    }


def _computed(plan: Any, **arguments: Any) -> dict[str, Any]:
    with override_settings(CACHES=NO_CACHE):
        return _figures(plan_status(plan=plan, **arguments))


def _submitted(task_key: str, unit_code: str) -> Report:
    return Report.objects.get(
        task__key=task_key, unit__code=unit_code, period__code=PERIOD, status="submitted"
    )


def test_second_status_reads_no_report_rows(plan):
    with CaptureQueriesContext(connection) as cold:
        first = plan_status(plan=plan, period_code=PERIOD)
    with CaptureQueriesContext(connection) as warm:
        second = plan_status(plan=plan, period_code=PERIOD)

    assert _figures(second) == _figures(first) == _computed(plan, period_code=PERIOD)
    assert len(warm) < len(cold)
    assert not any("reports_report" in query["sql"] for query in warm.captured_queries)


def test_approval_shows_in_the_cached_status(plan, province_admin):
    kpi = Kpi.objects.get(code="D3-T1-K1")
    report = _submitted("D3-T1", "QNA-SGTVT")  # 94 of 94 letters answered
    before = plan_status(plan=plan, period_code=PERIOD)

    approve_report(report_id=report.pk, actor=province_admin, version=report.version)
    after = plan_status(plan=plan, period_code=PERIOD)

    assert before.rollup is not None
    assert after.rollup is not None
    old, new = before.rollup.tally(kpi), after.rollup.tally(kpi)
    assert (new.reported - old.reported, new.numerator - old.numerator) == (1, Decimal(94))
    period = after.period
    assert after.summary.approved[period] == before.summary.approved[period] + 1
    assert _figures(after) == _computed(plan, period_code=PERIOD)


def test_return_shows_when_submitted_reports_count(plan, province_admin):
    kpi = Kpi.objects.get(code="D3-T1-K2")
    report = _submitted("D3-T1", "QNA-SYT")
    before = plan_status(plan=plan, period_code=PERIOD, include_submitted=True)
    approved_only = plan_status(plan=plan, period_code=PERIOD)

    return_report(
        report_id=report.pk, actor=province_admin, version=report.version, comment="Bổ sung."
    )
    after = plan_status(plan=plan, period_code=PERIOD, include_submitted=True)

    assert before.rollup is not None
    assert after.rollup is not None
    assert after.rollup.tally(kpi).reported == before.rollup.tally(kpi).reported - 1
    assert _figures(after) == _computed(plan, period_code=PERIOD, include_submitted=True)
    # The switch is part of the key: approved-only figures did not include the report.
    assert _figures(plan_status(plan=plan, period_code=PERIOD)) == _figures(approved_only)


def test_saving_a_draft_changes_no_figure_and_keeps_the_version(plan, unit_officer):
    report = Report.objects.get(
        task__key="D3-T1", unit__code="508", period__code="2020Q4", status="draft"
    )
    plan_status(plan=plan, period_code="2020Q4", include_submitted=True)
    version = data_version(plan_id=plan.pk)

    save_report(
        report_id=report.pk,
        actor=unit_officer,
        version=report.version,
        edit=ReportEdit(
            values=[
                KpiValueInput(kpi_code="D3-T1-K1", numerator=Decimal(5), denominator=Decimal(9))
            ]
        ),
    )

    assert data_version(plan_id=plan.pk) == version
    cached = plan_status(plan=plan, period_code="2020Q4", include_submitted=True)
    assert _figures(cached) == _computed(plan, period_code="2020Q4", include_submitted=True)


def _without_csrf(page: bytes) -> bytes:
    """The page with its CSRF tokens (masked afresh for every response) blanked."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", page)


def test_coordinator_dashboard_shows_an_approval_at_once(coordinator_client, province_admin):
    kpi = Kpi.objects.get(code="D3-T1-K1")
    report = _submitted("D3-T1", "QNA-SGTVT")
    url = reverse("web:dashboard") + f"?period={PERIOD}"
    coordinator_client.get(url)  # the session's first request costs more
    cache.clear()
    reset_queries()  # a request resets the log, which would hide earlier entries
    with CaptureQueriesContext(connection) as cold:
        before = coordinator_client.get(url).context["status"].rollup.tally(kpi)
    cold_queries = len(cold)  # now: the log is reset by the next request
    cold_page = coordinator_client.get(url).content  # the body is now in the cache
    with CaptureQueriesContext(connection) as warm:
        warm_page = coordinator_client.get(url)
    warm_queries = len(warm)

    approve_report(report_id=report.pk, actor=province_admin, version=report.version)
    # The approval bumped the data version: the body is rendered again, from new figures.
    after = coordinator_client.get(url).context["status"].rollup.tally(kpi)

    # A warm request reads the rendered body (no status computed, same page, fewer queries).
    assert "status" not in warm_page.context
    assert _without_csrf(warm_page.content) == _without_csrf(cold_page)
    assert warm_queries < cold_queries
    assert (after.reported, after.numerator) == (before.reported + 1, before.numerator + 94)


def test_coordinator_dashboard_body_is_kept_per_query_and_day(coordinator_client, monkeypatch):
    url = reverse("web:dashboard")
    coordinator_client.get(url + f"?period={PERIOD}")
    other_period = coordinator_client.get(url + "?period=2020Q4")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *arguments: tomorrow)
    next_day = coordinator_client.get(url + f"?period={PERIOD}")

    # Neither was served from the Q3 body of today.
    assert other_period.context["status"].period.code == "2020Q4"
    assert next_day.context["status"].today == tomorrow


def test_coordinator_heat_map_and_overdue_list_show_a_submission(coordinator_client, unit_officer):
    report = Report.objects.get(
        task__key="D3-T1", unit__code="508", period__code="2020Q4", status="draft"
    )
    url = reverse("web:dashboard")
    before_page = coordinator_client.get(url)
    before = before_page.context["data"]

    values = [
        KpiValueInput(kpi_code=code, numerator=Decimal(5), denominator=Decimal(9))
        for code in ("D3-T1-K1", "D3-T1-K2")
    ]
    report = save_report(
        report_id=report.pk,
        actor=unit_officer,
        version=report.version,
        edit=ReportEdit(values=values, narrative={"results": "Đã giải quyết."}),
    )
    submit_report(report_id=report.pk, actor=unit_officer, version=report.version)
    after_page = coordinator_client.get(url)
    after = after_page.context["data"]

    def received_2020q4(data: Any) -> int:
        row = next(row for row in data.heatmap.rows if row.unit.code == "508")
        return next(cell.received for period, cell in row.cells if period.code == "2020Q4")

    def heat_cell_title(data: Any) -> str:
        # The heat map's HTML is cached apart from the figures ({% cache %} in the template).
        row = next(row for row in data.heatmap.rows if row.unit.code == "508")
        period, cell = next((p, c) for p, c in row.cells if p.code == "2020Q4")
        return f"{row.unit.display_name}, {period.label}: {cell.received}/{cell.expected} đã nộp"

    assert after.overdue_total == before.overdue_total - 1
    assert received_2020q4(after) == received_2020q4(before) + 1
    assert heat_cell_title(before) in before_page.content.decode()
    assert heat_cell_title(after) in after_page.content.decode()
    assert heat_cell_title(before) not in after_page.content.decode()


def test_every_write_the_figures_depend_on_bumps_the_version(plan, province_admin):
    version = data_version(plan_id=plan.pk)

    set_kpi_rollup_rule(
        kpi=Kpi.objects.get(code="D3-T1-K1"),
        accumulation=Accumulation.CUMULATIVE,
        zero_denominator=ZeroDenominator.MET,
        reason="Thử.",
        actor=province_admin,
    )
    after_rule = data_version(plan_id=plan.pk)
    generate_expected_reports(plan=plan, years=[2020])
    after_generation = data_version(plan_id=plan.pk)
    report = _submitted("D3-T1", "QNA-SGTVT")
    approve_report(report_id=report.pk, actor=province_admin, version=report.version)

    assert (after_rule, after_generation, data_version(plan_id=plan.pk)) == (
        version + 1,
        version + 2,
        version + 3,
    )


def test_summary_equals_the_figures_read_from_the_rows(plan):
    rows = report_rows(plan=plan, root=plan.issuer, today=datetime.date(2020, 12, 1))

    summary = summarise_rows(rows)

    assert list(summary.periods) == periods_of(rows)
    assert summary.received == received_counts(rows)
    assert summary.approved == approved_counts(rows)
    assert summary.states(None) == total_states(rows)
    assert [summary.states(period) for period in summary.periods] == [
        total_states(rows, period) for period in summary.periods
    ]


def _group_figures(status: PlanStatus) -> dict[tuple[str, int], Any]:
    assert status.rollup is not None
    rollup = status.rollup
    return {
        (kpi.code, group_id): rollup.tally(kpi, group_id)
        for task in rollup.tasks
        for kpi in task.kpis.all()
        for group_id in rollup.group_ids
    }


def test_per_group_figures_are_read_on_demand_and_recomputed_if_gone(plan):
    plan_status(plan=plan, period_code=PERIOD)  # stores the totals and the groups
    with override_settings(CACHES=NO_CACHE):
        expected = _group_figures(plan_status(plan=plan, period_code=PERIOD))
    assert any(tally.reported for tally in expected.values())

    with CaptureQueriesContext(connection) as totals_only:
        status = plan_status(plan=plan, period_code=PERIOD)
        _figures(status)
    assert not any("reports_" in query["sql"] for query in totals_only.captured_queries)
    assert status.rollup is not None
    assert status.rollup.load_groups is not None  # not read yet
    assert _group_figures(status) == expected

    # The groups' entry aged out alone: read again, they are computed, not served empty.
    cache.clear()
    status = plan_status(plan=plan, period_code=PERIOD)
    assert status.rollup is not None
    for key in list(cache._cache):  # type: ignore[attr-defined]  # LocMemCache's own store
        if "monitoring-rollup-groups" in key:
            cache.delete(key.split(":", 2)[-1])
    assert _group_figures(status) == expected
