import datetime

import pytest

from papitrack.calendars.queries import load_working_calendar
from papitrack.calendars.services import seed_calendar

SEEDED_YEARS = range(2019, 2028)
# The clock for seeding: days of 2019–2025 are stored as confirmed, 2026 on provisional.
SEED_TODAY = datetime.date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _empty_calendar(request: pytest.FixtureRequest) -> None:
    """Start from no stored days: the shared demo data seeds the calendar already."""
    if "db" not in request.fixturenames and "seeded" not in request.fixturenames:
        return
    from papitrack.calendars.models import CalendarDay, DueDateRule

    request.getfixturevalue("db")
    CalendarDay.objects.all().delete()
    DueDateRule.objects.all().delete()


@pytest.fixture
def seeded(db: None) -> int:
    return seed_calendar(years=SEEDED_YEARS, today=SEED_TODAY)


@pytest.fixture
def working_calendar(seeded: int):
    return load_working_calendar()
