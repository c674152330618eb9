"""Writes for user accounts."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import math
import re
import secrets

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from papitrack.accounts.enums import LoginChannel, LoginOutcome, Role
from papitrack.accounts.models import ApiToken, LoginAttempt, TotpDevice, User
from papitrack.accounts.queries import (
    device_of,
    is_locked_out,
    recent_failures_for_address,
    recent_failures_for_username,
)
from papitrack.accounts.rules import must_use_two_factor, uses_two_factor
from papitrack.audit.services import record_audit
from papitrack.lib.text import normalize_text
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


def create_api_token(
    *, username: str, password: str, otp: str = "", address: str | None = None
) -> tuple[str, ApiToken]:
    """Check the credentials (and the second factor where the user has one) and issue a bearer
    token; return the key (shown once) and row.

    Raises LoginLocked while the name or address is locked, LoginRefused otherwise; both are
    PermissionDenied and every refusal is recorded (record_login_attempt).
    """
    user = check_password_login(
        username=username, password=password, address=address, channel=LoginChannel.API
    )
    if uses_two_factor(user):
        if device_of(user) is None:
            raise LoginRefused(ENROL_ON_WEB_FIRST)
        if not otp:
            raise LoginRefused(CODE_REQUIRED)
        check_second_factor(user=user, code=otp, address=address, channel=LoginChannel.API)
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, key_hash=hash_token(key), expires_at=timezone.now() + API_TOKEN_LIFETIME
        )
        record_login_attempt(
            username=username,
            address=address,
            outcome=LoginOutcome.SUCCEEDED,
            channel=LoginChannel.API,
            user=user,
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


# --- sign-in: throttling, audit, two-factor -----------------------------------------------

LOCKED_OUT = (
    "Đăng nhập tạm bị khóa vì nhập sai nhiều lần. Vui lòng thử lại sau {minutes} phút "
    "hoặc liên hệ quản trị hệ thống."
)
CODE_REQUIRED = "Tài khoản này dùng xác thực hai lớp: hãy nhập mã 6 số từ ứng dụng xác thực."
WRONG_CODE = "Mã xác thực không đúng hoặc đã được dùng. Hãy nhập mã mới nhất trong ứng dụng."
ENROL_ON_WEB_FIRST = (
    "Tài khoản này phải dùng xác thực hai lớp. Hãy đăng nhập trên trang web một lần để thiết "
    "lập ứng dụng xác thực trước khi lấy mã truy cập API."
)
ALREADY_ENROLLED = "Xác thực hai lớp đã được bật cho tài khoản này."
NOT_ENROLLED = "Tài khoản này chưa bật xác thực hai lớp."
REQUIRED_FOR_ROLE = "Vai trò của bạn bắt buộc dùng xác thực hai lớp, không thể tắt."
TOTP_ISSUER = "PAPITrack"

AUDIT_ACTIONS = {
    LoginOutcome.SUCCEEDED: "accounts.login",
    LoginOutcome.FAILED: "accounts.login_failed",
    LoginOutcome.WRONG_CODE: "accounts.login_wrong_code",
    LoginOutcome.LOCKED: "accounts.login_refused_locked",
}
LOCKOUT_ACTION = "accounts.lockout"
FAILURE_OUTCOMES = (LoginOutcome.FAILED, LoginOutcome.WRONG_CODE)


class LoginRefused(PermissionDenied):
    """Sign-in refused; args[0] is the Vietnamese message for the user."""


class LoginLocked(LoginRefused):
    """Refused without checking the password: too many recent failures."""


def normalise_username(username: str) -> str:
    """The key attempts are counted under: NFC, trimmed, case-folded, at most 150 characters."""
    return normalize_text(username).casefold()[:150]


def locked_out_message() -> str:
    return LOCKED_OUT.format(minutes=math.ceil(settings.LOGIN_FAILURE_WINDOW / 60))


@transaction.atomic
def record_login_attempt(
    *,
    username: str,
    address: str | None,
    outcome: str,
    channel: str,
    user: User | None = None,
) -> LoginAttempt:
    """Store one attempt and its audit entry; on the failure that reaches a limit, also a
    lockout entry (once per lockout, not for each refused attempt after it).

    Failures are audited without an actor (the name typed may not exist, or belong to someone
    else); the name and address are in the comment.
    """
    key = normalise_username(username)
    attempt = LoginAttempt.objects.create(
        username=key, address=address, outcome=outcome, channel=channel
    )
    comment = f"{key} · {address or 'không rõ địa chỉ'} · {LoginChannel(channel).label}"
    succeeded = outcome == LoginOutcome.SUCCEEDED
    record_audit(
        actor=user if succeeded else None,
        action=AUDIT_ACTIONS[LoginOutcome(outcome)],
        target=attempt,
        unit=user.unit if succeeded and user is not None else None,
        comment=comment,
    )
    if outcome in FAILURE_OUTCOMES and (
        recent_failures_for_username(key) == settings.LOGIN_FAILURE_LIMIT
        or recent_failures_for_address(address) == settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
    ):
        record_audit(actor=None, action=LOCKOUT_ACTION, target=attempt, comment=comment)
    return attempt


def check_password_login(
    *, username: str, password: str, address: str | None, channel: str
) -> User:
    """The active user with these credentials; LoginLocked or LoginRefused otherwise.

    While locked the password is not even checked, so guessing goes no further. Attempts are
    counted in the database, so all application processes share one count. Two processes
    racing may each let one extra guess through; the limit is a brake, not an exact quota.
    """
    key = normalise_username(username)
    _refuse_while_locked(username=key, address=address, channel=channel)
    # Names are stored NFKC-normalised (AbstractBaseUser.normalize_username); the web form
    # normalises what is typed, the API body is not, so a name typed in NFD still matches.
    user = authenticate(username=User.normalize_username(username), password=password)
    if not isinstance(user, User) or not user.is_active:
        record_login_attempt(
            username=key, address=address, outcome=LoginOutcome.FAILED, channel=channel
        )
        raise LoginRefused(BAD_CREDENTIALS)
    return user


def record_login_success(*, user: User, address: str | None, channel: str) -> None:
    record_login_attempt(
        username=user.get_username(),
        address=address,
        outcome=LoginOutcome.SUCCEEDED,
        channel=channel,
        user=user,
    )


def _matching_step(secret: str, code: str) -> int | None:
    """The time step whose code this is (the current one, or one step either side for clock
    drift), compared in constant time; None when no step matches."""
    code = re.sub(r"\s", "", code)
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    for drift in (-1, 0, 1):
        moment = now + datetime.timedelta(seconds=drift * totp.interval)
        if hmac.compare_digest(totp.at(moment), code):
            return totp.timecode(moment)
    return None


def _use_code(*, user: User, code: str) -> bool:
    """Accept the code once: a used step (or an older one) is refused, so a code read over
    someone's shoulder cannot be replayed."""
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        if device is None:
            return False
        step = _matching_step(device.secret, code)
        if step is None or step <= device.last_used_step:
            return False
        device.last_used_step = step
        device.save(update_fields=["last_used_step"])
        return True


def _refuse_while_locked(*, username: str, address: str | None, channel: str) -> None:
    if is_locked_out(username=username, address=address):
        record_login_attempt(
            username=username, address=address, outcome=LoginOutcome.LOCKED, channel=channel
        )
        raise LoginLocked(locked_out_message())


def check_second_factor(*, user: User, code: str, address: str | None, channel: str) -> None:
    """Accept the user's current code or raise LoginLocked / LoginRefused (recorded)."""
    key = normalise_username(user.get_username())
    _refuse_while_locked(username=key, address=address, channel=channel)
    if not _use_code(user=user, code=code):
        record_login_attempt(
            username=key, address=address, outcome=LoginOutcome.WRONG_CODE, channel=channel
        )
        raise LoginRefused(WRONG_CODE)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(*, secret: str, username: str) -> str:
    """The otpauth:// address authenticator apps accept (typed or opened, no QR service)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)


def enable_two_factor(
    *, user: User, secret: str, code: str, address: str | None, channel: str
) -> TotpDevice:
    """Switch two-factor sign-in on once the app shows the right code for this secret.

    The secret lives in the enrolment page's session until then, so nothing is stored for an
    enrolment left half-way. A wrong code counts as a failed sign-in.
    """
    key = normalise_username(user.get_username())
    _refuse_while_locked(username=key, address=address, channel=channel)
    step = _matching_step(secret, code)
    if step is None:
        record_login_attempt(
            username=key, address=address, outcome=LoginOutcome.WRONG_CODE, channel=channel
        )
        raise LoginRefused(WRONG_CODE)
    with transaction.atomic():
        if TotpDevice.objects.select_for_update().filter(user=user).exists():
            raise ValidationError(ALREADY_ENROLLED)
        device = TotpDevice(user=user, secret=secret, last_used_step=step)
        device.full_clean()
        device.save()
        record_audit(actor=user, action="accounts.two_factor_on", target=device, unit=user.unit)
    return device


def disable_two_factor(*, user: User, code: str, address: str | None) -> None:
    """Switch an optional second factor off, proven with a current code."""
    if must_use_two_factor(user):
        raise ValidationError(REQUIRED_FOR_ROLE)
    device = device_of(user)
    if device is None:
        raise ValidationError(NOT_ENROLLED)
    check_second_factor(user=user, code=code, address=address, channel=LoginChannel.WEB)
    with transaction.atomic():
        record_audit(actor=user, action="accounts.two_factor_off", target=device, unit=user.unit)
        device.delete()


def reset_two_factor(*, actor: User, device: TotpDevice) -> None:
    """An administrator removes a lost authenticator; the user sets up a new one at the next
    sign-in (or, where optional, signs in with the password alone)."""
    with transaction.atomic():
        record_audit(
            actor=actor,
            action="accounts.two_factor_reset",
            target=device,
            unit=device.user.unit,
            comment=device.user.get_username(),
        )
        device.delete()
