"""The read-only JSON API: public documents, answers validated against the OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def openapi(django_db_blocker) -> dict[str, Any]:
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def validate(openapi: dict[str, Any], path: str, status: int, body: Any) -> None:
    """Validate a response body against the schema the OpenAPI document declares for it."""
    operation = openapi["paths"][path]["get"]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    registry = Registry().with_resource(
        "urn:openapi",
        Resource.from_contents(
            {
                "components": openapi["components"],
                "$schema": "https://json-schema.org/draft/2020-12/schema",
            }
        ),
    )
    rooted = (
        {"$ref": "urn:openapi#/components/schemas/" + schema["$ref"].split("/")[-1]}
        if "$ref" in schema
        else _rewrite(schema)
    )
    Draft202012Validator(rooted, registry=registry).validate(body)


def _rewrite(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {
            key: ("urn:openapi" + value if key == "$ref" else _rewrite(value))
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_rewrite(item) for item in schema]
    return schema


def test_every_endpoint_is_documented(openapi, settings):
    """docs/api.md names every path of the schema, with its method."""
    documented = (settings.BASE_DIR / "docs" / "api.md").read_text(encoding="utf-8")
    assert openapi["openapi"].startswith("3.")
    required = {
        "/api/v1/provinces",
        "/api/v1/provinces/{code}/scores",
        "/api/v1/plans",
        "/api/v1/plans/{plan_id}",
        "/api/v1/plans/{plan_id}/evaluation",
        "/api/v1/auth/token",
        "/api/v1/reports",
        "/api/v1/reports/{report_id}",
    }
    assert required <= set(openapi["paths"])
    missing = [
        f"{method.upper()} {path}"
        for path, operations in openapi["paths"].items()
        for method in operations
        if f"`{method.upper()} {path}`" not in documented
    ]
    assert missing == []


def test_provinces_lists_63_with_official_codes(client, openapi):
    response = client.get("/api/v1/provinces")
    body = response.json()
    validate(openapi, "/api/v1/provinces", 200, body)
    assert len(body) == 63
    quang_nam = next(province for province in body if province["code"] == "49")
    assert quang_nam["short_name"] == "Quảng Nam"
    assert quang_nam["successor_codes"] == ["2025-48"]


def test_province_scores_for_a_year(client, openapi):
    response = client.get("/api/v1/provinces/49/scores?year=2020")
    assert response.status_code == 200
    body = response.json()
    validate(openapi, "/api/v1/provinces/{code}/scores", 200, body)
    assert body["year"] == 2020
    assert [score["dimension"] for score in body["scores"]] == [
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
    overall = body["scores"][0]
    assert (overall["score"], overall["rank"], overall["group"], overall["count"]) == (
        "43.262333",
        21,
        2,
        63,
    )
    assert overall["group_sizes"] == [16, 16, 15, 16]


def test_province_scores_default_to_latest_year_and_missing_is_404(client):
    assert client.get("/api/v1/provinces/49/scores").json()["year"] == 2024
    missing = client.get("/api/v1/provinces/22/scores?year=2021")  # Quảng Ninh, not in 2021
    assert missing.status_code == 404
    assert "chưa có điểm" in missing.json()["detail"]
    assert client.get("/api/v1/provinces/00/scores").status_code == 404
    assert client.get("/api/v1/provinces/49/scores?year=abc").status_code == 422


def test_plans_and_plan_detail(client, openapi, plan):
    listing = client.get("/api/v1/plans").json()
    validate(openapi, "/api/v1/plans", 200, listing)
    assert [item["number"] for item in listing] == ["4055/KH-UBND"]
    assert listing[0]["task_count"] == 39
    detail = client.get(f"/api/v1/plans/{plan.id}").json()
    validate(openapi, "/api/v1/plans/{plan_id}", 200, detail)
    assert len(detail["tasks"]) == 39
    targets = {target["dimension"]: target["score"] for target in detail["targets"]}
    assert targets["overall"] == "46.5"
    assert targets["egovernance"] == "3.8"
    ii2 = next(task for task in detail["tasks"] if task["key"] == "D2-T2")
    assert ii2["leads"][0]["unit_code"] == "QNA-SLDTBXH"
    assert {ref["level"] for ref in ii2["implementers"]} == {"district", "commune"}
    assert client.get("/api/v1/plans/999999").status_code == 404


def test_plan_evaluation(client, openapi, plan):
    body = client.get(f"/api/v1/plans/{plan.id}/evaluation").json()
    validate(openapi, "/api/v1/plans/{plan_id}/evaluation", 200, body)
    rows = {row["dimension"]: row for row in body["rows"]}
    assert set(rows) >= {"overall", "transparency", "egovernance"}
    overall = rows["overall"]
    assert {
        key: overall[key]
        for key in (
            "baseline",
            "target",
            "actual",
            "met",
            "actual_rank",
            "actual_group",
            "target_group",
        )
    } == {
        "baseline": "44.331825",
        "target": "46.5",
        "actual": "43.262333",
        "met": False,
        "actual_rank": 21,
        "actual_group": 2,
        "target_group": 2,
    }
    assert rows["transparency"]["actual_group"] == 3
    assert rows["transparency"]["target_group"] == 1


def test_api_is_readable_without_login(client, plan):
    assert client.get(f"/api/v1/plans/{plan.id}/evaluation").status_code == 200
