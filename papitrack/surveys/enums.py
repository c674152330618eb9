"""Choices of the self-assessment survey: item kinds, scales, estimate levels and statuses."""

from __future__ import annotations

from django.db import models


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    PUBLISHED = "published", "Đã ban hành"


class ItemKind(models.TextChoices):
    """What an item asks; decides how "don't know" is scored (papi.md §10, rule 1)."""

    KNOWLEDGE = "knowledge", "Hiểu biết"
    OPINION = "opinion", "Ý kiến, đánh giá"
    EXPERIENCE = "experience", "Trải nghiệm"
    FILTER = "filter", "Câu lọc (không tính điểm)"


class ScaleKind(models.TextChoices):
    CHOICE = "choice", "Chọn một phương án"
    NUMBER = "number", "Số"


class EstimateLevel(models.TextChoices):
    INDICATOR = "indicator", "Chỉ tiêu"
    SUBDIMENSION = "subdimension", "Chỉ số nội dung thành phần"
    DIMENSION = "dimension", "Chỉ số nội dung"
    OVERALL = "overall", "Điểm tổng hợp"


class EstimateStatus(models.TextChoices):
    OK = "ok", "Có ước lượng"
    INSUFFICIENT = "insufficient", "Không đủ số liệu"
    NO_VARIANCE = "no_variance", "Không tính được sai số"


class Verdict(models.TextChoices):
    """How an estimate compares with a reference value, given its confidence interval."""

    ABOVE = "above", "Cao hơn, ngoài sai số"
    WITHIN = "within", "Chênh lệch nằm trong sai số"
    BELOW = "below", "Thấp hơn, ngoài sai số"
    NOT_ASSESSABLE = "not_assessable", "Không đánh giá được"


# Design variables every response carries, in file column order.
DESIGN_VARIABLES = ("sex", "age_group", "urban_rural")

# The aggregate score's code, as in papitrack.indices (the "overall" pseudo-dimension).
OVERALL_CODE = "overall"
