from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.helpers import LOGIN_URL

pytestmark = pytest.mark.django_db


def _page_urls(plan: Any, task_id: int) -> list[str]:
    return [
        reverse("web:plan_list"),
        reverse("web:plan_overview", args=[plan.pk]),
        reverse("web:dimension_detail", args=[plan.pk, "egovernance"]),
        reverse("web:task_list", args=[plan.pk]),
        reverse("web:latest_task_list"),
        reverse("web:task_detail", args=[task_id]),
        reverse("web:unit_list"),
        reverse("web:unit_detail", args=["QNA-SNV"]),
        reverse("web:papi_explorer"),
        reverse("web:province_history", args=["49"]),
    ]


def test_every_page_redirects_the_anonymous_user_to_login(client: Client, plan: Any) -> None:
    task_id = plan.tasks.first().pk
    for url in _page_urls(plan, task_id):
        response = client.get(url)

        assert (response.status_code, response["Location"]) == (302, f"{LOGIN_URL}?next={url}")


def test_login_page_is_vietnamese_and_shows_no_secret(client: Client) -> None:
    response = client.get(LOGIN_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    for text in ("Đăng nhập", "Tên đăng nhập", "Mật khẩu"):
        assert text in html
    assert "papitrack-demo" not in html
    assert "demo-coordinator" not in html


def test_login_with_demo_account_lands_on_plan_list(client: Client) -> None:
    response = client.post(
        LOGIN_URL, {"username": "demo-coordinator", "password": "papitrack-demo"}
    )

    assert (response.status_code, response["Location"]) == (302, reverse("web:plan_list"))


def test_login_with_wrong_password_stays_on_the_form(client: Client) -> None:
    response = client.post(LOGIN_URL, {"username": "demo-coordinator", "password": "sai"})

    assert response.status_code == 200
    assert response.context["form"].errors != {}


def test_navigation_bar_names_user_and_unit_and_logs_out_by_post(
    coordinator_client: Client,
) -> None:
    response = coordinator_client.get(reverse("web:plan_list"))

    html = response.content.decode()
    for text in ("Kế hoạch", "Nhiệm vụ", "Đơn vị", "Chỉ số PAPI", "Nguyễn Thị Điều Phối", "SNV"):
        assert text in html
    assert f'<form method="post" action="{reverse("logout")}"' in html


def test_logout_refuses_get_and_accepts_post(coordinator_client: Client) -> None:
    assert coordinator_client.get(reverse("logout")).status_code == 405

    response = coordinator_client.post(reverse("logout"))

    assert (response.status_code, response["Location"]) == (302, reverse("login"))
    assert coordinator_client.get(reverse("web:plan_list")).status_code == 302


def test_logout_without_csrf_token_is_refused(province_admin: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(province_admin)

    response = client.post(reverse("logout"))

    assert response.status_code == 403


def test_pages_are_read_only(coordinator_client: Client, plan: Any) -> None:
    response = coordinator_client.post(reverse("web:task_list", args=[plan.pk]))

    assert response.status_code == 405


def test_outsider_reads_the_public_plan(client: Client, outsider: Any, plan: Any) -> None:
    # The plan, its tasks and the published scores are public documents: every signed-in
    # official reads them; per-unit scopes apply to reports, which arrive later.
    client.force_login(outsider)

    response = client.get(reverse("web:plan_overview", args=[plan.pk]))

    assert response.status_code == 200
