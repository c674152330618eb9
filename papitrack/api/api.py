"""The JSON API, version 1, mounted at /api/v1/ with its schema at /api/v1/openapi.json."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse

from papitrack.api import (
    auth,
    documents,
    monitoring,
    notifications,
    plans,
    provinces,
    reports,
    surveys,
)
from papitrack.api.base import PapitrackAPI
from papitrack.reports.services import StaleVersionError

FORBIDDEN = "Bạn không có quyền thực hiện thao tác này."
INVALID = "Dữ liệu không hợp lệ."

# PapitrackAPI: errors as {"detail", "errors"} in Vietnamese, and documented (api/base.py).
api = PapitrackAPI(
    title="papitrack API",
    version="1",
    description=(
        "API của papitrack: tỉnh, điểm PAPI công bố với thứ hạng và nhóm, kế hoạch, nhiệm vụ, "
        "kết quả đánh giá kế hoạch, và báo cáo định kỳ với quy trình gửi – trả lại – phê duyệt. "
        "Số thập phân trả về dạng chuỗi để giữ chính xác. Xem docs/api.md."
    ),
    urls_namespace="api",
    # Every operation needs a user unless its router or itself is declared PUBLIC (api/base.py).
    auth=auth.USER_AUTH,
    # The interactive docs page loads its assets from a CDN; closed intranets cannot, so it is
    # off and docs/api.md documents every endpoint instead.
    docs_url=None,
    openapi_url="/openapi.json",
)
api.add_router("", auth.router)
api.add_router("", provinces.router)
api.add_router("", plans.router)
api.add_router("", reports.router)
api.add_router("", surveys.router)
api.add_router("", notifications.router)
api.add_router("", monitoring.router)
api.add_router("", documents.router)


@api.exception_handler(StaleVersionError)
def stale_version(request: HttpRequest, error: StaleVersionError) -> HttpResponse:
    return api.create_response(
        request, {"detail": error.messages[0], "errors": error.messages}, status=409
    )


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": INVALID, "errors": error.messages}, status=422)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    detail = str(error.args[0]) if error.args else FORBIDDEN
    return api.create_response(request, {"detail": detail, "errors": []}, status=403)
