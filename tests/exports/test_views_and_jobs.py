"""The documents pages, the background job and the API, driven as users do.

Jobs are processed by calling process_document_job directly (the thread only starts once a
real transaction commits, which the test transaction never does), so the tests are
deterministic; PDFs are left out here (test_pdf.py converts with LibreOffice).
"""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document

from papitrack.audit.services import record_audit
from papitrack.exports import jobs
from papitrack.exports.enums import DocumentKind, JobStatus
from papitrack.exports.models import DocumentJob, SpreadsheetImport
from papitrack.exports.pdf import PdfConversionError
from papitrack.exports.queries import spreadsheet_template_for
from papitrack.exports.xlsx_import import DATA_SHEET, render_template
from papitrack.plans.models import Plan
from papitrack.reports.models import ChildAnswer, Report

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _job_form(**extra: Any) -> dict[str, Any]:
    return {
        "authority_lines": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
        "signer_name": "Nguyễn Văn A",
        "recipients": "UBND tỉnh (b/c);\nLưu: VT, CCHC.",
        **extra,
    }


def _latest_job() -> DocumentJob:
    return DocumentJob.objects.order_by("-pk").first()


# --- drafting through the pages -------------------------------------------------------------


def test_coordinator_drafts_the_six_month_report_and_downloads_it(user_named):
    client = _client(user_named("demo-coordinator"))

    form = client.get(reverse("web:document_consolidated"))
    response = client.post(reverse("web:document_consolidated"), _job_form(period="2020S2"))
    job = _latest_job()
    queued = client.get(reverse("web:document_job_status", args=[job.pk])).json()
    jobs.process_document_job(job.pk)
    done = client.get(reverse("web:document_job_status", args=[job.pk])).json()
    download = client.get(done["docx_url"])
    document = Document(io.BytesIO(download.content))

    assert form.status_code == 200
    assert form.context["form"].initial["period"] == "2020S2"
    assert response.status_code == 302
    assert response["Location"] == reverse("web:document_job", args=[job.pk])
    assert (job.kind, job.parameters["period"], job.with_pdf) == (
        DocumentKind.CONSOLIDATED_REPORT,
        "2020S2",
        False,
    )
    assert (queued["status"], queued["docx_url"]) == ("queued", None)
    assert (done["status"], done["progress"], done["pdf_url"]) == ("done", 100, None)
    assert download["Content-Disposition"] == 'attachment; filename="bao-cao-papi-2020S2.docx"'
    assert "BÁO CÁO" in [paragraph.text for paragraph in document.paragraphs]
    assert "SỞ NỘI VỤ" in document.tables[0].rows[0].cells[0].text


def test_leader_may_draft_but_a_district_may_not(user_named):
    leader = _client(user_named("demo-leader"))
    district = _client(user_named("demo-district"))

    assert leader.get(reverse("web:document_consolidated")).status_code == 200
    assert district.get(reverse("web:document_consolidated")).status_code == 403
    assert (
        district.post(reverse("web:document_consolidated"), _job_form(period="2020S2")).status_code
        == 403
    )
    assert not DocumentJob.objects.exists()


def test_unknown_period_is_a_form_error(user_named):
    client = _client(user_named("demo-coordinator"))

    response = client.post(reverse("web:document_consolidated"), _job_form(period="2019"))

    assert response.status_code == 400
    assert "period" in response.context["form"].errors


def test_unit_report_for_own_unit_only(user_named):
    commune = _client(user_named("demo-commune"))

    own = commune.post(reverse("web:document_unit_report"), {"unit": "20605", "period": "2020S2"})
    job = _latest_job()
    other = commune.post(reverse("web:document_unit_report"), {"unit": "20608", "period": "2020S2"})
    jobs.process_document_job(job.pk)
    job.refresh_from_db()
    document = Document(io.BytesIO(bytes(job.docx)))
    header = document.tables[0].rows[0].cells[0].text

    assert own.status_code == 302
    assert other.status_code == 403
    assert job.status == JobStatus.DONE
    assert header.split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "XÃ DUY PHÚ"]
    assert document.tables[0].rows[1].cells[0].text == "Số:       /BC-UBND"


def test_district_drafts_a_communes_report_and_the_lead_a_unit_it_reviews(user_named):
    district = _client(user_named("demo-district"))
    lead = _client(user_named("demo-lead"))
    outsider = _client(user_named("demo-outsider"))
    data = {"unit": "20605", "period": "2020S2"}

    assert district.post(reverse("web:document_unit_report"), data).status_code == 302
    assert "task_ids" not in _latest_job().parameters
    assert lead.post(reverse("web:document_unit_report"), data).status_code == 302
    lead_job = _latest_job()
    assert outsider.post(reverse("web:document_unit_report"), data).status_code == 403

    # The lead agency sees the commune's figures on the tasks it leads only.
    jobs.process_document_job(lead_job.pk)
    lead_job.refresh_from_db()
    table = next(
        table
        for table in Document(io.BytesIO(bytes(lead_job.docx))).tables
        if table.rows[0].cells[0].text == "Nhiệm vụ, chỉ tiêu"
    )
    labels = {
        row.cells[0].text.split(".")[0] + "." + row.cells[0].text.split(".")[1]
        for row in table.rows[1:]
    }
    assert labels == {"II.1", "II.2", "II.3"}


def test_unit_plan_template_lists_the_assigned_tasks(user_named):
    lead = _client(user_named("demo-lead"))

    lead.post(reverse("web:document_unit_plan"), {"unit": "QNA-SLDTBXH"})
    job = jobs.process_document_job(_latest_job().pk)
    document = Document(io.BytesIO(bytes(job.docx)))
    annex = document.tables[-1]
    texts = [paragraph.text for paragraph in document.paragraphs]

    assert job.status == JobStatus.DONE
    assert "KẾ HOẠCH" in texts
    assert [annex.rows[0].cells[index].text for index in (0, 1, 3)] == [
        "STT",
        "Nhiệm vụ (theo Kế hoạch của tỉnh)",
        "Chỉ tiêu của đơn vị",
    ]
    assert {"II.1", "II.2", "II.3"} <= {row.cells[0].text for row in annex.rows[1:]}
    assert document.tables[0].rows[1].cells[0].text == "Số:       /KH-SLĐTBXH"


def test_jobs_are_private_to_whoever_asked(user_named):
    _client(user_named("demo-commune")).post(reverse("web:document_unit_plan"), {"unit": "20605"})
    job = _latest_job()
    other = _client(user_named("demo-district"))

    assert other.get(reverse("web:document_job", args=[job.pk])).status_code == 404
    assert other.get(reverse("web:document_job_status", args=[job.pk])).status_code == 404


def test_failed_pdf_keeps_the_word_file(user_named, monkeypatch):
    _client(user_named("demo-commune")).post(
        reverse("web:document_unit_plan"), {"unit": "20605", "with_pdf": "on"}
    )

    def fail(docx: bytes) -> bytes:
        raise PdfConversionError("LibreOffice không chạy.")

    monkeypatch.setattr(jobs, "docx_to_pdf", fail)
    job = jobs.process_document_job(_latest_job().pk)

    assert (job.status, bool(job.docx), job.pdf) == (JobStatus.DONE, True, None)
    assert job.error == "Đã tạo tệp Word nhưng chưa tạo được PDF: LibreOffice không chạy."


def test_job_with_an_unknown_period_fails_cleanly(user_named):
    user = user_named("demo-coordinator")
    plan = Plan.objects.get()
    job = DocumentJob.objects.create(
        kind=DocumentKind.CONSOLIDATED_REPORT,
        parameters={"plan_id": plan.pk, "period": "1999", "issuer_unit": "QNA-SNV"},
        title="x",
        file_stem="x",
        with_pdf=False,
        requested_by=user,
    )

    done = jobs.process_document_job(job.pk)
    again = jobs.process_document_job(job.pk)

    assert (done.status, done.error) == (
        JobStatus.FAILED,
        "Không có kỳ báo cáo «1999» trong kế hoạch.",
    )
    assert again.status == JobStatus.FAILED  # a finished job is not run twice


def test_command_runs_waiting_jobs(user_named):
    _client(user_named("demo-commune")).post(reverse("web:document_unit_plan"), {"unit": "20605"})
    out = io.StringIO()

    call_command("run_document_jobs", stdout=out)

    assert _latest_job().status == JobStatus.DONE
    assert "1 văn bản đã xử lý." in out.getvalue()

    DocumentJob.objects.update(created_at=timezone.now() - datetime.timedelta(days=40))
    call_command("run_document_jobs", "--purge-days", "30", stdout=out)

    assert not DocumentJob.objects.exists()
    assert "Đã xóa 1 văn bản cũ." in out.getvalue()


# --- Excel in through the pages -------------------------------------------------------------


def test_district_uploads_checks_and_commits_through_the_pages(user_named):
    client = _client(user_named("demo-district"))
    report = Report.objects.get(task__key="D2-T1", unit__code="508", period__code="2020S2")
    url = reverse("web:spreadsheet_report", args=[report.pk])

    listing = client.get(reverse("web:spreadsheet_reports"))
    template = client.get(url + "?download=1")
    workbook = openpyxl.load_workbook(io.BytesIO(template.content))
    workbook[DATA_SHEET]["C6"] = "Có"
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = client.post(url, {"file": SimpleUploadedFile("mau.xlsx", buffer.getvalue())})
    checked = SpreadsheetImport.objects.get()
    page = client.get(upload["Location"])
    commit = client.post(upload["Location"])

    assert report in listing.context["reports"]
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    assert upload.status_code == 302
    assert page.context["summary"]["created"] == 1
    assert commit.status_code == 302
    assert ChildAnswer.objects.filter(report=report, answer=True).count() == 1
    assert SpreadsheetImport.objects.get(pk=checked.pk).status == "committed"


def test_a_refused_file_is_explained_on_the_page(user_named):
    client = _client(user_named("demo-district"))
    report = Report.objects.get(task__key="D2-T1", unit__code="508", period__code="2020S2")

    response = client.post(
        reverse("web:spreadsheet_report", args=[report.pk]),
        {"file": SimpleUploadedFile("bang.xlsx", b"%PDF-1.4 not a workbook")},
    )

    assert response.status_code == 400
    assert "không phải bảng tính Excel .xlsx" in response.content.decode()


def test_other_units_reports_are_not_found(user_named):
    report = Report.objects.get(task__key="D2-T1", unit__code="508", period__code="2020S2")
    url = reverse("web:spreadsheet_report", args=[report.pk])

    assert _client(user_named("demo-commune")).get(url).status_code == 404
    assert _client(user_named("demo-coordinator")).get(url).status_code == 200


# --- Excel out ------------------------------------------------------------------------------


def test_tables_export_with_vietnamese_headers_and_neutralised_formulas(user_named):
    coordinator = user_named("demo-coordinator")
    record_audit(
        actor=coordinator,
        action="test.note",
        target=coordinator,
        comment='=HYPERLINK("http://evil","bấm")',
    )
    client = _client(coordinator)

    tasks = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("web:table_export", args=["tasks"])).content)
    )
    audit = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("web:table_export", args=["audit"])).content)
    )
    values = openpyxl.load_workbook(
        io.BytesIO(
            client.get(reverse("web:table_export", args=["kpi-values"]) + "?period=2020Q3").content
        )
    )
    scores = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("web:table_export", args=["scores"]) + "?year=2020").content)
    )
    task_sheet = tasks.worksheets[0]
    audit_sheet = audit.worksheets[0]
    comments = [row[6] for row in audit_sheet.iter_rows(min_row=2, values_only=True)]
    value_sheet = values.worksheets[0]

    assert [cell.value for cell in task_sheet[1]][:4] == [
        "STT",
        "Mã",
        "Chỉ số nội dung",
        "Nhiệm vụ trọng tâm",
    ]
    assert task_sheet.max_row == 40
    assert task_sheet.freeze_panes == "A2"
    assert '\'=HYPERLINK("http://evil","bấm")' in comments
    assert all(cell.data_type != "f" for row in audit_sheet.iter_rows() for cell in row)
    header = [cell.value for cell in value_sheet[1]]
    assert header[6:9] == ["Tử số", "Mẫu số", "Tỷ lệ"]
    ratios = [row[8] for row in value_sheet.iter_rows(min_row=2) if row[8].value is not None]
    assert ratios
    assert {cell.number_format for cell in ratios} == {"0.0%"}
    assert scores.worksheets[0].cell(row=2, column=3).number_format == "#,##0.0000"


def test_audit_table_is_for_coordination_only(user_named):
    response = _client(user_named("demo-district")).get(reverse("web:table_export", args=["audit"]))

    assert response.status_code == 403


# --- DHIS2 through the page -----------------------------------------------------------------


def test_dhis2_page_exports_and_dry_runs_an_import(user_named):
    client = _client(user_named("demo-coordinator"))

    exported = client.get(reverse("web:dhis2_export") + "?format=adx&period=2020Q3")
    response = client.post(
        reverse("web:dhis2"),
        {"file": SimpleUploadedFile("data.xml", exported.content), "dry_run": "on"},
    )
    mapping = client.get(reverse("web:dhis2_mapping"))

    assert exported["Content-Type"] == "application/adx+xml"
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary["dry_run"] is True
    assert summary["import_count"]["imported"] == 0
    assert summary["import_count"]["unchanged"] > 100
    assert mapping.content.startswith(b"# papitrack <-> DHIS2 mapping")
    assert _client(user_named("demo-leader")).get(reverse("web:dhis2")).status_code == 403


# --- the API --------------------------------------------------------------------------------


def _api(user: Any) -> Client:
    return _client(user)


def test_api_drafts_polls_and_downloads(user_named):
    client = _api(user_named("demo-coordinator"))

    created = client.post(
        "/api/v1/documents/consolidated-report",
        json.dumps({"period": "2020", "with_pdf": False, "authority_lines": ["GIÁM ĐỐC"]}),
        content_type="application/json",
    )
    job_id = created.json()["id"]
    jobs.process_document_job(job_id)
    state = client.get(f"/api/v1/documents/jobs/{job_id}").json()
    download = client.get(state["docx_url"])

    assert created.status_code == 202
    assert created.json()["status"] == "queued"
    assert state["status"] == "done"
    assert download.status_code == 200
    texts = [p.text for p in Document(io.BytesIO(download.content)).paragraphs]
    assert texts[texts.index("BÁO CÁO") + 1].endswith("năm 2020")


def test_api_refuses_what_the_pages_refuse(user_named):
    district = _api(user_named("demo-district"))

    consolidated = district.post(
        "/api/v1/documents/consolidated-report",
        json.dumps({"period": "2020S2"}),
        content_type="application/json",
    )
    unknown = _api(user_named("demo-coordinator")).post(
        "/api/v1/documents/unit-report",
        json.dumps({"unit": "nowhere", "period": "2020S2"}),
        content_type="application/json",
    )
    dhis2 = district.get("/api/v1/dhis2/data-values")

    assert consolidated.status_code == 403
    assert unknown.status_code == 422
    assert unknown.json()["errors"] == ["Không có đơn vị mã «nowhere»."]
    assert dhis2.status_code == 403


def test_api_spreadsheet_round_trip(user_named):
    client = _api(user_named("demo-district"))
    report = Report.objects.get(task__key="D2-T2", unit__code="508", period__code="2020S2")
    template = client.get(f"/api/v1/reports/{report.pk}/spreadsheet-template")
    workbook = openpyxl.load_workbook(io.BytesIO(template.content))
    workbook[DATA_SHEET]["C6"] = "Không"
    workbook[DATA_SHEET]["D6"] = "Chưa niêm yết"
    buffer = io.BytesIO()
    workbook.save(buffer)

    checked = client.post(
        f"/api/v1/reports/{report.pk}/spreadsheet-imports",
        {"file": SimpleUploadedFile("mau.xlsx", buffer.getvalue())},
    )
    committed = client.post(f"/api/v1/spreadsheet-imports/{checked.json()['id']}/commit")
    again = client.post(f"/api/v1/spreadsheet-imports/{checked.json()['id']}/commit")

    assert template.status_code == 200
    assert checked.status_code == 201
    assert (checked.json()["created"], checked.json()["errors"]) == (1, [])
    assert committed.status_code == 200
    assert committed.json()["status"] == "committed"
    assert again.status_code == 422


def test_api_exports_a_table(user_named):
    response = _api(user_named("demo-commune")).get("/api/v1/exports/tasks")

    assert response.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0].max_row == 40


def test_template_helper_matches_the_api(user_named):
    report = Report.objects.get(task__key="D2-T2", unit__code="508", period__code="2020S2")
    template = spreadsheet_template_for(report=report)

    assert template is not None
    assert len(render_template(template)) > 4000
