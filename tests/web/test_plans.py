from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from papitrack.indices.models import PublishedScore
from tests.web.helpers import embedded_json

pytestmark = pytest.mark.django_db

DIMENSION_LABELS = [
    "Tham gia ở cấp cơ sở",
    "Công khai, minh bạch",
    "Trách nhiệm giải trình",
    "Kiểm soát tham nhũng",
    "Thủ tục hành chính công",
    "Cung ứng dịch vụ công",
    "Quản trị môi trường",
    "Quản trị điện tử",
]


def test_plan_list_shows_the_plan_with_its_task_count(
    coordinator_client: Client, plan: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(4):
        response = coordinator_client.get(reverse("web:plan_list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert [(row.number, row.task_count) for row in response.context["plans"]] == [
        ("4055/KH-UBND", 39)
    ]
    assert reverse("web:plan_overview", args=[plan.pk]) in html
    assert "20/07/2020" in html
    assert "Tỉnh Quảng Nam" in html


def test_overview_shows_identity_signer_and_deadline(coordinator_client: Client, plan: Any) -> None:
    response = coordinator_client.get(reverse("web:plan_overview", args=[plan.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Kế hoạch số 4055/KH-UBND",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Hồ Quang Bửu",
        "31/07/2020",
        "trước ngày 31/7/2020",
    ):
        assert text in html


def test_overview_targets_table_shows_target_and_published_actual(
    coordinator_client: Client, plan: Any
) -> None:
    response = coordinator_client.get(reverse("web:plan_overview", args=[plan.pk]))

    html = response.content.decode()
    rows = response.context["rows"]
    assert [row.dimension_code for row in rows] == [
        "overall",
        "participation",
        "transparency",
        "accountability",
        "corruption",
        "procedures",
        "services",
        "environment",
        "egovernance",
    ]
    overall = rows[0]
    assert (overall.actual_rank, overall.actual_count, overall.actual_group) == (21, 63, 2)
    for text in ("46,5", "43,26", "44,33", "+2,17", "21/63", "Không đạt", "▲ 1"):
        assert text in html
    assert "Nhóm đạt điểm trung bình cao" in html
    assert "Nhóm đạt điểm thấp nhất" in html
    assert "Chưa công bố" not in html


def test_overview_marks_missing_actuals_as_not_published(
    coordinator_client: Client, plan: Any
) -> None:
    PublishedScore.objects.filter(province=plan.issuer, year=plan.target_year).delete()

    response = coordinator_client.get(reverse("web:plan_overview", args=[plan.pk]))

    html = response.content.decode()
    assert html.count("Chưa công bố") >= 9
    assert "Chưa đánh giá" in html
    assert embedded_json(response, "radar-data")["series"][2]["values"] == [None] * 8


def test_overview_radar_chart_has_eight_dimensions_and_three_series(
    coordinator_client: Client, plan: Any
) -> None:
    response = coordinator_client.get(reverse("web:plan_overview", args=[plan.pk]))

    data = embedded_json(response, "radar-data")
    assert 'id="radar-chart"' in response.content.decode()
    assert [indicator["name"] for indicator in data["indicators"]] == DIMENSION_LABELS
    assert {(indicator["min"], indicator["max"]) for indicator in data["indicators"]} == {
        ("1.0000", "10.0000")
    }
    assert [series["name"] for series in data["series"]] == [
        "Năm gốc 2019",
        "Mục tiêu 2020",
        "Thực tế 2020",
    ]
    assert data["series"][1]["values"] == [
        "5.2000",
        "5.7000",
        "5.2000",
        "7.6000",
        "7.4000",
        "7.6000",
        "4.0000",
        "3.8000",
    ]
    assert data["series"][2]["values"][7] == "2.4000"


def test_overview_lists_source_notes_and_consistency_checks(
    coordinator_client: Client, plan: Any, task_by_key: Any
) -> None:
    response = coordinator_client.get(reverse("web:plan_overview", args=[plan.pk]))

    html = response.content.decode()
    checks = {
        check.label: (check.stated, check.computed) for check in response.context["sum_checks"]
    }
    assert {
        label: (str(stated), str(computed)) for label, (stated, computed) in checks.items()
    } == {
        "Điểm năm gốc 2019": ("44.3300", "44.3400"),
        "Chỉ tiêu năm 2020": ("46.5000", "46.5000"),
        "Mức tăng so với năm 2019": ("2.1700", "2.1600"),
    }
    assert "Ghi chú về văn bản gốc" in html
    assert "lệch 0,01" in html
    assert "khớp" in html
    assert reverse("web:task_detail", args=[task_by_key("D2-T7").pk]) in html
    assert len(response.context["plan"].source_notes) == 17
    assert "Khối thứ 8 của phụ lục (Quản trị điện tử) in số La Mã «IX»" in html


def test_overview_links_every_dimension_and_the_task_list(
    coordinator_client: Client, plan: Any
) -> None:
    response = coordinator_client.get(reverse("web:plan_overview", args=[plan.pk]))

    html = response.content.decode()
    counts = [(dimension.code, count) for dimension, count in response.context["dimension_links"]]
    assert counts == [
        ("participation", 1),
        ("transparency", 7),
        ("accountability", 5),
        ("corruption", 6),
        ("procedures", 6),
        ("services", 8),
        ("environment", 2),
        ("egovernance", 4),
    ]
    for code, _ in counts:
        assert reverse("web:dimension_detail", args=[plan.pk, code]) in html
    assert "Danh sách nhiệm vụ (39)" in html


def test_overview_of_unknown_plan_is_404(coordinator_client: Client) -> None:
    assert coordinator_client.get(reverse("web:plan_overview", args=[999_999])).status_code == 404


def test_overview_query_count_is_fixed(
    coordinator_client: Client, plan: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(10):
        coordinator_client.get(reverse("web:plan_overview", args=[plan.pk]))
