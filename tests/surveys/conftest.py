"""Survey fixtures: the demo survey built once per test database, and small questionnaires."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def demo_survey_id(django_db_setup: None, django_db_blocker: Any) -> int:
    """Build the Quảng Nam demo survey once (import + weighting + 1,000 replicates)."""
    from papitrack.surveys.demo import build_demo_survey

    with django_db_blocker.unblock():
        return build_demo_survey(seed=42).pk


@pytest.fixture
def demo_survey(db: None, demo_survey_id: int) -> Any:
    from papitrack.surveys.models import Survey

    return Survey.objects.select_related("province", "questionnaire").get(pk=demo_survey_id)
