"""Issue 2 walkthrough: log in, open the plan overview with its radar chart, filter, open a task."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coordinator_browses_the_plan(login, live_server):
    page = login("demo-coordinator")
    expect(page.get_by_text("4055/KH-UBND").first).to_be_visible()
    page.get_by_role("link", name=re.compile("4055")).first.click()
    expect(page.locator("#radar-chart canvas")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("46,5").first).to_be_visible()
    expect(page.get_by_text("43,26").first).to_be_visible()

    page.goto(f"{page.url.rstrip('/')}/tasks/?dimension=egovernance")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(4)
    expect(page.get_by_text("IX.5").first).to_be_visible()

    page.goto(page.url.split("?")[0] + "?q=dat+dai")
    expect(page.locator("table tbody tr").first).to_be_visible()
    page.locator("table tbody tr a").first.click()
    expect(page.get_by_role("heading", name="Chủ trì theo dõi")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/tasks/\d+/$"))
