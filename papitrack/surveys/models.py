"""Citizen self-assessment surveys: questionnaire versions, survey rounds, responses, estimates."""

from __future__ import annotations

from django.db import models

from papitrack.surveys.enums import EstimateLevel, EstimateStatus, QuestionnaireStatus


class Questionnaire(models.Model):
    """A questionnaire version. Once published it is never edited; changes get a new version."""

    version = models.CharField("phiên bản", max_length=60, unique=True)
    title_vi = models.CharField("tên phiếu", max_length=300)
    index = models.ForeignKey(
        "indices.Index", on_delete=models.PROTECT, related_name="questionnaires"
    )
    status = models.CharField("trạng thái", max_length=20, choices=QuestionnaireStatus.choices)
    definition = models.JSONField(
        "nội dung phiếu",
        help_text="Toàn bộ tệp phiếu (câu hỏi, thang trả lời, quy tắc tính điểm) như đã nạp.",
    )
    checksum = models.CharField("mã kiểm tra", max_length=64)
    source_file = models.CharField("tệp nguồn", max_length=200, blank=True)
    loaded_at = models.DateTimeField("nạp lúc", auto_now_add=True)

    class Meta:
        ordering = ["version"]
        verbose_name = "phiếu khảo sát"
        verbose_name_plural = "phiếu khảo sát"

    def __str__(self) -> str:
        return self.version


class Survey(models.Model):
    """One survey round of a province: its questionnaire, weighting inputs and scoring settings."""

    name = models.CharField("tên đợt khảo sát", max_length=200)
    province = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="surveys"
    )
    year = models.PositiveSmallIntegerField("năm khảo sát")
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="surveys"
    )
    source_file = models.CharField("tệp số liệu", max_length=200, blank=True)
    source_checksum = models.CharField(max_length=64, blank=True)
    population = models.JSONField(
        "dân số theo huyện",
        default=list,
        blank=True,
        help_text="Dân số từng huyện theo giới tính, nhóm tuổi, thành thị/nông thôn, dùng để "
        "hậu phân tầng trọng số. Để trống: không hậu phân tầng.",
    )
    population_file = models.CharField("tệp dân số", max_length=200, blank=True)
    replicates = models.PositiveIntegerField(
        "số lần lặp bootstrap", default=1000, help_text="Số bộ trọng số lặp để tính sai số."
    )
    seed = models.PositiveIntegerField(
        "hạt giống ngẫu nhiên", default=42, help_text="Cùng hạt giống cho cùng khoảng tin cậy."
    )
    weighting_method = models.CharField("cách gia quyền", max_length=20, blank=True)
    raking_iterations = models.PositiveIntegerField("số vòng hậu phân tầng", default=0)
    respondent_count = models.PositiveIntegerField("số người trả lời", default=0)
    scored_at = models.DateTimeField("tính điểm lúc", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = "đợt khảo sát"
        verbose_name_plural = "đợt khảo sát"
        constraints = [
            models.UniqueConstraint(fields=["province", "year", "name"], name="unique_survey")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Response(models.Model):
    """One respondent's answers, kept exactly as imported, with the design variables."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="responses",
        help_text="Phiên bản phiếu mà người trả lời đã trả lời; quyết định cách tính điểm.",
    )
    respondent_id = models.CharField("mã người trả lời", max_length=100)
    district = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="survey_responses"
    )
    commune = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="survey_commune_responses"
    )
    village = models.CharField(
        "thôn, tổ dân phố", max_length=100, help_text="Đơn vị mẫu cấp 1 (PSU) của bootstrap."
    )
    stratum = models.CharField("tầng mẫu", max_length=100)
    sex = models.CharField("giới tính", max_length=20)
    age_group = models.CharField("nhóm tuổi", max_length=20)
    urban_rural = models.CharField("khu vực", max_length=20)
    design_weight = models.DecimalField(
        "trọng số thiết kế", max_digits=18, decimal_places=6, null=True, blank=True
    )
    answers = models.JSONField(
        "câu trả lời", help_text="Mã câu hỏi → mã trả lời, đúng như trong tệp nhập."
    )

    class Meta:
        ordering = ["survey", "respondent_id"]
        verbose_name = "phiếu trả lời"
        verbose_name_plural = "phiếu trả lời"
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent_id"], name="unique_survey_respondent"
            )
        ]

    def __str__(self) -> str:
        return self.respondent_id


class DomainWeight(models.Model):
    """Weights of one domain (the province or a district): totals and Kish design effect."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="domain_weights")
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    respondents = models.PositiveIntegerField("số người trả lời")
    weight_total = models.DecimalField("tổng trọng số", max_digits=18, decimal_places=4)
    weight_min = models.DecimalField("trọng số nhỏ nhất", max_digits=18, decimal_places=6)
    weight_max = models.DecimalField("trọng số lớn nhất", max_digits=18, decimal_places=6)
    design_effect = models.DecimalField(
        "hệ số thiết kế Kish",
        max_digits=10,
        decimal_places=4,
        help_text="1 + bình phương hệ số biến thiên của trọng số: độ mất chính xác do gia quyền.",
    )
    degrees_of_freedom = models.IntegerField(
        "bậc tự do", help_text="Số đơn vị mẫu cấp 1 trừ số tầng; dùng cho khoảng tin cậy."
    )

    class Meta:
        ordering = ["survey", "unit__code"]
        verbose_name = "trọng số theo địa bàn"
        verbose_name_plural = "trọng số theo địa bàn"
        constraints = [
            models.UniqueConstraint(fields=["survey", "unit"], name="unique_domain_weight")
        ]

    def __str__(self) -> str:
        return f"{self.survey} {self.unit}"


class Estimate(models.Model):
    """An estimated score with its 95% confidence interval, for one domain and one measure."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="estimates")
    unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="survey_estimates"
    )
    level = models.CharField("cấp", max_length=20, choices=EstimateLevel.choices)
    code = models.CharField("mã", max_length=40)
    dimension = models.ForeignKey(
        "indices.Dimension",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_estimates",
    )
    subdimension = models.ForeignKey(
        "indices.SubDimension",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_estimates",
    )
    estimate = models.DecimalField("ước lượng", max_digits=12, decimal_places=7, null=True)
    std_error = models.DecimalField("sai số chuẩn", max_digits=12, decimal_places=7, null=True)
    ci_low = models.DecimalField("cận dưới", max_digits=12, decimal_places=7, null=True)
    ci_high = models.DecimalField("cận trên", max_digits=12, decimal_places=7, null=True)
    respondents = models.PositiveIntegerField("số người trả lời")
    status = models.CharField("trạng thái", max_length=20, choices=EstimateStatus.choices)

    class Meta:
        ordering = ["survey", "unit__code", "level", "code"]
        verbose_name = "điểm ước lượng"
        verbose_name_plural = "điểm ước lượng"
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "unit", "level", "code"], name="unique_survey_estimate"
            )
        ]
        indexes = [models.Index(fields=["survey", "level"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.code}: {self.estimate}"
