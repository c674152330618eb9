"""The API's common rules (papitrack/api/base.py): a user by default, public operations
throttled per client address, numbers typed as text read like the web form reads them."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from papitrack.api.base import DECIMAL_AMBIGUOUS, DECIMAL_INVALID, THROTTLED
from papitrack.reports.enums import ReportStatus
from papitrack.reports.models import KpiValue
from tests.api.test_reports_api import token_for
from tests.reports.helpers import report_for

pytestmark = pytest.mark.django_db

# The operations anyone may call: published documents and signing in. Anything else needs a
# user; an operation added without auth would need a deliberate entry here.
PUBLIC_OPERATIONS = {
    "POST /api/v1/auth/token",
    "GET /api/v1/provinces",
    "GET /api/v1/provinces/{code}/scores",
    "GET /api/v1/plans",
    "GET /api/v1/plans/{plan_id}",
    "GET /api/v1/plans/{plan_id}/evaluation",
    "GET /api/v1/surveys/questionnaires",
    "GET /api/v1/surveys/questionnaires/{version}/codebook",
}
# Documentation addresses (RFC 5737): only header values here, no traffic.
ADDRESS, OTHER_ADDRESS = "203.0.113.7", "203.0.113.8"


def test_every_operation_needs_a_user_unless_declared_public(client):
    schema = client.get("/api/v1/openapi.json").json()

    public = {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if not operation.get("security")
    }

    assert public == PUBLIC_OPERATIONS


def test_public_operations_list_429_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()

    assert schema["paths"]["/api/v1/provinces"]["get"]["responses"]["429"]["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
    }
    assert "429" not in schema["paths"]["/api/v1/reports"]["get"]["responses"]


@pytest.fixture
def low_rate(settings: Any) -> None:
    settings.API_ANONYMOUS_RATE = "3/m"
    # A cache of the test's own: counts from other tests cannot leak in or out.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "papitrack-throttle-test",
        }
    }


def test_public_operations_are_throttled_per_client_address(client, low_rate):
    answers = [client.get("/api/v1/provinces", REMOTE_ADDR=ADDRESS) for _ in range(4)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    seconds = int(refused["Retry-After"])
    assert 1 <= seconds <= 60
    assert refused.json() == {"detail": THROTTLED.format(seconds=seconds), "errors": []}
    assert client.get("/api/v1/plans", REMOTE_ADDR=ADDRESS).status_code == 429
    assert client.get("/api/v1/provinces", REMOTE_ADDR=OTHER_ADDRESS).status_code == 200


def test_throttle_counts_the_address_from_the_proxy_header(client, low_rate, settings):
    settings.CLIENT_ADDRESS_HEADER = "X-Real-IP"

    for _ in range(3):
        client.get("/api/v1/provinces", HTTP_X_REAL_IP=ADDRESS)
    other = client.get("/api/v1/provinces", HTTP_X_REAL_IP=OTHER_ADDRESS)
    same = client.get("/api/v1/provinces", HTTP_X_REAL_IP=ADDRESS)

    assert (other.status_code, same.status_code) == (200, 429)


def test_sign_in_and_signed_in_calls_are_not_throttled_per_address(client, low_rate):
    for _ in range(3):
        client.get("/api/v1/provinces")

    tokens = [token_for(client, "demo-commune") for _ in range(4)]
    reports = [
        client.get("/api/v1/reports?limit=1", HTTP_AUTHORIZATION=f"Bearer {token}")
        for token in tokens
    ]

    assert [answer.status_code for answer in reports] == [200, 200, 200, 200]
    assert client.get("/api/v1/provinces").status_code == 429


# --- numbers typed as text ------------------------------------------------------------------


def patch_numerator(client: Client, numerator: Any) -> tuple[Any, Any]:
    report = report_for("D2-T6", "20605")
    assert report.status == ReportStatus.DRAFT
    body = {
        "version": report.version,
        "values": [{"kpi_code": "D2-T6-K1", "numerator": numerator, "denominator": "2000"}],
    }
    response = client.patch(
        f"/api/v1/reports/{report.pk}",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_for(client, 'demo-commune')}",
    )
    return report, response


def stored_numerator(report: Any) -> Decimal | None:
    value = KpiValue.objects.filter(report=report, kpi__code="D2-T6-K1").first()
    return value.numerator if value else None


def test_api_refuses_a_thousands_dot_it_cannot_tell_from_a_decimal_point(client):
    report, response = patch_numerator(client, "1.250")

    assert response.status_code == 422
    assert response.json()["errors"] == [
        "body.body.values.0.numerator: " + DECIMAL_AMBIGUOUS.format(text="1.250")
    ]
    assert stored_numerator(report) is None


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("1250", Decimal(1250)),
        ("12,5", Decimal("12.5")),
        ("1.250,5", Decimal("1250.5")),
        (12.5, Decimal("12.5")),
        (1250, Decimal(1250)),
    ],
)
def test_api_reads_decimal_commas_and_json_numbers(client, sent, stored):
    report, response = patch_numerator(client, sent)

    assert response.status_code == 200, response.content
    assert stored_numerator(report) == stored


@pytest.mark.parametrize("sent", ["mười", "1,234.5", "NaN"])
def test_api_refuses_text_that_is_no_number_in_vietnamese(client, sent):
    _, response = patch_numerator(client, sent)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        "body.body.values.0.numerator: " + DECIMAL_INVALID.format(text=sent)
    ]
