import datetime

import pytest

from papitrack.calendars.enums import (
    DEFAULT_OFFSETS,
    WINDOW_PERIOD_KINDS,
    PeriodKind,
    ReportingLevel,
    TaskState,
)
from papitrack.calendars.periods import (
    BAD_CODE,
    BAD_EVERY_MONTHS,
    NO_RULE,
    CutoffRule,
    DueDateRules,
    PeriodSpec,
    deadline,
    due_date,
    half_year,
    month,
    nine_months,
    period_from_code,
    periods_for_task,
    quarter,
    task_state,
    year_period,
)
from papitrack.calendars.sources import calendar_from_special_days, vietnam_special_days
from papitrack.calendars.workdays import WorkingCalendar

D = datetime.date
CALENDAR = calendar_from_special_days(vietnam_special_days(range(2019, 2028)))
RULES = DueDateRules.default()


def codes(periods: list[PeriodSpec]) -> list[str]:
    return [period.code for period in periods]


def for_task(**overrides: object) -> list[PeriodSpec]:
    arguments: dict[str, object] = {
        "timeline_kind": "ongoing",
        "timeline_year": None,
        "timeline_quarter": None,
        "timeline_month": None,
        "timeline_months": None,
        "outputs": [],
        "years": [2020],
    }
    return periods_for_task(**{**arguments, **overrides})


def test_third_quarter_2020():
    assert quarter(2020, 3) == PeriodSpec(
        code="2020Q3",
        kind=PeriodKind.QUARTER,
        year=2020,
        start=D(2020, 7, 1),
        end=D(2020, 9, 30),
        cutoff_start=D(2020, 6, 15),
        cutoff_end=D(2020, 9, 14),
        label_vi="Quý III/2020",
    )


@pytest.mark.parametrize(
    ("period", "code", "label", "start", "end", "cutoff_start", "cutoff_end"),
    [
        (
            quarter(2020, 1),
            "2020Q1",
            "Quý I/2020",
            D(2020, 1, 1),
            D(2020, 3, 31),
            D(2019, 12, 15),
            D(2020, 3, 14),
        ),
        (
            quarter(2020, 2),
            "2020Q2",
            "Quý II/2020",
            D(2020, 4, 1),
            D(2020, 6, 30),
            D(2020, 3, 15),
            D(2020, 6, 14),
        ),
        (
            quarter(2020, 4),
            "2020Q4",
            "Quý IV/2020",
            D(2020, 10, 1),
            D(2020, 12, 31),
            D(2020, 9, 15),
            D(2020, 12, 14),
        ),
        (
            half_year(2020, 1),
            "2020S1",
            "6 tháng đầu năm 2020",
            D(2020, 1, 1),
            D(2020, 6, 30),
            D(2019, 12, 15),
            D(2020, 6, 14),
        ),
        (
            half_year(2020, 2),
            "2020S2",
            "6 tháng cuối năm 2020",
            D(2020, 7, 1),
            D(2020, 12, 31),
            D(2020, 6, 15),
            D(2020, 12, 14),
        ),
        (
            nine_months(2020),
            "2020N9",
            "9 tháng năm 2020",
            D(2020, 1, 1),
            D(2020, 9, 30),
            D(2019, 12, 15),
            D(2020, 9, 14),
        ),
        (
            year_period(2020),
            "2020",
            "Năm 2020",
            D(2020, 1, 1),
            D(2020, 12, 31),
            D(2019, 12, 15),
            D(2020, 12, 14),
        ),
        (
            month(2020, 1),
            "2020M01",
            "Tháng 1/2020",
            D(2020, 1, 1),
            D(2020, 1, 31),
            D(2019, 12, 15),
            D(2020, 1, 14),
        ),
        (
            month(2020, 2),
            "2020M02",
            "Tháng 2/2020",
            D(2020, 2, 1),
            D(2020, 2, 29),
            D(2020, 1, 15),
            D(2020, 2, 14),
        ),
        (
            deadline(D(2020, 9, 30)),
            "2020-09-30D",
            "Hạn 30/9/2020",
            D(2020, 9, 30),
            D(2020, 9, 30),
            D(2020, 9, 30),
            D(2020, 9, 30),
        ),
    ],
)
def test_codes_labels_and_cutoff_windows(period, code, label, start, end, cutoff_start, cutoff_end):
    assert (period.code, period.label_vi, period.start, period.end) == (code, label, start, end)
    assert (period.cutoff_start, period.cutoff_end) == (cutoff_start, cutoff_end)


def test_calendar_quarters_make_the_window_the_period():
    period = quarter(2020, 1, rule=CutoffRule(calendar_quarters=True))
    assert (period.cutoff_start, period.cutoff_end) == (D(2020, 1, 1), D(2020, 3, 31))


def test_another_cutoff_day():
    period = quarter(2021, 1, rule=CutoffRule(end_day=20))
    assert (period.cutoff_start, period.cutoff_end) == (D(2020, 12, 21), D(2021, 3, 20))


@pytest.mark.parametrize("day", [0, 29, 31])
def test_cutoff_day_must_exist_in_every_month(day):
    with pytest.raises(ValueError, match="từ 1 đến 28"):
        CutoffRule(end_day=day)


@pytest.mark.parametrize(
    "build", [lambda: quarter(2020, 5), lambda: half_year(2020, 0), lambda: month(2020, 13)]
)
def test_period_numbers_out_of_range_are_refused(build):
    with pytest.raises(ValueError, match="phải từ 1 đến"):
        build()


@pytest.mark.parametrize(
    "period",
    [
        month(2020, 7),
        quarter(2020, 3),
        half_year(2020, 2),
        nine_months(2020),
        year_period(2020),
        deadline(D(2020, 12, 31)),
    ],
)
def test_a_code_gives_back_its_period(period):
    assert period_from_code(period.code) == period


def test_a_code_uses_the_given_cutoff_rule():
    rule = CutoffRule(calendar_quarters=True)
    assert period_from_code("2020Q3", rule=rule) == quarter(2020, 3, rule=rule)


@pytest.mark.parametrize(
    "code", ["2020Q5", "2020M13", "2020M00", "2020S3", "20Q1", "2020-02-30D", ""]
)
def test_bad_codes_are_refused(code):
    with pytest.raises(ValueError, match="không hợp lệ") as error:
        period_from_code(code)
    assert str(error.value) == BAD_CODE.format(code=code)


def test_ongoing_with_quarterly_outputs_gets_quarters_halves_and_year():
    periods = for_task(outputs=["quarterly_report", "semiannual_report", "annual_report"])
    assert codes(periods) == ["2020Q1", "2020Q2", "2020S1", "2020Q3", "2020Q4", "2020S2", "2020"]


def test_ongoing_without_period_outputs_gets_halves_and_year():
    assert codes(for_task(outputs=["results_report", "guidance_letter"])) == [
        "2020S1",
        "2020S2",
        "2020",
    ]


def test_ongoing_with_only_an_annual_report_gets_the_year():
    assert codes(for_task(outputs=["annual_report"], years=[2020, 2021])) == ["2020", "2021"]


@pytest.mark.parametrize("kind", ["periodic_regulated", "external"])
def test_external_schedules_get_the_year(kind):
    assert codes(for_task(timeline_kind=kind, outputs=["results_report"])) == ["2020"]


def test_external_schedule_keeps_the_periods_its_outputs_name():
    periods = for_task(timeline_kind="external", outputs=["semiannual_report", "annual_report"])
    assert codes(periods) == ["2020S1", "2020S2", "2020"]


def test_by_quarter_is_one_deadline_at_the_quarter_end():
    periods = for_task(
        timeline_kind="by_quarter",
        timeline_year=2020,
        timeline_quarter=3,
        outputs=["inspection_report", "quarterly_report"],
        years=[2020, 2021],
    )
    assert periods == [deadline(D(2020, 9, 30))]


def test_by_quarter_outside_the_years_gives_nothing():
    assert (
        for_task(timeline_kind="by_quarter", timeline_year=2020, timeline_quarter=4, years=[2021])
        == []
    )


def test_yearly_month_is_a_deadline_each_year():
    periods = for_task(timeline_kind="yearly_month", timeline_month=12, years=range(2020, 2023))
    assert codes(periods) == ["2020-12-31D", "2021-12-31D", "2022-12-31D"]


def test_yearly_month_adds_the_periods_its_outputs_name():
    periods = for_task(
        timeline_kind="yearly_month", timeline_month=2, outputs=["annual_report"], years=[2024]
    )
    assert codes(periods) == ["2024-02-29D", "2024"]


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        (6, ["2020S1", "2020S2", "2020"]),
        (3, ["2020Q1", "2020Q2", "2020Q3", "2020Q4", "2020"]),
        (12, ["2020"]),
        (4, ["2020-04-30D", "2020-08-31D", "2020-12-31D", "2020"]),
    ],
)
def test_every_n_months(months, expected):
    assert codes(for_task(timeline_kind="every_months", timeline_months=months)) == expected


def test_every_month_gives_twelve_months_and_the_year():
    periods = for_task(timeline_kind="every_months", timeline_months=1)
    assert codes(periods)[:2] == ["2020M01", "2020M02"]
    assert codes(periods)[-2:] == ["2020M12", "2020"]
    assert len(periods) == 13


@pytest.mark.parametrize("months", [5, 0, 24])
def test_every_n_months_must_divide_the_year(months):
    with pytest.raises(ValueError, match="không chia hết") as error:
        for_task(timeline_kind="every_months", timeline_months=months)
    assert str(error.value) == BAD_EVERY_MONTHS.format(months=months)


@pytest.mark.parametrize(
    "overrides",
    [
        {"timeline_kind": "by_quarter", "timeline_year": 2020},
        {"timeline_kind": "yearly_month"},
        {"timeline_kind": "every_months"},
    ],
)
def test_a_timeline_without_its_numbers_is_refused(overrides):
    with pytest.raises(ValueError, match="cần"):
        for_task(**overrides)


def test_unknown_timeline_kind_is_refused():
    with pytest.raises(ValueError, match="'sometimes'"):
        for_task(timeline_kind="sometimes")


def test_periods_ending_before_the_plan_are_left_out():
    periods = for_task(
        outputs=["quarterly_report", "semiannual_report", "annual_report"],
        active_from=D(2020, 7, 20),
    )
    assert codes(periods) == ["2020Q3", "2020Q4", "2020S2", "2020"]


def test_several_years_in_end_order_without_duplicates():
    periods = for_task(
        timeline_kind="every_months",
        timeline_months=6,
        outputs=["semiannual_report", "annual_report"],
        years=[2021, 2020],
    )
    assert codes(periods) == ["2020S1", "2020S2", "2020", "2021S1", "2021S2", "2021"]


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (quarter(2020, 2), D(2020, 6, 16)),
        (half_year(2020, 1), D(2020, 6, 16)),
        (nine_months(2020), D(2020, 9, 16)),
        (year_period(2020), D(2020, 12, 16)),
    ],
)
def test_commune_due_dates_match_domain_table(period, expected):
    # domain.md §4.3: due 2 working days after the cut-off.
    assert (
        due_date(period=period, level=ReportingLevel.COMMUNE, calendar=CALENDAR, rules=RULES)
        == expected
    )


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (ReportingLevel.COMMUNE, D(2020, 12, 16)),
        (ReportingLevel.DISTRICT, D(2020, 12, 18)),
        (ReportingLevel.DEPARTMENT, D(2020, 12, 22)),
        (ReportingLevel.LEAD, D(2020, 12, 22)),
        (ReportingLevel.DOHA, D(2020, 12, 28)),
    ],
)
def test_due_dates_cascade_by_level(level, expected):
    assert (
        due_date(period=year_period(2020), level=level, calendar=CALENDAR, rules=RULES) == expected
    )


@pytest.mark.parametrize(
    ("period", "level", "expected"),
    [
        # Cut-off Sunday 14/2/2021, in Tết (10–16 Feb).
        (month(2021, 2), ReportingLevel.COMMUNE, D(2021, 2, 18)),
        # Cut-off Saturday 14/2/2026, Tết 16–20 Feb.
        (month(2026, 2), ReportingLevel.COMMUNE, D(2026, 2, 24)),
        (month(2026, 2), ReportingLevel.DOHA, D(2026, 3, 6)),
        # Cut-off Wednesday 14/2/2024 is itself a Tết day.
        (month(2024, 2), ReportingLevel.COMMUNE, D(2024, 2, 16)),
        # Cut-off 14/1/2025; ten working days run across Tết 27/1–1/2.
        (month(2025, 1), ReportingLevel.DOHA, D(2025, 2, 4)),
    ],
)
def test_due_dates_across_tet(period, level, expected):
    assert due_date(period=period, level=level, calendar=CALENDAR, rules=RULES) == expected


def test_due_dates_count_a_swapped_saturday_and_skip_its_day_off():
    april = month(2025, 4, rule=CutoffRule(end_day=25))
    assert due_date(
        period=april, level=ReportingLevel.COMMUNE, calendar=CALENDAR, rules=RULES
    ) == D(2025, 4, 28)
    assert due_date(period=april, level=ReportingLevel.DOHA, calendar=CALENDAR, rules=RULES) == D(
        2025, 5, 13
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2020, 9, 30), D(2020, 9, 30)),
        (D(2023, 12, 31), D(2024, 1, 2)),
        (D(2022, 12, 31), D(2023, 1, 3)),
    ],
)
def test_a_deadline_is_due_on_its_day_or_the_next_working_day(day, expected):
    for level in ReportingLevel:
        assert (
            due_date(period=deadline(day), level=level, calendar=CALENDAR, rules=RULES) == expected
        )


def test_an_offset_of_zero_rolls_a_day_off_forward():
    rules = DueDateRules(offsets={(PeriodKind.QUARTER, ReportingLevel.COMMUNE): 0})
    # Q2 2020 cuts off on Sunday 14/6/2020.
    assert due_date(
        period=quarter(2020, 2), level="commune", calendar=WorkingCalendar(), rules=rules
    ) == D(2020, 6, 15)


def test_a_missing_rule_is_refused():
    rules = DueDateRules(offsets={})
    with pytest.raises(ValueError, match="Chưa có quy tắc") as error:
        due_date(period=quarter(2020, 2), level="commune", calendar=CALENDAR, rules=rules)
    assert str(error.value) == NO_RULE.format(kind="quarter", level="commune")


def test_default_rules_cover_every_window_kind_and_level():
    assert len(RULES.offsets) == len(WINDOW_PERIOD_KINDS) * len(ReportingLevel)
    assert {RULES.offset(PeriodKind.MONTH, level) for level in ReportingLevel} == set(
        DEFAULT_OFFSETS.values()
    )


DUE = D(2020, 9, 30)


@pytest.mark.parametrize(
    ("completed_on", "today", "expected"),
    [
        (D(2020, 9, 29), D(2020, 9, 29), TaskState.DONE_ON_TIME),
        (D(2020, 9, 30), D(2020, 10, 5), TaskState.DONE_ON_TIME),
        (D(2020, 10, 1), D(2020, 10, 1), TaskState.DONE_LATE),
        (None, D(2020, 9, 29), TaskState.IN_PROGRESS),
        (None, D(2020, 9, 30), TaskState.IN_PROGRESS),
        (None, D(2020, 10, 1), TaskState.OVERDUE),
    ],
)
def test_task_state_at_the_boundaries(completed_on, today, expected):
    assert task_state(due=DUE, completed_on=completed_on, today=today) == expected


def test_task_states_carry_the_official_wording():
    assert [state.label for state in TaskState] == [
        "Đã hoàn thành đúng hạn",
        "Đã hoàn thành nhưng quá hạn",
        "Đang thực hiện trong hạn",
        "Quá hạn",
    ]
