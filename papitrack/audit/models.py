"""The audit trail: who changed what, when, from which value to which. Append-only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models

APPEND_ONLY = "Nhật ký chỉ được ghi thêm: không thể sửa hoặc xóa một mục nhật ký."


class AppendOnlyQuerySet(models.QuerySet["AuditEntry"]):
    """Bulk updates and deletes are refused like single ones (see AuditEntry.save)."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionDenied(APPEND_ONLY)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionDenied(APPEND_ONLY)


class AuditEntry(models.Model):
    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name="người thực hiện",
    )
    action = models.CharField("hành động", max_length=40, db_index=True)
    object_type = models.CharField("loại đối tượng", max_length=60, db_index=True)
    object_id = models.CharField("mã đối tượng", max_length=40, db_index=True)
    object_label = models.CharField("đối tượng", max_length=300)
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name="đơn vị liên quan",
    )
    changes = models.JSONField(
        "thay đổi", default=dict, help_text="Trường -> [giá trị cũ, giá trị mới]."
    )
    comment = models.TextField("ghi chú", blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "nhật ký"
        verbose_name_plural = "nhật ký"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_label}"

    # An exception to "save() has no rules" (STYLE §2): the audit trail must be append-only
    # for every caller, including code that does not go through the services, the admin and
    # the shell (quality R11). Only the database itself (raw SQL, a restore) can change rows.
    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionDenied(APPEND_ONLY)
        # An INSERT only, even for an instance built with an existing id.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionDenied(APPEND_ONLY)
