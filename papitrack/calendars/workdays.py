"""The working-day calendar of state bodies: Monday to Friday, minus days off, plus swaps.

Pure: build a `WorkingCalendar` from sets of dates (`queries.load_working_calendar()` reads
them from the database) and ask it questions. No database, no clock.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

ONE_DAY = datetime.timedelta(days=1)
SATURDAY = 5

OVERLAP_ERROR = "Ngày {day} vừa là ngày nghỉ vừa là ngày làm việc bù."
NEGATIVE_COUNT_ERROR = "Số ngày làm việc phải không âm (nhận {count})."


@dataclass(frozen=True)
class WorkingCalendar:
    """Days off (holidays, bridge days) and swapped working days (a Saturday worked).

    A date outside both sets is a working day from Monday to Friday. `confirmed_years`
    lists the years whose days were checked against the official notice; any other year is
    provisional, and due dates computed in it may change.
    """

    days_off: frozenset[datetime.date] = field(default_factory=frozenset)
    working_swaps: frozenset[datetime.date] = field(default_factory=frozenset)
    confirmed_years: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        overlap = self.days_off & self.working_swaps
        if overlap:
            raise ValueError(OVERLAP_ERROR.format(day=min(overlap).isoformat()))

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.working_swaps:
            return True
        if day in self.days_off:
            return False
        return day.weekday() < SATURDAY

    def is_confirmed(self, day: datetime.date) -> bool:
        return day.year in self.confirmed_years

    def add_working_days(self, day: datetime.date, count: int) -> datetime.date:
        """Return the `count`-th working day after `day`; `day` itself is never counted.

        `count == 0` returns `day` unchanged, even when it is a day off.
        """
        if count < 0:
            raise ValueError(NEGATIVE_COUNT_ERROR.format(count=count))
        current = day
        remaining = count
        while remaining:
            current += ONE_DAY
            if self.is_working_day(current):
                remaining -= 1
        return current

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """Return the first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def first_working_day_from(self, day: datetime.date) -> datetime.date:
        """Return `day` if it is a working day, else the next working day."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Count working days after `start` up to and including `end`.

        The inverse of `add_working_days`: `working_days_between(d, add_working_days(d, n))`
        is `n`. Negative when `end` is before `start` (e.g. working days overdue, reversed).
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += ONE_DAY
            if self.is_working_day(current):
                count += 1
        return count
