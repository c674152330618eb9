"""Issue 4 walkthrough: the coordinator opens the dashboard, drills down from the province to
an overdue commune, and exports the table as a real XLSX file."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coordinator_drills_down_to_an_overdue_commune_and_exports_it(login, live_server):
    page = login("demo-coordinator")
    page.get_by_role("link", name="Theo dõi", exact=True).click()
    expect(
        page.get_by_role("heading", name=re.compile("Theo dõi thực hiện Kế hoạch"))
    ).to_be_visible()
    heatmap = page.locator("#heatmap")
    expect(heatmap).to_be_visible()
    expect(page.locator("#radar-chart canvas")).to_be_visible(timeout=15_000)

    heatmap.get_by_role("link", name="Duy Xuyên", exact=True).click()
    expect(page).to_have_url(re.compile(r"/monitoring/completeness/\?unit=508"))
    expect(page.get_by_role("heading", name=re.compile("Duy Xuyên"))).to_be_visible()

    overdue_row = (
        page.locator("table.completeness-table tbody tr")
        .filter(has=page.locator("a.text-danger"))
        .filter(has=page.locator("th a"))
        .first
    )
    commune = overdue_row.locator("th a").inner_text().strip()
    overdue_row.locator("th a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Mức độ đầy đủ và đúng hạn: {commune}"
    )
    expect(page.locator("nav[aria-label='Đường dẫn đơn vị'] li")).to_have_count(3)
    reports = page.locator("table.unit-reports tbody tr")
    expect(reports.filter(has_text="Quá hạn").first).to_be_visible()
    shown = reports.count()

    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất Excel").click()
    content = Path(download.value.path()).read_bytes()
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]

    assert download.value.suggested_filename.endswith(".xlsx")
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Kỳ", "Nhiệm vụ", "Tên nhiệm vụ", "Trạng thái"]
    assert sheet.max_row - 1 == shown
    assert sheet.freeze_panes == "A2"
    # The overdue report is exported with its state and days late, as the page shows it.
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    state, days = header.index("Tình trạng"), header.index("Số ngày trễ hạn")
    assert any(row[state] == "Quá hạn" and row[days] > 0 for row in rows)
