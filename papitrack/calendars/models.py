"""The working-day calendar as data (days off, swapped Saturdays) and the due-date offsets."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from papitrack.calendars.enums import (
    WINDOW_PERIOD_KINDS,
    CalendarDayKind,
    PeriodKind,
    ReportingLevel,
)
from papitrack.calendars.workdays import SATURDAY

SWAP_ON_WEEKDAY = "Ngày làm việc bù phải là thứ Bảy hoặc Chủ nhật."


class CalendarDay(models.Model):
    """A date that breaks the Monday–Friday week: a day off, or a weekend day worked."""

    date = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=20, choices=CalendarDayKind.choices)
    name = models.CharField("tên", max_length=200, help_text="Ví dụ: Mùng hai Tết Nguyên Đán.")
    source = models.CharField(
        "nguồn",
        max_length=200,
        help_text="Số thông báo hoặc công văn quy định ngày này; «holidays» và số phiên bản "
        "nếu lấy từ thư viện holidays.",
    )
    confirmed = models.BooleanField(
        "đã xác nhận",
        default=False,
        help_text="Đã đối chiếu với thông báo chính thức của năm. Chưa xác nhận thì hạn gửi "
        "báo cáo tính theo ngày này chỉ là dự kiến.",
    )

    class Meta:
        ordering = ["date"]
        verbose_name = "ngày nghỉ, ngày làm bù"
        verbose_name_plural = "ngày nghỉ, ngày làm bù"

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"

    def clean(self) -> None:
        # A weekday is already a working day; only a weekend day can be swapped into one.
        if (
            self.kind == CalendarDayKind.WORKING_DAY_SWAP
            and self.date is not None
            and self.date.weekday() < SATURDAY
        ):
            raise ValidationError({"date": SWAP_ON_WEEKDAY})


class DueDateRule(models.Model):
    """How many working days after a period's cut-off a level's report is due."""

    period_kind = models.CharField(
        "loại kỳ",
        max_length=20,
        choices=[(kind.value, kind.label) for kind in WINDOW_PERIOD_KINDS],
    )
    level = models.CharField("cấp báo cáo", max_length=20, choices=ReportingLevel.choices)
    offset_working_days = models.PositiveSmallIntegerField(
        "số ngày làm việc sau ngày chốt số liệu",
        help_text="Hạn gửi = ngày chốt số liệu cộng số ngày làm việc này.",
    )

    class Meta:
        ordering = ["period_kind", "offset_working_days", "level"]
        verbose_name = "quy tắc hạn gửi báo cáo"
        verbose_name_plural = "quy tắc hạn gửi báo cáo"
        constraints = [
            models.UniqueConstraint(fields=["period_kind", "level"], name="unique_due_date_rule")
        ]

    def __str__(self) -> str:
        return (
            f"{PeriodKind(self.period_kind).label}, {ReportingLevel(self.level).label}: "
            f"{self.offset_working_days} ngày làm việc"
        )
