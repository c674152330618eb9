"""The effective-dated tree of units: province, its bodies, districts and communes."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models

from papitrack.orgunits.enums import ChangeKind, UnitKind, UnitLevel

# Ancestor columns: the deepest tree is national → province → district → commune (→ one more).
MAX_DEPTH = 5
TREE_FIELDS = ("depth", "ancestor_1", "ancestor_2", "ancestor_3", "ancestor_4")


class OrgUnit(models.Model):
    code = models.CharField(
        "mã",
        max_length=40,
        unique=True,
        help_text="Mã chính thức của Tổng cục Thống kê (tỉnh 2 số, huyện 3 số, xã 5 số) "
        "hoặc mã nội bộ cho cơ quan không có mã chính thức.",
    )
    official_code = models.BooleanField("mã chính thức", default=False)
    kind = models.CharField("loại đơn vị", max_length=20, choices=UnitKind.choices)
    level = models.CharField(
        "thuộc cấp",
        max_length=30,
        choices=UnitLevel.choices,
        blank=True,
        help_text="Cấp mà kế hoạch dùng để giao việc cho cả nhóm đơn vị này.",
    )
    name = models.CharField("tên", max_length=200)
    short_name = models.CharField("tên ngắn", max_length=100, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    outside_command = models.BooleanField(
        "ngoài quyền chỉ đạo của UBND tỉnh",
        default=False,
        help_text="Cơ quan mà kế hoạch chỉ đề nghị (Mặt trận, Tòa án, ngành dọc, doanh nghiệp).",
    )
    search_text = models.CharField(max_length=400, blank=True, editable=False)
    # The unit's place in the tree, kept by save() (orgunits/tree.py): depth 1 for a
    # top-level unit, and its ancestor at each depth above its own. The monitoring queries
    # group a period's reports by province or district with one join on these instead of
    # walking four parent links per row (docs/ARCHITECTURE.md, "Roll-up queries").
    depth = models.PositiveSmallIntegerField(default=1, editable=False)
    ancestor_1 = models.BigIntegerField(null=True, blank=True, editable=False, db_index=True)
    ancestor_2 = models.BigIntegerField(null=True, blank=True, editable=False, db_index=True)
    ancestor_3 = models.BigIntegerField(null=True, blank=True, editable=False, db_index=True)
    ancestor_4 = models.BigIntegerField(null=True, blank=True, editable=False, db_index=True)
    source = models.CharField("nguồn", max_length=200, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        indexes = [models.Index(fields=["kind", "parent"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Every write path (loaders, the shell, tests) keeps the tree columns true; bulk
        # writes, which skip save(), call tree.refresh_tree() afterwards.
        from papitrack.orgunits.tree import (  # noqa: PLC0415
            place_in_tree,
            refresh_tree,
            tree_changed,
        )

        moved = place_in_tree(self)
        if moved and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *TREE_FIELDS}
        super().save(*args, **kwargs)
        if moved:
            refresh_tree()
            tree_changed.send(sender=OrgUnit)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def is_active_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class OrgUnitChange(models.Model):
    """One predecessor -> successor link of a reorganisation (e.g. 1 July 2025)."""

    predecessor = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="successor_links"
    )
    successor = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="predecessor_links"
    )
    kind = models.CharField("loại thay đổi", max_length=20, choices=ChangeKind.choices)
    effective_on = models.DateField("ngày hiệu lực")
    share = models.DecimalField(
        "tỷ lệ",
        max_digits=6,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Phần của đơn vị cũ chuyển sang đơn vị mới, khi chia tách.",
    )
    legal_basis = models.CharField("căn cứ", max_length=300, blank=True)

    class Meta:
        ordering = ["effective_on", "predecessor__code"]
        verbose_name = "thay đổi đơn vị"
        verbose_name_plural = "thay đổi đơn vị"
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "effective_on"], name="unique_unit_change"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_on})"
