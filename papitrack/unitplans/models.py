"""Units' own implementation plans (kế hoạch cụ thể hóa), due by a date the coordinator sets."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from papitrack.unitplans.enums import UnitPlanStatus


class UnitPlanRound(models.Model):
    """The call for units' plans that details a province plan (31/7/2020 for plan 4055)."""

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, related_name="unit_plan_rounds"
    )
    due_date = models.DateField("hạn gửi")
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opened_rounds"
    )

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = "đợt xây dựng kế hoạch của đơn vị"
        verbose_name_plural = "đợt xây dựng kế hoạch của đơn vị"

    def __str__(self) -> str:
        return f"{self.plan.number} · hạn {self.due_date:%d/%m/%Y}"


class UnitPlan(models.Model):
    round = models.ForeignKey(UnitPlanRound, on_delete=models.CASCADE, related_name="unit_plans")
    unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="unit_plans"
    )
    status = models.CharField(
        "trạng thái", max_length=20, choices=UnitPlanStatus.choices, default=UnitPlanStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    document_number = models.CharField("số văn bản", max_length=100, blank=True)
    document_date = models.DateField("ngày văn bản", null=True, blank=True)
    document_name = models.CharField(
        "tệp kế hoạch đã ký", max_length=200, blank=True, help_text="Tên tệp gốc, đã làm sạch."
    )
    document_stored_name = models.CharField(max_length=100, blank=True, editable=False)
    document_content_type = models.CharField(max_length=100, blank=True, editable=False)
    document_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField("ý kiến của Sở Nội vụ", blank=True)

    class Meta:
        ordering = ["round", "unit__code"]
        verbose_name = "kế hoạch của đơn vị"
        verbose_name_plural = "kế hoạch của đơn vị"
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="unique_unit_plan")]

    def __str__(self) -> str:
        return f"Kế hoạch của {self.unit.display_name}"


class UnitPlanItem(models.Model):
    """The unit's own actions, target, deadline and responsible person for one assigned task."""

    unit_plan = models.ForeignKey(UnitPlan, on_delete=models.CASCADE, related_name="items")
    task = models.ForeignKey("tasks.Task", on_delete=models.PROTECT, related_name="unit_plan_items")
    actions = models.TextField("nội dung thực hiện")
    target_value = models.DecimalField(
        "chỉ tiêu của đơn vị", max_digits=12, decimal_places=4, null=True, blank=True
    )
    target_text = models.CharField("chỉ tiêu (diễn giải)", max_length=300, blank=True)
    deadline = models.DateField("thời hạn", null=True, blank=True)
    responsible_person = models.CharField("người/bộ phận phụ trách", max_length=200, blank=True)
    justification = models.TextField("lý do nếu chỉ tiêu thấp hơn của tỉnh", blank=True)

    class Meta:
        ordering = ["unit_plan", "task__position"]
        verbose_name = "nội dung kế hoạch của đơn vị"
        verbose_name_plural = "nội dung kế hoạch của đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["unit_plan", "task"], name="unique_unit_plan_item")
        ]

    def __str__(self) -> str:
        return f"{self.unit_plan} · {self.task.printed_label}"
