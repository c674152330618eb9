from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def local_time(day: datetime.date, hour: int = 7, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LOCAL)


@pytest.fixture
def run_job(db: None) -> Any:
    """Run the notification job for a day, at 07:00 local time unless told otherwise."""
    from papitrack.notifications.services import run_notification_job

    def run(day: datetime.date, hour: int = 7) -> Any:
        return run_notification_job(today=day, now=local_time(day, hour))

    return run


@pytest.fixture
def with_email(user_named: Any) -> Any:
    """Give demo accounts an e-mail address (the demo loader sets none)."""

    def give(*usernames: str) -> list[Any]:
        users = []
        for username in usernames:
            user = user_named(username)
            user.email = f"{username}@example.invalid"
            user.save(update_fields=["email"])
            users.append(user)
        return users

    return give


@pytest.fixture
def make_notice(db: None) -> Any:
    """A notice for a user about any report, without running the job."""
    from papitrack.notifications.enums import Audience, NoticeKind
    from papitrack.notifications.models import Notification
    from papitrack.reports.models import Report

    report = Report.objects.order_by("id").first()

    def make(user: Any, *, kind: str = NoticeKind.REMINDER, stage: int = 5, **fields: Any) -> Any:
        return Notification.objects.create(
            recipient=user,
            report=fields.pop("report", report),
            kind=kind,
            audience=Audience.REPORTING_UNIT,
            stage=stage,
            message=fields.pop("message", f"Thông báo thử {stage}."),
            created_for_day=datetime.date(2020, 9, 11),
            created_at=local_time(datetime.date(2020, 9, 11)),
            **fields,
        )

    return make
