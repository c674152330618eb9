"""Per-KPI roll-up settings that the plan file does not carry."""

from __future__ import annotations

from django.db import models

from papitrack.monitoring.enums import Accumulation, ZeroDenominator


class KpiRollupRule(models.Model):
    """How one KPI combines over periods and what its 0/0 means; absent = the kind's default.

    Defaults (docs/ARCHITECTURE.md, "Roll-up rules"): ratios and counts incremental, yes/no
    and milestones the value at period end, 0/0 "no data".
    """

    kpi = models.OneToOneField("tasks.Kpi", on_delete=models.CASCADE, related_name="rollup_rule")
    accumulation = models.CharField(
        "cộng dồn qua các kỳ",
        max_length=20,
        choices=Accumulation.choices,
        help_text="Số phát sinh trong kỳ thì cộng các kỳ; số lũy kế hoặc số tại thời điểm thì "
        "lấy kỳ gần nhất; «đơn vị đã thực hiện» đếm mỗi đơn vị một lần trong năm.",
    )
    zero_denominator = models.CharField(
        "khi mẫu số bằng 0",
        max_length=20,
        choices=ZeroDenominator.choices,
        default=ZeroDenominator.NO_DATA,
        help_text="Ví dụ: không có hồ sơ trễ hẹn thì chỉ tiêu «xin lỗi 100% hồ sơ trễ hẹn» "
        "được coi là đạt; mặc định là «không có số liệu».",
    )
    reason = models.TextField("căn cứ", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kpi__task__position", "kpi__position"]
        verbose_name = "quy tắc tổng hợp chỉ tiêu"
        verbose_name_plural = "quy tắc tổng hợp chỉ tiêu"

    def __str__(self) -> str:
        return f"{self.kpi.code}: {self.get_accumulation_display()}"
