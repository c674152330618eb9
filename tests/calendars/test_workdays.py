import datetime

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from papitrack.calendars.sources import calendar_from_special_days, vietnam_special_days
from papitrack.calendars.workdays import NEGATIVE_COUNT_ERROR, OVERLAP_ERROR, WorkingCalendar

D = datetime.date
# Built from the package, without the database, so hypothesis can call it freely.
PACKAGE_CALENDAR = calendar_from_special_days(vietnam_special_days(range(2019, 2028)))


def days_off_between(calendar: WorkingCalendar, first: D, last: D) -> list[D]:
    span = range((last - first).days + 1)
    return [
        first + datetime.timedelta(days=offset)
        for offset in span
        if not calendar.is_working_day(first + datetime.timedelta(days=offset))
    ]


def weekdays_off(calendar: WorkingCalendar, first: D, last: D) -> list[D]:
    return [day for day in days_off_between(calendar, first, last) if day.weekday() < 5]


def test_plain_week_is_monday_to_friday():
    calendar = WorkingCalendar()
    assert [
        calendar.is_working_day(D(2020, 7, 20) + datetime.timedelta(days=k)) for k in range(7)
    ] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
    ]


def test_tet_2020_is_off_from_23_to_29_january(working_calendar):
    assert days_off_between(working_calendar, D(2020, 1, 20), D(2020, 2, 2)) == [
        D(2020, 1, 23),
        D(2020, 1, 24),
        D(2020, 1, 25),
        D(2020, 1, 26),
        D(2020, 1, 27),
        D(2020, 1, 28),
        D(2020, 1, 29),
        D(2020, 2, 1),
        D(2020, 2, 2),
    ]


def test_five_working_days_after_20_january_2020_is_3_february(working_calendar):
    # domain.md §4.4, the worked example across Tết 2020.
    assert working_calendar.add_working_days(D(2020, 1, 20), 5) == D(2020, 2, 3)
    assert working_calendar.working_days_between(D(2020, 1, 20), D(2020, 2, 3)) == 5


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (
            D(2021, 2, 8),
            D(2021, 2, 19),
            [D(2021, 2, 10), D(2021, 2, 11), D(2021, 2, 12), D(2021, 2, 15), D(2021, 2, 16)],
        ),
        (
            D(2022, 1, 28),
            D(2022, 2, 8),
            [D(2022, 1, 31), D(2022, 2, 1), D(2022, 2, 2), D(2022, 2, 3), D(2022, 2, 4)],
        ),
        (
            D(2023, 1, 18),
            D(2023, 1, 31),
            [D(2023, 1, 20), D(2023, 1, 23), D(2023, 1, 24), D(2023, 1, 25), D(2023, 1, 26)],
        ),
        (
            D(2024, 2, 6),
            D(2024, 2, 16),
            [D(2024, 2, 8), D(2024, 2, 9), D(2024, 2, 12), D(2024, 2, 13), D(2024, 2, 14)],
        ),
        (
            D(2025, 1, 24),
            D(2025, 2, 4),
            [D(2025, 1, 27), D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30), D(2025, 1, 31)],
        ),
        (
            D(2026, 2, 12),
            D(2026, 2, 24),
            [D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19), D(2026, 2, 20)],
        ),
    ],
    ids=["tet-2021", "tet-2022", "tet-2023", "tet-2024", "tet-2025", "tet-2026"],
)
def test_tet_weekdays_off(working_calendar, first, last, expected):
    assert weekdays_off(working_calendar, first, last) == expected


def test_tet_2025_includes_saturday_1_february(working_calendar):
    assert days_off_between(working_calendar, D(2025, 1, 25), D(2025, 2, 2)) == [
        D(2025, 1, 25) + datetime.timedelta(days=k) for k in range(9)
    ]


def test_2_may_2025_is_off_in_exchange_for_saturday_26_april(working_calendar):
    assert working_calendar.is_working_day(D(2025, 4, 26)) is True
    assert days_off_between(working_calendar, D(2025, 4, 26), D(2025, 5, 4)) == [
        D(2025, 4, 27),
        D(2025, 4, 30),
        D(2025, 5, 1),
        D(2025, 5, 2),
        D(2025, 5, 3),
        D(2025, 5, 4),
    ]


def test_hung_kings_day_2026_on_sunday_is_observed_on_monday_27_april(working_calendar):
    assert days_off_between(working_calendar, D(2026, 4, 24), D(2026, 4, 28)) == [
        D(2026, 4, 25),
        D(2026, 4, 26),
        D(2026, 4, 27),
    ]


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (D(2020, 8, 31), D(2020, 9, 4), [D(2020, 9, 2)]),
        (D(2021, 8, 30), D(2021, 9, 3), [D(2021, 9, 2), D(2021, 9, 3)]),
        (D(2022, 8, 29), D(2022, 9, 2), [D(2022, 9, 1), D(2022, 9, 2)]),
        (D(2023, 8, 28), D(2023, 9, 5), [D(2023, 9, 1), D(2023, 9, 4)]),
        (D(2024, 8, 30), D(2024, 9, 4), [D(2024, 9, 2), D(2024, 9, 3)]),
        (D(2025, 8, 29), D(2025, 9, 3), [D(2025, 9, 1), D(2025, 9, 2)]),
        (D(2026, 8, 28), D(2026, 9, 3), [D(2026, 8, 31), D(2026, 9, 1), D(2026, 9, 2)]),
    ],
    ids=["2020", "2021", "2022", "2023", "2024", "2025", "2026"],
)
def test_national_day_and_its_adjacent_day(working_calendar, first, last, expected):
    # One day until 2020; two from 2021 (Labour Code 2019, Art. 112).
    assert weekdays_off(working_calendar, first, last) == expected


def test_saturday_22_august_2026_is_worked_for_monday_31_august(working_calendar):
    assert working_calendar.is_working_day(D(2026, 8, 22)) is True


def test_stored_calendar_agrees_with_the_package_every_day(working_calendar):
    package = holidays.country_holidays("VN", years=range(2019, 2028))
    day = D(2019, 1, 1)
    disagreements = []
    while day <= D(2027, 12, 31):
        if working_calendar.is_working_day(day) != package.is_working_day(day):
            disagreements.append(day)
        day += datetime.timedelta(days=1)
    assert disagreements == []


def test_next_and_first_working_day():
    calendar = WorkingCalendar(days_off=frozenset({D(2020, 9, 2)}))
    assert calendar.next_working_day(D(2020, 9, 1)) == D(2020, 9, 3)
    assert calendar.next_working_day(D(2020, 9, 3)) == D(2020, 9, 4)
    assert calendar.first_working_day_from(D(2020, 9, 3)) == D(2020, 9, 3)
    assert calendar.first_working_day_from(D(2020, 9, 2)) == D(2020, 9, 3)
    assert calendar.first_working_day_from(D(2020, 9, 5)) == D(2020, 9, 7)


def test_zero_working_days_is_the_day_itself_even_a_day_off():
    assert WorkingCalendar().add_working_days(D(2020, 9, 5), 0) == D(2020, 9, 5)


def test_working_days_between_is_negative_when_reversed():
    calendar = WorkingCalendar()
    assert calendar.working_days_between(D(2020, 9, 7), D(2020, 9, 7)) == 0
    assert calendar.working_days_between(D(2020, 9, 11), D(2020, 9, 4)) == -5


def test_negative_count_is_refused():
    with pytest.raises(ValueError, match="không âm") as error:
        WorkingCalendar().add_working_days(D(2020, 9, 7), -1)
    assert str(error.value) == NEGATIVE_COUNT_ERROR.format(count=-1)


def test_a_day_cannot_be_both_off_and_swapped():
    with pytest.raises(ValueError, match="2020-09-05") as error:
        WorkingCalendar(
            days_off=frozenset({D(2020, 9, 5)}), working_swaps=frozenset({D(2020, 9, 5)})
        )
    assert str(error.value) == OVERLAP_ERROR.format(day="2020-09-05")


def test_confirmed_years():
    calendar = WorkingCalendar(confirmed_years=frozenset({2020}))
    assert calendar.is_confirmed(D(2020, 12, 31)) is True
    assert calendar.is_confirmed(D(2021, 1, 1)) is False


dates = st.dates(min_value=D(2019, 1, 1), max_value=D(2027, 12, 31))


@given(day=dates, count=st.integers(min_value=1, max_value=60))
def test_add_working_days_counts_only_working_days(day, count):
    result = PACKAGE_CALENDAR.add_working_days(day, count)
    counted = [
        day + datetime.timedelta(days=k)
        for k in range(1, (result - day).days + 1)
        if PACKAGE_CALENDAR.is_working_day(day + datetime.timedelta(days=k))
    ]
    assert PACKAGE_CALENDAR.is_working_day(result)
    assert len(counted) == count
    assert counted[-1] == result
    assert not set(counted) & PACKAGE_CALENDAR.days_off
    assert PACKAGE_CALENDAR.working_days_between(day, result) == count


@given(day=dates, count=st.integers(min_value=0, max_value=60))
def test_add_working_days_is_strictly_increasing_in_count(day, count):
    assert PACKAGE_CALENDAR.add_working_days(day, count) < PACKAGE_CALENDAR.add_working_days(
        day, count + 1
    )


window = st.dates(min_value=D(2024, 1, 1), max_value=D(2024, 3, 31))


@given(
    days_off=st.frozensets(window, max_size=40),
    weekend=st.frozensets(window.filter(lambda day: day.weekday() >= 5), max_size=10),
    day=window,
    count=st.integers(min_value=1, max_value=30),
)
def test_any_calendar_skips_every_day_off(days_off, weekend, day, count):
    calendar = WorkingCalendar(days_off=days_off, working_swaps=weekend - days_off)
    result = calendar.add_working_days(day, count)
    assert result not in days_off
    assert calendar.is_working_day(result)
    assert calendar.working_days_between(day, result) == count
    assert calendar.next_working_day(result) == calendar.add_working_days(day, count + 1)
