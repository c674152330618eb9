from django.db import models


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    SUBMITTED = "submitted", "Đã gửi, chờ duyệt"
    RETURNED = "returned", "Bị trả lại"
    APPROVED = "approved", "Đã phê duyệt"


# States in which the reporting unit may change values.
EDITABLE_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})


class ReportAction(models.TextChoices):
    SAVE = "save", "Lưu"
    SUBMIT = "submit", "Gửi"
    RETURN = "return", "Trả lại"
    APPROVE = "approve", "Phê duyệt"
    REOPEN = "reopen", "Mở lại"


class ReportKind(models.TextChoices):
    UNIT = "unit", "Báo cáo của đơn vị thực hiện"
    CONSOLIDATED = "consolidated", "Báo cáo tổng hợp của đơn vị chủ trì"


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Đã hoàn thành"


class EvidenceKind(models.TextChoices):
    FILE = "file", "Tệp"
    LINK = "link", "Đường dẫn"
