"""Error pages. An unreachable database is a 503 with a clear message, not a bare 500; a
missing page or a refused one says so in Vietnamese, with the reason the view gave.

Django calls handler500 for any exception a view or middleware lets through (DEBUG off). The
page is rendered without the request's context processors: they would read the session and
the user from the very database that is down. handler404 and handler403 render with them
(the navigation stays, so the user can go on).
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

DATABASE_UNAVAILABLE = (
    "Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Dữ liệu đã lưu trước đó không bị ảnh "
    "hưởng; thao tác vừa rồi có thể chưa được lưu, hãy kiểm tra lại sau ít phút."
)
SERVER_ERROR = (
    "Hệ thống gặp lỗi khi xử lý yêu cầu. Lỗi đã được ghi lại; vui lòng thử lại hoặc báo quản "
    "trị hệ thống."
)
NOT_FOUND = "Không tìm thấy trang hoặc dữ liệu này, hoặc bạn không có quyền xem."
FORBIDDEN = "Bạn không có quyền thực hiện thao tác này."
CLIENT_ERROR_TITLES = {403: "Không có quyền truy cập", 404: "Không tìm thấy"}
# Long enough for a database restart, short enough that a user retrying by hand waits less.
RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After when the database is unreachable, else 500; JSON under /api/."""
    unavailable = isinstance(sys.exc_info()[1], DATABASE_ERRORS)
    status = 503 if unavailable else 500
    message = DATABASE_UNAVAILABLE if unavailable else SERVER_ERROR
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "errors": []}, status=status)
    else:
        response = HttpResponse(
            render_to_string("errors/server_error.html", {"status": status, "message": message}),
            status=status,
        )
    if unavailable:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _client_error(request, exception, status=404, default=NOT_FOUND)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _client_error(request, exception, status=403, default=FORBIDDEN)


def _client_error(
    request: HttpRequest, exception: Exception, *, status: int, default: str
) -> HttpResponse:
    """The view's own reason (our messages are Vietnamese), else `default`: Django's own
    reasons (no URL matched, get_object_or_404's "No Report matches the given query.") are
    English, name models and tell a user nothing, so any ASCII-only reason is replaced."""
    reason = exception.args[0] if exception.args else ""
    message = reason if isinstance(reason, str) and not reason.isascii() else default
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "errors": []}, status=status)
    context = {"status": status, "title": CLIENT_ERROR_TITLES[status], "message": message}
    return render(request, "errors/client_error.html", context, status=status)
