"""Reporting periods with their data cut-off windows, due dates, and the four task states.

Pure: no database, no clock. The rules are explained in docs/calendar.md; the cut-off
windows follow domain.md §4.3 (Decree 09/2019, as Khánh Hòa's Decision 01/2023 applies it).
"""

from __future__ import annotations

import datetime
import re
from calendar import monthrange
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from papitrack.calendars.enums import (
    DEFAULT_OFFSETS,
    WINDOW_PERIOD_KINDS,
    PeriodKind,
    ReportingLevel,
    TaskState,
)
from papitrack.calendars.workdays import WorkingCalendar
from papitrack.tasks.enums import OutputKind, TimelineKind

__all__ = [
    "DEFAULT_CUTOFF",
    "CutoffRule",
    "DueDateRules",
    "PeriodKind",
    "PeriodSpec",
    "deadline",
    "due_date",
    "half_year",
    "month",
    "nine_months",
    "period_from_code",
    "periods_for_task",
    "quarter",
    "task_state",
    "year_period",
]

ROMAN_QUARTERS = ("I", "II", "III", "IV")
HALF_YEAR_LABELS = ("6 tháng đầu năm {year}", "6 tháng cuối năm {year}")
# Output kinds that name a reporting period; every other output is delivered within one.
OUTPUT_PERIOD_KINDS: dict[str, PeriodKind] = {
    OutputKind.QUARTERLY_REPORT: PeriodKind.QUARTER,
    OutputKind.SEMIANNUAL_REPORT: PeriodKind.HALF_YEAR,
    OutputKind.ANNUAL_REPORT: PeriodKind.YEAR,
}
# "Theo định kỳ N tháng": the period kind N months long.
EVERY_MONTHS_KINDS = {
    1: PeriodKind.MONTH,
    3: PeriodKind.QUARTER,
    6: PeriodKind.HALF_YEAR,
    12: PeriodKind.YEAR,
}
MONTHS_IN_YEAR = 12

BAD_CUTOFF_DAY = "Ngày chốt số liệu phải từ 1 đến 28 (nhận {day})."
BAD_NUMBER = "{what} phải từ 1 đến {highest} (nhận {number})."
BAD_CODE = "Mã kỳ báo cáo «{code}» không hợp lệ."
BAD_EVERY_MONTHS = "Chu kỳ {months} tháng không chia hết 12 tháng."
MISSING_TIMELINE = "Thời gian thực hiện loại «{kind}» cần {fields}."
NO_RULE = "Chưa có quy tắc hạn gửi cho kỳ «{kind}», cấp «{level}»."

CODE_PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:M(?P<month>\d{2})|Q(?P<quarter>[1-4])|S(?P<half>[12])|(?P<nine>N9))?$"
)
DEADLINE_CODE_PATTERN = re.compile(r"^(?P<day>\d{4}-\d{2}-\d{2})D$")


@dataclass(frozen=True)
class CutoffRule:
    """Where data windows end: day `end_day` of the period's last month.

    A window starts the day after the previous month's window ends, so with the default
    14 the first quarter of 2020 takes data from 15/12/2019 to 14/3/2020. With
    `calendar_quarters=True` each window is the calendar period itself.
    """

    end_day: int = 14
    calendar_quarters: bool = False

    def __post_init__(self) -> None:
        # Up to 28, so that the day exists in every month, February included.
        if not 1 <= self.end_day <= 28:
            raise ValueError(BAD_CUTOFF_DAY.format(day=self.end_day))


DEFAULT_CUTOFF = CutoffRule()


@dataclass(frozen=True)
class PeriodSpec:
    """A reporting period: calendar span, data cut-off window and Vietnamese label.

    Codes: "2020M07" (month), "2020Q3", "2020S1" (half year), "2020N9" (nine months),
    "2020" (year), "2020-09-30D" (deadline). A deadline is one date: start, end and the
    cut-off window are all that date.
    """

    code: str
    kind: PeriodKind
    year: int
    start: datetime.date
    end: datetime.date
    cutoff_start: datetime.date
    cutoff_end: datetime.date
    label_vi: str


def _check_number(number: int, highest: int, what: str) -> None:
    if not 1 <= number <= highest:
        raise ValueError(BAD_NUMBER.format(what=what, highest=highest, number=number))


def _last_day(year: int, month_number: int) -> datetime.date:
    return datetime.date(year, month_number, monthrange(year, month_number)[1])


def _span(
    *,
    code: str,
    kind: PeriodKind,
    year: int,
    first_month: int,
    last_month: int,
    label: str,
    rule: CutoffRule,
) -> PeriodSpec:
    start = datetime.date(year, first_month, 1)
    end = _last_day(year, last_month)
    if rule.calendar_quarters:
        cutoff_start, cutoff_end = start, end
    else:
        previous = (year - 1, 12) if first_month == 1 else (year, first_month - 1)
        cutoff_start = datetime.date(*previous, rule.end_day) + datetime.timedelta(days=1)
        cutoff_end = datetime.date(year, last_month, rule.end_day)
    return PeriodSpec(
        code=code,
        kind=kind,
        year=year,
        start=start,
        end=end,
        cutoff_start=cutoff_start,
        cutoff_end=cutoff_end,
        label_vi=label,
    )


def month(year: int, number: int, *, rule: CutoffRule = DEFAULT_CUTOFF) -> PeriodSpec:
    _check_number(number, 12, "Tháng")
    return _span(
        code=f"{year}M{number:02d}",
        kind=PeriodKind.MONTH,
        year=year,
        first_month=number,
        last_month=number,
        label=f"Tháng {number}/{year}",
        rule=rule,
    )


def quarter(year: int, number: int, *, rule: CutoffRule = DEFAULT_CUTOFF) -> PeriodSpec:
    _check_number(number, 4, "Quý")
    return _span(
        code=f"{year}Q{number}",
        kind=PeriodKind.QUARTER,
        year=year,
        first_month=3 * number - 2,
        last_month=3 * number,
        label=f"Quý {ROMAN_QUARTERS[number - 1]}/{year}",
        rule=rule,
    )


def half_year(year: int, number: int, *, rule: CutoffRule = DEFAULT_CUTOFF) -> PeriodSpec:
    _check_number(number, 2, "Nửa năm")
    return _span(
        code=f"{year}S{number}",
        kind=PeriodKind.HALF_YEAR,
        year=year,
        first_month=6 * number - 5,
        last_month=6 * number,
        label=HALF_YEAR_LABELS[number - 1].format(year=year),
        rule=rule,
    )


def nine_months(year: int, *, rule: CutoffRule = DEFAULT_CUTOFF) -> PeriodSpec:
    return _span(
        code=f"{year}N9",
        kind=PeriodKind.NINE_MONTHS,
        year=year,
        first_month=1,
        last_month=9,
        label=f"9 tháng năm {year}",
        rule=rule,
    )


def year_period(year: int, *, rule: CutoffRule = DEFAULT_CUTOFF) -> PeriodSpec:
    return _span(
        code=str(year),
        kind=PeriodKind.YEAR,
        year=year,
        first_month=1,
        last_month=12,
        label=f"Năm {year}",
        rule=rule,
    )


def deadline(day: datetime.date) -> PeriodSpec:
    return PeriodSpec(
        code=f"{day.isoformat()}D",
        kind=PeriodKind.DEADLINE,
        year=day.year,
        start=day,
        end=day,
        cutoff_start=day,
        cutoff_end=day,
        label_vi=f"Hạn {day.day}/{day.month}/{day.year}",
    )


def period_from_code(code: str, *, rule: CutoffRule = DEFAULT_CUTOFF) -> PeriodSpec:
    """Rebuild a period from its code; raise ValueError for anything else."""
    if match := DEADLINE_CODE_PATTERN.match(code):
        try:
            return deadline(datetime.date.fromisoformat(match["day"]))
        except ValueError as error:
            raise ValueError(BAD_CODE.format(code=code)) from error
    match = CODE_PATTERN.match(code)
    if match is None:
        raise ValueError(BAD_CODE.format(code=code))
    year = int(match["year"])
    if match["month"]:
        if not 1 <= int(match["month"]) <= MONTHS_IN_YEAR:
            raise ValueError(BAD_CODE.format(code=code))
        return month(year, int(match["month"]), rule=rule)
    if match["quarter"]:
        return quarter(year, int(match["quarter"]), rule=rule)
    if match["half"]:
        return half_year(year, int(match["half"]), rule=rule)
    if match["nine"]:
        return nine_months(year, rule=rule)
    return year_period(year, rule=rule)


def _periods_of_kind(kind: PeriodKind, year: int, rule: CutoffRule) -> list[PeriodSpec]:
    if kind == PeriodKind.MONTH:
        return [month(year, number, rule=rule) for number in range(1, 13)]
    if kind == PeriodKind.QUARTER:
        return [quarter(year, number, rule=rule) for number in range(1, 5)]
    if kind == PeriodKind.HALF_YEAR:
        return [half_year(year, 1, rule=rule), half_year(year, 2, rule=rule)]
    if kind == PeriodKind.NINE_MONTHS:
        return [nine_months(year, rule=rule)]
    return [year_period(year, rule=rule)]


def _every_months(months: int, year: int, rule: CutoffRule) -> list[PeriodSpec]:
    if months in EVERY_MONTHS_KINDS:
        kind = EVERY_MONTHS_KINDS[months]
        return _periods_of_kind(kind, year, rule) + _periods_of_kind(PeriodKind.YEAR, year, rule)
    if months < 1 or MONTHS_IN_YEAR % months:
        raise ValueError(BAD_EVERY_MONTHS.format(months=months))
    # Every 2 or 4 months: no standard report, so a deadline at the end of each block.
    ends = [deadline(_last_day(year, last)) for last in range(months, 13, months)]
    return [*ends, year_period(year, rule=rule)]


def periods_for_task(
    *,
    timeline_kind: str,
    timeline_year: int | None,
    timeline_quarter: int | None,
    timeline_month: int | None,
    timeline_months: int | None,
    outputs: Iterable[str],
    years: Iterable[int],
    rule: CutoffRule = DEFAULT_CUTOFF,
    active_from: datetime.date | None = None,
) -> list[PeriodSpec]:
    """Return the periods a task reports for in `years`, without duplicates, by end date.

    - by_quarter: one deadline at the quarter's end, in its year only; outputs are the
      product due then, so they add nothing.
    - yearly_month: a deadline at the end of that month each year.
    - every_months N: the N-month periods (month, quarter, half year) plus the year.
    - ongoing: the year, plus both half years when no output names a period.
    - periodic_regulated, external: the year; the coordinator adds other deadlines.
    - Every kind but by_quarter also gets the periods its outputs name (quarterly,
      6-month, annual report).
    Periods ending before `active_from` (e.g. the plan's date) are left out.
    """
    kind = TimelineKind(timeline_kind)
    years = list(years)
    output_kinds = {OUTPUT_PERIOD_KINDS[o] for o in map(str, outputs) if o in OUTPUT_PERIOD_KINDS}
    periods: list[PeriodSpec] = []
    if kind == TimelineKind.BY_QUARTER:
        if timeline_year is None or timeline_quarter is None:
            raise ValueError(MISSING_TIMELINE.format(kind=kind.label, fields="năm và quý"))
        if timeline_year in years:
            periods.append(deadline(quarter(timeline_year, timeline_quarter).end))
        return periods
    for year in years:
        if kind == TimelineKind.YEARLY_MONTH:
            if timeline_month is None:
                raise ValueError(MISSING_TIMELINE.format(kind=kind.label, fields="tháng"))
            _check_number(timeline_month, MONTHS_IN_YEAR, "Tháng")
            periods.append(deadline(_last_day(year, timeline_month)))
        elif kind == TimelineKind.EVERY_MONTHS:
            if timeline_months is None:
                raise ValueError(MISSING_TIMELINE.format(kind=kind.label, fields="số tháng"))
            periods.extend(_every_months(timeline_months, year, rule))
        elif kind == TimelineKind.ONGOING and not output_kinds:
            periods.extend(_periods_of_kind(PeriodKind.HALF_YEAR, year, rule))
            periods.append(year_period(year, rule=rule))
        else:
            periods.append(year_period(year, rule=rule))
        for output_kind in sorted(output_kinds):
            periods.extend(_periods_of_kind(output_kind, year, rule))
    unique = {
        period.code: period
        for period in periods
        if active_from is None or period.end >= active_from
    }
    # Equal ends (Q2 and the first half): the shorter period first, then the longer.
    return sorted(unique.values(), key=lambda p: (p.end, -p.start.toordinal(), p.code))


@dataclass(frozen=True)
class DueDateRules:
    """Working days between a period's cut-off end and the report's due date, per level."""

    offsets: Mapping[tuple[str, str], int]

    @classmethod
    def default(cls) -> DueDateRules:
        return cls(
            offsets={
                (kind, level): offset
                for kind in WINDOW_PERIOD_KINDS
                for level, offset in DEFAULT_OFFSETS.items()
            }
        )

    def offset(self, kind: str, level: str) -> int:
        try:
            return self.offsets[(kind, level)]
        except KeyError as error:
            raise ValueError(NO_RULE.format(kind=kind, level=level)) from error


def due_date(
    *,
    period: PeriodSpec,
    level: ReportingLevel | str,
    calendar: WorkingCalendar,
    rules: DueDateRules,
) -> datetime.date:
    """Return the day a report for `period` from `level` is due.

    A deadline is due on its own date, moved to the next working day if that is a day
    off; the level does not matter. Other periods are due `rules.offset(...)` working days
    after the cut-off end (an offset of 0 means the cut-off day, or the next working day).
    """
    if period.kind == PeriodKind.DEADLINE:
        return calendar.first_working_day_from(period.end)
    offset = rules.offset(period.kind, level)
    return calendar.first_working_day_from(calendar.add_working_days(period.cutoff_end, offset))


def task_state(
    *, due: datetime.date, completed_on: datetime.date | None, today: datetime.date
) -> TaskState:
    """Classify a task or report by its due date (Decision 42/2014, domain.md §4.7).

    Completing on the due day is on time; on the due day itself an open task is still in
    progress and becomes overdue the next day.
    """
    if completed_on is not None:
        return TaskState.DONE_ON_TIME if completed_on <= due else TaskState.DONE_LATE
    return TaskState.IN_PROGRESS if today <= due else TaskState.OVERDUE
