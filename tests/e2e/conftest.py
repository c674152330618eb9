"""Browser tests: Debian's chromium driven by Playwright against the live server.

The live server needs committed data, so these tests run in their own pytest invocation
(`make e2e`) with real transactions; each test makes sure the demo exists first, because
the previous test's teardown empties the database.
"""

from __future__ import annotations

from typing import Any

import pytest

DEMO_PASSWORD = "papitrack-demo"


@pytest.fixture
def demo(transactional_db: None) -> None:
    from papitrack.demo.builders import build_demo_accounts, build_foundation
    from papitrack.demo.cycle import build_reporting_cycle
    from papitrack.plans.models import Plan

    if not Plan.objects.exists() or not Plan.objects.get().unit_plan_rounds.exists():
        plan = build_foundation()
        build_demo_accounts()
        build_reporting_cycle(plan=plan, seed=42)


@pytest.fixture
def login(page: Any, live_server: Any, demo: None) -> Any:
    def log_in(username: str) -> Any:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state("networkidle")
        return page

    return log_in
