"""Notices to users (reminders, overdue alerts, workflow events), daily digests, job runs."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from papitrack.notifications.enums import Audience, JobName, JobOutcome, NoticeKind

# Domain notes §4.8: reminders 5 and 1 working days before the due date; digest at 07:00.
DEFAULT_FIRST_REMINDER_DAYS = 5
DEFAULT_SECOND_REMINDER_DAYS = 1
DEFAULT_DIGEST_HOUR = 7
MAX_REMINDER_DAYS = 20
DIGEST_HOURS = [(hour, f"{hour:02d}:00") for hour in range(6, 18)]


class NotificationPreference(models.Model):
    """How one user wants to be told. Without a row the defaults apply.

    In-app notices are always on: they are the record that a user was told.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_enabled = models.BooleanField(
        "nhận thư tổng hợp qua thư điện tử",
        default=True,
        help_text="Tắt thì vẫn nhận thông báo trong hệ thống, chỉ không nhận thư.",
    )
    first_reminder_days = models.PositiveSmallIntegerField(
        "nhắc hạn lần 1 (số ngày làm việc trước hạn)",
        default=DEFAULT_FIRST_REMINDER_DAYS,
        validators=[MaxValueValidator(MAX_REMINDER_DAYS)],
        help_text="0 = không nhắc lần này.",
    )
    second_reminder_days = models.PositiveSmallIntegerField(
        "nhắc hạn lần 2 (số ngày làm việc trước hạn)",
        default=DEFAULT_SECOND_REMINDER_DAYS,
        validators=[MaxValueValidator(MAX_REMINDER_DAYS)],
        help_text="0 = không nhắc lần này.",
    )
    digest_hour = models.PositiveSmallIntegerField(
        "giờ nhận thư tổng hợp",
        default=DEFAULT_DIGEST_HOUR,
        choices=DIGEST_HOURS,
        validators=[MinValueValidator(6), MaxValueValidator(17)],
        help_text="Thư được gửi ở lần chạy đầu tiên từ giờ này trở đi, mỗi ngày làm việc "
        "nhiều nhất một thư.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tùy chọn thông báo"
        verbose_name_plural = "tùy chọn thông báo"

    def __str__(self) -> str:
        return f"{self.user}"

    @property
    def reminder_days(self) -> tuple[int, ...]:
        return reminder_days_of(self.first_reminder_days, self.second_reminder_days)


def reminder_days_of(first: int, second: int) -> tuple[int, ...]:
    """The distinct non-zero lead times, largest first (0 switches a reminder off)."""
    return tuple(sorted({days for days in (first, second) if days > 0}, reverse=True))


class Digest(models.Model):
    """The one e-mail a user received on a day, listing that day's new notices."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField("ngày")
    sent_at = models.DateTimeField("gửi lúc")
    email = models.EmailField("địa chỉ nhận")
    subject = models.CharField("tiêu đề", max_length=200)
    notification_count = models.PositiveIntegerField("số thông báo", default=0)

    class Meta:
        ordering = ["-day", "recipient"]
        verbose_name = "thư tổng hợp"
        verbose_name_plural = "thư tổng hợp"
        constraints = [
            # At most one e-mail per user per day, even when two servers run the job at once.
            models.UniqueConstraint(fields=["recipient", "day"], name="one_digest_per_user_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.day:%d/%m/%Y}"


class Notification(models.Model):
    """One notice to one user about one report. Kept for good, as the log of who was told.

    `stage` tells notices of the same kind about the same report apart: the lead time of a
    reminder (5, 1), the number of an overdue alert (1, 2, 3 …); 0 otherwise. Workflow
    notices point at their transition instead.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("loại", max_length=20, choices=NoticeKind.choices)
    audience = models.CharField("gửi với tư cách", max_length=20, choices=Audience.choices)
    stage = models.PositiveSmallIntegerField("lần", default=0)
    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="notifications"
    )
    transition = models.ForeignKey(
        "reports.ReportTransition",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    message = models.TextField("nội dung")
    created_for_day = models.DateField("ngày thông báo")
    created_at = models.DateTimeField("tạo lúc")
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    emailed_in = models.ForeignKey(
        Digest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name="đã gửi trong thư",
    )

    class Meta:
        ordering = ["-created_for_day", "-id"]
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        constraints = [
            # Running the job twice (the same day, or two servers at once) creates nothing new.
            models.UniqueConstraint(
                fields=["recipient", "report", "kind", "stage"],
                condition=Q(transition__isnull=True),
                name="one_scheduled_notice_per_stage",
            ),
            models.UniqueConstraint(
                fields=["recipient", "transition"],
                condition=Q(transition__isnull=False),
                name="one_notice_per_transition",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "emailed_in", "created_for_day"]),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.get_kind_display()} · {self.report_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class JobRun(models.Model):
    """One run of a scheduled job. An unfinished run is also the lock of its job.

    At most one unfinished run per job exists (a unique index that SQLite and PostgreSQL
    both enforce), so a second server or cron entry starting the same job skips it.
    """

    job = models.CharField("việc", max_length=20, choices=JobName.choices)
    day = models.DateField("ngày")
    started_at = models.DateTimeField("bắt đầu")
    finished_at = models.DateTimeField("kết thúc", null=True, blank=True)
    outcome = models.CharField(
        "kết quả", max_length=20, choices=JobOutcome.choices, default=JobOutcome.RUNNING
    )
    transitions_until = models.DateTimeField(
        "đã xử lý lượt chuyển trạng thái đến",
        null=True,
        blank=True,
        help_text="Mốc cao nhất của các lượt gửi/trả lại/phê duyệt đã xét; lần chạy sau "
        "đọc tiếp từ đây.",
    )
    summary = models.JSONField("tóm tắt", default=dict)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = "lần chạy việc định kỳ"
        verbose_name_plural = "lần chạy việc định kỳ"
        constraints = [
            models.UniqueConstraint(
                fields=["job"],
                condition=Q(finished_at__isnull=True),
                name="one_unfinished_run_per_job",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_job_display()} {self.day:%d/%m/%Y} ({self.get_outcome_display()})"
