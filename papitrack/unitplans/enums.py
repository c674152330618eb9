from django.db import models


class UnitPlanStatus(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    SUBMITTED = "submitted", "Đã gửi, chờ xem xét"
    RETURNED = "returned", "Bị trả lại"
    ACCEPTED = "accepted", "Đã chấp thuận"


EDITABLE_UNIT_PLAN_STATUSES = frozenset({UnitPlanStatus.DRAFT, UnitPlanStatus.RETURNED})
