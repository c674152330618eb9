import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from papitrack.calendars.enums import CalendarDayKind, PeriodKind, ReportingLevel
from papitrack.calendars.models import SWAP_ON_WEEKDAY, CalendarDay, DueDateRule
from papitrack.calendars.services import NO_YEARS, seed_calendar
from papitrack.calendars.sources import PACKAGE_SOURCE, vietnam_special_days

from .conftest import SEED_TODAY, SEEDED_YEARS

D = datetime.date
pytestmark = pytest.mark.django_db


def test_seeding_stores_every_package_day_and_the_default_rules(seeded):
    assert seeded == len(vietnam_special_days(SEEDED_YEARS)) + 25
    assert CalendarDay.objects.count() == len(vietnam_special_days(SEEDED_YEARS))
    assert DueDateRule.objects.count() == 25


def test_seeding_twice_changes_nothing(seeded):
    before = list(CalendarDay.objects.values())
    assert seed_calendar(years=SEEDED_YEARS, today=SEED_TODAY) == 0
    assert list(CalendarDay.objects.values()) == before


def test_seeded_days_are_named_in_vietnamese(seeded):
    rows = CalendarDay.objects.filter(date__in=[D(2020, 1, 25), D(2025, 4, 26), D(2025, 5, 2)])
    assert [(row.date, row.kind, row.name, row.source) for row in rows] == [
        (D(2020, 1, 25), CalendarDayKind.DAY_OFF, "Tết Nguyên Đán", PACKAGE_SOURCE),
        (
            D(2025, 4, 26),
            CalendarDayKind.WORKING_DAY_SWAP,
            "Làm việc bù cho ngày nghỉ 02/05/2025",
            PACKAGE_SOURCE,
        ),
        (
            D(2025, 5, 2),
            CalendarDayKind.DAY_OFF,
            "Ngày nghỉ (thay cho ngày 26/04/2025)",
            PACKAGE_SOURCE,
        ),
    ]
    assert str(rows[0]) == "25/01/2020 Tết Nguyên Đán"


def test_swaps_of_every_seeded_year(seeded):
    swaps = CalendarDay.objects.filter(kind=CalendarDayKind.WORKING_DAY_SWAP)
    # 5/1/2019 was worked for 31/12/2018, which the previous year's notice gave.
    assert list(swaps.values_list("date", "name")) == [
        (D(2019, 1, 5), "Làm việc bù cho ngày nghỉ 31/12/2018"),
        (D(2019, 5, 4), "Làm việc bù cho ngày nghỉ 29/04/2019"),
        (D(2024, 5, 4), "Làm việc bù cho ngày nghỉ 29/04/2024"),
        (D(2025, 4, 26), "Làm việc bù cho ngày nghỉ 02/05/2025"),
        (D(2026, 8, 22), "Làm việc bù cho ngày nghỉ 31/08/2026"),
    ]


def test_past_years_are_confirmed_and_the_current_year_on_is_provisional(seeded):
    confirmed = set(CalendarDay.objects.filter(confirmed=True).dates("date", "year"))
    provisional = set(CalendarDay.objects.filter(confirmed=False).dates("date", "year"))
    assert {day.year for day in confirmed} == set(range(2019, 2026))
    assert {day.year for day in provisional} == {2026, 2027}


def test_a_year_later_the_provisional_year_becomes_confirmed(seeded):
    written = seed_calendar(years=SEEDED_YEARS, today=D(2027, 1, 5))
    assert written == CalendarDay.objects.filter(date__year=2026).count()
    assert not CalendarDay.objects.filter(date__year=2026, confirmed=False).exists()


def test_edited_and_confirmed_rows_are_kept(seeded):
    CalendarDay.objects.filter(date=D(2027, 2, 4)).update(
        source="Thông báo 1234/TB-BNV", name="Nghỉ Tết (theo thông báo)"
    )
    CalendarDay.objects.filter(date=D(2026, 11, 24)).update(confirmed=True, name="Ngày Văn hóa")
    rule = DueDateRule.objects.get(period_kind=PeriodKind.QUARTER, level=ReportingLevel.COMMUNE)
    rule.offset_working_days = 3
    rule.save()
    assert seed_calendar(years=SEEDED_YEARS, today=SEED_TODAY) == 0
    assert CalendarDay.objects.get(date=D(2027, 2, 4)).name == "Nghỉ Tết (theo thông báo)"
    assert CalendarDay.objects.get(date=D(2026, 11, 24)).name == "Ngày Văn hóa"
    rule.refresh_from_db()
    assert rule.offset_working_days == 3


def test_a_provisional_package_row_is_brought_up_to_date(seeded):
    CalendarDay.objects.filter(date=D(2027, 2, 4)).update(name="old", source="holidays 0.100")
    assert seed_calendar(years=SEEDED_YEARS, today=SEED_TODAY) == 1
    row = CalendarDay.objects.get(date=D(2027, 2, 4))
    assert (row.name, row.source) == ("29 Tết", PACKAGE_SOURCE)


def test_a_day_the_package_dropped_is_deleted_unless_someone_vouched_for_it(seeded):
    CalendarDay.objects.create(
        date=D(2027, 3, 3), kind=CalendarDayKind.DAY_OFF, name="x", source="holidays 0.100"
    )
    CalendarDay.objects.create(
        date=D(2027, 3, 4), kind=CalendarDayKind.DAY_OFF, name="y", source="Quyết định 9/QĐ-UBND"
    )
    assert seed_calendar(years=SEEDED_YEARS, today=SEED_TODAY) == 1
    assert list(
        CalendarDay.objects.filter(date__month=3, date__year=2027).values_list("name", flat=True)
    ) == ["y"]


def test_seeding_one_year_leaves_the_others_alone(seeded):
    assert seed_calendar(years=range(2030, 2031), today=SEED_TODAY) == len(
        vietnam_special_days(range(2030, 2031))
    )
    assert CalendarDay.objects.filter(date__year=2020).count() == 12


def test_seeding_no_year_is_refused(db):
    with pytest.raises(ValidationError) as error:
        seed_calendar(years=range(2020, 2020))
    assert error.value.messages == [NO_YEARS]


def test_a_swapped_working_day_must_be_a_weekend_day(db):
    row = CalendarDay(
        date=D(2025, 4, 25), kind=CalendarDayKind.WORKING_DAY_SWAP, name="x", source="test"
    )
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert error.value.message_dict == {"date": [SWAP_ON_WEEKDAY]}


def test_due_date_rule_text(seeded):
    rule = DueDateRule.objects.get(period_kind=PeriodKind.YEAR, level=ReportingLevel.DOHA)
    assert str(rule) == "Năm, Sở Nội vụ (tổng hợp, trình UBND tỉnh): 10 ngày làm việc"


def test_command_seeds_the_given_years(db, capsys):
    call_command("seed_calendar", "--from", "2020", "--to", "2020")
    assert capsys.readouterr().out == "Lịch làm việc 2020–2020: đã ghi 37 dòng.\n"
    assert CalendarDay.objects.count() == 12


def test_command_refuses_an_empty_range(db):
    with pytest.raises(Exception, match="Cần ít nhất một năm"):
        call_command("seed_calendar", "--from", "2021", "--to", "2020")
