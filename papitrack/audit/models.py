"""The audit trail: who changed what, when, from which value to which. Append-only."""

from __future__ import annotations

from django.conf import settings
from django.db import models


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

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "nhật ký"
        verbose_name_plural = "nhật ký"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_label}"
