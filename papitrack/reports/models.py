"""Reporting periods, expected reports with their KPI values and evidence, and transitions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from papitrack.reports.enums import (
    EvidenceKind,
    MilestoneStatus,
    ReportAction,
    ReportKind,
    ReportStatus,
)


class ReportingPeriod(models.Model):
    code = models.CharField(
        "mã kỳ", max_length=20, unique=True, help_text="Mã kiểu ISO: 2020Q3, 2020S1, 2020."
    )
    kind = models.CharField("loại kỳ", max_length=20)
    year = models.PositiveSmallIntegerField("năm")
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    cutoff_start = models.DateField("chốt số liệu từ")
    cutoff_end = models.DateField("chốt số liệu đến")
    label = models.CharField("tên kỳ", max_length=80)

    class Meta:
        ordering = ["end", "code"]
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"

    def __str__(self) -> str:
        return self.label


class Report(models.Model):
    """One expected report: (task × unit × period). Created by the system, never by users."""

    task = models.ForeignKey("tasks.Task", on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(max_length=20, choices=ReportKind.choices, default=ReportKind.UNIT)
    status = models.CharField(
        "trạng thái", max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    version = models.PositiveIntegerField(
        "phiên bản",
        default=1,
        help_text="Tăng sau mỗi thay đổi; sửa trên phiên bản cũ bị từ chối (khóa lạc quan).",
    )
    due_date = models.DateField("hạn gửi")
    first_submitted_at = models.DateTimeField("gửi lần đầu", null=True, blank=True)
    submitted_at = models.DateTimeField("gửi gần nhất", null=True, blank=True)
    submit_count = models.PositiveSmallIntegerField("số lần gửi", default=0)
    approved_at = models.DateTimeField("phê duyệt lúc", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_reports",
    )
    signer_name = models.CharField(
        "người chịu trách nhiệm", max_length=200, blank=True, help_text="Người ký thay mặt đơn vị."
    )
    results = models.TextField("kết quả đạt được", blank=True)
    shortcomings = models.TextField("tồn tại, hạn chế", blank=True)
    causes = models.TextField("nguyên nhân", blank=True)
    proposals = models.TextField("kiến nghị, đề xuất", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period__end", "task__position", "unit__code"]
        verbose_name = "báo cáo"
        verbose_name_plural = "báo cáo"
        constraints = [
            models.UniqueConstraint(fields=["task", "unit", "period"], name="unique_report")
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["unit", "period"]),
            # One task's reports of one period: what an approval regroups in the stored
            # roll-ups (monitoring/stored_rollups.py).
            models.Index(fields=["task", "period"]),
            # Reports never submitted, by unit: the overdue lists and reminders of a scope
            # read a few thousand of these instead of every report of its units (the
            # national coordinator's preview: 240 ms before). Small, as most are sent.
            models.Index(
                fields=["unit", "due_date"],
                condition=models.Q(first_submitted_at__isnull=True),
                name="report_unsent_by_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.printed_label} · {self.unit.display_name} · {self.period.code}"

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.APPROVED


class KpiValue(models.Model):
    """The value a report gives for one KPI; which fields count depends on the KPI kind."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    kpi = models.ForeignKey("tasks.Kpi", on_delete=models.PROTECT, related_name="values")
    numerator = models.DecimalField("tử số", max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(
        "mẫu số", max_digits=14, decimal_places=2, null=True, blank=True
    )
    count = models.DecimalField("số lần", max_digits=10, decimal_places=0, null=True, blank=True)
    answer = models.BooleanField("đã thực hiện", null=True, blank=True)
    reason = models.TextField("lý do (nếu chưa thực hiện)", blank=True)
    milestone_status = models.CharField(
        "tình trạng", max_length=20, choices=MilestoneStatus.choices, blank=True
    )
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    document_number = models.CharField("số văn bản", max_length=100, blank=True)
    document_date = models.DateField("ngày văn bản", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        ordering = ["report", "kpi__position"]
        verbose_name = "giá trị chỉ tiêu"
        verbose_name_plural = "giá trị chỉ tiêu"
        constraints = [
            models.UniqueConstraint(fields=["report", "kpi"], name="unique_kpi_value"),
            models.CheckConstraint(
                condition=models.Q(numerator__gte=0) | models.Q(numerator__isnull=True),
                name="kpi_value_numerator_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(denominator__gte=0) | models.Q(denominator__isnull=True),
                name="kpi_value_denominator_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(count__gte=0) | models.Q(count__isnull=True),
                name="kpi_value_count_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.kpi.code}"


class ChildAnswer(models.Model):
    """A yes/no for one child unit, recorded in its parent's report (e.g. per commune)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="child_answers")
    kpi = models.ForeignKey("tasks.Kpi", on_delete=models.PROTECT, related_name="child_answers")
    child = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="answers_as_child"
    )
    answer = models.BooleanField("đã thực hiện", null=True, blank=True)
    reason = models.TextField("lý do", blank=True)

    class Meta:
        ordering = ["report", "kpi__position", "child__code"]
        verbose_name = "kết quả của đơn vị cấp dưới"
        verbose_name_plural = "kết quả của đơn vị cấp dưới"
        constraints = [
            models.UniqueConstraint(fields=["report", "kpi", "child"], name="unique_child_answer")
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.kpi.code} · {self.child.code}"


class Evidence(models.Model):
    """A file or link proving a value. Files live outside the web root (EVIDENCE_ROOT)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="evidence")
    kpi = models.ForeignKey(
        "tasks.Kpi", on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    child = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence_as_child",
    )
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    stored_name = models.CharField(max_length=100, blank=True, editable=False)
    original_name = models.CharField("tên tệp", max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField("dung lượng (byte)", default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    link = models.URLField("đường dẫn", blank=True)
    description = models.CharField("mô tả", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="uploaded_evidence"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(
        "gỡ lúc",
        null=True,
        blank=True,
        help_text="Minh chứng gỡ bỏ vẫn được giữ lại để đối chiếu; không bao giờ xóa hẳn.",
    )

    class Meta:
        ordering = ["report", "uploaded_at"]
        verbose_name = "minh chứng"
        verbose_name_plural = "minh chứng"

    def __str__(self) -> str:
        return self.original_name or self.link


class ReportTransition(models.Model):
    """One move of a report's workflow, shown as its discussion thread."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20, choices=ReportAction.choices)
    from_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_transitions"
    )
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField("ý kiến", blank=True)

    class Meta:
        ordering = ["report", "at", "id"]
        verbose_name = "lượt xử lý"
        verbose_name_plural = "lượt xử lý"

    def __str__(self) -> str:
        return f"{self.report} {self.action} {self.at:%Y-%m-%d %H:%M}"
