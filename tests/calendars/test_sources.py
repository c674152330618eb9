import datetime

from papitrack.calendars import sources
from papitrack.calendars.enums import CalendarDayKind
from papitrack.calendars.sources import SpecialDay, vietnam_special_days

D = datetime.date


def test_tet_2026_from_the_package():
    days = [d for d in vietnam_special_days([2026]) if d.day.month == 2]
    assert [(d.day, d.name) for d in days] == [
        (D(2026, 2, 16), "Giao thừa Tết Nguyên Đán"),
        (D(2026, 2, 17), "Tết Nguyên Đán"),
        (D(2026, 2, 18), "Mùng hai Tết Nguyên Đán"),
        (D(2026, 2, 19), "Mùng ba Tết Nguyên Đán"),
        (D(2026, 2, 20), "Mùng bốn Tết Nguyên Đán"),
    ]


def test_only_the_asked_years_are_returned():
    assert {d.day.year for d in vietnam_special_days([2018, 2019])} == {2018, 2019}
    assert vietnam_special_days([]) == []


def test_a_swap_whose_day_off_cannot_be_found_keeps_a_plain_name(monkeypatch):
    monkeypatch.setattr(sources, "PACKAGE_SWAP_DATE_FORMAT", "%Y%m%d")
    swaps = [d for d in vietnam_special_days([2025]) if d.kind == CalendarDayKind.WORKING_DAY_SWAP]
    assert swaps == [
        SpecialDay(
            day=D(2025, 4, 26),
            kind=CalendarDayKind.WORKING_DAY_SWAP,
            name="Làm việc bù",
            source=sources.PACKAGE_SOURCE,
        )
    ]
