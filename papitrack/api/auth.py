"""API authentication: bearer tokens from POST /auth/token, or the browser session."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer, django_auth

from papitrack.accounts.services import create_api_token, user_for_token

router = Router(tags=["auth"])


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


class TokenOut(Schema):
    access_token: str
    token_type: str
    expires_at: str


class ErrorBody(Schema):
    detail: str


@router.post(
    "/auth/token",
    response={200: TokenOut, 401: ErrorBody},
    summary="Đổi tên đăng nhập và mật khẩu lấy mã truy cập (bearer token)",
)
def issue_token(request: HttpRequest, body: TokenIn) -> Any:
    try:
        key, token = create_api_token(username=body.username, password=body.password)
    except PermissionDenied as error:
        return Status(401, {"detail": str(error.args[0] if error.args else error)})
    return {"access_token": key, "token_type": "bearer", "expires_at": token.expires_at.isoformat()}
