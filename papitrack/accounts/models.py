"""Users. Every official belongs to one unit; roles and scope arrive with the reporting cycle."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


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
    full_name = models.CharField("họ và tên", max_length=200, blank=True)
    job_title = models.CharField("chức vụ", max_length=200, blank=True)

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username
