from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _detail(client: Client, task: Any) -> Any:
    return client.get(reverse("web:task_detail", args=[task.pk]))


def test_truncated_lead_is_a_warning_and_leads_are_explained(
    coordinator_client: Client, task_by_key: Any
) -> None:
    response = _detail(coordinator_client, task_by_key("D2-T7"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="alert alert-warning mt-3" role="alert">' in html
    assert "Tên đơn vị chủ trì bị cắt" in html
    assert "Như in: «UBND cấp»" in html
    assert [(row.label, row.hint, row.is_consolidating) for row in response.context["leads"]] == [
        ("UBND cấp huyện", "gồm 18 đơn vị trong danh mục đơn vị", True)
    ]
    assert [(row.label, row.hint) for row in response.context["implementers"]] == [
        ("UBND cấp xã", "gồm 233 đơn vị trong danh mục đơn vị")
    ]
    assert "chủ trì tổng hợp" in html


def test_structured_kpi_shows_kind_target_population_and_reading(
    coordinator_client: Client, task_by_key: Any
) -> None:
    response = _detail(coordinator_client, task_by_key("D2-T7"))

    html = response.content.decode()
    for text in (
        "Nhiệm vụ II.7",
        "D2-T7",
        "01 lần/năm.",
        "Số lần, tần suất",
        "≥ 1 lần/năm",
        "UBND cấp xã",
        "đọc là ≥ 1 lần/năm cho mỗi UBND cấp xã",
        "Định kỳ theo quy định",
        "Báo cáo kết quả thực hiện",
    ):
        assert text in html


def test_sub_items_raw_text_and_unit_links(coordinator_client: Client, task_by_key: Any) -> None:
    response = _detail(coordinator_client, task_by_key("D1-T1"))

    html = response.content.decode()
    assert response.context["raw_differs"] is True
    assert "<summary>Văn bản gốc" in html
    assert "&lt;p&gt;Thực hiện công tác thông tin" in html
    assert '<span class="fw-semibold">1.1.</span>' in html
    assert '<span class="fw-semibold">1.2.</span>' in html
    assert reverse("web:unit_detail", args=["QNA-PTTH"]) in html
    implementers = [(row.label, row.unit is not None) for row in response.context["implementers"]]
    assert implementers == [
        ("Đài PT-TH tỉnh", True),
        ("Đài truyền thanh - truyền hình cấp huyện", False),
        ("Báo Quảng Nam", True),
        ("Sở VH-TT&DL", True),
        ("UBND cấp xã", False),
    ]


def test_compound_kpi_lists_each_part(coordinator_client: Client, task_by_key: Any) -> None:
    response = _detail(coordinator_client, task_by_key("D3-T1"))

    kpis = [(kpi.code, kpi.target_display) for kpi in response.context["kpis"]]
    assert kpis == [("D3-T1-K1", "≥ 100%"), ("D3-T1-K2", "≥ 100%")]
    assert "Chỉ tiêu gồm nhiều phần" in response.content.decode()


def test_relevant_units_group_is_left_to_the_lead(
    coordinator_client: Client, task_by_key: Any
) -> None:
    response = _detail(coordinator_client, task_by_key("D8-T1"))

    hints = {row.label: row.hint for row in response.context["implementers"]}
    assert hints == {"Các cơ quan, đơn vị có liên quan": "do đơn vị chủ trì xác định"}


def test_structured_timeline_in_words(coordinator_client: Client, task_by_key: Any) -> None:
    response = _detail(coordinator_client, task_by_key("D5-T4"))

    assert "Trong một quý — Quý III/2020" in response.content.decode()


def test_unknown_task_is_404(coordinator_client: Client) -> None:
    assert coordinator_client.get(reverse("web:task_detail", args=[999_999])).status_code == 404


def test_task_detail_query_count_is_fixed(
    coordinator_client: Client, task_by_key: Any, django_assert_max_num_queries: Any
) -> None:
    task = task_by_key("D1-T1")

    with django_assert_max_num_queries(9):
        _detail(coordinator_client, task)
