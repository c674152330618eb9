"""Documents and data exchange through the API, with the permissions of the web pages.

Drafting is asynchronous: a POST queues a job (202) and starts it; the client polls
GET /documents/jobs/{id} and downloads the files when `status` is "done".
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from papitrack.accounts.models import User
from papitrack.api.auth import USER_AUTH
from papitrack.exports import queries, rules, services
from papitrack.exports.dhis2 import (
    adx_xml,
    data_value_set_json,
    mapping_to_yaml,
    parse_mapping,
    read_payload,
)
from papitrack.exports.enums import JobStatus
from papitrack.exports.files import (
    FILE_NOT_READY,
    FILE_TYPES,
    UNKNOWN_FORMAT,
    XLSX_TYPE,
    file_response,
    latest_plan,
)
from papitrack.exports.jobs import start_document_job
from papitrack.exports.models import DocumentJob, SpreadsheetImport
from papitrack.exports.tables import build_table
from papitrack.exports.xlsx import XlsxTableExporter
from papitrack.exports.xlsx_import import render_template
from papitrack.plans.models import Plan

router = Router(tags=["documents"], auth=USER_AUTH)


class ErrorOut(Schema):
    detail: str
    errors: list[str] = Field(default_factory=list)


class DocumentOptionsIn(Schema):
    issued_on: datetime.date | None = None
    authority_lines: list[str] = Field(default_factory=list, max_length=5)
    signer_name: str = Field("", max_length=120)
    recipients: list[str] = Field(default_factory=list, max_length=30)
    with_pdf: bool = True


class ConsolidatedIn(DocumentOptionsIn):
    period: str


class UnitReportIn(DocumentOptionsIn):
    unit: str
    period: str


class UnitPlanIn(DocumentOptionsIn):
    unit: str


class JobOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    progress: int
    step: str
    error: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    docx_url: str | None
    pdf_url: str | None


class IssueOut(Schema):
    row: int | None
    column: str | None
    message: str
    is_error: bool


class ChangeOut(Schema):
    child_code: str
    child_name: str
    kpi_code: str
    row: int
    old_answer: bool | None
    new_answer: bool | None
    old_reason: str
    new_reason: str
    is_new: bool


class SpreadsheetImportOut(Schema):
    id: int
    report_id: int
    file_name: str
    status: str
    report_version: int
    created: int
    updated: int
    unchanged: int
    errors: list[IssueOut]
    warnings: list[IssueOut]
    changes: list[ChangeOut]
    committed_at: datetime.datetime | None


class ImportCountOut(Schema):
    imported: int
    updated: int
    unchanged: int
    ignored: int


class ConflictOut(Schema):
    object: str
    value: str


class Dhis2SummaryOut(Schema):
    dry_run: bool
    status: str
    import_count: ImportCountOut
    reports_changed: int
    conflicts: list[ConflictOut]


ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _actor(request: HttpRequest) -> User:
    # The router's authentication guarantees a real user before any handler runs.
    assert isinstance(request.user, User)  # noqa: S101
    return request.user


def _options(body: DocumentOptionsIn) -> services.DocumentOptions:
    return services.DocumentOptions(
        issued_on=body.issued_on,
        authority_lines=tuple(line.strip() for line in body.authority_lines if line.strip()),
        signer_name=body.signer_name,
        recipients=tuple(line.strip() for line in body.recipients if line.strip()),
        with_pdf=body.with_pdf,
    )


def job_payload(job: DocumentJob) -> dict[str, Any]:
    done = job.status == JobStatus.DONE
    has_docx = getattr(job, "has_docx", None)
    has_pdf = getattr(job, "has_pdf", None)
    if has_docx is None:
        has_docx, has_pdf = bool(job.docx), bool(job.pdf)
    base = f"/api/v1/documents/jobs/{job.pk}/download?format="
    return {
        "id": job.pk,
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "progress": job.progress,
        "step": job.step,
        "error": job.error,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "docx_url": f"{base}docx" if done and has_docx else None,
        "pdf_url": f"{base}pdf" if done and has_pdf else None,
    }


def _queued(job: DocumentJob) -> Any:
    start_document_job(job.pk)
    return Status(202, job_payload(job))


@router.post(
    "/documents/consolidated-report",
    response={202: JobOut, **ERRORS},
    summary="Soạn báo cáo tổng hợp 6 tháng/năm của tỉnh (Sở Nội vụ, lãnh đạo)",
)
def draft_consolidated(request: HttpRequest, body: ConsolidatedIn) -> Any:
    actor = _actor(request)
    plan = latest_plan()
    job = services.request_consolidated_report(
        actor=actor,
        plan=plan,
        period_code=body.period,
        options=_options(body),
        issuer=queries.doha_unit(plan=plan),
    )
    return _queued(job)


@router.post(
    "/documents/unit-report",
    response={202: JobOut, **ERRORS},
    summary="Soạn báo cáo của một đơn vị cho một kỳ",
)
def draft_unit_report(request: HttpRequest, body: UnitReportIn) -> Any:
    actor = _actor(request)
    job = services.request_unit_report(
        actor=actor,
        plan=latest_plan(),
        unit_code=body.unit,
        period_code=body.period,
        options=_options(body),
    )
    return _queued(job)


@router.post(
    "/documents/unit-plan-template",
    response={202: JobOut, **ERRORS},
    summary="Soạn mẫu kế hoạch thực hiện của một đơn vị",
)
def draft_unit_plan(request: HttpRequest, body: UnitPlanIn) -> Any:
    actor = _actor(request)
    job = services.request_unit_plan_template(
        actor=actor, plan=latest_plan(), unit_code=body.unit, options=_options(body)
    )
    return _queued(job)


@router.get(
    "/documents/jobs/{job_id}",
    response={200: JobOut, 404: ErrorOut},
    summary="Tiến độ soạn văn bản (của chính người yêu cầu)",
)
def get_job(request: HttpRequest, job_id: int) -> dict[str, Any]:
    return job_payload(queries.get_job_for_user(request.user, job_id, files=False))


@router.get(
    "/documents/jobs/{job_id}/download",
    response={200: None, 404: ErrorOut},
    summary="Tải văn bản đã soạn (format=docx hoặc pdf)",
)
def download_job(request: HttpRequest, job_id: int, format: str = "docx") -> HttpResponse:
    job = queries.get_job_for_user(request.user, job_id)
    content = job.docx if format == "docx" else job.pdf if format == "pdf" else None
    if format not in FILE_TYPES or not content:
        raise Http404(FILE_NOT_READY)
    return file_response(
        bytes(content), name=f"{job.file_stem}.{format}", content_type=FILE_TYPES[format]
    )


# --- Excel in -------------------------------------------------------------------------------


def import_payload(found: SpreadsheetImport) -> dict[str, Any]:
    summary = found.summary
    return {
        "id": found.pk,
        "report_id": found.report_id,
        "file_name": found.file_name,
        "status": found.status,
        "report_version": found.report_version,
        "created": summary.get("created", 0),
        "updated": summary.get("updated", 0),
        "unchanged": summary.get("unchanged", 0),
        "errors": summary.get("errors", []),
        "warnings": summary.get("warnings", []),
        "changes": summary.get("changes", []),
        "committed_at": found.committed_at,
    }


@router.get(
    "/reports/{report_id}/spreadsheet-template",
    response={200: None, 404: ErrorOut},
    summary="Mẫu Excel một dòng cho mỗi đơn vị trực thuộc (điền sẵn kết quả hiện có)",
)
def spreadsheet_template(request: HttpRequest, report_id: int) -> HttpResponse:
    report = queries.get_spreadsheet_report_for_user(request.user, report_id)
    template = queries.spreadsheet_template_for(report=report)
    if template is None:
        raise Http404(services.NO_TEMPLATE)
    return file_response(
        render_template(template), name=f"{template.file_stem}.xlsx", content_type=XLSX_TYPE
    )


@router.post(
    "/reports/{report_id}/spreadsheet-imports",
    response={201: SpreadsheetImportOut, **ERRORS},
    summary="Tải lên tệp Excel đã điền: kiểm tra thử (không ghi), trả về lỗi theo dòng, cột",
)
def check_spreadsheet(request: HttpRequest, report_id: int, file: File[UploadedFile]) -> Any:
    report = queries.get_spreadsheet_report_for_user(request.user, report_id)
    checked = services.check_spreadsheet(
        report=report, actor=_actor(request), file_name=file.name or "", content=file.read()
    )
    return Status(201, import_payload(checked))


@router.post(
    "/spreadsheet-imports/{import_id}/commit",
    response={200: SpreadsheetImportOut, **ERRORS},
    summary="Ghi tệp đã kiểm tra vào báo cáo (tất cả hoặc không gì cả)",
)
def commit_spreadsheet(request: HttpRequest, import_id: int) -> dict[str, Any]:
    found = queries.get_import_for_user(request.user, import_id)
    committed = services.commit_spreadsheet(import_id=found.pk, actor=_actor(request))
    return import_payload(committed)


# --- DHIS2 ----------------------------------------------------------------------------------


def _dhis2_plan(request: HttpRequest) -> Plan:
    actor = _actor(request)
    if not rules.can_exchange_with_dhis2(actor):
        raise PermissionDenied(services.DHIS2_NOT_ALLOWED_AT_ALL)
    return latest_plan()


@router.get(
    "/dhis2/mapping",
    response={200: None, 403: ErrorOut},
    summary="Tệp ánh xạ papitrack ↔ DHIS2 (YAML)",
)
def dhis2_mapping(request: HttpRequest) -> HttpResponse:
    plan = _dhis2_plan(request)
    mapping = queries.current_dhis2_mapping(plan=plan)
    names = queries.default_dhis2_mapping(plan=plan)[1]
    return file_response(
        mapping_to_yaml(mapping, unit_names=names).encode(),
        name="papitrack-dhis2-mapping.yaml",
        content_type="application/yaml; charset=utf-8",
    )


@router.get(
    "/dhis2/data-values",
    response={200: None, 403: ErrorOut, 404: ErrorOut},
    summary="Số liệu đã phê duyệt dạng DHIS2 (format=json: dataValueSets; format=adx: ADX XML)",
)
def dhis2_export(
    request: HttpRequest,
    format: str = "json",
    period: str | None = None,
) -> HttpResponse:
    plan = _dhis2_plan(request)
    if format not in {"json", "adx"}:
        raise Http404(UNKNOWN_FORMAT)
    mapping = queries.current_dhis2_mapping(plan=plan)
    result = queries.dhis2_export_values(
        plan=plan, mapping=mapping, period_codes=[period] if period else None
    )
    if format == "adx":
        return file_response(
            adx_xml(result, mapping=mapping, exported=timezone.now()),
            name="papitrack-dhis2.adx.xml",
            content_type="application/adx+xml",
        )
    return file_response(
        data_value_set_json(result, mapping=mapping),
        name="papitrack-dhis2.json",
        content_type="application/json",
    )


@router.post(
    "/dhis2/data-values",
    response={200: Dhis2SummaryOut, **ERRORS},
    summary="Nhập số liệu DHIS2 (JSON hoặc ADX), tùy chọn tệp ánh xạ; dry_run=true để chạy thử",
)
def dhis2_import(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = True,
    # Optional: the shipped mapping is used without one.
    mapping: File[UploadedFile] = None,  # type: ignore[assignment]
) -> dict[str, Any]:
    plan = _dhis2_plan(request)
    loaded = (
        parse_mapping(mapping.read().decode("utf-8", "replace"))
        if mapping is not None
        else queries.current_dhis2_mapping(plan=plan)
    )
    if (file.size or 0) > 20 * 1024 * 1024:
        raise ValidationError("Tệp quá lớn; tối đa 20 MB.")
    summary = services.import_dhis2_values(
        actor=_actor(request),
        plan=plan,
        mapping=loaded,
        values=read_payload(file.read()),
        dry_run=dry_run,
    )
    return summary.as_dict()


# --- Excel out ------------------------------------------------------------------------------


@router.get(
    "/exports/{name}",
    response={200: None, 403: ErrorOut, 404: ErrorOut},
    summary="Xuất bảng ra Excel: tasks, kpi-values (?period=), scores (?year=), audit",
)
def export_table(request: HttpRequest, name: str) -> HttpResponse:
    table = build_table(_actor(request), name, request.GET)
    exporter = XlsxTableExporter()
    return file_response(
        exporter.render(table),
        name=f"papitrack-{name}.xlsx",
        content_type=exporter.content_type,
    )
