from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.helpers import task_labels

pytestmark = pytest.mark.django_db

ALL_LABELS = [
    "I.1",
    *(f"II.{number}" for number in range(1, 8)),
    *(f"III.{number}" for number in range(1, 6)),
    *(f"IV.{number}" for number in range(1, 7)),
    *(f"V.{number}" for number in range(1, 7)),
    *(f"VI.{number}" for number in range(1, 9)),
    "VII.1",
    "VII.2",
    "IX.1",
    "IX.2",
    "IX.2",
    "IX.5",
]
QUAN_TRI_KEYS = ["D1-T1", "D2-T1", "D3-T2", "D3-T5", "D4-T3", "D6-T1", "D6-T8", "D7-T2"]


def _list(client: Client, plan: Any, **params: str) -> Any:
    return client.get(reverse("web:task_list", args=[plan.pk]), params)


def test_unfiltered_list_shows_all_39_tasks_in_plan_order(
    coordinator_client: Client, plan: Any
) -> None:
    response = _list(coordinator_client, plan)

    html = response.content.decode()
    assert response.status_code == 200
    assert task_labels(response) == ALL_LABELS
    assert "39 nhiệm vụ" in html


def test_list_shows_kpi_leads_implementers_and_timeline(
    coordinator_client: Client, plan: Any
) -> None:
    response = _list(coordinator_client, plan, dimension="transparency")

    html = response.content.decode()
    assert "100% UBND cấp xã công khai." in html
    assert "Sở LĐ-TB&amp;XH" in html
    assert "UBND cấp xã" in html
    assert "Định kỳ theo quy định" in html
    assert reverse("web:unit_detail", args=["QNA-SLDTBXH"]) in html


def test_long_titles_are_truncated_with_the_full_text_on_hover(
    coordinator_client: Client, plan: Any, task_by_key: Any
) -> None:
    title = task_by_key("D1-T1").title

    response = _list(coordinator_client, plan, dimension="participation")

    html = response.content.decode()
    assert f'title="{title}"' in html
    assert f">{title}<" not in html


def test_dimension_filter_keeps_the_printed_duplicate_numbers(
    coordinator_client: Client, plan: Any
) -> None:
    response = _list(coordinator_client, plan, dimension="egovernance")

    assert task_labels(response) == ["IX.1", "IX.2", "IX.2", "IX.5"]
    assert "4 nhiệm vụ" in response.content.decode()


def test_lead_filter_by_unit_code(coordinator_client: Client, plan: Any) -> None:
    response = _list(coordinator_client, plan, lead="QNA-SLDTBXH")

    assert task_labels(response) == ["II.1", "II.2", "II.3"]


def test_lead_filter_by_level(coordinator_client: Client, plan: Any) -> None:
    response = _list(coordinator_client, plan, lead="level:district")

    assert task_labels(response) == ["I.1", "II.4", "II.5", "II.7", "V.2", "V.6"]


def test_implementer_and_dimension_filters_combine(coordinator_client: Client, plan: Any) -> None:
    response = _list(
        coordinator_client, plan, implementer="level:commune", dimension="transparency"
    )

    assert task_labels(response) == [f"II.{number}" for number in range(1, 8)]


def test_implementer_filter_by_group(coordinator_client: Client, plan: Any) -> None:
    response = _list(coordinator_client, plan, implementer="group:mass_organisations")

    assert task_labels(response) == ["VI.1"]


def test_timeline_filter(coordinator_client: Client, plan: Any) -> None:
    response = _list(coordinator_client, plan, timeline="by_quarter")

    assert task_labels(response) == ["V.4", "IX.2", "IX.2", "IX.5"]


def test_search_matches_every_folded_word(coordinator_client: Client, plan: Any) -> None:
    # No task row prints the phrase "quản trị"; the search matches each word on its own
    # ("quản lý", "triển khai"), as the filter is specified.
    expected = [
        task.key
        for task in plan.tasks.order_by("position")
        if "quan" in task.search_text and "tri" in task.search_text
    ]

    response = _list(coordinator_client, plan, q="quan tri")

    assert [task.key for task in response.context["tasks"]] == expected == QUAN_TRI_KEYS
    assert "8 nhiệm vụ" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["quản trị", "QUẢN TRỊ", unicodedata.normalize("NFD", "quản trị"), "  Quan   TRI "],
)
def test_search_spellings_find_the_same_tasks(
    coordinator_client: Client, plan: Any, query: str
) -> None:
    response = _list(coordinator_client, plan, q=query)

    assert [task.key for task in response.context["tasks"]] == QUAN_TRI_KEYS


def test_search_folds_d_with_stroke(coordinator_client: Client, plan: Any) -> None:
    accented = _list(coordinator_client, plan, q="đất đai")
    plain = _list(coordinator_client, plan, q="dat dai")

    assert task_labels(accented) == task_labels(plain) == ["I.1", "V.6"]


def test_search_for_a_phrase_of_one_task_group(coordinator_client: Client, plan: Any) -> None:
    response = _list(coordinator_client, plan, q="hộ nghèo")

    assert task_labels(response) == ["II.1", "II.2", "II.3"]


def test_invalid_filter_is_reported_and_ignored(coordinator_client: Client, plan: Any) -> None:
    response = _list(coordinator_client, plan, dimension="nope", lead="QNA-SLDTBXH")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Một số điều kiện lọc không hợp lệ" in html
    assert task_labels(response) == ["II.1", "II.2", "II.3"]


def test_filter_options_list_only_assignees_the_plan_uses(
    coordinator_client: Client, plan: Any
) -> None:
    response = _list(coordinator_client, plan)

    form = response.context["form"]
    lead_values = {value for _, options in form.fields["lead"].choices[1:] for value, _ in options}
    implementer_values = {
        value for _, options in form.fields["implementer"].choices[1:] for value, _ in options
    }
    assert len(lead_values) == 19
    assert {"QNA-SLDTBXH", "QNA-SNV", "level:district"} <= lead_values
    assert "QNA-BQN" not in lead_values
    assert {"QNA-BQN", "level:commune", "group:departments", "group:relevant_units"} <= (
        implementer_values
    )
    assert "QNA-SKHDT" not in lead_values | implementer_values


def test_navigation_link_opens_the_latest_plan_tasks(coordinator_client: Client, plan: Any) -> None:
    response = coordinator_client.get(reverse("web:latest_task_list"))

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("web:task_list", args=[plan.pk]),
    )


def test_task_list_of_unknown_plan_is_404(coordinator_client: Client) -> None:
    assert coordinator_client.get(reverse("web:task_list", args=[999_999])).status_code == 404


def test_task_list_query_count_is_fixed(
    coordinator_client: Client, plan: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(12):
        _list(coordinator_client, plan)
    with django_assert_max_num_queries(12):
        _list(coordinator_client, plan, q="quan tri", implementer="level:commune")
