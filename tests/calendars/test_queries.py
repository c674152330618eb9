import datetime

import pytest

from papitrack.calendars.enums import PeriodKind, ReportingLevel
from papitrack.calendars.models import DueDateRule
from papitrack.calendars.periods import DueDateRules, deadline, due_date, quarter
from papitrack.calendars.queries import (
    load_due_date_rules,
    load_working_calendar,
    periods_of_task,
)
from papitrack.tasks.models import Task

D = datetime.date
pytestmark = pytest.mark.django_db


def task(key: str) -> Task:
    return Task.objects.get(plan__code="QNA-4055-2020", key=key)


def test_calendar_loads_in_one_query(seeded, django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar = load_working_calendar()
    assert calendar.confirmed_years == frozenset(range(2019, 2026))
    assert calendar.is_confirmed(D(2026, 2, 16)) is False
    assert D(2025, 4, 26) in calendar.working_swaps
    assert D(2025, 5, 2) in calendar.days_off


def test_an_empty_calendar_is_a_plain_week(db):
    calendar = load_working_calendar()
    assert calendar.is_working_day(D(2020, 1, 27)) is True
    assert calendar.is_confirmed(D(2020, 1, 27)) is False


def test_rules_default_when_nothing_is_stored(db):
    assert load_due_date_rules() == DueDateRules.default()


def test_stored_rules_override_the_defaults(seeded):
    DueDateRule.objects.filter(period_kind=PeriodKind.QUARTER, level=ReportingLevel.COMMUNE).update(
        offset_working_days=5
    )
    rules = load_due_date_rules()
    assert rules.offset(PeriodKind.QUARTER, ReportingLevel.COMMUNE) == 5
    assert rules.offset(PeriodKind.YEAR, ReportingLevel.COMMUNE) == 2


def test_due_date_from_the_database_across_tet_2020(seeded):
    # Q4 2019 cut-off 14/12/2019 is not near Tết; January 2020's report for DoHA is.
    calendar = load_working_calendar()
    rules = load_due_date_rules()
    q4 = quarter(2019, 4)
    assert due_date(period=q4, level=ReportingLevel.COMMUNE, calendar=calendar, rules=rules) == D(
        2019, 12, 17
    )
    DueDateRule.objects.filter(period_kind=PeriodKind.QUARTER, level=ReportingLevel.DOHA).update(
        offset_working_days=30
    )
    rules = load_due_date_rules()
    # 30 working days after Saturday 14/12/2019: 13 in December, 1/1 off, 16 in January
    # before Tết (23–29/1), the 30th is Monday 3/2/2020.
    assert due_date(period=q4, level=ReportingLevel.DOHA, calendar=calendar, rules=rules) == D(
        2020, 2, 3
    )


def test_d5_t4_third_quarter_2020_is_one_deadline(plan):
    assert periods_of_task(task("D5-T4"), years=range(2020, 2023)) == [deadline(D(2020, 9, 30))]


def test_d4_t4_december_each_year(plan):
    periods = periods_of_task(task("D4-T4"), years=range(2020, 2023))
    assert [p.code for p in periods] == ["2020-12-31D", "2021-12-31D", "2022-12-31D"]


def test_d2_t2_quarterly_outputs(plan):
    periods = periods_of_task(task("D2-T2"), years=[2020])
    assert [p.code for p in periods] == [
        "2020Q1",
        "2020Q2",
        "2020S1",
        "2020Q3",
        "2020Q4",
        "2020S2",
        "2020",
    ]
    from_plan_date = periods_of_task(task("D2-T2"), years=[2020], active_from=D(2020, 7, 20))
    assert [p.label_vi for p in from_plan_date] == [
        "Quý III/2020",
        "Quý IV/2020",
        "6 tháng cuối năm 2020",
        "Năm 2020",
    ]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("D1-T1", ["2021S1", "2021S2", "2021"]),  # ongoing, no period output
        ("D2-T7", ["2021"]),  # "Định kỳ theo quy định"
        ("D3-T5", ["2021S1", "2021S2", "2021"]),  # every 6 months
        ("D6-T6", ["2021Q1", "2021Q2", "2021S1", "2021Q3", "2021Q4", "2021S2", "2021"]),
        ("D8-T2", []),  # Q4/2020 only
    ],
)
def test_more_tasks_of_plan_4055_in_2021(plan, key, expected):
    assert [p.code for p in periods_of_task(task(key), years=[2021])] == expected


def test_every_task_of_plan_4055_has_periods_in_2020(plan):
    counts = {t.key: len(periods_of_task(t, years=[2020])) for t in plan.tasks.all()}
    assert len(counts) == 39
    assert sorted(set(counts.values())) == [1, 3, 7]
