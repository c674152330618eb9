from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from papitrack.lib.numbers import round_half_up
from tests.web.helpers import embedded_json, task_labels

pytestmark = pytest.mark.django_db


def _get(client: Client, plan: Any, code: str) -> Any:
    return client.get(reverse("web:dimension_detail", args=[plan.pk, code]))


def test_dimension_page_shows_target_row_solutions_and_tasks(
    coordinator_client: Client, plan: Any
) -> None:
    response = _get(coordinator_client, plan, "egovernance")

    html = response.content.decode()
    assert response.status_code == 200
    (row,) = response.context["row_list"]
    assert (str(row.target), row.actual_rank, row.actual_group, row.met) == ("3.8000", 55, 4, False)
    assert task_labels(response) == ["IX.1", "IX.2", "IX.2", "IX.5"]
    assert [solution.section for solution in response.context["solutions"]] == ["III.9"]
    for text in ("8. Quản trị điện tử", "3,8", "2,40", "55/63", "Nhiệm vụ (4)"):
        assert text in html


def test_dimension_page_badges_unconfirmed_sub_dimension_names(
    coordinator_client: Client, plan: Any
) -> None:
    response = _get(coordinator_client, plan, "transparency")

    html = response.content.decode()
    assert [sub.code for sub in response.context["subdimensions"]] == ["2.1", "2.2", "2.3", "2.4"]
    assert html.count(">chưa xác nhận<") == 1
    assert html.count(">nguồn thứ cấp<") == 3


def test_dimension_history_covers_every_year_with_rank_group_and_change(
    coordinator_client: Client, plan: Any
) -> None:
    response = _get(coordinator_client, plan, "egovernance")

    history = {
        year: (
            str(round_half_up(entry.current.score, 2)),
            entry.current.rank,
            entry.current.count,
            entry.current.group,
            entry.rank_change,
        )
        for year, entry in response.context["history_rows"]
    }
    assert history == {
        2018: ("2.47", 56, 63, 4, None),
        2019: ("2.95", 44, 63, 3, 12),
        2020: ("2.40", 55, 63, 4, -11),
        2021: ("2.94", 26, 60, 2, 29),
        2022: ("3.01", 35, 62, 3, -9),
        2023: ("2.92", 51, 61, 4, -16),
        2024: ("2.90", 58, 61, 4, -7),
    }


def test_dimension_history_chart_has_target_and_baseline_lines(
    coordinator_client: Client, plan: Any
) -> None:
    response = _get(coordinator_client, plan, "egovernance")

    data = embedded_json(response, "history-data")
    assert 'id="history-chart"' in response.content.decode()
    assert data["years"] == [2018, 2019, 2020, 2021, 2022, 2023, 2024]
    assert data["series"][0]["name"] == "Quảng Nam"
    assert data["series"][0]["values"][2] == "2.4000"
    assert data["lines"] == [
        {"name": "Mục tiêu 2020", "value": "3.8000"},
        {"name": "Năm gốc 2019", "value": "2.9474"},
    ]


def test_dimension_page_warns_that_2018_ranks_are_computed(
    coordinator_client: Client, plan: Any
) -> None:
    response = _get(coordinator_client, plan, "participation")

    html = response.content.decode()
    assert "không phải số liệu chính thức năm 2018" in html
    assert "kiểm tra số 21" in html


def test_dimension_page_of_the_aggregate_has_no_tasks(
    coordinator_client: Client, plan: Any
) -> None:
    response = _get(coordinator_client, plan, "overall")

    assert response.status_code == 200
    assert task_labels(response) == []
    assert "43,26" in response.content.decode()


def test_unknown_dimension_is_404(coordinator_client: Client, plan: Any) -> None:
    assert _get(coordinator_client, plan, "nope").status_code == 404


def test_dimension_of_unknown_plan_is_404(coordinator_client: Client) -> None:
    url = reverse("web:dimension_detail", args=[999_999, "egovernance"])

    assert coordinator_client.get(url).status_code == 404


def test_dimension_page_query_count_is_fixed(
    coordinator_client: Client, plan: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(17):
        _get(coordinator_client, plan, "services")
