"""Users. Every official belongs to one unit; roles and scope arrive with the reporting cycle."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from papitrack.accounts.enums import Role


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
