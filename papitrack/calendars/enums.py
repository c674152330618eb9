from django.db import models


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "day_off", "Ngày nghỉ"
    WORKING_DAY_SWAP = "working_day_swap", "Ngày làm việc bù (thứ Bảy, Chủ nhật đi làm)"


class PeriodKind(models.TextChoices):
    MONTH = "month", "Tháng"
    QUARTER = "quarter", "Quý"
    HALF_YEAR = "half_year", "6 tháng"
    NINE_MONTHS = "nine_months", "9 tháng"
    YEAR = "year", "Năm"
    DEADLINE = "deadline", "Thời hạn"


# Kinds with a data cut-off window; a deadline is a single date, due on that date.
WINDOW_PERIOD_KINDS = (
    PeriodKind.MONTH,
    PeriodKind.QUARTER,
    PeriodKind.HALF_YEAR,
    PeriodKind.NINE_MONTHS,
    PeriodKind.YEAR,
)


class ReportingLevel(models.TextChoices):
    """Who sends a report, for staggered due dates (docs/calendar.md, "Due dates")."""

    COMMUNE = "commune", "Cấp xã"
    DISTRICT = "district", "Cấp huyện"
    DEPARTMENT = "department", "Sở, ban, ngành, cơ quan cấp tỉnh"
    LEAD = "lead", "Đơn vị chủ trì theo dõi (tổng hợp)"
    DOHA = "doha", "Sở Nội vụ (tổng hợp, trình UBND tỉnh)"


# Working days after the cut-off: domain.md §4.3 proposal; editable per regime in the admin.
DEFAULT_OFFSETS = {
    ReportingLevel.COMMUNE: 2,
    ReportingLevel.DISTRICT: 4,
    ReportingLevel.DEPARTMENT: 6,
    ReportingLevel.LEAD: 6,
    ReportingLevel.DOHA: 10,
}


class TaskState(models.TextChoices):
    """The four states of Decision 42/2014/QĐ-TTg (domain.md §4.7)."""

    DONE_ON_TIME = "done_on_time", "Đã hoàn thành đúng hạn"
    DONE_LATE = "done_late", "Đã hoàn thành nhưng quá hạn"
    IN_PROGRESS = "in_progress", "Đang thực hiện trong hạn"
    OVERDUE = "overdue", "Quá hạn"
