"""A province's plan to improve an index: identity, targets, solutions and duties."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from papitrack.indices.enums import RankGroup


class Plan(models.Model):
    code = models.CharField("mã", max_length=40, unique=True)
    number = models.CharField("số, ký hiệu", max_length=60)
    title = models.CharField("tên kế hoạch", max_length=400)
    issued_on = models.DateField("ngày ban hành")
    place = models.CharField("địa danh", max_length=100)
    issuer = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="issued_plans"
    )
    signer_name = models.CharField("người ký", max_length=120)
    signer_title = models.CharField("chức vụ người ký", max_length=120)
    signing_authority = models.JSONField(
        "thẩm quyền ký", default=list, help_text="Các dòng thẩm quyền: TM., KT., ..."
    )
    index = models.ForeignKey("indices.Index", on_delete=models.PROTECT, related_name="plans")
    baseline_year = models.PositiveSmallIntegerField("năm gốc")
    target_year = models.PositiveSmallIntegerField("năm mục tiêu")
    stated_baseline_score = models.DecimalField(
        "điểm năm gốc theo kế hoạch", max_digits=8, decimal_places=4, null=True, blank=True
    )
    stated_baseline_group = models.PositiveSmallIntegerField(
        "nhóm năm gốc theo kế hoạch", choices=RankGroup.choices, null=True, blank=True
    )
    unit_plan_deadline = models.DateField("hạn gửi kế hoạch của đơn vị", null=True, blank=True)
    unit_plan_deadline_wording = models.CharField(max_length=200, blank=True)
    unit_plan_deadline_inclusive = models.BooleanField(
        default=True, help_text="Hạn tính hết ngày ghi trong văn bản."
    )
    preamble = models.TextField("mở đầu", blank=True)
    purposes = models.JSONField("mục đích", default=list)
    requirements = models.JSONField("yêu cầu", default=list)
    recipients = models.JSONField("nơi nhận", default=list)
    source_notes = models.JSONField(
        "ghi chú về văn bản gốc",
        default=list,
        help_text="Những điểm bất thường của văn bản gốc được giữ nguyên có chủ ý.",
    )
    source_file = models.CharField("tệp nguồn", max_length=200, blank=True)
    source_checksum = models.CharField(max_length=64, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issued_on", "code"]
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"


class PlanTarget(models.Model):
    """A target for one dimension (or the aggregate): score and rank group."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    dimension = models.ForeignKey(
        "indices.Dimension", on_delete=models.PROTECT, related_name="plan_targets"
    )
    label = models.CharField("tên như in trong kế hoạch", max_length=300)
    score = models.DecimalField("điểm mục tiêu", max_digits=8, decimal_places=4)
    increment = models.DecimalField("mức tăng so với năm gốc", max_digits=8, decimal_places=4)
    target_group = models.PositiveSmallIntegerField("nhóm mục tiêu", choices=RankGroup.choices)
    stated_baseline_group = models.PositiveSmallIntegerField(
        "nhóm năm gốc theo kế hoạch", choices=RankGroup.choices, null=True, blank=True
    )
    text = models.TextField("câu chữ trong kế hoạch", blank=True)

    class Meta:
        ordering = ["plan", "dimension__number"]
        verbose_name = "chỉ tiêu điểm"
        verbose_name_plural = "chỉ tiêu điểm"
        constraints = [
            models.UniqueConstraint(fields=["plan", "dimension"], name="unique_plan_target")
        ]

    def __str__(self) -> str:
        return f"{self.dimension.code}: {self.score}"

    @property
    def implied_baseline(self) -> Decimal:
        """The baseline the plan implies: target minus the stated increase."""
        return self.score - self.increment


class Solution(models.Model):
    """A part of section III (tasks and solutions), per dimension or general."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="solutions")
    section = models.CharField("mục", max_length=20)
    position = models.PositiveSmallIntegerField()
    dimension = models.ForeignKey(
        "indices.Dimension",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_solutions",
    )
    heading = models.CharField("tiêu đề", max_length=300)
    items = models.JSONField("các giải pháp", default=list)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = "giải pháp"
        verbose_name_plural = "giải pháp"

    def __str__(self) -> str:
        return f"{self.section} {self.heading}"


class Duty(models.Model):
    """An item of section V (organisation of implementation): who does what."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="duties")
    number = models.PositiveSmallIntegerField("số mục")
    heading = models.CharField("tiêu đề", max_length=300)
    is_request = models.BooleanField(
        "chỉ đề nghị", default=False, help_text="Kế hoạch chỉ đề nghị, không giao nhiệm vụ."
    )
    units = models.ManyToManyField("orgunits.OrgUnit", blank=True, related_name="plan_duties")
    groups = models.JSONField("nhóm đơn vị", default=list)
    items = models.JSONField("nhiệm vụ", default=list)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = "trách nhiệm tổ chức thực hiện"
        verbose_name_plural = "trách nhiệm tổ chức thực hiện"

    def __str__(self) -> str:
        return f"V.{self.number} {self.heading}"


class PlanDataVersion(models.Model):
    """A counter of changes to what the plan's monitoring figures are computed from.

    Cached figures are keyed on it (plans/versions.py). It is a row of its own, not a field
    of Plan, so that saving a Plan instance loaded earlier can never set it back.
    """

    plan = models.OneToOneField(
        Plan, on_delete=models.CASCADE, primary_key=True, related_name="data_version"
    )
    number = models.PositiveBigIntegerField(
        "phiên bản",
        default=0,
        help_text="Tăng mỗi khi số liệu theo dõi của kế hoạch thay đổi: báo cáo chuyển trạng "
        "thái, danh sách báo cáo phải gửi, nhiệm vụ và chỉ tiêu, quy tắc tổng hợp.",
    )

    class Meta:
        verbose_name = "phiên bản số liệu theo dõi"
        verbose_name_plural = "phiên bản số liệu theo dõi"

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.number}"
