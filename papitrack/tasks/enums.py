from django.db import models


class KpiKind(models.TextChoices):
    SHARE_OF_UNITS = "share_of_units", "Tỷ lệ đơn vị thực hiện"
    RATIO = "ratio", "Tỷ lệ tử số/mẫu số"
    COUNT = "count", "Số lần, tần suất"
    MILESTONE = "milestone", "Kết quả định tính"
    EXTERNAL = "external", "Chỉ tiêu theo văn bản khác"
    VAGUE = "vague", "Chỉ tiêu chưa đo lường được"


class Comparator(models.TextChoices):
    AT_LEAST = ">=", "≥"
    MORE_THAN = ">", ">"
    AT_MOST = "<=", "≤"
    LESS_THAN = "<", "<"
    EQUAL = "=", "="


class KpiUnit(models.TextChoices):
    PERCENT = "percent", "%"
    TIMES_PER_YEAR = "times_per_year", "lần/năm"
    ROUNDS_PER_YEAR = "rounds_per_year", "đợt/năm"


class TimelineKind(models.TextChoices):
    ONGOING = "ongoing", "Thường xuyên"
    PERIODIC_REGULATED = "periodic_regulated", "Định kỳ theo quy định"
    EVERY_MONTHS = "every_months", "Định kỳ theo số tháng"
    BY_QUARTER = "by_quarter", "Trong một quý"
    YEARLY_MONTH = "yearly_month", "Một tháng hằng năm"
    EXTERNAL = "external", "Theo kế hoạch khác"


class AssigneeRole(models.TextChoices):
    LEAD = "lead", "Đơn vị chủ trì theo dõi"
    IMPLEMENTING = "implementing", "Đơn vị thực hiện"


class OutputKind(models.TextChoices):
    GUIDANCE_LETTER = "guidance_letter", "Công văn hướng dẫn, kiểm tra"
    IMPLEMENTATION_PLAN = "implementation_plan", "Kế hoạch thực hiện"
    INSPECTION_PLAN = "inspection_plan", "Kế hoạch kiểm tra"
    QUARTERLY_REPORT = "quarterly_report", "Báo cáo quý"
    SEMIANNUAL_REPORT = "semiannual_report", "Báo cáo 6 tháng"
    ANNUAL_REPORT = "annual_report", "Báo cáo năm"
    RESULTS_REPORT = "results_report", "Báo cáo kết quả thực hiện"
    INSPECTION_REPORT = "inspection_report", "Báo cáo kết quả kiểm tra"
    REMEDIATION_REPORT = "remediation_report", "Báo cáo kết quả khắc phục"
    PERIODIC_REPORT = "periodic_report", "Báo cáo định kỳ"
    ISSUED_PROCEDURE = "issued_procedure", "Quy trình được ban hành"
    POOR_HOUSEHOLD_LIST = "poor_household_list", "Danh sách hộ nghèo"
    DOSSIER_RATE_REPORT = "dossier_rate_report", "Báo cáo tỷ lệ hồ sơ giải quyết"
    PROCEDURE_LIST = "procedure_list", "Danh sách TTHC được giải quyết"


class SourceFlag(models.TextChoices):
    TRUNCATED_LEAD = "truncated_lead", "Tên đơn vị chủ trì bị cắt"
    BLANK_KPI = "blank_kpi", "Không ghi chỉ tiêu"
    COMPOUND_KPI = "compound_kpi", "Chỉ tiêu gồm nhiều phần"
    SPLIT_ACROSS_PAGES = "split_across_pages", "Dòng bị ngắt qua trang"
    DUPLICATE_PRINTED_NUMBER = "duplicate_printed_number", "Số thứ tự in trùng"
    VAGUE_KPI = "vague_kpi", "Chỉ tiêu chưa đo lường được"
    EXTERNAL_TARGET = "external_target", "Chỉ tiêu theo văn bản khác"
    HTML_IN_SOURCE = "html_in_source", "Văn bản gốc có thẻ HTML"
