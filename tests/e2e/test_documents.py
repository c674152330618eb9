"""Issue 5 walkthrough: the coordinator drafts the 6-month report, watches it progress and
downloads the Word file (the job runs in its background thread, as in production)."""

from __future__ import annotations

import re

import pytest
from docx import Document
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coordinator_drafts_and_downloads_the_six_month_report(login, live_server):
    page = login("demo-coordinator")
    page.get_by_role("link", name="Văn bản", exact=True).click()
    page.get_by_role("link", name="Soạn báo cáo tổng hợp").click()
    expect(page.get_by_label("Kỳ báo cáo")).to_have_value("2020S2")
    page.get_by_label("Tạo cả tệp PDF").uncheck()
    page.get_by_label("Người ký").fill("Nguyễn Văn A")
    page.get_by_role("button", name="Soạn văn bản").click()

    expect(page).to_have_url(re.compile(r"/documents/jobs/\d+/$"))
    expect(page.get_by_role("progressbar")).to_be_visible()
    download_link = page.get_by_role("link", name="Tải tệp Word (.docx)")
    expect(download_link).to_be_visible(timeout=90_000)
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    with page.expect_download() as info:
        download_link.click()
    download = info.value

    assert download.suggested_filename == "bao-cao-papi-2020S2.docx"
    document = Document(str(download.path()))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "BÁO CÁO" in texts
    assert texts[texts.index("BÁO CÁO") + 1].endswith("6 tháng cuối năm 2020")
