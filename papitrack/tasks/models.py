"""The plan's tasks (appendix rows), their KPIs and their lead and implementing units."""

from __future__ import annotations

from django.db import models

from papitrack.orgunits.enums import UnitGroup, UnitLevel
from papitrack.tasks.enums import AssigneeRole, Comparator, KpiKind, KpiUnit, TimelineKind


class Task(models.Model):
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="tasks")
    key = models.CharField(
        "mã", max_length=20, help_text="Mã ổn định: chỉ số nội dung và vị trí, ví dụ D8-T3."
    )
    position = models.PositiveSmallIntegerField("thứ tự")
    dimension = models.ForeignKey(
        "indices.Dimension", on_delete=models.PROTECT, related_name="tasks"
    )
    printed_block = models.CharField("khối như in", max_length=10)
    printed_number = models.CharField("STT như in", max_length=10)
    title = models.TextField("nhiệm vụ trọng tâm")
    raw_text = models.TextField("văn bản gốc", blank=True)
    sub_items = models.JSONField("nội dung chi tiết", default=list)
    kpi_text = models.TextField("chỉ tiêu", blank=True)
    lead_text = models.TextField("đơn vị chủ trì theo dõi (như in)", blank=True)
    implementing_text = models.TextField("đơn vị thực hiện (như in)", blank=True)
    timeline_text = models.CharField("thời gian thực hiện", max_length=200, blank=True)
    timeline_kind = models.CharField(max_length=30, choices=TimelineKind.choices)
    timeline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    timeline_quarter = models.PositiveSmallIntegerField(null=True, blank=True)
    timeline_month = models.PositiveSmallIntegerField(null=True, blank=True)
    timeline_months = models.PositiveSmallIntegerField(null=True, blank=True)
    expected_output = models.TextField("kết quả thực hiện", blank=True)
    outputs = models.JSONField("loại kết quả", default=list)
    flags = models.JSONField("điểm bất thường của văn bản gốc", default=list)
    notes = models.TextField("ghi chú", blank=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="unique_task_key")]

    def __str__(self) -> str:
        return f"{self.printed_label} {self.title[:60]}"

    @property
    def printed_label(self) -> str:
        return f"{self.printed_block}.{self.printed_number}"


class Kpi(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="kpis")
    code = models.CharField("mã", max_length=30)
    position = models.PositiveSmallIntegerField()
    kind = models.CharField("loại chỉ tiêu", max_length=20, choices=KpiKind.choices)
    comparator = models.CharField(max_length=2, choices=Comparator.choices, blank=True)
    value = models.DecimalField("giá trị", max_digits=12, decimal_places=4, null=True, blank=True)
    unit = models.CharField("đơn vị tính", max_length=20, choices=KpiUnit.choices, blank=True)
    population = models.CharField(
        "đối tượng đếm", max_length=200, blank=True, help_text="Đơn vị hoặc hồ sơ được đếm."
    )
    measure = models.TextField("nội dung đo", blank=True)
    interpretation = models.TextField(
        "cách hiểu", blank=True, help_text="Cách đọc câu chữ của chỉ tiêu thành phép so sánh."
    )

    class Meta:
        ordering = ["task", "position"]
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        constraints = [models.UniqueConstraint(fields=["task", "code"], name="unique_kpi_code")]

    def __str__(self) -> str:
        return self.code

    @property
    def description(self) -> str:
        """What is measured in words: "hồ sơ TTHC lĩnh vực đất đai giải quyết đúng hẹn".

        The plan's measure alone can be a bare predicate ("được công khai") whose subject
        is the population; a population that is a list of unit codes ("commune") is not
        words and is left out.
        """
        population = self.population.strip()
        is_code_list = all(part.isascii() and part.isalpha() for part in population.split(","))
        if not population or is_code_list or self.measure.startswith(population):
            return self.measure
        return f"{population} {self.measure}".strip()

    @property
    def target_display(self) -> str:
        if self.value is None:
            return ""
        value = f"{self.value.normalize():f}".replace(".", ",")
        unit = KpiUnit(self.unit).label if self.unit else ""
        symbol = Comparator(self.comparator).label if self.comparator else ""
        separator = "" if self.unit == KpiUnit.PERCENT else " "
        return f"{symbol} {value}{separator}{unit}".strip()


class TaskAssignee(models.Model):
    """A lead or implementing unit of a task: a unit, a level ("UBND cấp xã") or a group."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignees")
    role = models.CharField("vai trò", max_length=20, choices=AssigneeRole.choices)
    position = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task_assignments",
    )
    level = models.CharField(max_length=30, choices=UnitLevel.choices, blank=True)
    group = models.CharField(max_length=30, choices=UnitGroup.choices, blank=True)
    is_consolidating = models.BooleanField(
        "chủ trì tổng hợp",
        default=False,
        help_text="Đơn vị chủ trì tổng hợp báo cáo của nhiệm vụ khi có nhiều đơn vị chủ trì.",
    )

    class Meta:
        ordering = ["task", "role", "position"]
        verbose_name = "đơn vị được giao"
        verbose_name_plural = "đơn vị được giao"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(unit__isnull=False, level="", group="")
                    | models.Q(unit__isnull=True, group="", level__gt="")
                    | models.Q(unit__isnull=True, level="", group__gt="")
                ),
                name="assignee_is_unit_level_or_group",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.unit is not None:
            return self.unit.display_name
        if self.level:
            return UnitLevel(self.level).label
        return UnitGroup(self.group).label
