"""Shared fixtures: the foundation data loaded once per test database, and three personas."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright runs an event loop in the test thread; Django must allow ORM calls from it
# (tests only, never in settings).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_LAUNCH = {
    "executable_path": "/usr/bin/chromium",
    "args": [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ],
}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's chromium, never a downloaded browser."""
    return {**browser_type_launch_args, **CHROMIUM_LAUNCH}


@pytest.fixture(scope="session", autouse=True)
def session_evidence_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Evidence files written by tests go to a temporary folder, never to the repo's var/."""
    from django.test import override_settings

    root = tmp_path_factory.mktemp("evidence")
    with override_settings(EVIDENCE_ROOT=root):
        yield root


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, django_db_blocker: Any, session_evidence_root: Path
) -> None:
    """Load the whole demo once per database: units, PAPI scores, plan 4055, demo accounts,
    and the replayed 2020 reporting cycle (tests roll back their own changes)."""
    from papitrack.demo.builders import build_demo_accounts, build_foundation
    from papitrack.demo.cycle import build_reporting_cycle

    with django_db_blocker.unblock():
        plan = build_foundation()
        build_demo_accounts()
        build_reporting_cycle(plan=plan, seed=42)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: Any) -> None:
    # The manifest storage needs collectstatic; tests and live_server use plain storage.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    # Tests roll back their writes and with them the plans' data versions, so a later test can
    # reach the same version with other data: cached figures must not outlive a test.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def plan(db: None) -> Any:
    from papitrack.plans.models import Plan

    return Plan.objects.get(code="QNA-4055-2020")


@pytest.fixture
def province_admin(db: None) -> Any:
    """Sở Nội vụ coordinator: sees everything."""
    from papitrack.accounts.models import User

    return User.objects.get(username="demo-coordinator")


@pytest.fixture
def unit_officer(db: None) -> Any:
    """A district officer: reads and writes their own unit and the units below it."""
    from papitrack.accounts.models import User

    return User.objects.get(username="demo-district")


@pytest.fixture
def outsider(db: None) -> Any:
    """Logged in, but belongs to a unit with no part in the plan's tasks."""
    from papitrack.accounts.models import User

    return User.objects.get(username="demo-outsider")


@pytest.fixture
def coordinator_client(client: Any, province_admin: Any) -> Any:
    client.force_login(province_admin)
    return client


@pytest.fixture
def user_named(db: None) -> Any:
    """Fetch a demo account by username: user_named("demo-commune")."""
    from papitrack.accounts.models import User

    return lambda username: User.objects.get(username=username)
