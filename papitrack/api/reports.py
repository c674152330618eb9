"""Reports through the API: the same reads, edits and workflow moves as the browser UI."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Field, File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from papitrack.accounts.models import User
from papitrack.api.auth import USER_AUTH
from papitrack.api.base import MAX_OFFSET, TypedDecimal
from papitrack.api.converters import plain
from papitrack.reports import services
from papitrack.reports.enums import ReportStatus
from papitrack.reports.evidence import evidence_path
from papitrack.reports.models import Report
from papitrack.reports.queries import (
    filter_reports,
    get_evidence_for_user,
    get_report_for_user,
    permissions_for,
    reports_visible_to,
)

router = Router(tags=["reports"], auth=USER_AUTH)

MAX_PAGE = 500
FILE_MISSING = "Không tìm thấy tệp minh chứng."


class ErrorOut(Schema):
    detail: str
    errors: list[str] = Field(default_factory=list)


class KpiValueIn(Schema):
    kpi_code: str
    numerator: TypedDecimal | None = None
    denominator: TypedDecimal | None = None
    count: TypedDecimal | None = None
    answer: bool | None = None
    reason: str = ""
    milestone_status: str = ""
    completed_on: datetime.date | None = None
    document_number: str = ""
    document_date: datetime.date | None = None
    note: str = ""


class ChildAnswerIn(Schema):
    kpi_code: str
    child_code: str
    answer: bool | None = None
    reason: str = ""


class NarrativeIn(Schema):
    results: str | None = None
    shortcomings: str | None = None
    causes: str | None = None
    proposals: str | None = None
    signer_name: str | None = None


class ReportPatchIn(Schema):
    version: int
    values: list[KpiValueIn] = Field(default_factory=list)
    child_answers: list[ChildAnswerIn] = Field(default_factory=list)
    narrative: NarrativeIn | None = None


class TransitionIn(Schema):
    version: int
    comment: str = ""


class ReopenIn(Schema):
    version: int
    reason: str


class KpiValueOut(Schema):
    kpi_code: str
    kind: str
    numerator: Decimal | None
    denominator: Decimal | None
    count: Decimal | None
    answer: bool | None
    reason: str
    milestone_status: str
    completed_on: datetime.date | None
    document_number: str
    document_date: datetime.date | None
    note: str


class ChildAnswerOut(Schema):
    kpi_code: str
    child_code: str
    child_name: str
    answer: bool | None
    reason: str


class EvidenceOut(Schema):
    id: int
    kind: str
    kpi_code: str | None
    name: str
    link: str
    size: int
    content_type: str
    sha256: str
    uploaded_by: str
    uploaded_at: datetime.datetime
    download_url: str | None


class TransitionOut(Schema):
    action: str
    from_status: str
    to_status: str
    actor: str
    at: datetime.datetime
    comment: str


class PermissionsOut(Schema):
    can_edit: bool
    can_submit: bool
    can_review: bool
    can_reopen: bool


class ReportSummaryOut(Schema):
    id: int
    task_id: int
    task_key: str
    task_label: str
    dimension: str
    unit_code: str
    unit_name: str
    period: str
    period_label: str
    kind: str
    status: str
    version: int
    due_date: datetime.date
    first_submitted_at: datetime.datetime | None
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None


class ReportOut(ReportSummaryOut):
    task_title: str
    results: str
    shortcomings: str
    causes: str
    proposals: str
    signer_name: str
    values: list[KpiValueOut]
    child_answers: list[ChildAnswerOut]
    evidence: list[EvidenceOut]
    transitions: list[TransitionOut]
    permissions: PermissionsOut


def _summary(report: Report) -> dict[str, Any]:
    return {
        "id": report.id,
        "task_id": report.task_id,
        "task_key": report.task.key,
        "task_label": report.task.printed_label,
        "dimension": report.task.dimension.code,
        "unit_code": report.unit.code,
        "unit_name": report.unit.name,
        "period": report.period.code,
        "period_label": report.period.label,
        "kind": report.kind,
        "status": report.status,
        "version": report.version,
        "due_date": report.due_date,
        "first_submitted_at": report.first_submitted_at,
        "submitted_at": report.submitted_at,
        "approved_at": report.approved_at,
    }


def report_payload(user: Any, report: Report) -> dict[str, Any]:
    permissions = permissions_for(user, report)
    return {
        **_summary(report),
        "task_title": report.task.title,
        "results": report.results,
        "shortcomings": report.shortcomings,
        "causes": report.causes,
        "proposals": report.proposals,
        "signer_name": report.signer_name,
        "values": [
            {
                "kpi_code": value.kpi.code,
                "kind": value.kpi.kind,
                "numerator": plain(value.numerator),
                "denominator": plain(value.denominator),
                "count": plain(value.count),
                "answer": value.answer,
                "reason": value.reason,
                "milestone_status": value.milestone_status,
                "completed_on": value.completed_on,
                "document_number": value.document_number,
                "document_date": value.document_date,
                "note": value.note,
            }
            for value in report.values.all()
        ],
        "child_answers": [
            {
                "kpi_code": answer.kpi.code,
                "child_code": answer.child.code,
                "child_name": answer.child.name,
                "answer": answer.answer,
                "reason": answer.reason,
            }
            for answer in report.child_answers.select_related("kpi", "child")
        ],
        "evidence": [
            {
                "id": evidence.id,
                "kind": evidence.kind,
                "kpi_code": evidence.kpi.code if evidence.kpi else None,
                "name": evidence.original_name,
                "link": evidence.link,
                "size": evidence.size,
                "content_type": evidence.content_type,
                "sha256": evidence.sha256,
                "uploaded_by": evidence.uploaded_by.username,
                "uploaded_at": evidence.uploaded_at,
                "download_url": f"/api/v1/evidence/{evidence.id}/download"
                if evidence.stored_name
                else None,
            }
            for evidence in report.evidence.all()
        ],
        "transitions": [
            {
                "action": transition.action,
                "from_status": transition.from_status,
                "to_status": transition.to_status,
                "actor": transition.actor.username,
                "at": transition.at,
                "comment": transition.comment,
            }
            for transition in report.transitions.all()
        ],
        "permissions": permissions.__dict__,
    }


def _actor(request: HttpRequest) -> User:
    # The router's authentication guarantees a real user before any handler runs.
    assert isinstance(request.user, User)  # noqa: S101
    return request.user


def _fresh(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return report_payload(request.user, get_report_for_user(request.user, report_id))


ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get(
    "/reports", response=list[ReportSummaryOut], summary="Báo cáo trong phạm vi của người gọi"
)
def list_reports(
    request: HttpRequest,
    period: str | None = None,
    task: str | None = None,
    unit: str | None = None,
    status: ReportStatus | None = None,
    dimension: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> list[dict[str, Any]]:
    reports = filter_reports(
        reports_visible_to(request.user),
        period=period,
        task=task,
        unit=unit,
        status=status,
        dimension=dimension,
    ).order_by("period__end", "task__position", "unit__code")
    limit = max(1, min(limit, MAX_PAGE))
    offset = min(max(offset, 0), MAX_OFFSET)
    return [_summary(report) for report in reports[offset : offset + limit]]


@router.get("/reports/{report_id}", response={200: ReportOut, **ERRORS}, summary="Một báo cáo")
def get_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return _fresh(request, report_id)


@router.patch(
    "/reports/{report_id}",
    response={200: ReportOut, **ERRORS},
    summary="Sửa giá trị và nội dung báo cáo (kèm phiên bản; phiên bản cũ → 409)",
)
def patch_report(request: HttpRequest, report_id: int, body: ReportPatchIn) -> dict[str, Any]:
    get_report_for_user(request.user, report_id)
    narrative = {
        key: value
        for key, value in (body.narrative.dict() if body.narrative else {}).items()
        if value is not None
    }
    services.save_report(
        report_id=report_id,
        actor=_actor(request),
        version=body.version,
        edit=services.ReportEdit(
            values=[services.KpiValueInput(**value.dict()) for value in body.values],
            child_answers=[
                services.ChildAnswerInput(**answer.dict()) for answer in body.child_answers
            ],
            narrative=narrative,
        ),
    )
    return _fresh(request, report_id)


@router.post(
    "/reports/{report_id}/submit", response={200: ReportOut, **ERRORS}, summary="Gửi báo cáo"
)
def submit(request: HttpRequest, report_id: int, body: TransitionIn) -> dict[str, Any]:
    get_report_for_user(request.user, report_id)
    services.submit_report(
        report_id=report_id,
        actor=_actor(request),
        version=body.version,
        comment=body.comment,
    )
    return _fresh(request, report_id)


@router.post(
    "/reports/{report_id}/return",
    response={200: ReportOut, **ERRORS},
    summary="Trả lại báo cáo kèm ý kiến",
)
def return_(request: HttpRequest, report_id: int, body: TransitionIn) -> dict[str, Any]:
    get_report_for_user(request.user, report_id)
    services.return_report(
        report_id=report_id,
        actor=_actor(request),
        version=body.version,
        comment=body.comment,
    )
    return _fresh(request, report_id)


@router.post(
    "/reports/{report_id}/approve", response={200: ReportOut, **ERRORS}, summary="Phê duyệt báo cáo"
)
def approve(request: HttpRequest, report_id: int, body: TransitionIn) -> dict[str, Any]:
    get_report_for_user(request.user, report_id)
    services.approve_report(
        report_id=report_id,
        actor=_actor(request),
        version=body.version,
        comment=body.comment,
    )
    return _fresh(request, report_id)


@router.post(
    "/reports/{report_id}/reopen",
    response={200: ReportOut, **ERRORS},
    summary="Mở lại báo cáo đã phê duyệt (Sở Nội vụ)",
)
def reopen(request: HttpRequest, report_id: int, body: ReopenIn) -> dict[str, Any]:
    get_report_for_user(request.user, report_id)
    services.reopen_report(
        report_id=report_id,
        actor=_actor(request),
        version=body.version,
        reason=body.reason,
    )
    return _fresh(request, report_id)


@router.post(
    "/reports/{report_id}/evidence",
    response={200: ReportOut, **ERRORS},
    summary="Đính kèm minh chứng (tệp PDF/JPG/PNG/DOCX/XLSX ≤ 10 MB, hoặc đường dẫn)",
)
def upload_evidence(
    request: HttpRequest,
    report_id: int,
    kpi_code: Form[str] = "",
    description: Form[str] = "",
    link: Form[str] = "",
    # Optional upload: a link may be given instead of a file.
    file: File[UploadedFile] = None,  # type: ignore[assignment]
) -> dict[str, Any]:
    get_report_for_user(request.user, report_id)
    services.add_evidence(
        report_id=report_id,
        actor=_actor(request),
        kpi_code=kpi_code or None,
        file_name=file.name or "" if file is not None else "",
        content=file.read() if file is not None else None,
        link=link,
        description=description,
    )
    return _fresh(request, report_id)


@router.get(
    "/evidence/{evidence_id}/download",
    response={200: None, 404: ErrorOut},
    summary="Tải tệp minh chứng",
)
def download_evidence(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = get_evidence_for_user(request.user, evidence_id)
    # A link has no file, and a file may be missing on disk (e.g. after a partial restore):
    # both are "not found", as on the web page, never a server error.
    try:
        handle = evidence_path(evidence.stored_name).open("rb")
    except (OSError, ValueError) as error:
        raise HttpError(404, FILE_MISSING) from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
