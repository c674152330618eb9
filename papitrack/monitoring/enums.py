from django.db import models


class Accumulation(models.TextChoices):
    """How a unit's values of several periods combine into a longer period (domain.md §3.3.3)."""

    INCREMENTAL = "incremental", "Cộng dồn các kỳ (số phát sinh trong kỳ)"
    CUMULATIVE = "cumulative", "Lấy số lũy kế của kỳ gần nhất"
    STOCK = "stock", "Lấy giá trị tại cuối kỳ gần nhất"
    DISTINCT_UNITS = "distinct_units", "Đếm đơn vị đã thực hiện ít nhất một lần"


class ZeroDenominator(models.TextChoices):
    """What 0/0 means for a ratio KPI."""

    NO_DATA = "no_data", "Không có số liệu"
    MET = "met", "Không phát sinh, coi là đạt"


class Achievement(models.TextChoices):
    """A value judged against its target; never merged with the task state (§3.3.9)."""

    MET = "met", "Đạt"
    NOT_MET = "not_met", "Chưa đạt"
    NOT_YET = "not_yet", "Chưa đến hạn đánh giá"
    NO_DATA = "no_data", "Không có số liệu"
    NO_TARGET = "no_target", "Chưa có chỉ tiêu"
    NOT_APPLICABLE = "not_applicable", "Không phát sinh, coi là đạt"


class TrafficLight(models.TextChoices):
    GREEN = "green", "Xanh: đạt"
    AMBER = "amber", "Vàng: gần đạt hoặc chưa đến hạn"
    RED = "red", "Đỏ: chưa đạt"
    GREY = "grey", "Xám: không đánh giá được"
