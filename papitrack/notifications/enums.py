from django.db import models


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", "Nhắc hạn"
    DUE_TODAY = "due_today", "Đến hạn hôm nay"
    OVERDUE = "overdue", "Quá hạn"
    ESCALATION = "escalation", "Quá hạn, chuyển đôn đốc"
    SUBMITTED = "submitted", "Báo cáo chờ duyệt"
    RETURNED = "returned", "Báo cáo bị trả lại"
    APPROVED = "approved", "Báo cáo đã phê duyệt"


# Kinds created from the calendar (one per stage), and from workflow transitions (one per move).
SCHEDULE_KINDS = frozenset(
    {NoticeKind.REMINDER, NoticeKind.DUE_TODAY, NoticeKind.OVERDUE, NoticeKind.ESCALATION}
)
WORKFLOW_KINDS = frozenset({NoticeKind.SUBMITTED, NoticeKind.RETURNED, NoticeKind.APPROVED})


class Audience(models.TextChoices):
    """Why the recipient gets the notice."""

    REPORTING_UNIT = "reporting_unit", "Cán bộ của đơn vị báo cáo"
    HEAD = "head", "Đơn vị cấp trên trực tiếp"
    LEAD_AGENCY = "lead_agency", "Đơn vị chủ trì theo dõi"
    DOHA = "doha", "Sở Nội vụ"
    REVIEWER = "reviewer", "Đơn vị xem xét, phê duyệt"


class JobName(models.TextChoices):
    NOTIFICATIONS = "notifications", "Tạo thông báo"
    DIGESTS = "digests", "Gửi thư tổng hợp"


class JobOutcome(models.TextChoices):
    RUNNING = "running", "Đang chạy"
    DONE = "done", "Hoàn thành"
    DAY_OFF = "day_off", "Ngày nghỉ, không chạy"
    FAILED = "failed", "Lỗi"
    ABANDONED = "abandoned", "Bị bỏ dở (quá thời hạn khóa)"
