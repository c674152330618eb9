"""Sign-in: password (throttled, audited), then the two-factor code where the user has one.

A user who must use two-factor sign-in but has no authenticator yet sets one up between the
password and the session: the session is only created once the code is right.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from papitrack.accounts.enums import LoginChannel
from papitrack.accounts.models import User
from papitrack.accounts.queries import device_of
from papitrack.accounts.rules import must_use_two_factor, uses_two_factor
from papitrack.accounts.services import (
    LoginLocked,
    LoginRefused,
    check_second_factor,
    disable_two_factor,
    enable_two_factor,
    new_totp_secret,
    provisioning_uri,
    record_login_success,
)
from papitrack.lib.http import client_address
from papitrack.middleware import start_session_clock
from papitrack.web.forms_accounts import CodeForm, SignInForm

# Session keys: the user who passed the password step, and the secret being enrolled.
PENDING_LOGIN = "papitrack_pending_login"
PENDING_ENROLMENT = "papitrack_totp_enrolment"
# The code step must follow the password step within this many seconds.
PENDING_LIFETIME_SECONDS = 5 * 60

PENDING_EXPIRED = "Phiên đăng nhập đã hết hạn. Vui lòng nhập lại mật khẩu."
TWO_FACTOR_ON = "Đã bật xác thực hai lớp."
TWO_FACTOR_OFF = "Đã tắt xác thực hai lớp."


class SignInView(LoginView):
    form_class = SignInForm

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        if uses_two_factor(user):
            # A fresh session key before anything about this user is stored in it.
            self.request.session.cycle_key()
            self.request.session[PENDING_LOGIN] = {
                "user_id": user.pk,
                "backend": getattr(user, "backend", ""),
                "at": time.time(),
                "next": self.get_success_url(),
            }
            if device_of(user) is None:
                return redirect("two_factor_setup")
            return redirect("two_factor_verify")
        login(self.request, user)
        start_session_clock(self.request)
        record_login_success(
            user=user, address=client_address(self.request), channel=LoginChannel.WEB
        )
        return redirect(self.get_success_url())


def _pending(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    data = request.session.get(PENDING_LOGIN)
    if not isinstance(data, dict):
        return None
    if time.time() - float(data.get("at", 0)) > PENDING_LIFETIME_SECONDS:
        request.session.pop(PENDING_LOGIN, None)
        return None
    user_id = data.get("user_id")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return (user, data) if user is not None else None


def _complete_login(request: HttpRequest, user: User, data: dict[str, Any]) -> HttpResponse:
    request.session.pop(PENDING_LOGIN, None)
    login(request, user, backend=data.get("backend") or None)
    start_session_clock(request)
    record_login_success(user=user, address=client_address(request), channel=LoginChannel.WEB)
    return redirect(data.get("next") or "web:plan_list")


def _back_to_login(request: HttpRequest, message: str) -> HttpResponse:
    request.session.pop(PENDING_LOGIN, None)
    request.session.pop(PENDING_ENROLMENT, None)
    messages.error(request, message)
    return redirect("login")


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Second step of sign-in: the current code of the user's authenticator app."""
    pending = _pending(request)
    if pending is None:
        return _back_to_login(request, PENDING_EXPIRED)
    user, data = pending
    if device_of(user) is None:
        return redirect("two_factor_setup")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            check_second_factor(
                user=user,
                code=form.cleaned_data["code"],
                address=client_address(request),
                channel=LoginChannel.WEB,
            )
        except LoginLocked as error:
            return _back_to_login(request, str(error.args[0]))
        except LoginRefused as error:
            form.add_error("code", str(error.args[0]))
        else:
            return _complete_login(request, user, data)
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "pending_user": user},
        status=400 if form.errors else 200,
    )


def _grouped(secret: str) -> str:
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up (or, where optional, switch off) the authenticator app.

    Reached by a signed-in user, or between the password and the session by a user whose
    role requires a second factor and who has none yet.
    """
    pending = None
    if request.user.is_authenticated:
        assert isinstance(request.user, User)  # noqa: S101 - the project's user model
        user = request.user
    else:
        pending = _pending(request)
        if pending is None:
            return redirect_to_login(request.get_full_path())
        user = pending[0]
    address = client_address(request)
    form = CodeForm(request.POST if request.method == "POST" else None)
    enabled = device_of(user) is not None
    if enabled and pending is not None:
        return redirect("two_factor_verify")
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            if enabled:
                disable_two_factor(user=user, code=code, address=address)
            else:
                enable_two_factor(
                    user=user,
                    secret=str(request.session.get(PENDING_ENROLMENT, "")),
                    code=code,
                    address=address,
                    channel=LoginChannel.WEB,
                )
        except LoginLocked as error:
            if pending is not None:
                return _back_to_login(request, str(error.args[0]))
            form.add_error("code", str(error.args[0]))
        except (LoginRefused, ValidationError) as error:
            message = error.messages[0] if isinstance(error, ValidationError) else error.args[0]
            form.add_error("code", str(message))
        else:
            request.session.pop(PENDING_ENROLMENT, None)
            if pending is not None:
                return _complete_login(request, user, pending[1])
            messages.success(request, TWO_FACTOR_OFF if enabled else TWO_FACTOR_ON)
            return redirect("two_factor_setup")
    secret = ""
    if not enabled:
        secret = str(request.session.get(PENDING_ENROLMENT) or new_totp_secret())
        request.session[PENDING_ENROLMENT] = secret
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "enabled": enabled,
            "required": must_use_two_factor(user),
            "pending": pending is not None,
            "secret": _grouped(secret),
            "otpauth_uri": provisioning_uri(secret=secret, username=user.get_username())
            if secret
            else "",
            "account": user,
        },
        status=400 if form.errors else 200,
    )
