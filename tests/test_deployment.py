"""Production configuration (quality R6): check --deploy, headers, cookies, health, settings."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from papitrack.middleware import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY, TOO_LARGE

ROOT = Path(django_settings.BASE_DIR)
PRODUCTION_HOST = "papitrack.example.gov.vn"
SECURITY_SETTINGS = (
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "REQUIRE_TWO_FACTOR",
)


def production_environment(tmp_path: Path) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PAPITRACK_", "SECURE_", "SESSION_", "DEBUG", "DJANGO_"))
    }
    environment.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "PAPITRACK_PRODUCTION": "1",
            "ALLOWED_HOSTS": PRODUCTION_HOST,
            "CSRF_TRUSTED_ORIGINS": f"https://{PRODUCTION_HOST}",
            "PAPITRACK_VAR_DIR": str(tmp_path),
        }
    )
    return environment


def run_python(arguments: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py, fixed arguments
        [sys.executable, *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def production_settings(tmp_path_factory: Any) -> dict[str, Any]:
    """The security settings papitrack/settings.py computes from the production environment."""
    script = (
        "import json, papitrack.settings as s; "
        f"print(json.dumps({{name: getattr(s, name) for name in {list(SECURITY_SETTINGS)!r}}}))"
    )
    completed = run_python(["-c", script], production_environment(tmp_path_factory.mktemp("v")))
    assert completed.returncode == 0, completed.stderr
    values = json.loads(completed.stdout)
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def test_check_deploy_passes_with_the_production_environment(tmp_path):
    completed = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_environment(tmp_path),
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "System check identified no issues" in completed.stdout


def test_production_refuses_the_development_secret(tmp_path):
    environment = production_environment(tmp_path)
    del environment["SECRET_KEY"]
    environment["PAPITRACK_ALLOW_DEV_SECRET"] = "1"

    completed = run_python(["manage.py", "check"], environment)

    assert completed.returncode != 0
    assert "Production needs its own SECRET_KEY" in completed.stderr


def test_production_settings_turn_on_https_and_two_factor(production_settings):
    assert production_settings == {
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "REQUIRE_TWO_FACTOR": True,
    }


@pytest.fixture
def production(settings: Any, production_settings: dict[str, Any]) -> None:
    for name, value in production_settings.items():
        setattr(settings, name, value)
    settings.ALLOWED_HOSTS = [PRODUCTION_HOST]


def https_client(**kwargs: Any) -> Client:
    """A browser behind the reverse proxy: HTTPS said by X-Forwarded-Proto."""
    return Client(HTTP_HOST=PRODUCTION_HOST, HTTP_X_FORWARDED_PROTO="https", **kwargs)


@pytest.mark.django_db
def test_production_response_carries_the_security_headers(production):
    response = https_client().get(reverse("login"))

    assert response.status_code == 200
    headers = {
        name: response.headers.get(name)
        for name in (
            "Strict-Transport-Security",
            "Content-Security-Policy",
            "Permissions-Policy",
            "X-Content-Type-Options",
            "Referrer-Policy",
            "X-Frame-Options",
            "Cross-Origin-Opener-Policy",
        )
    }
    assert headers == {
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "Permissions-Policy": PERMISSIONS_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


@pytest.mark.django_db
def test_production_cookies_are_secure_httponly_and_same_site(production):
    client = https_client()
    page = client.get(reverse("login"))
    signed_in = client.post(
        reverse("login"),
        {
            "username": "demo-commune",
            "password": "papitrack-demo",
            "csrfmiddlewaretoken": str(page.context["csrf_token"]),
        },
    )

    assert signed_in.status_code == 302
    for cookie in (page.cookies["csrftoken"], signed_in.cookies["sessionid"]):
        assert (cookie["secure"], cookie["httponly"], cookie["samesite"]) == (True, True, "Lax")


@pytest.mark.django_db
def test_production_redirects_plain_http_to_https_but_not_the_health_probe(production):
    plain = Client(HTTP_HOST=PRODUCTION_HOST)

    redirect = plain.get("/accounts/login/")
    health = plain.get("/healthz")

    assert (redirect.status_code, redirect["Location"]) == (
        301,
        f"https://{PRODUCTION_HOST}/accounts/login/",
    )
    assert health.status_code == 200


@pytest.mark.django_db
def test_development_responses_also_carry_csp(client):
    response = client.get(reverse("login"))

    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.django_db
def test_server_error_shows_no_debug_page(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    with mock.patch("papitrack.web.views.health.connection") as connection:
        connection.cursor.side_effect = RuntimeError("secret detail")
        response = client.get("/healthz")

    body = response.content.decode()
    assert response.status_code == 500
    assert "secret detail" not in body
    assert "Traceback" not in body


# --- health ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_answers_ok_without_login(client):
    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_health_answers_503_when_the_database_is_down(client):
    with mock.patch("papitrack.web.views.health.connection") as connection:
        connection.cursor.side_effect = OperationalError("connection refused")
        response = client.get("/healthz")

    assert (response.status_code, response.json()) == (
        503,
        {"status": "unavailable", "database": "down"},
    )


# --- oversize bodies -------------------------------------------------------------------------


@pytest.mark.django_db
def test_oversize_body_is_refused_with_413_before_parsing(client, settings):
    settings.PAPITRACK_MAX_REQUEST_BYTES = 1024 * 1024
    with mock.patch("django.middleware.csrf.CsrfViewMiddleware.process_view") as csrf:
        response = client.post(
            reverse("login"), data="x" * 10, content_type="text/plain", CONTENT_LENGTH="2097152"
        )

    assert response.status_code == 413
    assert response.content.decode() == TOO_LARGE.format(size="2,0", limit="1")
    csrf.assert_not_called()


@pytest.mark.django_db
def test_oversize_api_body_gets_a_json_413(client, settings):
    settings.PAPITRACK_MAX_REQUEST_BYTES = 1000

    response = client.post(
        "/api/v1/auth/token", data="{}", content_type="application/json", CONTENT_LENGTH="5000"
    )

    assert response.status_code == 413
    assert response.json()["detail"].startswith("Yêu cầu quá lớn")


# --- every setting is documented -------------------------------------------------------------


def test_every_environment_variable_is_in_env_example():
    source = (ROOT / "papitrack" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env_(?:str|bool|int)\(\s*"([A-Z0-9_]+)"', source))
    read |= set(re.findall(r'db_url\(\s*"([A-Z0-9_]+)"', source))
    documented = set(
        re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE)
    )

    assert sorted(read - documented) == []


def test_deployment_guide_names_every_production_variable():
    guide = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    for name in (
        "PAPITRACK_PRODUCTION",
        "DATABASE_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "PAPITRACK_EVIDENCE_ROOT",
        "PAPITRACK_REQUIRE_2FA",
        "client_max_body_size",
        "check --deploy",
        "/healthz",
        "gunicorn",
    ):
        assert name in guide, name
