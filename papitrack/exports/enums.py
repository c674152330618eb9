from django.db import models


class DocumentKind(models.TextChoices):
    """The official documents papitrack drafts from data."""

    CONSOLIDATED_REPORT = "consolidated_report", "Báo cáo tổng hợp của tỉnh"
    UNIT_REPORT = "unit_report", "Báo cáo của đơn vị"
    UNIT_PLAN_TEMPLATE = "unit_plan_template", "Mẫu kế hoạch thực hiện của đơn vị"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang tạo"
    DONE = "done", "Đã xong"
    FAILED = "failed", "Lỗi"


class ImportStatus(models.TextChoices):
    CHECKED = "checked", "Đã kiểm tra (chạy thử)"
    COMMITTED = "committed", "Đã ghi vào báo cáo"
    REJECTED = "rejected", "Có lỗi, không ghi được"
