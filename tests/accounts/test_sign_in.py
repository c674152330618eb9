"""Sign-in security (quality R7, R11): lockout in the database, audit, two-factor, sessions."""

from __future__ import annotations

import datetime
import json
import re
import time
from typing import Any

import pyotp
import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from papitrack.accounts.enums import LoginOutcome
from papitrack.accounts.models import LoginAttempt, TotpDevice
from papitrack.accounts.services import (
    BAD_CREDENTIALS,
    CODE_REQUIRED,
    ENROL_ON_WEB_FIRST,
    WRONG_CODE,
    locked_out_message,
)
from papitrack.audit.models import AuditEntry
from papitrack.middleware import SESSION_EXPIRED, SESSION_LAST_SEEN_AT, SESSION_STARTED_AT

pytestmark = pytest.mark.django_db

PASSWORD = "papitrack-demo"
LOGIN = "/accounts/login/"


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def token_response(client: Client, username: str, password: str = PASSWORD, otp: str = "") -> Any:
    body = {"username": username, "password": password, **({"otp": otp} if otp else {})}
    return client.post("/api/v1/auth/token", json.dumps(body), content_type="application/json")


@pytest.fixture
def new_audit(db: None) -> Any:
    """Audit entries written after the demo data: the test's own."""
    baseline = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return lambda: AuditEntry.objects.filter(id__gt=baseline).order_by("id")


def actions(entries: Any) -> list[str]:
    return list(entries.values_list("action", flat=True))


def form_errors(response: Any) -> list[str]:
    return list(response.context["form"].non_field_errors())


# --- lockout ---------------------------------------------------------------------------------


def test_five_failures_lock_the_username_even_for_the_right_password(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(5):
        assert form_errors(sign_in(client, "demo-commune", "sai-mat-khau")) == [BAD_CREDENTIALS]

    response = sign_in(client, "demo-commune")

    assert form_errors(response) == [locked_out_message()]
    assert "_auth_user_id" not in client.session
    outcomes = list(
        LoginAttempt.objects.filter(username="demo-commune")
        .order_by("id")
        .values_list("outcome", flat=True)
    )
    assert outcomes == [LoginOutcome.FAILED] * 5 + [LoginOutcome.LOCKED]


def test_lockout_counts_the_typed_name_case_and_unicode_insensitively(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    sign_in(client, "Demo-Commune", "x")
    sign_in(client, "DEMO-COMMUNE ", "x")

    assert form_errors(sign_in(client, "demo-commune")) == [locked_out_message()]


def test_lockout_ends_when_the_window_has_passed(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    sign_in(client, "demo-commune", "x")
    sign_in(client, "demo-commune", "x")
    LoginAttempt.objects.update(at=timezone.now() - datetime.timedelta(minutes=16))

    response = sign_in(client, "demo-commune")

    assert (response.status_code, response["Location"]) == (302, reverse("web:plan_list"))


def test_a_success_resets_the_count_for_the_username(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    sign_in(client, "demo-commune", "x")
    sign_in(client, "demo-commune", "x")
    sign_in(client, "demo-commune")
    client.post(reverse("logout"))
    sign_in(client, "demo-commune", "x")
    sign_in(client, "demo-commune", "x")

    assert sign_in(client, "demo-commune").status_code == 302


def test_many_failures_from_one_address_lock_that_address(client, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 3
    for name in ("a-1", "a-2", "a-3"):
        sign_in(client, name, "x", REMOTE_ADDR="203.0.113.7")

    locked = sign_in(client, "demo-commune", REMOTE_ADDR="203.0.113.7")
    elsewhere = sign_in(Client(), "demo-commune", REMOTE_ADDR="203.0.113.8")

    assert form_errors(locked) == [locked_out_message()]
    assert elsewhere.status_code == 302


def test_address_comes_from_the_configured_proxy_header(client, settings):
    settings.CLIENT_ADDRESS_HEADER = "X-Real-IP"
    sign_in(client, "demo-commune", "x", HTTP_X_REAL_IP="198.51.100.4")

    assert LoginAttempt.objects.get().address == "198.51.100.4"  # the only attempt


def test_api_token_is_throttled_with_429(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        assert token_response(client, "demo-commune", "x").status_code == 401

    response = token_response(client, "demo-commune")

    assert (response.status_code, response.json()) == (429, {"detail": locked_out_message()})


def test_web_failures_also_lock_the_api(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    sign_in(client, "demo-commune", "x")
    sign_in(client, "demo-commune", "x")

    assert token_response(client, "demo-commune").status_code == 429


# --- audit -----------------------------------------------------------------------------------


def test_success_failure_and_lockout_are_audited(client, settings, user_named, new_audit):
    settings.LOGIN_FAILURE_LIMIT = 2
    sign_in(client, "demo-commune")
    client.post(reverse("logout"))
    sign_in(client, "demo-commune", "x")
    sign_in(client, "demo-commune", "x")
    sign_in(client, "demo-commune", "x")

    entries = list(new_audit())
    assert [entry.action for entry in entries] == [
        "accounts.login",
        "accounts.login_failed",
        "accounts.login_failed",
        "accounts.lockout",
        "accounts.login_refused_locked",
    ]
    commune = user_named("demo-commune")
    assert (entries[0].actor, entries[0].unit) == (commune, commune.unit)
    assert {entry.actor for entry in entries[1:]} == {None}
    assert entries[1].comment == "demo-commune · 127.0.0.1 · Trang web"
    assert entries[1].object_type == "accounts.loginattempt"


def test_api_token_success_and_failure_are_audited(client, new_audit):
    token_response(client, "demo-lead", "x")
    token_response(client, "demo-lead")

    assert actions(new_audit()) == ["accounts.login_failed", "accounts.login"]
    assert new_audit().first().comment == "demo-lead · 127.0.0.1 · API"


def test_unknown_username_is_audited_like_a_wrong_password(client, new_audit):
    response = sign_in(client, "khong-co-ai", "x")

    assert form_errors(response) == [BAD_CREDENTIALS]
    assert list(new_audit().values_list("action", "actor", "comment")) == [
        ("accounts.login_failed", None, "khong-co-ai · 127.0.0.1 · Trang web")
    ]


# --- passwords and sessions ------------------------------------------------------------------


def test_passwords_need_twelve_characters_and_are_not_common(user_named):
    commune = user_named("demo-commune")
    with pytest.raises(ValidationError) as short:
        validate_password("Quang-Nam-1", user=commune)
    with pytest.raises(ValidationError):
        validate_password("password1234", user=commune)
    with pytest.raises(ValidationError):
        validate_password("123456789012345", user=commune)

    assert [error.code for error in short.value.error_list] == ["password_too_short"]
    assert validate_password("Hội An mùa nước nổi 2020", user=commune) is None


def signed_in_since(client: Client, *, started: float, last_seen: float) -> None:
    session = client.session
    session[SESSION_STARTED_AT] = started
    session[SESSION_LAST_SEEN_AT] = last_seen
    session.save()


def test_sign_in_starts_the_session_clock(client):
    before = time.time()
    sign_in(client, "demo-commune")

    session = client.session
    assert before <= session[SESSION_STARTED_AT] == session[SESSION_LAST_SEEN_AT] <= time.time()


def test_idle_session_is_logged_out(client, user_named):
    client.force_login(user_named("demo-commune"))
    signed_in_since(client, started=time.time() - 3600, last_seen=time.time() - 31 * 60)

    response = client.get(reverse("web:plan_list"), follow=True)

    assert response.redirect_chain[0] == (f"{LOGIN}?next=/", 302)
    assert SESSION_EXPIRED in response.content.decode()


def test_active_session_ends_after_its_absolute_lifetime(client, user_named, settings):
    settings.SESSION_COOKIE_AGE = 8 * 3600
    client.force_login(user_named("demo-commune"))
    signed_in_since(client, started=time.time() - 8 * 3600 - 1, last_seen=time.time() - 60)

    assert client.get(reverse("web:plan_list")).status_code == 302


def test_recent_activity_keeps_the_session_and_moves_the_idle_clock(client, user_named):
    client.force_login(user_named("demo-commune"))
    signed_in_since(client, started=time.time() - 3600, last_seen=time.time() - 29 * 60)

    assert client.get(reverse("web:plan_list")).status_code == 200
    assert time.time() - client.session[SESSION_LAST_SEEN_AT] < 60


def test_admin_sign_in_goes_through_the_throttled_page(client):
    response = client.get("/admin/login/?next=/admin/")

    assert (response.status_code, response["Location"]) == (302, f"{LOGIN}?next=/admin/")


# --- two-factor ------------------------------------------------------------------------------


@pytest.fixture
def two_factor_required(settings: Any) -> None:
    settings.REQUIRE_TWO_FACTOR = True
    settings.TWO_FACTOR_ROLES = ["coordinator", "lead_reviewer", "administrator"]


def enrol(client: Client) -> pyotp.TOTP:
    page = client.get(reverse("two_factor_setup"))
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.content.decode()).group(1)
    totp = pyotp.TOTP(secret.replace(" ", ""))
    response = client.post(reverse("two_factor_setup"), {"code": totp.now()})
    assert response.status_code == 302, response.content.decode()
    return totp


def next_code(totp: pyotp.TOTP) -> str:
    """The code of the next time step: accepted (clock drift) and newer than the one used."""
    return totp.at(time.time() + totp.interval)


def test_required_role_enrols_between_password_and_session(client, two_factor_required, new_audit):
    response = sign_in(client, "demo-coordinator")

    assert (response.status_code, response["Location"]) == (302, reverse("two_factor_setup"))
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("two_factor_setup"))
    assert "otpauth://totp/PAPITrack:demo-coordinator?secret=" in page.content.decode()

    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.content.decode()).group(1)
    code = pyotp.TOTP(secret.replace(" ", "")).now()
    response = client.post(reverse("two_factor_setup"), {"code": code})

    assert (response.status_code, response["Location"]) == (302, reverse("web:plan_list"))
    assert client.session["_auth_user_id"] == str(TotpDevice.objects.get().user_id)
    assert actions(new_audit()) == ["accounts.two_factor_on", "accounts.login"]


def test_enrolled_user_needs_the_code_and_cannot_replay_it(client, two_factor_required):
    sign_in(client, "demo-lead")
    totp = enrol(client)
    client.post(reverse("logout"))

    response = sign_in(client, "demo-lead")
    assert (response.status_code, response["Location"]) == (302, reverse("two_factor_verify"))
    wrong = client.post(reverse("two_factor_verify"), {"code": "000000"})
    assert wrong.status_code == 400
    assert WRONG_CODE in wrong.content.decode()
    code = next_code(totp)
    assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    client.post(reverse("logout"))

    sign_in(client, "demo-lead")
    replay = client.post(reverse("two_factor_verify"), {"code": code})

    assert replay.status_code == 400
    assert "_auth_user_id" not in client.session
    assert LoginAttempt.objects.filter(outcome=LoginOutcome.WRONG_CODE).count() == 2


def test_wrong_codes_count_towards_the_lockout(client, two_factor_required, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    sign_in(client, "demo-lead")
    enrol(client)
    client.post(reverse("logout"))
    sign_in(client, "demo-lead")
    for _ in range(3):
        client.post(reverse("two_factor_verify"), {"code": "000000"})

    response = client.post(reverse("two_factor_verify"), {"code": "000000"}, follow=True)

    assert response.redirect_chain == [(reverse("login"), 302)]
    assert locked_out_message() in response.content.decode()


def test_two_factor_is_off_by_default_outside_production(client, settings):
    assert settings.REQUIRE_TWO_FACTOR is False

    assert sign_in(client, "demo-coordinator")["Location"] == reverse("web:plan_list")


def test_other_roles_may_opt_in_and_out(client, two_factor_required, new_audit):
    sign_in(client, "demo-commune")
    totp = enrol(client)
    assert "Đang bật" in client.get(reverse("two_factor_setup")).content.decode()

    response = client.post(reverse("two_factor_setup"), {"code": next_code(totp)})

    assert response.status_code == 302
    assert not TotpDevice.objects.exists()
    assert actions(new_audit())[-2:] == ["accounts.two_factor_on", "accounts.two_factor_off"]


def test_required_role_cannot_switch_it_off(client, two_factor_required):
    sign_in(client, "demo-coordinator")
    totp = enrol(client)

    page = client.get(reverse("two_factor_setup")).content.decode()
    response = client.post(reverse("two_factor_setup"), {"code": next_code(totp)})

    assert "Tắt xác thực hai lớp" not in page
    assert response.status_code == 400
    assert TotpDevice.objects.count() == 1


def test_code_page_without_a_password_step_goes_back_to_login(client):
    response = client.get(reverse("two_factor_verify"))

    assert (response.status_code, response["Location"]) == (302, reverse("login"))


def test_api_token_asks_the_enrolled_user_for_the_code(client, two_factor_required):
    sign_in(client, "demo-lead")
    totp = enrol(client)
    api = Client()

    without = token_response(api, "demo-lead")
    wrong = token_response(api, "demo-lead", otp="123456")
    right = token_response(api, "demo-lead", otp=next_code(totp))

    assert (without.status_code, without.json()) == (401, {"detail": CODE_REQUIRED})
    assert (wrong.status_code, wrong.json()) == (401, {"detail": WRONG_CODE})
    assert right.status_code == 200


def test_api_token_refused_until_the_required_user_enrols(client, two_factor_required):
    response = token_response(client, "demo-coordinator")

    assert (response.status_code, response.json()) == (401, {"detail": ENROL_ON_WEB_FIRST})
    assert token_response(client, "demo-commune").status_code == 200


def test_administrator_resets_a_lost_authenticator_in_the_admin(
    client, two_factor_required, user_named, new_audit
):
    sign_in(client, "demo-lead")
    enrol(client)
    device = TotpDevice.objects.get()
    administrator = Client()
    administrator.force_login(user_named("demo-admin"))

    response = administrator.post(
        f"/admin/accounts/totpdevice/{device.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert not TotpDevice.objects.exists()
    reset = new_audit().get(action="accounts.two_factor_reset")
    assert (reset.actor.username, reset.comment) == ("demo-admin", "demo-lead")
