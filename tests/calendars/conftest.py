import datetime

import pytest

from papitrack.calendars.queries import load_working_calendar
from papitrack.calendars.services import seed_calendar

SEEDED_YEARS = range(2019, 2028)
# The clock for seeding: days of 2019–2025 are stored as confirmed, 2026 on provisional.
SEED_TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def seeded(db: None) -> int:
    return seed_calendar(years=SEEDED_YEARS, today=SEED_TODAY)


@pytest.fixture
def working_calendar(seeded: int):
    return load_working_calendar()
