"""Per-KPI roll-up settings that the plan file does not carry."""

from __future__ import annotations

from typing import Any

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


# --- fact tables (monitoring/facts.py writes them, queries/facts.py reads) --------------------


def _unchecked_key(to: str) -> models.ForeignKey[Any, Any]:
    """A fact's reference: no index of its own (the composite ones serve), no database
    constraint (see Fact)."""
    return models.ForeignKey(
        to, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )


class Fact(models.Model):
    """One expected report (or one of its values) flattened for grouping, as DHIS2's
    analytics tables flatten data values: the report's plan, period, task and kinds, and
    the groups its unit falls in at each stored level (StoredGroup), copied beside the
    figures so that a period's rows are grouped from one index, without joins.

    Kept in step with the reports as the stored roll-ups are (the same slices, the same
    StoredRollupState); the stored level-2 rows are grouped from them. Foreign keys carry
    no database constraint: the rows are rebuilt from the reports, and a check per row
    would slow a national rebuild's millions of inserts.
    """

    plan = _unchecked_key("plans.Plan")
    period = _unchecked_key("reports.ReportingPeriod")
    task = _unchecked_key("tasks.Task")
    # The unit's group at level 1 (its province) and at level 2 (its unit under the province).
    group_1 = _unchecked_key("orgunits.OrgUnit")
    group_2 = _unchecked_key("orgunits.OrgUnit")
    kind = models.CharField(max_length=20)  # the report's kind
    unit_kind = models.CharField(max_length=20)
    status = models.CharField(max_length=20)

    class Meta:
        abstract = True


def _report_key() -> models.ForeignKey[Any, Any]:
    """A fact's report, indexed: a workflow move rewrites its report's facts alone
    (facts.write_facts). No cascade: facts of deleted reports go with the rebuild that the
    deleting write's data-version bump runs."""
    return models.ForeignKey(
        "reports.Report",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=True,
        db_constraint=False,
    )


class ReportFact(Fact):
    """An expected report: what `expected.report_rows` counts. Its first submission is kept
    as what the counts ask of it (sent, and before the due date's local day ended), decided
    once on writing rather than by a date comparison per row on every read."""

    report = _report_key()
    due_date = models.DateField()
    # Not named as the counts (`received`, …) that annotate the rows they are read from.
    sent = models.BooleanField()
    sent_on_time = models.BooleanField()

    class Meta:
        indexes = [
            # Covering the national grouping of a period, in its GROUP BY order (SQLite
            # then reads the index alone, in order, with no sort); a slice is its prefix.
            models.Index(
                fields=[
                    "plan",
                    "period",
                    "task",
                    "kind",
                    "group_1",
                    "unit_kind",
                    "status",
                    "due_date",
                    "sent",
                    "sent_on_time",
                ],
                name="report_fact_grouping",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}/{self.period_id}/{self.group_2_id}: {self.status}"


class ValueFact(Fact):
    """A KPI value of a counting report (approved or submitted): what
    `tallies.value_aggregates` sums, under the same column names as KpiValue."""

    report = _report_key()
    kpi = _unchecked_key("tasks.Kpi")
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    count = models.DecimalField(max_digits=10, decimal_places=0, null=True)
    answer = models.BooleanField(null=True)
    milestone_status = models.CharField(max_length=20, blank=True)

    class Meta:
        indexes = [
            # As ReportFact's: the national grouping (task, KPI, group, unit kind) in order,
            # the filtered and summed columns after it. The status first: by default only
            # approved values count, and the others are then not read at all.
            models.Index(
                fields=[
                    "plan",
                    "period",
                    "status",
                    "task",
                    "kpi",
                    "group_1",
                    "unit_kind",
                    "kind",
                    "numerator",
                    "denominator",
                    "count",
                    "answer",
                    "milestone_status",
                ],
                name="value_fact_grouping",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi_id}/{self.period_id}/{self.group_2_id}: {self.status}"


class AnswerFact(Fact):
    """A district's answer for one of its communes (ChildAnswer) in a counting report, under
    the commune: the groups and unit kind are the child's, the status the answering
    report's. It stands in for the child's own answer unless that one counts, so the status
    of the child's own answering report is kept ("" if it has none), and whether the child
    owes a report at all (if not, it adds a member to the share)."""

    kpi = _unchecked_key("tasks.Kpi")
    own_status = models.CharField(max_length=20, blank=True)
    owes = models.BooleanField()
    answer = models.BooleanField()

    class Meta:
        # A few thousand a quarter nationally: the slice prefix is all the reads need.
        indexes = [models.Index(fields=["plan", "period", "task"], name="answer_fact_slice")]

    def __str__(self) -> str:
        return f"{self.kpi_id}/{self.period_id}/{self.group_2_id}: {self.answer}"
