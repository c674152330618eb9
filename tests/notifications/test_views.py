"""The notification screens: own notices only, mark read, preferences; the navbar link."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from papitrack.audit.models import AuditEntry
from papitrack.notifications.models import NotificationPreference
from tests.web.helpers import LOGIN_URL

pytestmark = pytest.mark.django_db

LIST = reverse("web:notification_list")
PREFERENCES = reverse("web:notification_preferences")


@pytest.fixture
def commune_client(client: Client, user_named: Any) -> Client:
    client.force_login(user_named("demo-commune"))
    return client


@pytest.mark.parametrize("url", [LIST, PREFERENCES])
def test_anonymous_users_are_sent_to_log_in(client: Client, url: str) -> None:
    response = client.get(url)

    assert (response.status_code, response.url) == (302, f"{LOGIN_URL}?next={url}")


def test_the_list_shows_only_the_user_s_own_notices(
    commune_client: Client, user_named: Any, make_notice: Any
) -> None:
    own = make_notice(user_named("demo-commune"), message="Của xã Duy Phú.")
    make_notice(user_named("demo-district"), message="Của huyện Duy Xuyên.")

    response = commune_client.get(LIST)

    html = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [own]
    assert (response.context["unread_count"], "Của xã Duy Phú." in html) == (1, True)
    assert "Của huyện Duy Xuyên." not in html
    assert reverse("web:report_detail", args=[own.report_id]) in html


def test_marking_one_notice_read(commune_client: Client, user_named: Any, make_notice: Any) -> None:
    first = make_notice(user_named("demo-commune"), stage=5)
    second = make_notice(user_named("demo-commune"), stage=1)

    response = commune_client.post(LIST, {"action": "read", "notification": first.pk})

    first.refresh_from_db()
    second.refresh_from_db()
    assert (response.status_code, response.url) == (302, LIST)
    assert (first.is_read, second.is_read) == (True, False)
    assert list(commune_client.get(LIST, {"unread": "1"}).context["page"].object_list) == [second]


def test_marking_all_read(commune_client: Client, user_named: Any, make_notice: Any) -> None:
    notices = [make_notice(user_named("demo-commune"), stage=stage) for stage in (5, 1)]
    other = make_notice(user_named("demo-district"))

    commune_client.post(LIST, {"action": "read_all"})

    for notice in [*notices, other]:
        notice.refresh_from_db()
    assert [notice.is_read for notice in [*notices, other]] == [True, True, False]


def test_marking_somebody_else_s_notice_is_404(
    commune_client: Client, user_named: Any, make_notice: Any
) -> None:
    other = make_notice(user_named("demo-district"))

    response = commune_client.post(LIST, {"action": "read", "notification": other.pk})

    other.refresh_from_db()
    assert (response.status_code, other.read_at) == (404, None)


def test_an_unknown_action_changes_nothing(
    commune_client: Client, user_named: Any, make_notice: Any
) -> None:
    notice = make_notice(user_named("demo-commune"))

    response = commune_client.post(LIST, {"action": "delete", "notification": notice.pk})

    notice.refresh_from_db()
    assert (response.status_code, notice.read_at) == (302, None)


def test_posting_without_a_csrf_token_fails(user_named: Any, make_notice: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_named("demo-commune"))
    notice = make_notice(user_named("demo-commune"))

    response = client.post(LIST, {"action": "read", "notification": notice.pk})

    notice.refresh_from_db()
    assert (response.status_code, notice.read_at) == (403, None)


def test_the_list_query_count_does_not_grow_with_notices(
    commune_client: Client, user_named: Any, make_notice: Any
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert commune_client.get(LIST).status_code == 200
        return len(captured)

    make_notice(user_named("demo-commune"), stage=0)
    queries()  # the first request of a session also records when it was last seen
    with_one = queries()
    for stage in range(1, 30):
        make_notice(user_named("demo-commune"), stage=stage)

    assert queries() == with_one


def test_preferences_show_the_defaults(commune_client: Client) -> None:
    response = commune_client.get(PREFERENCES)

    form = response.context["form"]
    assert response.status_code == 200
    assert {name: form[name].value() for name in form.fields} == {
        "email_enabled": True,
        "first_reminder_days": 5,
        "second_reminder_days": 1,
        "digest_hour": 7,
    }
    assert "chưa có địa chỉ thư điện tử" in response.content.decode()


def test_saving_preferences(commune_client: Client, user_named: Any) -> None:
    response = commune_client.post(
        PREFERENCES, {"first_reminder_days": "3", "second_reminder_days": "0", "digest_hour": "14"}
    )

    preference = NotificationPreference.objects.get(user=user_named("demo-commune"))
    assert (response.status_code, response.url) == (302, PREFERENCES)
    assert (
        preference.email_enabled,
        preference.reminder_days,
        preference.digest_hour,
    ) == (False, (3,), 14)
    entry = AuditEntry.objects.get(action="notifications.preferences")
    assert entry.changes["first_reminder_days"] == [None, 3]


def test_invalid_preferences_are_refused(commune_client: Client, user_named: Any) -> None:
    response = commune_client.post(
        PREFERENCES,
        {
            "email_enabled": "on",
            "first_reminder_days": "99",
            "second_reminder_days": "1",
            "digest_hour": "3",
        },
    )

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"first_reminder_days", "digest_hour"}
    assert not NotificationPreference.objects.filter(user=user_named("demo-commune")).exists()


def test_the_navbar_links_to_the_notices(commune_client: Client) -> None:
    html = commune_client.get(reverse("web:report_list")).content.decode()

    assert f'href="{LIST}" data-notification-count-url=' in html
    assert "papitrack/notifications-badge.js" in html
