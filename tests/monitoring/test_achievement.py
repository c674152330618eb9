"""Judging values against targets, traffic lights, the four task states, on-track tasks."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from papitrack.calendars.enums import TaskState
from papitrack.monitoring.achievement import (
    StateCounts,
    Target,
    is_on_track,
    judge,
    share_target,
    state_of_report,
    traffic_light,
)
from papitrack.monitoring.enums import Achievement, TrafficLight, ZeroDenominator
from papitrack.monitoring.rollup import Tally
from papitrack.tasks.enums import KpiKind

D = Decimal
AT_LEAST_95 = Target(comparator=">=", value=D(95))
DUE = datetime.date(2020, 10, 16)


def tally(numerator: int, denominator: int, *, reported: int = 1) -> Tally:
    return Tally(
        expected=max(reported, 1),
        reported=reported,
        numerator=D(numerator),
        denominator=D(denominator),
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (tally(95, 100), Achievement.MET),
        (tally(949, 1000), Achievement.NOT_MET),
        (tally(0, 0, reported=0), Achievement.NO_DATA),
        (tally(0, 0), Achievement.NO_DATA),
    ],
)
def test_judge_ratio_unrounded(value, expected):
    assert judge(kind=KpiKind.RATIO, tally=value, target=AT_LEAST_95) == expected


def test_zero_over_zero_met_only_where_the_rule_says_so():
    nothing_to_apologise_for = tally(0, 0)
    target = Target(comparator=">=", value=D(100))

    assert (
        judge(
            kind=KpiKind.RATIO,
            tally=nothing_to_apologise_for,
            target=target,
            zero_denominator=ZeroDenominator.MET,
        )
        == Achievement.NOT_APPLICABLE
    )
    assert (
        judge(
            kind=KpiKind.RATIO,
            tally=Tally(expected=3),
            target=target,
            zero_denominator=ZeroDenominator.MET,
        )
        == Achievement.NO_DATA
    )


def test_external_kpi_without_target_is_listed_not_judged():
    target = share_target(kind=KpiKind.EXTERNAL, comparator="", value=None)

    assert judge(kind=KpiKind.EXTERNAL, tally=tally(9, 10), target=target) == Achievement.NO_TARGET


def test_count_and_milestone_targets_are_every_unit():
    assert share_target(kind=KpiKind.COUNT, comparator=">=", value=D(1)) == Target(">=", D(100))
    assert share_target(kind=KpiKind.MILESTONE, comparator="", value=None) == Target(">=", D(100))
    assert share_target(kind=KpiKind.VAGUE, comparator=">=", value=D(100)) == Target(">=", D(100))
    assert share_target(kind=KpiKind.SHARE_OF_UNITS, comparator=">=", value=D(30)) == Target(
        ">=", D(30)
    )


def test_count_below_target_is_not_yet_before_the_final_period_then_not_met():
    half = tally(5, 10, reported=10)
    target = Target(">=", D(100))

    assert judge(kind=KpiKind.COUNT, tally=half, target=target, final=False) == Achievement.NOT_YET
    assert judge(kind=KpiKind.COUNT, tally=half, target=target, final=True) == Achievement.NOT_MET
    assert (
        judge(kind=KpiKind.SHARE_OF_UNITS, tally=half, target=target, final=False)
        == Achievement.NOT_MET
    )


@pytest.mark.parametrize(
    ("achievement", "value", "light"),
    [
        (Achievement.MET, tally(95, 100), TrafficLight.GREEN),
        (Achievement.NOT_APPLICABLE, tally(0, 0), TrafficLight.GREEN),
        (Achievement.NOT_YET, tally(1, 2), TrafficLight.AMBER),
        (Achievement.NOT_MET, tally(85, 100), TrafficLight.AMBER),
        (Achievement.NOT_MET, tally(84, 100), TrafficLight.RED),
        (Achievement.NO_DATA, Tally(expected=1), TrafficLight.GREY),
        (Achievement.NO_TARGET, tally(1, 2), TrafficLight.GREY),
    ],
)
def test_traffic_light(achievement, value, light):
    assert traffic_light(achievement=achievement, tally=value, target=AT_LEAST_95) == light


# --- the four states at the boundaries --------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted_on", "today", "state"),
    [
        (DUE, DUE + datetime.timedelta(days=30), TaskState.DONE_ON_TIME),
        (DUE - datetime.timedelta(days=3), DUE, TaskState.DONE_ON_TIME),
        (DUE + datetime.timedelta(days=1), DUE + datetime.timedelta(days=1), TaskState.DONE_LATE),
        (None, DUE, TaskState.IN_PROGRESS),
        (None, DUE - datetime.timedelta(days=10), TaskState.IN_PROGRESS),
        (None, DUE + datetime.timedelta(days=1), TaskState.OVERDUE),
    ],
)
def test_four_states_at_the_due_date(submitted_on, today, state):
    counts = state_of_report(due=DUE, submitted_on=submitted_on, today=today)

    assert counts.state == state
    assert counts.expected == 1


def test_worst_state_and_rates():
    counts = StateCounts(done_on_time=6, done_late=2, in_progress=1, overdue=1)

    assert counts.state == TaskState.OVERDUE
    assert counts.completeness == D(8) / 10
    assert counts.timeliness == D(6) / 8
    assert StateCounts(done_on_time=1, done_late=1).state == TaskState.DONE_LATE
    assert StateCounts(done_on_time=1, in_progress=1).state == TaskState.IN_PROGRESS
    assert StateCounts().state is None
    assert StateCounts().completeness is None
    assert StateCounts(overdue=2).timeliness is None


def test_on_track_needs_time_and_no_kpi_not_met():
    assert is_on_track(state=TaskState.DONE_ON_TIME, achievements=[Achievement.MET])
    assert is_on_track(state=TaskState.IN_PROGRESS, achievements=[Achievement.NO_DATA])
    assert not is_on_track(state=TaskState.DONE_ON_TIME, achievements=[Achievement.NOT_MET])
    assert not is_on_track(state=TaskState.DONE_LATE, achievements=[Achievement.MET])
    assert not is_on_track(state=TaskState.OVERDUE, achievements=[])
    assert not is_on_track(state=None, achievements=[])


@given(st.lists(st.sampled_from(list(TaskState)), min_size=1, max_size=30))
def test_property_worst_state_wins_and_counts_add_up(states):
    counts = sum(
        (
            StateCounts(
                done_on_time=int(state == TaskState.DONE_ON_TIME),
                done_late=int(state == TaskState.DONE_LATE),
                in_progress=int(state == TaskState.IN_PROGRESS),
                overdue=int(state == TaskState.OVERDUE),
            )
            for state in states
        ),
        StateCounts(),
    )
    order = [TaskState.OVERDUE, TaskState.IN_PROGRESS, TaskState.DONE_LATE, TaskState.DONE_ON_TIME]

    assert counts.expected == len(states)
    assert counts.state == min(states, key=order.index)
    assert 0 <= (counts.completeness or 0) <= 1
