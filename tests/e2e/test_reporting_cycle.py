"""Issue 3 walkthrough in a browser: a commune reports, its district returns, it corrects,
the district approves, and the approved report can no longer be edited."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.reports.helpers import PNG

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def open_report(page, live_server, report_id: int) -> None:
    page.goto(f"{live_server.url}/reports/{report_id}/")
    page.wait_for_load_state("domcontentloaded")


def switch_user(page, login, username: str):
    page.context.clear_cookies()
    return login(username)


def test_commune_report_is_returned_corrected_and_approved(login, live_server, page):
    from papitrack.reports.models import Report

    page = login("demo-commune")
    report = Report.objects.get(task__key="D2-T2", unit__code="20605", period__code="2020Q4")
    open_report(page, live_server, report.pk)
    page.locator("input[type=radio][value='yes']").first.check(force=True)
    page.locator("input[type=file]").first.set_input_files(
        {"name": "anh-niem-yet.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.get_by_label("Kết quả đạt được").fill("Đã niêm yết danh sách hộ nghèo tại trụ sở xã.")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_text("Đã gửi, chờ duyệt").first).to_be_visible()
    expect(page.get_by_text("anh-niem-yet.png").first).to_be_visible()

    page = switch_user(page, login, "demo-district")
    open_report(page, live_server, report.pk)
    page.get_by_label("Ý kiến").fill("Ảnh chưa rõ, đề nghị bổ sung nội dung niêm yết.")
    page.get_by_role("button", name="Trả lại").click()
    expect(page.get_by_text("Bị trả lại").first).to_be_visible()

    page = switch_user(page, login, "demo-commune")
    open_report(page, live_server, report.pk)
    expect(
        page.get_by_text("Ảnh chưa rõ, đề nghị bổ sung nội dung niêm yết.").first
    ).to_be_visible()
    page.get_by_label("Kết quả đạt được").fill(
        "Đã niêm yết danh sách hộ nghèo tại trụ sở xã và tại 8 thôn."
    )
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_text("Đã gửi, chờ duyệt").first).to_be_visible()

    page = switch_user(page, login, "demo-district")
    open_report(page, live_server, report.pk)
    page.get_by_role("button", name="Phê duyệt").click()
    expect(page.get_by_text("Đã phê duyệt").first).to_be_visible()

    page = switch_user(page, login, "demo-commune")
    open_report(page, live_server, report.pk)
    expect(page.get_by_text(re.compile("đã khóa")).first).to_be_visible()
    expect(page.get_by_role("button", name="Lưu", exact=True)).to_have_count(0)
    expect(page.get_by_label("Kết quả đạt được")).to_have_count(0)
    report.refresh_from_db()
    assert report.status == "approved"
    assert report.submit_count == 2
    assert report.results == "Đã niêm yết danh sách hộ nghèo tại trụ sở xã và tại 8 thôn."
