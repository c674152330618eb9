"""The caller's own notices through the API; nobody sees anybody else's."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from papitrack.accounts.models import User
from papitrack.api.auth import USER_AUTH
from papitrack.api.base import MAX_OFFSET
from papitrack.api.reports import ErrorOut
from papitrack.notifications import services
from papitrack.notifications.models import Notification
from papitrack.notifications.queries import notifications_for, unread_count

router = Router(tags=["notifications"], auth=USER_AUTH)

MAX_PAGE = 500


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    audience: str
    stage: int
    message: str
    report_id: int
    report_url: str
    created_for_day: datetime.date
    created_at: datetime.datetime
    read_at: datetime.datetime | None
    emailed: bool


class NotificationPageOut(Schema):
    count: int
    unread: int
    items: list[NotificationOut]


def _payload(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "kind_label": notification.get_kind_display(),
        "audience": notification.audience,
        "stage": notification.stage,
        "message": notification.message,
        "report_id": notification.report_id,
        "report_url": f"/api/v1/reports/{notification.report_id}",
        "created_for_day": notification.created_for_day,
        "created_at": notification.created_at,
        "read_at": notification.read_at,
        "emailed": notification.emailed_in_id is not None,
    }


def _user(request: HttpRequest) -> User:
    # The router's authentication guarantees a real user before any handler runs.
    assert isinstance(request.user, User)  # noqa: S101
    return request.user


@router.get(
    "/notifications",
    response=NotificationPageOut,
    summary="Thông báo của chính người gọi, mới nhất trước",
)
def list_notifications(
    request: HttpRequest, unread: bool = False, offset: int = 0, limit: int = 50
) -> dict[str, Any]:
    user = _user(request)
    notices = notifications_for(user, unread_only=unread)
    offset = min(max(offset, 0), MAX_OFFSET)
    limit = max(0, min(limit, MAX_PAGE))
    return {
        "count": notices.count(),
        "unread": unread_count(user),
        "items": [_payload(notice) for notice in notices[offset : offset + limit]] if limit else [],
    }


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, 404: ErrorOut},
    summary="Đánh dấu một thông báo của mình là đã đọc",
)
def read_notification(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    return _payload(
        services.mark_notification_read(user=_user(request), notification_id=notification_id)
    )
