"""Writes for user accounts."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from papitrack.accounts.enums import Role
from papitrack.accounts.models import ApiToken, User
from papitrack.orgunits.models import OrgUnit


@transaction.atomic
def create_or_update_user(
    *,
    username: str,
    password: str | None,
    unit: OrgUnit | None,
    role: str = Role.UNIT_REPORTER,
    full_name: str = "",
    job_title: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create the user, or reset an existing one to these values (used by the demo loader).

    Without a password the account cannot log in (an officer the demo acts for).
    """
    user = User.objects.filter(username=username).first() or User(username=username)
    user.unit = unit
    user.role = role
    user.full_name = full_name
    user.job_title = job_title
    user.is_staff = is_staff
    user.is_superuser = is_superuser
    user.is_active = True
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    return user


API_TOKEN_LIFETIME = datetime.timedelta(hours=12)
BAD_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, username: str, password: str) -> tuple[str, ApiToken]:
    """Check the credentials and issue a bearer token; return the key (shown once) and row."""
    user = authenticate(username=username, password=password)
    if not isinstance(user, User) or not user.is_active:
        raise PermissionDenied(BAD_CREDENTIALS)
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, key_hash=hash_token(key), expires_at=timezone.now() + API_TOKEN_LIFETIME
    )
    return key, token


def user_for_token(*, key: str) -> User | None:
    """The active user a valid, unexpired token belongs to."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(key), expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
