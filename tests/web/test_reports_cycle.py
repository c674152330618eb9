"""The reporting cycle driven through the pages only, as a commune and its district do it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from papitrack.audit.models import AuditEntry
from papitrack.reports import services
from papitrack.reports.models import ChildAnswer, Report
from tests.reports.helpers import PNG, report_for, submit

pytestmark = pytest.mark.django_db

COMMUNE, DISTRICT = "20605", "508"


@pytest.fixture(autouse=True)
def _evidence_root(settings: Any, tmp_path: Any) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"


def _url(report: Report) -> str:
    return reverse("web:report_detail", args=[report.pk])


def _version(report: Report) -> str:
    return str(Report.objects.get(pk=report.pk).version)


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_commune_and_district_run_the_whole_cycle_in_the_browser(
    user_named: Any,
) -> None:
    report = report_for("D2-T6", COMMUNE)
    commune, district = Client(), Client()
    commune.force_login(user_named("demo-commune"))
    district.force_login(user_named("demo-district"))

    saved = commune.post(
        _url(report),
        {
            "version": _version(report),
            "action": "save",
            "D2-T6-K1-numerator": "12,5",
            "D2-T6-K1-denominator": "20",
            "D2-T6-K1-file": SimpleUploadedFile("ảnh niêm yết.png", PNG, "image/png"),
            "D2-T6-K1-description": "Ảnh bảng niêm yết",
            "results": "Đã công khai kế hoạch sử dụng đất tại trụ sở UBND xã.",
        },
    )
    assert (saved.status_code, saved["Location"]) == (302, _url(report))
    assert _messages(saved) == ["Đã lưu báo cáo.", "Đã thêm 1 minh chứng."]
    value = Report.objects.get(pk=report.pk).values.get()
    assert (value.numerator, value.denominator) == (Decimal("12.5"), Decimal(20))
    audit = AuditEntry.objects.filter(action="report.save", object_id=str(report.pk)).get()
    assert audit.changes == {
        "D2-T6-K1.numerator": [None, "12.5"],
        "D2-T6-K1.denominator": [None, "20"],
        "results": ["", "Đã công khai kế hoạch sử dụng đất tại trụ sở UBND xã."],
    }
    [evidence] = Report.objects.get(pk=report.pk).evidence.all()
    assert (evidence.original_name, evidence.description) == (
        "ảnh niêm yết.png",
        "Ảnh bảng niêm yết",
    )
    page = commune.get(_url(report)).content.decode()
    assert "62,5%" in page
    assert reverse("web:evidence_download", args=[evidence.pk]) in page

    sent = commune.post(_url(report), {"version": _version(report), "action": "submit"})
    assert sent.status_code == 302
    assert Report.objects.get(pk=report.pk).status == "submitted"

    no_comment = district.post(
        _url(report), {"version": _version(report), "action": "return", "comment": " "}
    )
    assert no_comment.status_code == 400
    assert no_comment.context["errors"] == [services.COMMENT_REQUIRED]
    returned = district.post(
        _url(report),
        {"version": _version(report), "action": "return", "comment": "Ghi rõ mẫu số."},
    )
    assert returned.status_code == 302
    assert Report.objects.get(pk=report.pk).status == "returned"
    assert "Ghi rõ mẫu số." in commune.get(_url(report)).content.decode()

    resent = commune.post(
        _url(report),
        {
            "version": _version(report),
            "action": "submit",
            "D2-T6-K1-numerator": "12,5",
            "D2-T6-K1-denominator": "25",
            "results": "Đã công khai kế hoạch sử dụng đất tại trụ sở UBND xã.",
        },
    )
    assert resent.status_code == 302
    assert _messages(resent) == ["Đã lưu báo cáo.", "Đã gửi báo cáo."]
    approved = district.post(_url(report), {"version": _version(report), "action": "approve"})
    assert approved.status_code == 302

    final = Report.objects.get(pk=report.pk)
    assert (final.status, final.submit_count, final.values.get().denominator) == (
        "approved",
        2,
        Decimal(25),
    )
    thread = [(t.action, t.actor.username, t.comment) for t in final.transitions.all()]
    assert thread == [
        ("submit", "demo-commune", ""),
        ("return", "demo-district", "Ghi rõ mẫu số."),
        ("submit", "demo-commune", ""),
        ("approve", "demo-district", ""),
    ]
    locked_page = commune.get(_url(report))
    html = locked_page.content.decode()
    assert "Đã phê duyệt — đã khóa." in html
    assert 'name="D2-T6-K1-numerator"' not in html
    assert "12,5 / 25 = 50,0%" in html
    locked = commune.post(
        _url(report),
        {"version": str(final.version), "action": "save", "D2-T6-K1-numerator": "1"},
    )
    assert locked.status_code == 400
    assert locked.context["errors"] == [services.LOCKED]
    assert Report.objects.get(pk=report.pk).version == final.version


def test_yes_without_evidence_is_saved_but_not_submitted(client: Client, user_named: Any) -> None:
    report = report_for("D2-T2", COMMUNE)
    client.force_login(user_named("demo-commune"))

    response = client.post(
        _url(report),
        {
            "version": str(report.version),
            "action": "submit",
            "D2-T2-K1-answer": "yes",
            "results": "Đã niêm yết danh sách hộ nghèo.",
        },
    )

    assert response.status_code == 400
    assert response.context["errors"] == [services.EVIDENCE_REQUIRED.format(code="D2-T2-K1")]
    assert response.context["done"] == ["Đã lưu báo cáo."]
    html = response.content.decode()
    assert 'value="yes" class="btn-check" id="id_D2-T2-K1-answer_0" checked' in html
    current = Report.objects.get(pk=report.pk)
    assert (current.status, current.values.get().answer) == ("draft", True)
    assert response.context["form"]["version"].value() == str(current.version)


def test_district_answers_for_each_commune(client: Client, unit_officer: Any) -> None:
    report = report_for("D2-T2", DISTRICT)
    kpi = report.task.kpis.get()
    first, second, *_ = services.child_units_for(report, kpi)
    client.force_login(unit_officer)

    response = client.post(
        _url(report),
        {
            "version": str(report.version),
            "action": "save",
            f"D2-T2-K1-{first.code}-answer": "yes",
            f"D2-T2-K1-{second.code}-answer": "no",
            f"D2-T2-K1-{second.code}-reason": "Chưa họp thôn.",
        },
    )

    assert response.status_code == 302
    answers = {
        answer.child.code: (answer.answer, answer.reason)
        for answer in ChildAnswer.objects.filter(report=report).select_related("child")
    }
    assert answers == {first.code: (True, ""), second.code: (False, "Chưa họp thôn.")}


def test_milestone_accepts_dates_and_a_document_number(client: Client, user_named: Any) -> None:
    report = report_for("D5-T3", COMMUNE, "2020S2")
    client.force_login(user_named("demo-commune"))

    response = client.post(
        _url(report),
        {
            "version": str(report.version),
            "action": "save",
            "D5-T3-K1-milestone_status": "done",
            "D5-T3-K1-completed_on": "2020-11-30",
            "D5-T3-K1-document_number": "45/BC-UBND",
            "D5-T3-K1-document_date": "02/12/2020",
        },
    )

    assert response.status_code == 302
    value = Report.objects.get(pk=report.pk).values.get()
    assert (
        value.milestone_status,
        value.completed_on,
        value.document_number,
        value.document_date,
    ) == ("done", datetime.date(2020, 11, 30), "45/BC-UBND", datetime.date(2020, 12, 2))


def test_coordinator_reopens_an_approved_report_with_a_reason(
    client: Client, user_named: Any, province_admin: Any
) -> None:
    report = submit(report_for("D2-T2", COMMUNE), user_named("demo-commune"))
    report = services.approve_report(
        report_id=report.pk, actor=user_named("demo-district"), version=report.version
    )
    client.force_login(province_admin)

    page = client.get(_url(report)).content.decode()
    no_reason = client.post(_url(report), {"version": str(report.version), "action": "reopen"})
    reopened = client.post(
        _url(report),
        {"version": str(report.version), "action": "reopen", "reason": "Sai số hộ nghèo."},
    )

    assert "Mở lại báo cáo đã phê duyệt" in page
    assert no_reason.status_code == 400
    assert no_reason.context["errors"] == [services.REASON_FOR_REOPEN]
    assert reopened.status_code == 302
    assert Report.objects.get(pk=report.pk).status == "returned"


def test_a_wrong_file_type_is_refused_and_the_values_are_kept(
    client: Client, user_named: Any
) -> None:
    report = report_for("D2-T6", COMMUNE)
    client.force_login(user_named("demo-commune"))

    response = client.post(
        _url(report),
        {
            "version": str(report.version),
            "action": "save",
            "D2-T6-K1-numerator": "3",
            "D2-T6-K1-denominator": "4",
            "D2-T6-K1-file": SimpleUploadedFile("virus.exe", b"MZ\x90\x00", "image/png"),
        },
    )

    assert response.status_code == 400
    assert "không phải loại được chấp nhận" in response.context["errors"][0]
    assert response.context["done"] == ["Đã lưu báo cáo."]
    current = Report.objects.get(pk=report.pk)
    assert (current.values.get().numerator, current.evidence.count()) == (Decimal(3), 0)
