from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def task_by_key(plan: Any) -> Any:
    """Find a task of plan 4055 by its stable key (D2-T7), never by its printed number."""
    from papitrack.tasks.models import Task

    def find(key: str) -> Task:
        return Task.objects.get(plan=plan, key=key)

    return find
