"""Judge values against targets, colour them, and count the four task states. Pure.

Achievement (met / not met / no data ...) and task state (done on time ... overdue) are
kept apart on purpose (domain.md §3.3.9): a report can arrive on time with its KPI not met.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from papitrack.calendars.enums import TaskState
from papitrack.calendars.periods import task_state
from papitrack.monitoring.enums import Achievement, TrafficLight, ZeroDenominator
from papitrack.monitoring.rollup import HUNDRED, Family, Tally, compare, family_of
from papitrack.tasks.enums import Comparator, KpiKind

# A value this many percentage points short of its target is amber, further is red.
AMBER_MARGIN = Decimal(10)

# Worst first: one overdue report makes the task overdue; then unfinished; then late.
STATE_SEVERITY = (
    TaskState.OVERDUE,
    TaskState.IN_PROGRESS,
    TaskState.DONE_LATE,
    TaskState.DONE_ON_TIME,
)


@dataclass(frozen=True)
class Target:
    """The target a tally is compared with, as a percentage: comparator and value."""

    comparator: str
    value: Decimal | None


def share_target(*, kind: str, comparator: str, value: Decimal | None) -> Target:
    """The percentage a tally of this kind must reach.

    Ratio, external, share and vague KPIs carry a percentage target. A count KPI's value is
    a per-unit threshold (≥ 1 dialogue a year), so the roll-up asks every member unit to
    reach it (100%). A milestone has no number: every assigned unit must be done (100%).
    """
    family = family_of(kind)
    if family is Family.COUNT or kind == KpiKind.MILESTONE:
        return Target(comparator=Comparator.AT_LEAST, value=HUNDRED)
    return Target(comparator=comparator or Comparator.AT_LEAST, value=value)


def judge(
    *,
    kind: str,
    tally: Tally,
    target: Target,
    zero_denominator: str = ZeroDenominator.NO_DATA,
    final: bool = True,
) -> Achievement:
    """Met, not met, not yet, no data, no target, or not applicable (0/0 counted as met).

    - Nothing reported counts: no data (a missing report is never a zero).
    - No target (an external KPI before the coordinator enters it): no target.
    - A ratio of 0/0: no data, or "not applicable, met" where the KPI's rule says so
      (e.g. apology letters when no dossier was late).
    - Counts and milestones below target before the final period of the year: not yet.
    """
    if tally.reported == 0:
        return Achievement.NO_DATA
    if target.value is None:
        return Achievement.NO_TARGET
    percent = tally.percent
    if percent is None:
        if zero_denominator == ZeroDenominator.MET:
            return Achievement.NOT_APPLICABLE
        return Achievement.NO_DATA
    if compare(percent, target.comparator, target.value):
        return Achievement.MET
    if not final and family_of(kind) in {Family.COUNT, Family.MILESTONE}:
        return Achievement.NOT_YET
    return Achievement.NOT_MET


def traffic_light(*, achievement: str, tally: Tally, target: Target) -> TrafficLight:
    """Green met; amber not yet, or within AMBER_MARGIN points of the target; red further
    off; grey when there is nothing to judge."""
    if achievement in {Achievement.MET, Achievement.NOT_APPLICABLE}:
        return TrafficLight.GREEN
    if achievement == Achievement.NOT_YET:
        return TrafficLight.AMBER
    if achievement != Achievement.NOT_MET:
        return TrafficLight.GREY
    percent = tally.percent
    close = (
        percent is not None
        and target.value is not None
        and abs(target.value - percent) <= AMBER_MARGIN
    )
    if close:
        return TrafficLight.AMBER
    return TrafficLight.RED


@dataclass(frozen=True)
class StateCounts:
    """Expected reports by the four states of Decision 42/2014 (a monoid under +)."""

    done_on_time: int = 0
    done_late: int = 0
    in_progress: int = 0
    overdue: int = 0

    def __add__(self, other: StateCounts) -> StateCounts:
        return StateCounts(
            done_on_time=self.done_on_time + other.done_on_time,
            done_late=self.done_late + other.done_late,
            in_progress=self.in_progress + other.in_progress,
            overdue=self.overdue + other.overdue,
        )

    @property
    def expected(self) -> int:
        return self.done_on_time + self.done_late + self.in_progress + self.overdue

    @property
    def received(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def completeness(self) -> Decimal | None:
        """Reports received ÷ reports expected; None when nothing was expected."""
        return None if self.expected == 0 else Decimal(self.received) / self.expected

    @property
    def timeliness(self) -> Decimal | None:
        """Reports received on time ÷ reports received; None when none was received."""
        return None if self.received == 0 else Decimal(self.done_on_time) / self.received

    @property
    def state(self) -> TaskState | None:
        """The worst state present: overdue, then in progress, then done late, then on time."""
        counts = {
            TaskState.OVERDUE: self.overdue,
            TaskState.IN_PROGRESS: self.in_progress,
            TaskState.DONE_LATE: self.done_late,
            TaskState.DONE_ON_TIME: self.done_on_time,
        }
        return next((state for state in STATE_SEVERITY if counts[state]), None)


def state_of_report(
    *, due: datetime.date, submitted_on: datetime.date | None, today: datetime.date
) -> StateCounts:
    """One expected report as state counts (completion = first submission, local day)."""
    state = task_state(due=due, completed_on=submitted_on, today=today)
    return StateCounts(
        done_on_time=int(state == TaskState.DONE_ON_TIME),
        done_late=int(state == TaskState.DONE_LATE),
        in_progress=int(state == TaskState.IN_PROGRESS),
        overdue=int(state == TaskState.OVERDUE),
    )


def is_on_track(*, state: str | None, achievements: list[str]) -> bool:
    """A task is on track when no report is overdue or late and no KPI is judged not met."""
    if state not in {TaskState.DONE_ON_TIME, TaskState.IN_PROGRESS}:
        return False
    return Achievement.NOT_MET not in achievements
