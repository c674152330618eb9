"""HTTP answers for generated files, shared by the web pages and the API."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from papitrack.plans.models import Plan

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FILE_TYPES = {"docx": DOCX_TYPE, "pdf": "application/pdf"}
FILE_NOT_READY = "Tệp chưa sẵn sàng."
UNKNOWN_FORMAT = "Định dạng phải là json hoặc adx."
NO_PLAN = "Chưa có kế hoạch nào."


def file_response(content: bytes, *, name: str, content_type: str) -> HttpResponse:
    """An attachment download (never rendered inline, never sniffed)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def latest_plan() -> Plan:
    """The plan the documents are about: the latest one (as the task pages choose)."""
    plan = Plan.objects.select_related("issuer", "index").order_by("-issued_on", "-pk").first()
    if plan is None:
        raise Http404(NO_PLAN)
    return plan
