from django.db import models


class NameStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Đã xác nhận"
    SECONDARY = "secondary", "Nguồn thứ cấp"
    UNCERTAIN = "uncertain", "Chưa xác nhận"


class ScoreStatus(models.TextChoices):
    PUBLISHED = "published", "Đã công bố"
    NOT_SCORED = "not_scored", "PAPI không chấm điểm"
    NOT_AVAILABLE = "not_available", "Không có số liệu"


class GroupSizeStatus(models.TextChoices):
    OFFICIAL = "official", "Chính thức"
    ASSUMED = "assumed", "Giả định"


class RankGroup(models.IntegerChoices):
    HIGHEST = 1, "Nhóm đạt điểm cao nhất"
    HIGH_AVERAGE = 2, "Nhóm đạt điểm trung bình cao"
    LOW_AVERAGE = 3, "Nhóm đạt điểm trung bình thấp"
    LOWEST = 4, "Nhóm đạt điểm thấp nhất"


# The aggregate score is stored as a pseudo-dimension so that every score has one key.
OVERALL = "overall"
