"""Data entry for every KPI kind of the appendix, with the Vietnamese messages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from papitrack.reports import services
from papitrack.reports.evidence import check_evidence_file, sanitise_filename
from papitrack.reports.services import KpiValueInput, ReportEdit
from tests.reports.helpers import PNG, report_for

pytestmark = pytest.mark.django_db


def save(report, user, *values, children=(), narrative=None):
    return services.save_report(
        report_id=report.pk,
        actor=user,
        version=report.version,
        edit=ReportEdit(
            values=list(values), child_answers=list(children), narrative=narrative or {}
        ),
    )


def submit_errors(report, user):
    with pytest.raises(ValidationError) as error:
        services.submit_report(report_id=report.pk, actor=user, version=report.version)
    return error.value.messages


def test_ratio_numerator_above_denominator_is_refused(user_named):
    report = report_for("D5-T6", "20605", period="2020S2")  # land dossiers on time / resolved
    with pytest.raises(ValidationError) as error:
        save(
            report,
            user_named("demo-commune"),
            KpiValueInput("D5-T6-K1", numerator=Decimal(12), denominator=Decimal(10)),
        )
    assert error.value.messages == ["Chỉ tiêu D5-T6-K1: tử số (12) không được lớn hơn mẫu số (10)."]


def test_negative_and_fractional_counts_are_refused(user_named):
    report = report_for("D2-T7", "20605", period="2020")  # dialogues a year
    with pytest.raises(ValidationError, match="không được âm"):
        save(report, user_named("demo-commune"), KpiValueInput("D2-T7-K1", count=Decimal(-1)))
    with pytest.raises(ValidationError, match="phải là số nguyên"):
        save(report, user_named("demo-commune"), KpiValueInput("D2-T7-K1", count=Decimal("1.5")))


def test_ratio_needs_both_numbers_and_results_before_submit(user_named):
    commune = user_named("demo-commune")
    report = save(
        report_for("D5-T6", "20605", period="2020S2"),
        commune,
        KpiValueInput("D5-T6-K1", numerator=Decimal(5)),
    )
    errors = submit_errors(report, commune)
    assert "Chỉ tiêu D5-T6-K1: cần nhập cả tử số và mẫu số." in errors
    assert "Chưa nhập phần «Kết quả đạt được»." in errors


def test_yes_needs_evidence_and_no_needs_a_reason(user_named):
    commune = user_named("demo-commune")
    report = save(
        report_for("D2-T2", "20605"),
        commune,
        KpiValueInput("D2-T2-K1", answer=True),
        narrative={"results": "x"},
    )
    assert submit_errors(report, commune) == [
        "Chỉ tiêu D2-T2-K1: đã thực hiện thì phải có minh chứng (tệp hoặc đường dẫn)."
    ]
    report = save(report, commune, KpiValueInput("D2-T2-K1", answer=False))
    assert submit_errors(report, commune) == [
        "Chỉ tiêu D2-T2-K1: chưa thực hiện thì phải ghi lý do."
    ]
    report = save(report, commune, KpiValueInput("D2-T2-K1", answer=True))
    services.add_evidence(
        report_id=report.pk, actor=commune, kpi_code="D2-T2-K1", file_name="a.png", content=PNG
    )
    report.refresh_from_db()
    assert (
        services.submit_report(report_id=report.pk, actor=commune, version=report.version).status
        == "submitted"
    )


def test_district_answers_for_each_commune(user_named):
    district = user_named("demo-district")
    report = report_for("D2-T2", "508")
    children = services.child_units_for(report, report.task.kpis.get())
    assert len(children) >= 10
    assert {child.parent.code for child in children} == {"508"}
    answers = [services.ChildAnswerInput("D2-T2-K1", child.code, True) for child in children[:-1]]
    report = save(report, district, children=answers, narrative={"results": "Tổng hợp các xã."})
    errors = submit_errors(report, district)
    assert errors == [
        f"Chỉ tiêu D2-T2-K1: chưa có kết quả của 1 đơn vị trực thuộc ({children[-1].display_name})."
    ]
    with pytest.raises(ValidationError, match="không trực thuộc"):
        save(report, district, children=[services.ChildAnswerInput("D2-T2-K1", "20698", True)])


def test_milestone_done_needs_date_and_output(user_named):
    commune = user_named("demo-commune")
    report = report_for("D5-T3", "20605", period="2020")  # unannounced inspections: blank KPI
    report = save(
        report,
        commune,
        KpiValueInput("D5-T3-K1", milestone_status="done"),
        narrative={"results": "x"},
    )
    assert submit_errors(report, commune) == [
        "Chỉ tiêu D5-T3-K1: đã hoàn thành thì phải ghi ngày hoàn thành.",
        "Chỉ tiêu D5-T3-K1: đã hoàn thành thì phải có văn bản kết quả "
        "(số văn bản hoặc tệp minh chứng).",
    ]
    report = save(
        report,
        commune,
        KpiValueInput(
            "D5-T3-K1",
            milestone_status="done",
            completed_on=datetime.date(2020, 12, 1),
            document_number="5/BC-UBND",
        ),
    )
    assert (
        services.submit_report(report_id=report.pk, actor=commune, version=report.version).status
        == "submitted"
    )


def test_unknown_kpi_is_refused(user_named):
    with pytest.raises(ValidationError, match="không thuộc nhiệm vụ"):
        save(
            report_for("D2-T2", "20605"),
            user_named("demo-commune"),
            KpiValueInput("D9-T9-K9", count=Decimal(1)),
        )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.pdf", b"", "rỗng"),
        ("fake.pdf", b"MZ\x90\x00", "không phải loại được chấp nhận"),
        ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "quá lớn"),
    ],
)
def test_bad_evidence_files_are_refused(name, content, message):
    with pytest.raises(ValidationError, match=message):
        check_evidence_file(name=name, content=content)


def test_zip_bomb_disguised_as_docx_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "0" * 5_000_000)
    with pytest.raises(ValidationError, match="bất thường"):
        check_evidence_file(name="bomb.docx", content=buffer.getvalue())


def test_filenames_are_sanitised():
    assert sanitise_filename("../../etc/passwd") == "passwd"
    assert sanitise_filename("C:\\tmp\\bi<ên> bản?.pdf") == "biên bản.pdf"
    assert sanitise_filename("...") == "tep-minh-chung"


def test_evidence_is_stored_outside_the_web_root_under_a_random_name(user_named, settings):
    commune = user_named("demo-commune")
    report = report_for("D2-T2", "20605")
    evidence = services.add_evidence(
        report_id=report.pk, actor=commune, kpi_code="D2-T2-K1", file_name="../ảnh.png", content=PNG
    )
    assert evidence.original_name == "ảnh.png"
    stored = settings.EVIDENCE_ROOT / evidence.stored_name
    assert stored.read_bytes() == PNG
    assert not str(stored).startswith(str(settings.STATIC_ROOT))
    assert evidence.stored_name != "ảnh.png"
