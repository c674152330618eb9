from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.helpers import embedded_json

pytestmark = pytest.mark.django_db


def _explore(client: Client, **params: str) -> Any:
    return client.get(reverse("web:papi_explorer"), params)


def test_explorer_2020_overall_ranks_63_provinces(coordinator_client: Client) -> None:
    response = _explore(coordinator_client, year="2020", dimension="overall")

    rows = response.context["rows"]
    quang_nam = next(row for row in rows if row.province_code == "49")
    assert response.status_code == 200
    assert len(rows) == 63
    assert (quang_nam.rank, quang_nam.count, quang_nam.group) == (21, 63, 2)
    assert [row.rank for row in rows[:3]] == [1, 2, 3]
    assert response.context["group_status"] == "official"
    assert response.context["legend"][0] == (1, "Nhóm đạt điểm cao nhất", 16)


def test_explorer_highlights_the_home_province_and_marks_ties(coordinator_client: Client) -> None:
    response = _explore(coordinator_client, year="2020", dimension="overall")

    html = response.content.decode()
    assert 'class="group-2 home-row" data-province="49"' in html
    assert "43,26" in html
    assert 'title="Điểm đầy đủ: 43,262333"' in html
    assert html.count('class="tie-marker"') == sum(
        row.tied_at_two_decimals for row in response.context["rows"]
    )
    assert "chính thức" in html
    assert reverse("web:province_history", args=["49"]) in html


def test_explorer_2021_has_60_provinces_and_assumed_groups(coordinator_client: Client) -> None:
    response = _explore(coordinator_client, year="2021", dimension="overall")

    assert len(response.context["rows"]) == 60
    assert response.context["group_status"] == "assumed"
    assert "giả định" in response.content.decode()


def test_explorer_defaults_to_latest_year_overall(coordinator_client: Client) -> None:
    response = _explore(coordinator_client)

    assert (response.context["year"], response.context["dimension"].code) == (2024, "overall")
    assert len(response.context["rows"]) == 61


def test_explorer_warns_about_computed_2018_ranks(coordinator_client: Client) -> None:
    response = _explore(coordinator_client, year="2018", dimension="corruption")

    html = response.content.decode()
    assert response.context["caveat_2018"] != ""
    assert "không phải số liệu chính thức năm 2018" in html


def test_explorer_rejects_an_unknown_year(coordinator_client: Client) -> None:
    response = _explore(coordinator_client, year="1999", dimension="egovernance")

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"year"}
    assert (response.context["year"], response.context["dimension"].code) == (2024, "egovernance")


def test_explorer_table_is_sortable(coordinator_client: Client) -> None:
    response = _explore(coordinator_client, year="2020")

    html = response.content.decode()
    assert "papitrack/sort.js" in html
    assert '<table class="table table-sm align-middle score-table" data-sortable>' in html
    assert 'data-sort-value="43.2623330"' in html


def test_explorer_query_count_is_fixed(
    coordinator_client: Client, django_assert_max_num_queries: Any
) -> None:
    # 10 + the read of the scores' version on which the cached ranks are keyed.
    with django_assert_max_num_queries(11):
        _explore(coordinator_client, year="2020", dimension="procedures")


def test_province_history_tables_every_year_and_dimension(coordinator_client: Client) -> None:
    response = coordinator_client.get(reverse("web:province_history", args=["49"]))

    sections = response.context["sections"]
    assert response.status_code == 200
    assert [dimension.code for dimension, _ in sections][:2] == ["overall", "participation"]
    assert len(sections) == 9
    overall_rows = dict(sections[0][1])
    assert sorted(overall_rows) == [2018, 2019, 2020, 2021, 2022, 2023, 2024]
    assert (overall_rows[2020].current.rank, overall_rows[2020].rank_change) == (21, 1)


def test_province_history_chart_has_the_overall_line(coordinator_client: Client) -> None:
    response = coordinator_client.get(reverse("web:province_history", args=["49"]))

    data = embedded_json(response, "province-data")
    assert 'id="province-chart"' in response.content.decode()
    assert data["years"] == [2018, 2019, 2020, 2021, 2022, 2023, 2024]
    assert data["series"][0]["values"][1:3] == ["44.3318", "43.2623"]
    assert data["lines"] == []


def test_province_history_shows_missing_years_as_no_data(coordinator_client: Client) -> None:
    # Quảng Ninh (22) has no 2018, 2021 or 2023 rows in the files.
    response = coordinator_client.get(reverse("web:province_history", args=["22"]))

    data = embedded_json(response, "province-data")
    overall_rows = dict(response.context["sections"][0][1])
    assert data["series"][0]["values"][0] is None
    assert [year for year, entry in overall_rows.items() if entry is None] == [2018, 2021, 2023]
    assert "Không có số liệu" in response.content.decode()


def test_province_history_of_a_non_province_is_404(coordinator_client: Client) -> None:
    response = coordinator_client.get(reverse("web:province_history", args=["QNA-SNV"]))

    assert response.status_code == 404


def test_province_history_query_count_is_fixed(
    coordinator_client: Client, django_assert_max_num_queries: Any
) -> None:
    # 10 + the read of the scores' version on which the cached ranks are keyed.
    with django_assert_max_num_queries(11):
        coordinator_client.get(reverse("web:province_history", args=["01"]))
