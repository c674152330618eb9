"""Users. Every official belongs to one unit; roles and scope arrive with the reporting cycle."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from papitrack.accounts.enums import LoginChannel, LoginOutcome, Role


class User(AbstractUser):
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="đơn vị",
        help_text="Đơn vị công tác; quyết định phạm vi dữ liệu người dùng được xem và nhập.",
    )
    role = models.CharField(
        "vai trò",
        max_length=20,
        choices=Role.choices,
        default=Role.UNIT_REPORTER,
        help_text="Việc người dùng được làm; phạm vi do đơn vị công tác quyết định.",
    )
    full_name = models.CharField("họ và tên", max_length=200, blank=True)
    job_title = models.CharField("chức vụ", max_length=200, blank=True)

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class LoginAttempt(models.Model):
    """One sign-in attempt, kept in the database so that every application process counts
    the same failures (no cache server is needed for the lockout)."""

    username = models.CharField(
        "tên đăng nhập", max_length=150, help_text="Tên đã gõ, chữ thường; có thể không tồn tại."
    )
    address = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    at = models.DateTimeField("thời điểm", auto_now_add=True)
    outcome = models.CharField("kết quả", max_length=20, choices=LoginOutcome.choices)
    channel = models.CharField("kênh", max_length=10, choices=LoginChannel.choices)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "lần đăng nhập"
        verbose_name_plural = "lần đăng nhập"
        indexes = [
            models.Index(fields=["username", "at"]),
            models.Index(fields=["address", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.username} · {self.get_outcome_display()}"


class TotpDevice(models.Model):
    """A user's authenticator app (TOTP, RFC 6238): two-factor sign-in is on while it exists.

    The shared secret must be readable to check codes, so it is stored as is; the database is
    as sensitive as the password hashes next to it.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField("khóa bí mật", max_length=64)
    enabled_at = models.DateTimeField("bật lúc", auto_now_add=True)
    last_used_step = models.BigIntegerField(
        "bước thời gian dùng gần nhất",
        help_text="Mã của bước này hoặc bước trước đó bị từ chối, để không dùng lại được mã cũ.",
    )

    class Meta:
        verbose_name = "thiết bị xác thực hai lớp"
        verbose_name_plural = "thiết bị xác thực hai lớp"

    def __str__(self) -> str:
        return f"{self.user} · TOTP"
