"""Error pages: a database error is a clean 503 (JSON under /api/), anything else a 500."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.test import Client

from papitrack.web.views.errors import (
    DATABASE_UNAVAILABLE,
    NOT_FOUND,
    RETRY_AFTER_SECONDS,
    SERVER_ERROR,
)

pytestmark = pytest.mark.django_db


def fail_with(error: Exception):
    def fail(*args, **kwargs):
        raise error

    return fail


@pytest.fixture
def leader_client(user_named):
    # Like a real browser: the server's error becomes a response, not a test exception.
    client = Client(raise_request_exception=False)
    client.force_login(user_named("demo-leader"))
    return client


def test_database_down_while_loading_the_session_gives_a_clean_503_page(leader_client, monkeypatch):
    monkeypatch.setattr(SessionStore, "load", fail_with(OperationalError("connection refused")))
    response = leader_client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert DATABASE_UNAVAILABLE in page
    assert "Hệ thống tạm thời gián đoạn" in page
    assert "connection refused" not in page


def test_database_connection_lost_in_a_view_gives_a_clean_503_page(leader_client, monkeypatch):
    monkeypatch.setattr(
        "papitrack.web.views.plans.plans_with_counts",
        fail_with(InterfaceError("connection already closed")),
    )
    response = leader_client.get("/")
    assert (response.status_code, DATABASE_UNAVAILABLE in response.content.decode()) == (503, True)


def test_database_down_in_the_api_gives_json_503(monkeypatch):
    monkeypatch.setattr(
        "papitrack.api.provinces._provinces",
        fail_with(OperationalError("server closed the connection unexpectedly")),
    )
    response = Client(raise_request_exception=False).get("/api/v1/provinces")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {"detail": DATABASE_UNAVAILABLE, "errors": []}


def test_other_errors_stay_500_without_details(leader_client, monkeypatch):
    monkeypatch.setattr(
        "papitrack.web.views.plans.plans_with_counts", fail_with(ValueError("secret detail"))
    )
    page = leader_client.get("/")
    assert page.status_code == 500
    assert SERVER_ERROR in page.content.decode()
    assert "secret detail" not in page.content.decode()
    assert not page.has_header("Retry-After")
    monkeypatch.setattr("papitrack.api.provinces._provinces", fail_with(KeyError("secret")))
    response = Client(raise_request_exception=False).get("/api/v1/provinces")
    assert (response.status_code, response.json()) == (500, {"detail": SERVER_ERROR, "errors": []})


def _client(user_named, username):
    client = Client(raise_request_exception=False)
    client.force_login(user_named(username))
    return client


def test_a_report_outside_the_users_unit_is_a_vietnamese_404_page(user_named):
    from papitrack.reports.models import Report

    report = Report.objects.get(task__key="D3-T1", unit__code="QNA-SGTVT", period__code="2020Q3")
    response = _client(user_named, "demo-commune").get(f"/reports/{report.pk}/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy báo cáo." in page  # the view's own reason
    assert "Not Found" not in page
    assert "Đăng xuất" in page  # the navigation stays: the user can go on


def test_the_views_own_reasons_are_shown_and_the_api_answers_json(user_named):
    coordinator = _client(user_named, "demo-coordinator")
    response = coordinator.get("/dashboard/?period=KHONGCO")
    assert response.status_code == 404
    assert "Không có kỳ báo cáo «KHONGCO»." in response.content.decode()

    # Django's own reason (no URL matched) is English: replaced by ours.
    unmatched = coordinator.get("/khong-co-trang-nay/")
    assert unmatched.status_code == 404
    assert NOT_FOUND in unmatched.content.decode()

    refused = _client(user_named, "demo-district").get("/dashboard/?include_submitted=1")
    assert refused.status_code == 403
    assert "Không có quyền truy cập" in refused.content.decode()
    assert "Chỉ Sở Nội vụ" in refused.content.decode()

    missing = coordinator.get("/api/v1/khong-co")
    assert missing.status_code == 404
    assert missing.json() == {"detail": NOT_FOUND, "errors": []}
