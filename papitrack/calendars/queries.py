"""Reads for the calendar: the working-day calendar, the due-date rules, a task's periods."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from papitrack.calendars.enums import CalendarDayKind
from papitrack.calendars.models import CalendarDay, DueDateRule
from papitrack.calendars.periods import (
    DEFAULT_CUTOFF,
    CutoffRule,
    DueDateRules,
    PeriodSpec,
    periods_for_task,
)
from papitrack.calendars.workdays import WorkingCalendar
from papitrack.tasks.models import Task


def load_working_calendar() -> WorkingCalendar:
    """Build the calendar from every stored day, in one query.

    A year counts as confirmed when it has stored days and all of them are confirmed; a
    year with no stored day is provisional (plain Monday–Friday).
    """
    days_off: set[datetime.date] = set()
    swaps: set[datetime.date] = set()
    years: set[int] = set()
    unconfirmed_years: set[int] = set()
    for day, kind, confirmed in CalendarDay.objects.values_list("date", "kind", "confirmed"):
        (swaps if kind == CalendarDayKind.WORKING_DAY_SWAP else days_off).add(day)
        years.add(day.year)
        if not confirmed:
            unconfirmed_years.add(day.year)
    return WorkingCalendar(
        days_off=frozenset(days_off),
        working_swaps=frozenset(swaps),
        confirmed_years=frozenset(years - unconfirmed_years),
    )


def load_due_date_rules() -> DueDateRules:
    """Return the stored offsets, falling back to the defaults for pairs not stored."""
    offsets = dict(DueDateRules.default().offsets)
    for kind, level, offset in DueDateRule.objects.values_list(
        "period_kind", "level", "offset_working_days"
    ):
        offsets[(kind, level)] = offset
    return DueDateRules(offsets=offsets)


def periods_of_task(
    task: Task,
    *,
    years: Iterable[int],
    rule: CutoffRule = DEFAULT_CUTOFF,
    active_from: datetime.date | None = None,
) -> list[PeriodSpec]:
    """Return `periods_for_task` for a stored task (see docs/calendar.md for the rules)."""
    return periods_for_task(
        timeline_kind=task.timeline_kind,
        timeline_year=task.timeline_year,
        timeline_quarter=task.timeline_quarter,
        timeline_month=task.timeline_month,
        timeline_months=task.timeline_months,
        outputs=[str(output) for output in task.outputs],
        years=years,
        rule=rule,
        active_from=active_from,
    )
