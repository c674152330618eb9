"""Project-wide middleware: request-size limit, security headers, session expiry.

Settings are read per request (not at import) so that tests can override them.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, JsonResponse

TOO_LARGE = (
    "Yêu cầu quá lớn ({size} MB); hệ thống chỉ nhận tối đa {limit} MB mỗi lần gửi. "
    "Hãy gửi ít tệp hơn trong một lần hoặc giảm dung lượng tệp."
)
SESSION_EXPIRED = "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."

# Everything the pages use is served by the application itself (Bootstrap, ECharts, our own
# scripts), so "self" is enough. Bootstrap's form controls draw their arrows and ticks with
# data: SVG images in its CSS, hence img-src data:.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# No page needs the camera, the microphone, location or payments.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)

# Session keys of SessionExpiryMiddleware: when the session logged in, when it was last used.
SESSION_STARTED_AT = "papitrack_session_started_at"
SESSION_LAST_SEEN_AT = "papitrack_session_last_seen_at"
# Writing the last-seen time on every request would save the session on every request;
# once a minute is precise enough for an idle limit counted in tens of minutes.
LAST_SEEN_RESOLUTION_SECONDS = 60

Middleware = Callable[[HttpRequest], HttpResponse]


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body exceeds PAPITRACK_MAX_REQUEST_BYTES with 413.

    It runs before anything reads the body (CSRF, forms, the API), so an oversize upload is
    refused without parsing it. Django caps form fields, not the total upload; the reverse
    proxy's client_max_body_size is the first line, this is the second.
    """

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(settings.PAPITRACK_MAX_REQUEST_BYTES)
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        if size > limit:
            message = TOO_LARGE.format(
                size=_megabytes(size), limit=_megabytes(limit).removesuffix(",0")
            )
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "errors": [message]}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


class SecurityHeadersMiddleware:
    """Add Content-Security-Policy and Permissions-Policy to every response.

    Django's SecurityMiddleware covers HSTS, nosniff, the referrer policy and COOP.
    """

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def start_session_clock(request: HttpRequest) -> None:
    """Mark the session as just signed in; call right after django.contrib.auth.login()."""
    now = time.time()
    request.session[SESSION_STARTED_AT] = now
    request.session[SESSION_LAST_SEEN_AT] = now


class SessionExpiryMiddleware:
    """Log out a browser session idle for SESSION_IDLE_TIMEOUT or older than SESSION_COOKIE_AGE.

    Django alone gives one of the two: SESSION_COOKIE_AGE counted from the last save. Saving
    the last-seen time would push that back on every request, so the absolute limit is kept
    here from the sign-in time that the sign-in views store (start_session_clock). A session
    without it (signed in before this existed, or by a test's force_login) is left alone
    rather than written to on every first request. Bearer-token API calls carry no session
    and are not affected (their tokens expire on their own).
    """

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        started = session.get(SESSION_STARTED_AT)
        last_seen = session.get(SESSION_LAST_SEEN_AT)
        if session.get(SESSION_KEY) is not None and started and last_seen:
            now = time.time()
            if (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
                messages.warning(request, SESSION_EXPIRED)
            elif now - last_seen > LAST_SEEN_RESOLUTION_SECONDS:
                session[SESSION_LAST_SEEN_AT] = now
        return self.get_response(request)
