"""Monitoring through the API: schema, figures equal to the pages', permissions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from papitrack.reports.models import Report
from papitrack.tasks.models import Task
from tests.api.test_api import openapi, validate  # noqa: F401 - the module's schema fixture

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_task_rollup(province_admin, openapi):  # noqa: F811
    task = Task.objects.get(key="D3-T1")
    path = f"/api/v1/tasks/{task.pk}/rollup"

    response = signed_in(province_admin).get(path, {"period": "2020Q3", "unit": "508"})

    assert response.status_code == 200, response.content
    body = response.json()
    validate(openapi, "/api/v1/tasks/{task_id}/rollup", 200, body)
    assert (body["unit"]["code"], body["period"]["code"]) == ("508", "2020Q3")
    first = body["task"]["kpis"][0]
    children = [child["kpis"][0] for child in body["children"]]
    assert Decimal(first["numerator"]) == sum(
        Decimal(child["numerator"]) for child in children if child["numerator"] is not None
    )
    assert first["expected_units"] == sum(child["expected_units"] for child in children)
    assert first["ratio"] == str(Decimal(first["numerator"]) / Decimal(first["denominator"]))
    expected = Report.objects.filter(task=task, period__code="2020Q3", unit__code="508").count()
    expected += Report.objects.filter(
        task=task, period__code="2020Q3", unit__parent__code="508"
    ).count()
    assert body["task"]["states"]["expected"] == expected


def test_completeness(province_admin, openapi):  # noqa: F811
    response = signed_in(province_admin).get(
        "/api/v1/completeness", {"period": "2020Q3", "level": "commune", "unit": "508"}
    )

    body = response.json()
    validate(openapi, "/api/v1/completeness", 200, body)
    communes = Report.objects.filter(
        period__code="2020Q3", unit__parent__code="508", unit__kind="commune"
    )
    assert body["total"]["expected"] == communes.count()
    assert body["total"]["received"] == communes.filter(first_submitted_at__isnull=False).count()
    assert {row["unit"]["kind"] for row in body["rows"]} == {"commune"}


def test_plan_status(province_admin, plan, openapi):  # noqa: F811
    response = signed_in(province_admin).get(
        f"/api/v1/plans/{plan.pk}/status", {"period": "2020Q3", "include_submitted": "true"}
    )

    body = response.json()
    validate(openapi, "/api/v1/plans/{plan_id}/status", 200, body)
    assert len(body["dimensions"]) == 8
    assert sum(len(d["tasks"]) for d in body["dimensions"]) == plan.tasks.count()
    assert body["include_submitted"] is True
    transparency = body["dimensions"][1]
    assert transparency["target_score"] is not None
    assert transparency["scores"][0]["year"] == 2018


def test_permissions_match_the_pages(user_named, plan):
    commune = signed_in(user_named("demo-commune"))
    outsider = signed_in(user_named("demo-outsider"))
    task = Task.objects.get(key="D2-T4")

    assert Client().get("/api/v1/completeness").status_code == 401
    assert commune.get("/api/v1/completeness").json()["unit"]["code"] == "20605"
    assert commune.get("/api/v1/completeness", {"unit": "508"}).status_code == 404
    assert outsider.get(f"/api/v1/tasks/{task.pk}/rollup", {"unit": "20605"}).status_code == 404
    assert (
        commune.get(f"/api/v1/plans/{plan.pk}/status", {"include_submitted": "true"}).status_code
        == 403
    )
    assert commune.get(f"/api/v1/plans/{plan.pk}/status").status_code == 200
    assert commune.get("/api/v1/completeness", {"level": "village"}).status_code == 404
    assert commune.get("/api/v1/completeness", {"period": "1999"}).status_code == 404
