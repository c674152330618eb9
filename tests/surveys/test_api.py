"""The survey endpoints of the JSON API."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_codebook_endpoint_is_public_and_complete(client, demo_survey):
    response = client.get("/api/v1/surveys/questionnaires/papi-aligned-v1/codebook")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "papi-aligned-v1"
    assert "không phải bảng hỏi PAPI chính thức" in body["notice_vi"]
    assert len(body["items"]) == 84
    reversed_item = next(item for item in body["items"] if item["code"] == "q4_2_a")
    assert (reversed_item["dimension"], reversed_item["subdimension"]) == ("corruption", "4.2")
    assert reversed_item["reverse"] is True
    assert [(a["code"], a["score"]) for a in reversed_item["answers"]] == [
        ("1", "0"),
        ("0", "1"),
        ("98", "thiếu"),
    ]
    visits = next(item for item in body["items"] if item["code"] == "q5_1_b")
    assert [(a["code"], a["score"]) for a in visits["answers"]] == [
        ("1–2", "1"),
        ("1–30 (ngoài ngưỡng)", "0"),
        ("98", "thiếu"),
    ]
    assert client.get("/api/v1/surveys/questionnaires/nope/codebook").status_code == 404


def test_survey_endpoints_need_a_user(client, demo_survey):
    assert client.get("/api/v1/surveys").status_code == 401
    assert client.get(f"/api/v1/surveys/{demo_survey.pk}").status_code == 401


def test_survey_estimates_match_the_page(coordinator_client, demo_survey):
    listing = coordinator_client.get("/api/v1/surveys").json()
    assert [item["name"] for item in listing] == [demo_survey.name]
    body = coordinator_client.get(f"/api/v1/surveys/{demo_survey.pk}?level=overall").json()
    assert body["respondents"] == 1728
    assert body["published_year"] == 2024
    assert len(body["estimates"]) == 19
    province = next(row for row in body["estimates"] if row["unit_code"] == "49")
    comparison = body["comparisons"][0]
    assert comparison["code"] == "overall"
    assert (comparison["estimate"], comparison["ci_low"], comparison["ci_high"]) == (
        province["estimate"],
        province["ci_low"],
        province["ci_high"],
    )
    assert comparison["plan_target"]["reference"] == "46.5"
    assert comparison["published"]["reference"] == "41.00446"
    assert comparison["published"]["verdict"] in {"above", "within", "below"}
    assert coordinator_client.get("/api/v1/surveys/999999").status_code == 404
