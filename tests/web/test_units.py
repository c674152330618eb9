from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from papitrack.orgunits.models import OrgUnit
from papitrack.tasks.models import TaskAssignee

pytestmark = pytest.mark.django_db


def _unit(client: Client, code: str) -> Any:
    return client.get(reverse("web:unit_detail", args=[code]))


def _tasks(links: Any) -> list[tuple[str, list[str]]]:
    return [(link.task.key, [basis.reason for basis in link.bases]) for link in links]


def test_commune_implements_the_tasks_of_its_level(coordinator_client: Client, plan: Any) -> None:
    commune_tasks = list(
        TaskAssignee.objects.filter(task__plan=plan, level="commune")
        .order_by("task__position")
        .values_list("task__key", flat=True)
    )

    response = _unit(coordinator_client, "20605")

    html = response.content.decode()
    assignments = response.context["tasks"]
    assert response.status_code == 200
    assert assignments.leads == []
    by_level = [key for key, reasons in _tasks(assignments.implements) if reasons == ["level"]]
    assert by_level == commune_tasks
    assert len(by_level) == 18
    assert _tasks(assignments.implements)[13] == ("D4-T4", ["group"])
    assert "Nhiệm vụ thực hiện (19)" in html
    assert "theo cấp" in html
    assert "theo nhóm" in html


def test_commune_page_shows_parents_and_its_2025_successor(coordinator_client: Client) -> None:
    response = _unit(coordinator_client, "20605")

    html = response.content.decode()
    assert [unit.code for unit in response.context["unit_info"].ancestors] == ["49", "508"]
    assert "Xã Duy Phú" in html
    assert "Huyện Duy Xuyên" in html
    assert "30/06/2025" in html
    assert "Sáp nhập vào" in html
    assert "Xã Thu Bồn" in html
    assert reverse("web:unit_detail", args=["2025-20611"]) in html


def test_new_2025_commune_has_no_task_of_the_2020_plan(coordinator_client: Client) -> None:
    response = _unit(coordinator_client, "2025-20611")

    assignments = response.context["tasks"]
    assert (assignments.leads, assignments.implements) == ([], [])


def test_department_leads_directly_and_implements_as_a_department(
    coordinator_client: Client,
) -> None:
    response = _unit(coordinator_client, "QNA-SLDTBXH")

    assignments = response.context["tasks"]
    assert _tasks(assignments.leads) == [
        ("D2-T1", ["direct"]),
        ("D2-T2", ["direct"]),
        ("D2-T3", ["direct"]),
    ]
    assert {reason for _, reasons in _tasks(assignments.implements) for reason in reasons} == {
        "group"
    }
    assert len(assignments.implements) == 10
    assert "trực tiếp" in response.content.decode()


def test_district_leads_by_level_and_lists_children_with_counts(
    coordinator_client: Client,
) -> None:
    response = _unit(coordinator_client, "508")

    info = response.context["unit_info"]
    assignments = response.context["tasks"]
    assert [key for key, _ in _tasks(assignments.leads)] == [
        "D1-T1",
        "D2-T4",
        "D2-T5",
        "D2-T7",
        "D5-T2",
        "D5-T6",
    ]
    assert len(info.children) == 17
    assert {child.kind for child in info.children} == {"district_agency", "commune"}
    assert "Đơn vị trực thuộc (17)" in response.content.decode()


def test_district_body_implements_by_its_level(coordinator_client: Client, plan: Any) -> None:
    response = _unit(coordinator_client, "508-TTYT")

    by_level = [
        key for key, reasons in _tasks(response.context["tasks"].implements) if "level" in reasons
    ]
    assert by_level == list(
        TaskAssignee.objects.filter(task__plan=plan, level="district_health_centre")
        .order_by("task__position")
        .values_list("task__key", flat=True)
    )


def test_unit_created_after_the_plan_gets_no_level_task(
    coordinator_client: Client, plan: Any
) -> None:
    OrgUnit.objects.filter(code="20605").update(valid_from=datetime.date(2021, 1, 1))

    response = _unit(coordinator_client, "20605")

    assert response.context["tasks"].implements == []


def test_other_province_has_no_task(coordinator_client: Client) -> None:
    response = _unit(coordinator_client, "01")

    assert (response.context["tasks"].leads, response.context["tasks"].implements) == ([], [])


def test_unknown_unit_is_404(coordinator_client: Client) -> None:
    assert _unit(coordinator_client, "KHONG-CO").status_code == 404


def test_unit_page_query_count_does_not_grow_with_children(
    coordinator_client: Client, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(8):
        _unit(coordinator_client, "49")
    with django_assert_num_queries(8):
        _unit(coordinator_client, "508")
    with django_assert_num_queries(8):
        _unit(coordinator_client, "20605")


def test_unit_list_shows_the_province_tree(coordinator_client: Client) -> None:
    response = coordinator_client.get(reverse("web:unit_list"))

    html = response.content.decode()
    (tree,) = response.context["trees"]
    assert response.status_code == 200
    assert tree.province.code == "49"
    assert (len(tree.bodies), len(tree.districts)) == (24, 18)
    duy_xuyen = next(unit for unit in tree.districts if unit.code == "508")
    assert duy_xuyen.commune_count == 13
    assert "Sở Nội vụ" in html
    assert "13 xã, phường, thị trấn" in html


def test_unit_search_ignores_diacritics(coordinator_client: Client) -> None:
    response = coordinator_client.get(reverse("web:unit_list"), {"q": "duy xuyen"})

    codes = [unit.code for unit in response.context["results"]]
    assert "508" in codes
    assert "Huyện Duy Xuyên" in response.content.decode()


def test_unit_list_query_count_is_fixed(
    coordinator_client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6):
        coordinator_client.get(reverse("web:unit_list"), {"q": "xã"})
