"""The audit trail screen: coordinators and administrators only, filters, changes in words."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from papitrack.audit.models import AuditEntry
from papitrack.web.views.audit import ChangeLine, change_lines
from tests.web.helpers import LOGIN_URL

pytestmark = pytest.mark.django_db

URL = reverse("web:audit_list")


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_coordinator_sees_the_newest_entries_first(coordinator_client: Client) -> None:
    response = coordinator_client.get(URL)

    entries = [row.entry for row in response.context["rows"]]
    assert response.status_code == 200
    assert response.context["page"].paginator.count == AuditEntry.objects.count()
    assert len(entries) == 50
    assert entries == list(AuditEntry.objects.order_by("-at", "-id")[:50])


def test_administrator_sees_the_trail(client: Client, user_named: Any) -> None:
    assert _login(client, user_named("demo-admin")).get(URL).status_code == 200


@pytest.mark.parametrize(
    "username", ["demo-commune", "demo-district", "demo-lead", "demo-leader", "demo-outsider"]
)
def test_everyone_else_is_refused(client: Client, user_named: Any, username: str) -> None:
    assert _login(client, user_named(username)).get(URL).status_code == 403


def test_filters_by_action_actor_unit_and_dates(coordinator_client: Client) -> None:
    response = coordinator_client.get(
        URL,
        {
            "action": "report.submit",
            "actor": "canbo-20617",
            "unit": "20617",
            "since": "2000-01-01",
            "until": "2100-12-31",
        },
    )

    rows = response.context["rows"]
    expected = AuditEntry.objects.filter(
        action="report.submit", actor__username="canbo-20617", unit__code="20617"
    ).count()
    assert len(rows) == expected > 0
    assert {(row.action, row.entry.actor.username) for row in rows} == {
        ("Gửi báo cáo", "canbo-20617")
    }
    assert "trạng thái:</span> Đang soạn → Đã gửi, chờ duyệt" in response.content.decode()


def test_dates_outside_the_trail_give_nothing(coordinator_client: Client) -> None:
    response = coordinator_client.get(URL, {"until": "2001-01-01"})

    assert response.context["page"].paginator.count == 0
    assert "Không có mục nhật ký nào phù hợp." in response.content.decode()


def test_an_invalid_date_is_reported_and_ignored(coordinator_client: Client) -> None:
    response = coordinator_client.get(URL, {"since": "31/02/2020"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "since": ["Từ ngày: ngày không hợp lệ (ví dụ 30/11/2020)."]
    }
    assert response.context["page"].paginator.count == AuditEntry.objects.count()


def test_changes_read_as_field_old_new() -> None:
    lines = change_lines(
        {
            "D2-T6-K1.numerator": [None, "12.5"],
            "D2-T6-K1.note": [None, ""],
            "D5-T3-K1.milestone_status": ["in_progress", "done"],
            "status": ["submitted", "returned"],
            "D2-T2-K1.20605.answer": [None, True],
            "results": ["", "Đã làm."],
        }
    )

    assert lines == [
        ChangeLine(field="D2-T6-K1 · tử số", old="—", new="12.5"),
        ChangeLine(field="D5-T3-K1 · tình trạng", old="Đang thực hiện", new="Đã hoàn thành"),
        ChangeLine(field="trạng thái", old="Đã gửi, chờ duyệt", new="Bị trả lại"),
        ChangeLine(field="D2-T2-K1.20605 · kết quả", old="—", new="có"),
        ChangeLine(field="kết quả đạt được", old="(trống)", new="Đã làm."),
    ]


def test_post_is_not_allowed(coordinator_client: Client) -> None:
    assert coordinator_client.post(URL).status_code == 405


def test_anonymous_user_is_sent_to_login(client: Client) -> None:
    response = client.get(URL)

    assert (response.status_code, response["Location"]) == (302, f"{LOGIN_URL}?next={URL}")


def test_query_count_is_fixed(
    coordinator_client: Client, django_assert_max_num_queries: Any
) -> None:
    # The first request of a session writes its last-seen time; measure a later one.
    coordinator_client.get(URL)

    with django_assert_max_num_queries(8):
        coordinator_client.get(URL, {"since": datetime.date(2020, 1, 1).isoformat()})
