"""Vietnam's days off and swapped working days as the `holidays` package knows them.

Pure apart from reading the package: no database. `services.seed_calendar` stores the
result; tests build a `WorkingCalendar` from it without a database.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import version

import holidays

from papitrack.calendars.enums import CalendarDayKind
from papitrack.calendars.workdays import WorkingCalendar

PACKAGE_SOURCE = f"holidays {version('holidays')}"
# Every row the package produced carries this prefix, whatever the package version.
PACKAGE_SOURCE_PREFIX = "holidays "
# The package's Vietnam calendar speaks Vietnamese ("Tết Nguyên Đán", "Quốc khánh").
PACKAGE_LANGUAGE = "vi"
# How the package writes the Saturday in "Ngày nghỉ (thay cho ngày 26/04/2025)".
PACKAGE_SWAP_DATE_FORMAT = "%d/%m/%Y"
SWAP_NAME = "Làm việc bù cho ngày nghỉ {day_off}"
SWAP_NAME_UNKNOWN = "Làm việc bù"


@dataclass(frozen=True)
class SpecialDay:
    day: datetime.date
    kind: CalendarDayKind
    name: str
    source: str


def vietnam_special_days(years: Iterable[int]) -> list[SpecialDay]:
    """Return the days off and swapped working days of the given years, ordered by date.

    Days off include holidays on weekends (Tết often spans one) and the package's observed
    (nghỉ bù) and substituted days. A swap of early January can belong to the previous
    year's notice (31/12/2018 off for Saturday 5/1/2019), so neighbouring years are read
    too and only dates inside `years` are kept.
    """
    wanted = set(years)
    if not wanted:
        return []
    calendar = holidays.country_holidays(
        "VN", years=range(min(wanted) - 1, max(wanted) + 2), language=PACKAGE_LANGUAGE
    )
    days_off = {day: name for day, name in calendar.items() if day.year in wanted}
    result = [
        SpecialDay(day=day, kind=CalendarDayKind.DAY_OFF, name=name, source=PACKAGE_SOURCE)
        for day, name in days_off.items()
    ]
    for swap in calendar.weekend_workdays:
        if swap.year not in wanted or swap in days_off:
            continue  # a day off wins over a swap that the package also lists
        label = swap.strftime(PACKAGE_SWAP_DATE_FORMAT)
        # The package names the day off after the Saturday it replaces; name the swap back.
        paired = sorted(day for day, name in calendar.items() if label in name)
        name = (
            SWAP_NAME.format(day_off=paired[0].strftime(PACKAGE_SWAP_DATE_FORMAT))
            if paired
            else SWAP_NAME_UNKNOWN
        )
        result.append(
            SpecialDay(
                day=swap, kind=CalendarDayKind.WORKING_DAY_SWAP, name=name, source=PACKAGE_SOURCE
            )
        )
    return sorted(result, key=lambda special: special.day)


def calendar_from_special_days(
    days: Iterable[SpecialDay], *, confirmed_years: Iterable[int] = ()
) -> WorkingCalendar:
    days = list(days)
    return WorkingCalendar(
        days_off=frozenset(d.day for d in days if d.kind == CalendarDayKind.DAY_OFF),
        working_swaps=frozenset(d.day for d in days if d.kind == CalendarDayKind.WORKING_DAY_SWAP),
        confirmed_years=frozenset(confirmed_years),
    )
