"""One unit's plan: the district writes and sends it, the coordinator returns and accepts it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from papitrack.unitplans import services
from papitrack.unitplans.models import UnitPlan
from papitrack.unitplans.queries import assigned_tasks_for
from papitrack.web.views.unitplans import STALE_ALERT
from tests.reports.helpers import PNG
from tests.web.helpers import LOGIN_URL

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _evidence_root(settings: Any, tmp_path: Any) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"


@pytest.fixture
def district_plan(province_admin: Any) -> UnitPlan:
    """Duy Xuyên's plan, returned by Sở Nội vụ so the district may edit it again."""
    unit_plan = UnitPlan.objects.get(unit__code="508")
    if unit_plan.status == "submitted":
        services.return_unit_plan(
            unit_plan_id=unit_plan.pk,
            actor=province_admin,
            version=unit_plan.version,
            comment="Bổ sung chỉ tiêu nhiệm vụ V.3.",
        )
    unit_plan.refresh_from_db()
    return unit_plan


def _url(unit_plan: UnitPlan) -> str:
    return reverse("web:unitplan_detail", args=[unit_plan.pk])


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_district_edits_one_row_per_assigned_task(
    client: Client, unit_officer: Any, district_plan: UnitPlan
) -> None:
    tasks = assigned_tasks_for(unit_plan=district_plan)

    response = _login(client, unit_officer).get(_url(district_plan))

    html = response.content.decode()
    assert response.status_code == 200
    assert [row.task.key for row in response.context["rows"]] == [task.key for task in tasks]
    assert html.count('name="D2-T2-target_value"') == 1
    assert 'data-province-target="100.0000"' in html
    assert "Bổ sung chỉ tiêu nhiệm vụ V.3." in html


def test_saving_a_weaker_target_shows_in_the_coverage_check(
    client: Client, unit_officer: Any, district_plan: UnitPlan
) -> None:
    _login(client, unit_officer)

    response = client.post(
        _url(district_plan),
        {
            "version": str(district_plan.version),
            "action": "save",
            "D2-T2-actions": "Niêm yết danh sách hộ nghèo tại 14 xã.",
            "D2-T2-target_value": "92,5",
            "D2-T2-responsible_person": "Phòng LĐ-TB&XH",
            "D2-T2-deadline": "2020-12-31",
        },
    )

    assert response.status_code == 302
    item = UnitPlan.objects.get(pk=district_plan.pk).items.get(task__key="D2-T2")
    assert (item.target_value, item.deadline, item.responsible_person) == (
        Decimal("92.5"),
        datetime.date(2020, 12, 31),
        "Phòng LĐ-TB&XH",
    )
    page = client.get(_url(district_plan))
    weaker = [weak.item.task.key for weak in page.context["coverage"].weaker]
    assert weaker == ["D2-T2"]
    assert "Chỉ tiêu thấp hơn của tỉnh mà chưa nêu lý do: II.2 (92,5 so với 100,0)" in (
        page.content.decode()
    )


def test_invalid_target_rerenders_with_the_message(
    client: Client, unit_officer: Any, district_plan: UnitPlan
) -> None:
    response = _login(client, unit_officer).post(
        _url(district_plan),
        {
            "version": str(district_plan.version),
            "action": "save",
            "D2-T2-actions": "Niêm yết công khai.",
            "D2-T2-target_value": "chín mươi",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert response.context["errors"] == [
        "Nhiệm vụ II.2: chỉ tiêu (số): «chín mươi» không phải là số (ví dụ 12,5 hoặc 1250)."
    ]
    assert 'value="chín mươi"' in html
    assert "Niêm yết công khai.</textarea>" in html
    assert UnitPlan.objects.get(pk=district_plan.pk).version == district_plan.version


def test_district_attaches_the_signed_plan_and_sends_it(
    client: Client, unit_officer: Any, district_plan: UnitPlan
) -> None:
    _login(client, unit_officer)

    response = client.post(
        _url(district_plan),
        {
            "version": str(district_plan.version),
            "action": "submit",
            "document": SimpleUploadedFile("kế hoạch đã ký.png", PNG, "image/png"),
        },
    )

    assert response.status_code == 302
    sent = UnitPlan.objects.get(pk=district_plan.pk)
    assert (sent.status, sent.document_name) == ("submitted", "kế hoạch đã ký.png")
    download = client.get(reverse("web:unitplan_document", args=[sent.pk]))
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Disposition"].startswith("attachment;")


def test_coordinator_returns_with_a_comment_then_accepts(
    coordinator_client: Client, unit_officer: Any
) -> None:
    unit_plan = UnitPlan.objects.get(unit__code="508")
    assert unit_plan.status == "submitted"

    no_comment = coordinator_client.post(
        _url(unit_plan), {"version": str(unit_plan.version), "action": "return"}
    )
    returned = coordinator_client.post(
        _url(unit_plan),
        {"version": str(unit_plan.version), "action": "return", "comment": "Thiếu chỉ tiêu V.3."},
    )
    unit_plan.refresh_from_db()
    client = Client()
    client.force_login(unit_officer)
    resent = client.post(_url(unit_plan), {"version": str(unit_plan.version), "action": "submit"})
    unit_plan.refresh_from_db()
    accepted = coordinator_client.post(
        _url(unit_plan), {"version": str(unit_plan.version), "action": "accept"}
    )

    assert no_comment.status_code == 400
    assert no_comment.context["errors"] == [services.COMMENT_REQUIRED]
    assert (returned.status_code, resent.status_code, accepted.status_code) == (302, 302, 302)
    final = UnitPlan.objects.get(pk=unit_plan.pk)
    assert (final.status, final.review_comment) == ("accepted", "")
    history = [label for _entry, label in coordinator_client.get(_url(final)).context["history"]]
    assert history[-3:] == ["Trả lại", "Gửi", "Chấp thuận"]


def test_stale_version_keeps_the_first_edit(
    client: Client, unit_officer: Any, district_plan: UnitPlan
) -> None:
    services.save_unit_plan(
        unit_plan_id=district_plan.pk,
        actor=unit_officer,
        version=district_plan.version,
        items=[services.UnitPlanItemInput(task_key="D2-T2", actions="Bản thứ nhất.")],
    )

    response = _login(client, unit_officer).post(
        _url(district_plan),
        {"version": str(district_plan.version), "action": "save", "D2-T2-actions": "Bản cũ."},
    )

    assert response.status_code == 409
    assert STALE_ALERT in response.content.decode()
    item = UnitPlan.objects.get(pk=district_plan.pk).items.get(task__key="D2-T2")
    assert item.actions == "Bản thứ nhất."


@pytest.mark.parametrize("username", ["demo-commune", "demo-lead"])
def test_other_units_get_404_for_the_districts_plan(
    client: Client, user_named: Any, district_plan: UnitPlan, username: str
) -> None:
    response = _login(client, user_named(username)).get(_url(district_plan))

    assert response.status_code == 404


def test_outsider_gets_404(client: Client, outsider: Any, district_plan: UnitPlan) -> None:
    _login(client, outsider)

    assert client.get(_url(district_plan)).status_code == 404
    assert client.post(_url(district_plan), {"action": "save"}).status_code == 404
    document = reverse("web:unitplan_document", args=[district_plan.pk])
    assert client.get(document).status_code == 404


def test_post_without_csrf_token_is_refused(unit_officer: Any, district_plan: UnitPlan) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(unit_officer)

    response = client.post(
        _url(district_plan), {"version": str(district_plan.version), "action": "submit"}
    )

    assert response.status_code == 403
    assert UnitPlan.objects.get(pk=district_plan.pk).status == "returned"


def test_anonymous_user_is_sent_to_login(client: Client, district_plan: UnitPlan) -> None:
    url = _url(district_plan)

    response = client.get(url)

    assert (response.status_code, response["Location"]) == (302, f"{LOGIN_URL}?next={url}")


def test_query_count_is_fixed(
    client: Client, unit_officer: Any, district_plan: UnitPlan, django_assert_max_num_queries: Any
) -> None:
    _login(client, unit_officer)
    # The first request of a session writes its last-seen time; measure a later one.
    client.get(_url(district_plan))

    with django_assert_max_num_queries(12):
        client.get(_url(district_plan))
