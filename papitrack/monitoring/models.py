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


# --- stored roll-ups (monitoring/stored_rollups.py writes them, queries/stored.py reads) ------


class StoredRollupState(models.Model):
    """Which data version of the plan the stored roll-ups hold.

    They are read only while this equals the plan's data version (plans/versions.py);
    otherwise the figures are computed from the reports, so a write that did not refresh
    them can make the pages slower, never wrong.
    """

    plan = models.OneToOneField(
        "plans.Plan", on_delete=models.CASCADE, related_name="stored_rollup_state"
    )
    version = models.PositiveBigIntegerField()
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "trạng thái số liệu tổng hợp sẵn"
        verbose_name_plural = "trạng thái số liệu tổng hợp sẵn"

    def __str__(self) -> str:
        return f"{self.plan_id}@{self.version}"


class StoredGroup(models.Model):
    """What a stored roll-up row is grouped by: one task and period of a plan, one group at
    one level, one report kind and unit kind.

    Level L groups a report under its unit's ancestor at depth L, or the unit itself when
    it is not deeper than L: level 1 serves the national scope (groups are provinces),
    level 2 a province's pages (its departments, districts and its own reports).
    """

    # Only the two composite indexes below: each index slows the regrouping of every
    # approval, and the rows are read by plan, level and period, or by slice.
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    period = models.ForeignKey(
        "reports.ReportingPeriod", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    task = models.ForeignKey(
        "tasks.Task", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    level = models.PositiveSmallIntegerField()
    group = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    report_kind = models.CharField(max_length=20)
    unit_kind = models.CharField(max_length=20)

    class Meta:
        abstract = True
        indexes = [
            models.Index(fields=["plan", "level", "period", "group"]),
            models.Index(fields=["plan", "task", "period"]),
        ]


class StoredReportCount(StoredGroup):
    """Expected reports of one group (StoredGroup) by due date: the counts
    `expected.report_rows` computes."""

    # Due dates are kept apart: whether an unsent report is "in progress" or "overdue"
    # depends on the day the figures are read.
    due_date = models.DateField()
    expected = models.PositiveIntegerField()
    received = models.PositiveIntegerField()
    done_on_time = models.PositiveIntegerField()
    approved = models.PositiveIntegerField()
    submitted = models.PositiveIntegerField()
    returned = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.task_id}/{self.period_id}/L{self.level}/{self.group_id}: {self.expected}"


class StoredValueSum(StoredGroup):
    """KPI values of one group's counting reports (StoredGroup) by KPI and report status:
    the sums `tallies._grouped_values` computes."""

    kpi = models.ForeignKey("tasks.Kpi", on_delete=models.CASCADE, related_name="+", db_index=False)
    status = models.CharField(max_length=20)
    ratio_reported = models.PositiveIntegerField()
    # As many decimal places as the values they sum (KpiValue).
    sum_numerator = models.DecimalField(max_digits=24, decimal_places=2, null=True)
    sum_denominator = models.DecimalField(max_digits=24, decimal_places=2, null=True)
    answered = models.PositiveIntegerField()
    yes = models.PositiveIntegerField()
    counted = models.PositiveIntegerField()
    sum_events = models.DecimalField(max_digits=24, decimal_places=0, null=True)
    meeting = models.PositiveIntegerField()
    milestone_reported = models.PositiveIntegerField()
    done = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.kpi_id}/{self.period_id}/L{self.level}/{self.group_id}/{self.status}"


class StoredChildAnswerSum(StoredGroup):
    """District answers that stand in for their communes (ChildAnswer), grouped under the
    child (StoredGroup's group and unit kind are the child's), by KPI, the answering
    report's status and the status of the child's own answering report ("" if it has none).

    An answer counts when its report's status is counted and the child's own answer is not
    (a child's own answer takes precedence): `tallies.stored_child_answer_rows` filters both
    statuses, so "include submitted" still works on stored figures.
    """

    kpi = models.ForeignKey("tasks.Kpi", on_delete=models.CASCADE, related_name="+", db_index=False)
    status = models.CharField(max_length=20)
    own_status = models.CharField(max_length=20, blank=True)
    answered = models.PositiveIntegerField()
    yes = models.PositiveIntegerField()
    # Answers for children that owe no report of their own: members the expected reports
    # do not count.
    extra_members = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.kpi_id}/{self.period_id}/L{self.level}/{self.group_id}/{self.status}"
