"""API authentication: bearer tokens from POST /auth/token, or the browser session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer, django_auth

from papitrack.accounts.services import (
    LoginLocked,
    LoginRefused,
    create_api_token,
    user_for_token,
)
from papitrack.lib.http import client_address

# Signing in needs no user, and is not throttled per request: failed attempts are counted in
# the database per username and address (accounts.services), which every process shares, and
# an office or a load test may rightly sign in many people from one address.
router = Router(tags=["auth"], auth=None)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(key=token)
        if user is not None:
            request.user = user
        return user


# Endpoints that need a user accept a bearer token or a logged-in browser session
# (the session variant checks CSRF on unsafe methods).
USER_AUTH = [BearerToken(), django_auth]


class TokenIn(Schema):
    username: str
    password: str
    # The current 6-digit code of the authenticator app, for accounts with two-factor sign-in.
    otp: str = ""


class TokenOut(Schema):
    access_token: str
    token_type: str
    expires_at: str


class ErrorBody(Schema):
    detail: str


@router.post(
    "/auth/token",
    response={200: TokenOut, 401: ErrorBody, 429: ErrorBody},
    summary="Đổi tên đăng nhập và mật khẩu lấy mã truy cập (bearer token)",
)
def issue_token(request: HttpRequest, body: TokenIn) -> Any:
    """Wrong credentials or code → 401; too many recent failures → 429 (no password check)."""
    try:
        key, token = create_api_token(
            username=body.username,
            password=body.password,
            otp=body.otp,
            address=client_address(request),
        )
    except LoginLocked as error:
        return Status(429, {"detail": str(error.args[0])})
    except LoginRefused as error:
        return Status(401, {"detail": str(error.args[0])})
    return {"access_token": key, "token_type": "bearer", "expires_at": token.expires_at.isoformat()}
