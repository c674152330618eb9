"""Fuzzing the API against its own OpenAPI schema (schemathesis, in-process, quality R4).

Every operation is called with generated input as the demo coordinator (who may see most):
no answer may be a server error, and every answer must be documented (status code, content
type, body schema).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Few examples per operation keep the whole run within about a minute.
EXAMPLES_PER_OPERATION = 8


@pytest.fixture
def bearer(db: None) -> dict[str, str]:
    from papitrack.accounts.models import ApiToken, User
    from papitrack.accounts.services import API_TOKEN_LIFETIME, hash_token

    key = "schemathesis-coordinator"
    ApiToken.objects.create(
        user=User.objects.get(username="demo-coordinator"),
        key_hash=hash_token(key),
        expires_at=timezone.now() + API_TOKEN_LIFETIME,
    )
    return {"Authorization": f"Bearer {key}"}


# Loaded once at import, in-process: the schema endpoint needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture(autouse=True)
def _in_test_transaction(settings: Any, tmp_path: Any) -> Any:
    """Keep the test's database connection open across requests, as Django's test client
    does (a bare WSGI handler closes it at the end of each request); store evidence a
    generated request might upload in a throwaway folder."""
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_conform_to_the_schema(case: Any, bearer: dict[str, str]) -> None:
    case.call_and_validate(headers=bearer, checks=CHECKS)
