"""Notices through the API: the caller's own only; marking read; 404 for anybody else's."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.api.test_reports_api import token_for

pytestmark = pytest.mark.django_db

NOTIFICATIONS = "/api/v1/notifications"


def bearer(client: Client, username: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_for(client, username)}"}


def test_notifications_need_authentication(client: Client) -> None:
    assert client.get(NOTIFICATIONS).status_code == 401
    assert client.post(f"{NOTIFICATIONS}/1/read").status_code == 401


def test_the_list_has_the_caller_s_own_notices_only(
    client: Client, user_named: Any, make_notice: Any
) -> None:
    older = make_notice(user_named("demo-commune"), stage=5)
    newer = make_notice(user_named("demo-commune"), stage=1, read_at=older.created_at)
    make_notice(user_named("demo-district"))

    response = client.get(NOTIFICATIONS, **bearer(client, "demo-commune"))

    body = response.json()
    assert response.status_code == 200
    assert (body["count"], body["unread"]) == (2, 1)
    assert [item["id"] for item in body["items"]] == [newer.pk, older.pk]
    assert body["items"][1] == {
        "id": older.pk,
        "kind": "reminder",
        "kind_label": "Nhắc hạn",
        "audience": "reporting_unit",
        "stage": 5,
        "message": "Thông báo thử 5.",
        "report_id": older.report_id,
        "report_url": f"/api/v1/reports/{older.report_id}",
        "created_for_day": "2020-09-11",
        "created_at": "2020-09-11T00:00:00Z",
        "read_at": None,
        "emailed": False,
    }


def test_the_unread_filter_and_a_count_only_page(
    client: Client, user_named: Any, make_notice: Any
) -> None:
    unread = make_notice(user_named("demo-commune"), stage=5)
    make_notice(user_named("demo-commune"), stage=1, read_at=unread.created_at)
    headers = bearer(client, "demo-commune")

    listed = client.get(NOTIFICATIONS, {"unread": "true"}, **headers).json()
    counted = client.get(NOTIFICATIONS, {"unread": "true", "limit": 0}, **headers).json()

    assert [item["id"] for item in listed["items"]] == [unread.pk]
    assert counted == {"count": 1, "unread": 1, "items": []}


def test_marking_read(client: Client, user_named: Any, make_notice: Any) -> None:
    notice = make_notice(user_named("demo-commune"))

    response = client.post(f"{NOTIFICATIONS}/{notice.pk}/read", **bearer(client, "demo-commune"))

    notice.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    assert notice.read_at is not None


def test_somebody_else_s_notice_is_404(client: Client, user_named: Any, make_notice: Any) -> None:
    notice = make_notice(user_named("demo-district"))

    response = client.post(f"{NOTIFICATIONS}/{notice.pk}/read", **bearer(client, "demo-outsider"))
    missing = client.post(f"{NOTIFICATIONS}/999999999/read", **bearer(client, "demo-outsider"))

    notice.refresh_from_db()
    assert (response.status_code, missing.status_code, notice.read_at) == (404, 404, None)
    assert response.json() == missing.json()


def test_the_browser_session_works_and_needs_csrf_to_post(
    user_named: Any, make_notice: Any
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_named("demo-commune"))
    notice = make_notice(user_named("demo-commune"))

    listed = client.get(NOTIFICATIONS)
    posted = client.post(f"{NOTIFICATIONS}/{notice.pk}/read")

    assert (listed.status_code, listed.json()["unread"]) == (200, 1)
    assert posted.status_code == 403
