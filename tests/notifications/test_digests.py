"""Daily digests: one e-mail per user per day whatever the number of notices; preferences."""

from __future__ import annotations

import datetime
import smtplib
from collections import Counter
from typing import Any

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from papitrack.notifications.digest import (
    MAX_ITEMS_PER_SECTION,
    DigestContent,
    DigestItem,
    build_sections,
    render_digest,
)
from papitrack.notifications.enums import JobOutcome, NoticeKind
from papitrack.notifications.models import Digest, Notification, NotificationPreference
from papitrack.notifications.services import send_daily_digests
from tests.notifications.conftest import local_time

pytestmark = pytest.mark.django_db

# Monday 21/9/2020: the 2nd overdue alert of the communes' Q3 reports (due 16/9), so the
# district hears about every commune of Duy Xuyên that has not reported; Duy Phú has its own.
DAY = datetime.date(2020, 9, 21)


def send(day: datetime.date = DAY, hour: int = 7, minute: int = 30) -> Any:
    return send_daily_digests(day=day, now=local_time(day, hour, minute))


def test_one_mail_per_user_per_day_however_many_notices(
    run_job: Any, with_email: Any, mailoutbox: list[Any]
) -> None:
    commune, district = with_email("demo-commune", "demo-district")
    run_job(DAY)
    listed = {
        user.email: Notification.objects.filter(recipient=user).count()
        for user in (commune, district)
    }

    result = send()

    assert listed[district.email] > 10  # many notices, still one mail
    assert Counter(tuple(message.to) for message in mailoutbox) == {
        (commune.email,): 1,
        (district.email,): 1,
    }
    assert (result.outcome, result.sent, result.notifications) == (
        JobOutcome.DONE,
        2,
        sum(listed.values()),
    )
    assert {digest.email: digest.notification_count for digest in Digest.objects.all()} == listed
    assert not Notification.objects.filter(
        recipient__in=[commune, district], emailed_in__isnull=True
    ).exists()


def test_a_second_run_the_same_day_sends_nothing(
    run_job: Any, with_email: Any, mailoutbox: list[Any]
) -> None:
    with_email("demo-commune")
    run_job(DAY)
    send()
    run_job(DAY, hour=12)  # new notices later in the day wait for tomorrow's digest

    again = send(hour=13)

    assert (again.sent, len(mailoutbox)) == (0, 1)


def test_the_digest_lists_notices_in_vietnamese_with_links(
    run_job: Any, with_email: Any, mailoutbox: list[Any], settings: Any
) -> None:
    settings.SITE_URL = "https://papitrack.quangnam.gov.vn/"
    (commune,) = with_email("demo-commune")
    run_job(datetime.date(2020, 9, 11))

    send(datetime.date(2020, 9, 11))

    (message,) = mailoutbox
    notices = Notification.objects.filter(recipient=commune).order_by("id")
    assert message.subject == "[PAPITrack] Thông báo ngày 11/09/2020: 2 sắp đến hạn"
    assert message.body.startswith("Kính gửi đồng chí Phạm Thị Xã (Xã Duy Phú),\n")
    assert "BÁO CÁO SẮP ĐẾN HẠN (2)" in message.body
    for notice in notices:
        assert notice.message in message.body
        assert f"https://papitrack.quangnam.gov.vn/reports/{notice.report_id}/" in message.body
    assert "https://papitrack.quangnam.gov.vn/notifications/preferences/" in message.body


def test_a_long_section_is_cut_with_a_link_to_the_rest() -> None:
    items = [
        DigestItem(kind=NoticeKind.OVERDUE, message=f"Quá hạn {number}.", url=f"/r/{number}/")
        for number in range(MAX_ITEMS_PER_SECTION + 7)
    ]
    content = DigestContent(
        recipient_name="Lê Văn Huyện",
        unit_name="Huyện Duy Xuyên",
        outside_command=False,
        day=DAY,
        sections=build_sections([DigestItem(NoticeKind.RETURNED, "Trả lại.", "/r/x/"), *items]),
        notifications_url="/notifications/",
        preferences_url="/notifications/preferences/",
    )

    subject, body = render_digest(content)

    assert subject == (
        f"[PAPITrack] Thông báo ngày 21/09/2020: 1 bị trả lại, {MAX_ITEMS_PER_SECTION + 7} quá hạn"
    )
    assert [(section.title, section.count, section.more) for section in content.sections] == [
        ("Báo cáo bị trả lại, cần chỉnh sửa và gửi lại", 1, 0),
        ("Báo cáo quá hạn", MAX_ITEMS_PER_SECTION + 7, 7),
    ]
    assert body.count("Xem báo cáo: ") == MAX_ITEMS_PER_SECTION + 1
    assert "- … và 7 thông báo khác: /notifications/" in body


def test_email_switched_off_keeps_the_notices_in_app_only(
    run_job: Any, with_email: Any, mailoutbox: list[Any]
) -> None:
    (commune,) = with_email("demo-commune")
    NotificationPreference.objects.create(user=commune, email_enabled=False)

    run_job(datetime.date(2020, 9, 11))
    result = send(datetime.date(2020, 9, 11))

    assert Notification.objects.filter(recipient=commune, emailed_in__isnull=True).count() == 2
    assert (result.sent, mailoutbox, Digest.objects.count()) == (0, [], 0)


def test_the_digest_waits_for_the_user_s_hour(
    run_job: Any, with_email: Any, mailoutbox: list[Any]
) -> None:
    (commune,) = with_email("demo-commune")
    NotificationPreference.objects.create(user=commune, digest_hour=14)
    run_job(datetime.date(2020, 9, 11))

    morning = send(datetime.date(2020, 9, 11), hour=7)
    afternoon = send(datetime.date(2020, 9, 11), hour=14, minute=5)

    assert (morning.sent, afternoon.sent, len(mailoutbox)) == (0, 1, 1)


def test_no_mail_without_an_address_or_on_a_day_off(run_job: Any, mailoutbox: list[Any]) -> None:
    run_job(DAY)

    working_day = send()
    sunday = send(datetime.date(2020, 9, 20))

    assert (working_day.sent, sunday.outcome, mailoutbox) == (0, JobOutcome.DAY_OFF, [])


def test_an_outside_command_unit_is_addressed_with_a_request(
    run_job: Any, with_email: Any, mailoutbox: list[Any]
) -> None:
    from papitrack.accounts.models import User

    officer = User.objects.get(username="canbo-qna-dl")  # Điện lực tỉnh, a state enterprise
    officer.email = "dien-luc@example.invalid"
    officer.save(update_fields=["email"])
    run_job(datetime.date(2020, 9, 15))

    send(datetime.date(2020, 9, 15))

    (message,) = [message for message in mailoutbox if message.to == [officer.email]]
    assert message.body.startswith("Kính gửi: Điện lực tỉnh,\n")
    assert "Đề nghị quý cơ quan quan tâm, phối hợp." in message.body
    assert "Đề nghị quý cơ quan hoàn thành và gửi báo cáo đúng hạn." in message.body
    assert "Yêu cầu" not in message.body


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPRecipientsRefused({})


def test_a_refused_mail_is_tried_again_at_the_next_run(
    run_job: Any, with_email: Any, mailoutbox: list[Any], settings: Any
) -> None:
    (commune,) = with_email("demo-commune")
    run_job(datetime.date(2020, 9, 11))
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"

    refused = send(datetime.date(2020, 9, 11))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retried = send(datetime.date(2020, 9, 11), hour=8)

    assert (refused.sent, refused.failed) == (0, 1)
    assert (retried.sent, retried.notifications, len(mailoutbox)) == (1, 2, 1)
    assert Digest.objects.get(recipient=commune).notification_count == 2
