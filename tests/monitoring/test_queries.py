"""Roll-ups, states and completeness on a small tree, against a hand computation.

District T90 (see conftest.py): communes T9001, T9002, T9003 (from 1/8/2020) and T9004
(from 1/11/2020). Every figure asserted below is worked out by hand in the comments.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

import pytest

from papitrack.calendars.enums import TaskState
from papitrack.monitoring.achievement import StateCounts
from papitrack.monitoring.enums import Achievement
from papitrack.monitoring.queries.completeness import (
    completeness_rows,
    league_table,
    overdue_reports,
    overdue_rows,
    report_states,
    unit_work,
)
from papitrack.monitoring.queries.rollups import (
    ValueSource,
    compute_rollup,
    group_units,
    periods_of,
    plan_tasks,
    report_rows,
)
from papitrack.monitoring.queries.scope import plan_periods
from papitrack.monitoring.rollup import Tally
from papitrack.reports.models import ChildAnswer, Report
from tests.monitoring.helpers import DUE, at, give

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = datetime.date(2020, 12, 1)
COMMUNES = ["T9001", "T9002", "T9003", "T9004"]
ALL = ["T90", *COMMUNES]


def rollup_of(tree: Any, task_key: str, period: str, **options: Any) -> tuple[Any, Any]:
    today = options.pop("today", TODAY)
    options.setdefault("include_submitted", False)
    rows = report_rows(plan=tree.plan, root=tree.district, today=today)
    tasks = [task for task in plan_tasks(plan=tree.plan) if task.key == task_key]
    chosen = next(p for p in plan_periods(tree.plan.pk) if p.code == period)
    rollup = compute_rollup(
        tasks=tasks, period=chosen, rows=rows, root=tree.district, today=today, **options
    )
    return rollup, tasks[0]


def kpi(task: Any, code: str) -> Any:
    return next(item for item in task.kpis.all() if item.code == code)


def test_share_prefers_the_communes_own_answer_and_falls_back_to_the_district(tree, expect):
    reports = expect("D2-T2", "2020Q3", ALL)
    # T9004 does not exist at the end of Q3: no report expected from it.
    assert sorted(reports) == ["T90", "T9001", "T9002", "T9003"]
    give(reports["T9001"], D2_T2_K1={"answer": True})
    give(reports["T9002"], D2_T2_K1={"answer": False, "reason": "Chưa niêm yết."})
    give(reports["T9003"], status="draft")
    district = give(reports["T90"])
    share = kpi(district.task, "D2-T2-K1")
    for code, answer in (("T9001", False), ("T9002", True), ("T9003", True)):
        ChildAnswer.objects.create(report=district, kpi=share, child=tree.unit(code), answer=answer)

    rollup, task = rollup_of(tree, "D2-T2", "2020Q3")

    # Members: the 3 communes owing a report. T9001 says yes itself (its district's "no" is
    # ignored), T9002 says no itself, T9003 has no counted report: its district's "yes"
    # stands in. 2 of 3; the district's own report is not a commune.
    assert rollup.tally(share) == Tally(expected=3, reported=3, numerator=D(2), denominator=D(3))
    by_unit = {
        code: rollup.tally(share, tree.unit(code).pk) for code in ("T9001", "T9002", "T9003")
    }
    assert by_unit == {
        "T9001": Tally(expected=1, reported=1, numerator=D(1), denominator=D(1)),
        "T9002": Tally(expected=1, reported=1, numerator=D(0), denominator=D(1)),
        "T9003": Tally(expected=1, reported=1, numerator=D(1), denominator=D(1)),
    }
    result = rollup.task_result(task).kpis[0]
    assert result.achievement == Achievement.NOT_MET  # 66.7% < 100%


def test_share_without_the_district_answer_counts_the_missing_commune_against(tree, expect):
    reports = expect("D2-T2", "2020Q3", ALL)
    give(reports["T9001"], D2_T2_K1={"answer": True})
    give(reports["T9002"], status="submitted", D2_T2_K1={"answer": True})

    approved, task = rollup_of(tree, "D2-T2", "2020Q3")
    with_submitted, _ = rollup_of(tree, "D2-T2", "2020Q3", include_submitted=True)

    share = kpi(task, "D2-T2-K1")
    assert approved.tally(share) == Tally(expected=3, reported=1, numerator=D(1), denominator=D(3))
    assert with_submitted.tally(share) == Tally(
        expected=3, reported=2, numerator=D(2), denominator=D(3)
    )


def test_ratio_sums_numerators_and_denominators_across_levels(tree, expect):
    reports = expect("D3-T1", "2020Q3", ALL)
    give(
        reports["T90"],
        D3_T1_K1={"numerator": D(190), "denominator": D(200)},
        D3_T1_K2={"numerator": D(0), "denominator": D(0)},
    )
    give(reports["T9001"], D3_T1_K1={"numerator": D(5), "denominator": D(10)})
    give(reports["T9002"], status="submitted", D3_T1_K1={"numerator": D(7), "denominator": D(7)})

    approved, task = rollup_of(tree, "D3-T1", "2020Q3")
    with_submitted, _ = rollup_of(tree, "D3-T1", "2020Q3", include_submitted=True)

    first, second = kpi(task, "D3-T1-K1"), kpi(task, "D3-T1-K2")
    # 190/200 + 5/10 = 195/210 (92.9%), not the mean 72.5%; T9003 is missing.
    assert approved.tally(first) == Tally(
        expected=4, reported=2, numerator=D(195), denominator=D(210)
    )
    assert with_submitted.tally(first) == Tally(
        expected=4, reported=3, numerator=D(202), denominator=D(217)
    )
    results = {result.kpi.code: result for result in approved.task_result(task).kpis}
    assert results["D3-T1-K1"].achievement == Achievement.NOT_MET
    # 0/0 with the default rule: no data, not zero and not met.
    assert approved.tally(second).ratio is None
    assert results["D3-T1-K2"].achievement == Achievement.NO_DATA


def test_zero_over_zero_counts_as_met_where_the_kpi_rule_says_so(tree, expect):
    """Apology letters (D5-T6-K2, demo rule "met"): no late dossier, nothing to apologise for."""
    reports = expect("D5-T6", "2020S2", ["T9001"])
    give(
        reports["T9001"],
        D5_T6_K1={"numerator": D(96), "denominator": D(100)},
        D5_T6_K2={"numerator": D(0), "denominator": D(0)},
    )

    rollup, task = rollup_of(tree, "D5-T6", "2020S2")

    results = {result.kpi.code: result.achievement for result in rollup.task_result(task).kpis}
    assert results == {"D5-T6-K1": Achievement.MET, "D5-T6-K2": Achievement.NOT_APPLICABLE}


def test_count_share_of_communes_reaching_the_threshold_with_a_unit_added_mid_year(tree, expect):
    reports = expect("D2-T7", "2020", ALL)
    # All four communes exist at the end of the year; the district owes nothing on D2-T7.
    give(reports["T9001"], D2_T7_K1={"count": D(2)})
    give(reports["T9002"], D2_T7_K1={"count": D(0)})
    give(reports["T9004"], status="draft")

    rollup, task = rollup_of(tree, "D2-T7", "2020")

    count = kpi(task, "D2-T7-K1")
    # Members 4 (T9003 and T9004 included), reported 2, reaching ≥ 1 dialogue: T9001 only.
    assert rollup.tally(count) == Tally(
        expected=4, reported=2, numerator=D(1), denominator=D(4), events=D(2)
    )
    assert rollup.task_result(task).kpis[0].achievement == Achievement.NOT_MET


def test_deadline_task_over_the_year_is_combined_from_its_deadline(tree, expect):
    reports = expect("D4-T4", "2020-12-31D", ALL, due=datetime.date(2020, 12, 31))
    give(reports["T90"], D4_T4_K1={"answer": False, "reason": "Chưa kê khai xong."})
    give(reports["T9001"], D4_T4_K1={"answer": True})
    give(reports["T9002"], D4_T4_K1={"answer": True})

    rollup, task = rollup_of(tree, "D4-T4", "2020")

    result = rollup.task_result(task)
    assert result.source == ValueSource.COMBINED
    assert [period.code for period in result.value_periods] == ["2020-12-31D"]
    # Population: departments, agencies, districts and communes: T90 + 4 communes = 5; yes 2.
    assert rollup.tally(kpi(task, "D4-T4-K1")) == Tally(
        expected=5, reported=3, numerator=D(2), denominator=D(5)
    )


def test_task_without_reports_in_the_period_is_not_assessed(tree, expect):
    expect("D2-T7", "2020", ALL)

    rollup, task = rollup_of(tree, "D2-T7", "2020")
    rows = report_rows(plan=tree.plan, root=tree.district, today=TODAY)
    year = next(p for p in periods_of(rows) if p.code == "2020")
    next_year = dataclasses.replace(
        year,
        id=-1,
        code="2021",
        start=datetime.date(2021, 1, 1),
        end=datetime.date(2021, 12, 31),
    )

    assert rollup.task_result(task).assessed
    none = compute_rollup(
        tasks=[task],
        period=next_year,
        rows=rows,
        root=tree.district,
        include_submitted=False,
        today=TODAY,
    ).task_result(task)
    assert none.source == ValueSource.NONE
    assert not none.assessed


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (DUE, StateCounts(done_on_time=1, done_late=1, in_progress=1)),
        (DUE + datetime.timedelta(days=1), StateCounts(done_on_time=1, done_late=1, overdue=1)),
    ],
)
def test_four_states_at_the_due_date_boundary(tree, expect, today, expected):
    reports = expect("D2-T4", "2020Q3", COMMUNES)
    # 16:59 on the due day is on time; 00:30 the next morning (17:30 UTC on the due day) is
    # late: the local day counts, not the UTC one.
    give(reports["T9001"], submitted=at(DUE, 16, 59), D2_T4_K1={"answer": True})
    give(
        reports["T9002"],
        submitted=at(DUE + datetime.timedelta(days=1), 0, 30),
        D2_T4_K1={"answer": True},
    )

    rows = report_rows(plan=tree.plan, root=tree.district, today=today)

    assert sum((row.states for row in rows), StateCounts()) == expected
    states = report_states(Report.objects.filter(unit__parent=tree.district), today=today)
    open_state = TaskState.IN_PROGRESS if today == DUE else TaskState.OVERDUE
    assert sorted(item.state for item in states) == sorted(
        [TaskState.DONE_ON_TIME, TaskState.DONE_LATE, open_state]
    )


def test_completeness_drill_down_league_and_overdue(tree, expect):
    q3 = expect("D2-T4", "2020Q3", COMMUNES)
    d3 = expect("D3-T1", "2020Q3", ALL)
    give(q3["T9001"], submitted=at(DUE, 10), D2_T4_K1={"answer": True})
    give(d3["T9001"], submitted=at(DUE + datetime.timedelta(days=3), 10))
    give(d3["T90"], submitted=at(DUE, 8))
    give(q3["T9002"], status="returned", submitted=at(DUE, 11))

    rows = report_rows(plan=tree.plan, root=tree.district, today=TODAY)
    period = next(p for p in periods_of(rows) if p.code == "2020Q3")
    table = completeness_rows(
        rows=rows,
        root=tree.district,
        units=group_units({row.group_id for row in rows}),
        period=period,
    )

    # Expected: T90 1 (D3-T1); T9001 2; T9002 2; T9003 2 (T9004 did not exist yet).
    assert [(row.unit.code, row.is_own, row.states) for row in table] == [
        ("T90", True, StateCounts(done_on_time=1)),
        ("T9001", False, StateCounts(done_on_time=1, done_late=1)),
        ("T9002", False, StateCounts(done_on_time=1, overdue=1)),
        ("T9003", False, StateCounts(overdue=2)),
    ]
    assert table[1].completeness == 1
    assert table[1].timeliness == D(1) / 2
    league = league_table(
        plan=tree.plan, root=tree.district, period=period, level="commune", today=TODAY
    )
    # Completeness first, then timeliness: T9001 2/2 (1 on time), T9002 1/2, T9003 0/2.
    assert [(row.rank, row.code) for row in league] == [
        (1, "T9001"),
        (2, "T9002"),
        (3, "T9003"),
    ]
    overdue = overdue_rows(
        overdue_reports(plan=tree.plan, root=tree.district, period=None, level=None, today=TODAY),
        today=TODAY,
    )
    late_days = (TODAY - DUE).days
    assert sorted((row.report.unit.code, row.days_late) for row in overdue) == [
        ("T9002", late_days),
        ("T9003", late_days),
        ("T9003", late_days),
    ]


def test_league_ties_share_the_best_rank(tree, expect):
    reports = expect("D2-T4", "2020Q3", COMMUNES)
    for code in ("T9001", "T9002"):
        give(reports[code], D2_T4_K1={"answer": True})

    rows = report_rows(plan=tree.plan, root=tree.district, today=TODAY)
    period = next(p for p in periods_of(rows) if p.code == "2020Q3")
    league = league_table(
        plan=tree.plan, root=tree.district, period=period, level="commune", today=TODAY
    )

    assert [(row.rank, row.code) for row in league] == [(1, "T9001"), (1, "T9002"), (3, "T9003")]


def test_unit_work_sorts_a_units_reports_into_due_returned_overdue(tree, expect):
    commune = tree.unit("T9001")
    overdue = expect("D2-T4", "2020Q3", ["T9001"])["T9001"]
    returned = give(expect("D3-T1", "2020Q3", ["T9001"])["T9001"], status="returned")
    due = expect("D2-T7", "2020", ["T9001"], due=datetime.date(2021, 1, 8))["T9001"]

    work = unit_work(unit=commune, plan=tree.plan, today=TODAY)

    assert [report.pk for report in work.due] == [due.pk]
    assert [report.pk for report in work.returned] == [returned.pk]
    assert [(row.report.pk, row.days_late) for row in work.overdue] == [
        (overdue.pk, (TODAY - DUE).days)
    ]
