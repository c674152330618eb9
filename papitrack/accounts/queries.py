"""Reads about accounts: whether sign-in is currently locked for a name or an address."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from papitrack.accounts.enums import LoginOutcome
from papitrack.accounts.models import LoginAttempt, TotpDevice, User

FAILURES = (LoginOutcome.FAILED, LoginOutcome.WRONG_CODE)


def login_window_start(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)


def recent_failures_for_username(username: str) -> int:
    """Failures for this (normalised) username in the window, after its last success."""
    since = login_window_start()
    attempts = LoginAttempt.objects.filter(username=username, at__gte=since)
    last_success = attempts.filter(outcome=LoginOutcome.SUCCEEDED).aggregate(last=Max("at"))
    if last_success["last"] is not None:
        attempts = attempts.filter(at__gt=last_success["last"])
    return attempts.filter(outcome__in=FAILURES).count()


def recent_failures_for_address(address: str | None) -> int:
    if not address:
        return 0
    return LoginAttempt.objects.filter(
        address=address, at__gte=login_window_start(), outcome__in=FAILURES
    ).count()


def is_locked_out(*, username: str, address: str | None) -> bool:
    return (
        recent_failures_for_username(username) >= settings.LOGIN_FAILURE_LIMIT
        or recent_failures_for_address(address) >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
    )


def device_of(user: User) -> TotpDevice | None:
    return TotpDevice.objects.filter(user_id=user.pk).first()
