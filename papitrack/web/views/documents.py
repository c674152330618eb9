"""Documents and data exchange: drafted reports and plans, Excel in and out, DHIS2.

Every write goes through papitrack/exports/services/. Documents are drafted in the
background (papitrack/exports/jobs.py): the form creates a job and sends the user to its
page, whose script polls the job's status and offers the files when they are ready.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from papitrack.accounts.models import User
from papitrack.accounts.rules import is_coordinator
from papitrack.exports import queries, rules, services
from papitrack.exports.dhis2 import (
    adx_xml,
    data_value_set_json,
    mapping_to_yaml,
    parse_mapping,
    read_payload,
)
from papitrack.exports.enums import ImportStatus, JobStatus
from papitrack.exports.files import (
    FILE_NOT_READY,
    FILE_TYPES,
    UNKNOWN_FORMAT,
    XLSX_TYPE,
    file_response,
)
from papitrack.exports.jobs import start_document_job
from papitrack.exports.models import DocumentJob
from papitrack.exports.tables import TABLE_NAMES, build_table
from papitrack.exports.xlsx import XlsxTableExporter
from papitrack.exports.xlsx_import import render_template
from papitrack.reports.services import StaleVersionError
from papitrack.web.fetch import get_latest_plan_for_user
from papitrack.web.forms_documents import (
    DEFAULT_CONSOLIDATED_RECIPIENTS,
    DEFAULT_CONSOLIDATED_SIGNATURE,
    DEFAULT_UNIT_RECIPIENTS,
    Dhis2ImportForm,
    PeriodDocumentForm,
    SpreadsheetUploadForm,
    UnitDocumentForm,
    UnitReportForm,
)

NOT_ALLOWED_CONSOLIDATED = (
    "Chỉ Sở Nội vụ (điều phối) và lãnh đạo tỉnh được soạn báo cáo tổng hợp của tỉnh."
)
NOT_ALLOWED_DHIS2 = "Chỉ Sở Nội vụ (điều phối) được trao đổi dữ liệu với DHIS2."
JOB_QUEUED = "Đã nhận yêu cầu; văn bản đang được soạn."
COMMITTED = "Đã ghi {count} kết quả vào báo cáo."
NOTHING_TO_COMMIT = "Tệp không thay đổi gì so với báo cáo; báo cáo giữ nguyên."
STALE = (
    "Báo cáo đã được thay đổi sau khi tệp được kiểm tra. Hãy tải mẫu mới (đã gồm số liệu hiện "
    "tại) hoặc tải lại tệp để kiểm tra lại."
)
MAX_DHIS2_BYTES = 20 * 1024 * 1024


def _actor(request: HttpRequest) -> User:
    # login_required has run, so the user is a real account.
    assert isinstance(request.user, User)  # noqa: S101
    return request.user


def _period_choices(request: HttpRequest) -> list[tuple[str, str]]:
    plan = get_latest_plan_for_user(request.user)
    return [(period.code, period.label) for period in queries.document_periods(plan=plan)]


def _default_period(choices: list[tuple[str, str]]) -> str | None:
    """The latest half year or year: what a 6-month or annual report is written for."""
    codes = [code for code, _ in choices]
    halves = [code for code in codes if "S" in code or code.isdigit()]
    return halves[-1] if halves else (codes[-1] if codes else None)


def _options_of(data: dict[str, Any]) -> services.DocumentOptions:
    return services.DocumentOptions(
        issued_on=data.get("issued_on"),
        authority_lines=tuple(data.get("authority_lines") or ()),
        signer_name=data.get("signer_name", ""),
        recipients=tuple(data.get("recipients") or ()),
        with_pdf=bool(data.get("with_pdf")),
    )


def _queued(request: HttpRequest, job: DocumentJob) -> HttpResponse:
    start_document_job(job.pk)
    messages.success(request, JOB_QUEUED)
    return redirect("web:document_job", job_id=job.pk)


def _form_errors(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# --- the hub --------------------------------------------------------------------------------


@require_safe
@login_required
def documents(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    return render(
        request,
        "web/documents/documents.html",
        {
            "can_consolidate": rules.can_draft_consolidated_report(user),
            "can_dhis2": rules.can_exchange_with_dhis2(user),
            "can_audit": is_coordinator(user) or user.role == "administrator",
            "jobs": list(queries.jobs_of(user)[:10]),
            "tables": TABLE_NAMES,
        },
    )


DOCUMENT_FORM_TEMPLATE = "web/documents/document_form.html"


def _document_form(
    request: HttpRequest,
    *,
    form: Any,
    title: str,
    request_job: Callable[[dict[str, Any]], DocumentJob],
) -> HttpResponse:
    """The form of one document: shown on GET; on POST the job is queued from the cleaned
    data, or the form comes back with the service's Vietnamese errors (400)."""
    if request.method != "POST":
        return render(request, DOCUMENT_FORM_TEMPLATE, {"form": form, "title": title})
    if form.is_valid():
        try:
            job = request_job(form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return _queued(request, job)
    return render(request, DOCUMENT_FORM_TEMPLATE, {"form": form, "title": title}, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def document_consolidated(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    if not rules.can_draft_consolidated_report(user):
        raise PermissionDenied(NOT_ALLOWED_CONSOLIDATED)
    plan = get_latest_plan_for_user(user)
    choices = _period_choices(request)
    initial = {
        "period": _default_period(choices),
        "authority_lines": DEFAULT_CONSOLIDATED_SIGNATURE,
        "recipients": DEFAULT_CONSOLIDATED_RECIPIENTS,
        "with_pdf": True,
    }
    data = request.POST if request.method == "POST" else None
    return _document_form(
        request,
        form=PeriodDocumentForm(data, initial=initial, periods=choices),
        title="Báo cáo tổng hợp 6 tháng, năm của tỉnh",
        request_job=lambda cleaned: services.request_consolidated_report(
            actor=user,
            plan=plan,
            period_code=cleaned["period"],
            options=_options_of(cleaned),
            issuer=queries.doha_unit(plan=plan),
        ),
    )


@require_http_methods(["GET", "POST"])
@login_required
def document_unit_report(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    plan = get_latest_plan_for_user(user)
    choices = _period_choices(request)
    data = request.POST if request.method == "POST" else None
    initial = {
        "unit": request.GET.get("unit") or (user.unit.code if user.unit else ""),
        "period": _default_period(choices),
        "recipients": DEFAULT_UNIT_RECIPIENTS,
        "with_pdf": True,
    }
    return _document_form(
        request,
        form=UnitReportForm(data, initial=initial, periods=choices),
        title="Báo cáo của đơn vị",
        request_job=lambda cleaned: services.request_unit_report(
            actor=user,
            plan=plan,
            unit_code=cleaned["unit"],
            period_code=cleaned["period"],
            options=_options_of(cleaned),
        ),
    )


@require_http_methods(["GET", "POST"])
@login_required
def document_unit_plan(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    plan = get_latest_plan_for_user(user)
    data = request.POST if request.method == "POST" else None
    initial = {
        "unit": request.GET.get("unit") or (user.unit.code if user.unit else ""),
        "recipients": DEFAULT_UNIT_RECIPIENTS,
        "with_pdf": False,
    }
    return _document_form(
        request,
        form=UnitDocumentForm(data, initial=initial),
        title="Mẫu kế hoạch thực hiện của đơn vị",
        request_job=lambda cleaned: services.request_unit_plan_template(
            actor=user,
            plan=plan,
            unit_code=cleaned["unit"],
            options=_options_of(cleaned),
        ),
    )


# --- jobs -----------------------------------------------------------------------------------


def job_state(job: DocumentJob) -> dict[str, Any]:
    """What the job page's script reads while polling."""
    finished = job.status in {JobStatus.DONE, JobStatus.FAILED}
    has_docx = getattr(job, "has_docx", None)
    has_pdf = getattr(job, "has_pdf", None)
    if has_docx is None:
        has_docx, has_pdf = bool(job.docx), bool(job.pdf)
    return {
        "id": job.pk,
        "title": job.title,
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress,
        "step": job.step,
        "error": job.error,
        "finished": finished,
        "docx_url": reverse("web:document_job_download", args=[job.pk, "docx"])
        if job.status == JobStatus.DONE and has_docx
        else None,
        "pdf_url": reverse("web:document_job_download", args=[job.pk, "pdf"])
        if job.status == JobStatus.DONE and has_pdf
        else None,
    }


@require_safe
@login_required
def document_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = queries.get_job_for_user(request.user, job_id, files=False)
    return render(
        request,
        "web/documents/document_job.html",
        {"job": job, "state": job_state(job)},
    )


@require_safe
@login_required
def document_job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    job = queries.get_job_for_user(request.user, job_id, files=False)
    return JsonResponse(job_state(job))


@require_safe
@login_required
def document_job_download(request: HttpRequest, job_id: int, file_format: str) -> HttpResponse:
    job = queries.get_job_for_user(request.user, job_id)
    content = job.docx if file_format == "docx" else job.pdf if file_format == "pdf" else None
    if file_format not in FILE_TYPES or not content:
        raise Http404(FILE_NOT_READY)
    return file_response(
        bytes(content),
        name=f"{job.file_stem}.{file_format}",
        content_type=FILE_TYPES[file_format],
    )


# --- Excel in -------------------------------------------------------------------------------


@require_safe
@login_required
def spreadsheet_reports(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    unit_code = request.GET.get("unit") if is_coordinator(user) else None
    reports = list(
        queries.spreadsheet_reports(user=user, unit_code=unit_code).select_related(
            "task", "period", "unit"
        )[:200]
    )
    return render(
        request,
        "web/documents/spreadsheet_reports.html",
        {"reports": reports, "unit_code": unit_code or "", "is_coordinator": is_coordinator(user)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def spreadsheet_report(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _actor(request)
    report = queries.get_spreadsheet_report_for_user(user, report_id)
    template = queries.spreadsheet_template_for(report=report)
    if template is None:
        raise Http404(services.NO_TEMPLATE)
    if request.GET.get("download"):
        return file_response(
            render_template(template), name=f"{template.file_stem}.xlsx", content_type=XLSX_TYPE
        )
    form = SpreadsheetUploadForm()
    status = 200
    if request.method == "POST":
        form = SpreadsheetUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                checked = services.check_spreadsheet(
                    report=report, actor=user, file_name=upload.name, content=upload.read()
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                return redirect("web:spreadsheet_import", import_id=checked.pk)
        status = 400
    return render(
        request,
        "web/documents/spreadsheet_report.html",
        {
            "report": report,
            "template": template,
            "form": form,
            "can_commit": rules.can_commit_spreadsheet(user, report),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def spreadsheet_import(request: HttpRequest, import_id: int) -> HttpResponse:
    user = _actor(request)
    checked = queries.get_import_for_user(user, import_id)
    status = 200
    if request.method == "POST":
        try:
            committed = services.commit_spreadsheet(import_id=checked.pk, actor=user)
        except StaleVersionError:
            messages.error(request, STALE)
            status = 409
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            status = 400
        else:
            changed = len(committed.summary.get("changes", []))
            messages.success(
                request, COMMITTED.format(count=changed) if changed else NOTHING_TO_COMMIT
            )
            return redirect("web:spreadsheet_import", import_id=committed.pk)
        checked = queries.get_import_for_user(user, import_id)
    return render(
        request,
        "web/documents/spreadsheet_import.html",
        {
            "checked": checked,
            "summary": checked.summary,
            "report": checked.report,
            "can_commit": checked.status == ImportStatus.CHECKED
            and rules.can_commit_spreadsheet(user, checked.report),
        },
        status=status,
    )


# --- DHIS2 ----------------------------------------------------------------------------------


def _require_dhis2(user: User) -> None:
    if not rules.can_exchange_with_dhis2(user):
        raise PermissionDenied(NOT_ALLOWED_DHIS2)


@require_http_methods(["GET", "POST"])
@login_required
def dhis2(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    _require_dhis2(user)
    plan = get_latest_plan_for_user(user)
    form = Dhis2ImportForm(initial={"dry_run": True})
    summary = None
    status = 200
    if request.method == "POST":
        form = Dhis2ImportForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                mapping_file = form.cleaned_data.get("mapping")
                mapping = (
                    parse_mapping(mapping_file.read().decode("utf-8", "replace"))
                    if mapping_file
                    else queries.current_dhis2_mapping(plan=plan)
                )
                upload = form.cleaned_data["file"]
                if upload.size > MAX_DHIS2_BYTES:
                    raise ValidationError(
                        f"Tệp quá lớn; tối đa {MAX_DHIS2_BYTES // 1024 // 1024} MB."
                    )
                values = read_payload(upload.read())
                summary = services.import_dhis2_values(
                    actor=user,
                    plan=plan,
                    mapping=mapping,
                    values=values,
                    dry_run=bool(form.cleaned_data.get("dry_run")),
                )
                status = 200
            except ValidationError as error:
                _form_errors(form, error)
    return render(
        request,
        "web/documents/dhis2.html",
        {
            "form": form,
            "summary": summary.as_dict() if summary else None,
            "periods": queries.document_periods(plan=plan),
            "plan": plan,
        },
        status=status,
    )


@require_safe
@login_required
def dhis2_export(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    _require_dhis2(user)
    plan = get_latest_plan_for_user(user)
    file_format = request.GET.get("format", "json")
    if file_format not in {"json", "adx"}:
        raise Http404(UNKNOWN_FORMAT)
    periods = [code for code in request.GET.getlist("period") if code]
    mapping = queries.current_dhis2_mapping(plan=plan)
    result = queries.dhis2_export_values(plan=plan, mapping=mapping, period_codes=periods or None)
    stamp = timezone.localdate().isoformat()
    if file_format == "adx":
        return file_response(
            adx_xml(result, mapping=mapping, exported=timezone.now()),
            name=f"papitrack-dhis2-{stamp}.adx.xml",
            content_type="application/adx+xml",
        )
    return file_response(
        data_value_set_json(result, mapping=mapping),
        name=f"papitrack-dhis2-{stamp}.json",
        content_type="application/json",
    )


@require_safe
@login_required
def dhis2_mapping(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    _require_dhis2(user)
    plan = get_latest_plan_for_user(user)
    if request.GET.get("default"):
        mapping, names = queries.default_dhis2_mapping(plan=plan)
    else:
        mapping = queries.current_dhis2_mapping(plan=plan)
        names = queries.default_dhis2_mapping(plan=plan)[1]
    return file_response(
        mapping_to_yaml(mapping, unit_names=names).encode(),
        name="papitrack-dhis2-mapping.yaml",
        content_type="application/yaml; charset=utf-8",
    )


# --- Excel out ------------------------------------------------------------------------------


@require_safe
@login_required
def table_export(request: HttpRequest, name: str) -> HttpResponse:
    table = build_table(_actor(request), name, request.GET)
    exporter = XlsxTableExporter()
    return file_response(
        exporter.render(table),
        name=f"papitrack-{name}-{timezone.localdate().isoformat()}.xlsx",
        content_type=exporter.content_type,
    )
