"""Self-assessment surveys: questionnaire codebooks and estimated scores with 95% intervals.

The survey is the province's own PAPI-aligned questionnaire, not PAPI: its estimates are never
PAPI scores. Decimals are JSON strings, as everywhere in this API.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from papitrack.api.auth import USER_AUTH
from papitrack.api.base import PUBLIC
from papitrack.api.converters import plain
from papitrack.surveys.comparison import Comparison
from papitrack.surveys.enums import Verdict
from papitrack.surveys.models import Estimate, Survey
from papitrack.surveys.queries import (
    SurveyLookupError,
    codebook,
    get_questionnaire,
    questionnaire_rows,
    survey_report,
    surveys_with_counts,
)
from papitrack.surveys.services import record_survey_microdata_access

# Questionnaires and codebooks are public (PUBLIC); surveys and estimates need a user.
router = Router(tags=["surveys"], auth=USER_AUTH)

UNKNOWN_SURVEY = "Không có đợt khảo sát mã số {survey_id}."
NOT_PAPI = (
    "Điểm ước lượng từ khảo sát tự đánh giá theo cấu trúc PAPI của tỉnh; không phải điểm PAPI "
    "chính thức và không so sánh một-một với điểm PAPI."
)


class SurveyErrorOut(Schema):
    detail: str


class QuestionnaireOut(Schema):
    version: str
    title_vi: str
    index: str
    status: str
    checksum: str
    survey_count: int


class CodebookAnswerOut(Schema):
    code: str
    label_vi: str
    score: str


class CodebookItemOut(Schema):
    code: str
    ref: str
    dimension: str
    subdimension: str
    kind: str
    scale: str
    reverse: bool
    asked_if: str
    text_vi: str
    answers: list[CodebookAnswerOut]


class CodebookOut(Schema):
    version: str
    title_vi: str
    notice_vi: str
    items: list[CodebookItemOut]


class SurveySummaryOut(Schema):
    id: int
    name: str
    province_code: str
    year: int
    questionnaire: str
    respondents: int
    replicates: int
    seed: int
    scored_at: str | None


class DomainWeightOut(Schema):
    unit_code: str
    respondents: int
    weight_total: Decimal
    weight_min: Decimal
    weight_max: Decimal
    design_effect: Decimal
    degrees_of_freedom: int


class EstimateOut(Schema):
    unit_code: str
    level: str
    code: str
    estimate: Decimal | None
    std_error: Decimal | None
    ci_low: Decimal | None
    ci_high: Decimal | None
    n: int
    status: str


class ReferenceOut(Schema):
    reference: Decimal | None
    difference: Decimal | None
    verdict: str
    verdict_label: str


class ComparisonOut(Schema):
    code: str
    label: str
    estimate: Decimal | None
    ci_low: Decimal | None
    ci_high: Decimal | None
    plan_target: ReferenceOut
    published: ReferenceOut


class SurveyOut(SurveySummaryOut):
    notice: str
    weighting_method: str
    raking_iterations: int
    plan_id: int | None
    published_year: int | None
    weights: list[DomainWeightOut]
    comparisons: list[ComparisonOut]
    estimates: list[EstimateOut]


def _summary(survey: Survey) -> dict[str, Any]:
    return {
        "id": survey.pk,
        "name": survey.name,
        "province_code": survey.province.code,
        "year": survey.year,
        "questionnaire": survey.questionnaire.version,
        "respondents": survey.respondent_count,
        "replicates": survey.replicates,
        "seed": survey.seed,
        "scored_at": survey.scored_at.isoformat() if survey.scored_at else None,
    }


def _reference(comparison: Comparison) -> dict[str, Any]:
    return {
        "reference": plain(comparison.reference),
        "difference": plain(comparison.difference),
        "verdict": comparison.verdict,
        "verdict_label": Verdict(comparison.verdict).label,
    }


@router.get(
    "/surveys/questionnaires",
    response=list[QuestionnaireOut],
    summary="Các phiên bản phiếu khảo sát tự đánh giá",
    **PUBLIC,
)
def list_questionnaires(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "version": row.version,
            "title_vi": row.title_vi,
            "index": row.index.code,
            "status": row.status,
            "checksum": row.checksum,
            "survey_count": row.survey_count,  # type: ignore[attr-defined]
        }
        for row in questionnaire_rows()
    ]


@router.get(
    "/surveys/questionnaires/{version}/codebook",
    response={200: CodebookOut, 404: SurveyErrorOut},
    summary="Sổ mã của một phiên bản phiếu: câu hỏi, chỉ số, mã trả lời và điểm",
    **PUBLIC,
)
def get_codebook(request: HttpRequest, version: str) -> dict[str, Any]:
    """Every item: code, PAPI dimension and sub-dimension, answer codes and their score.

    A score of "thiếu" means the answer counts as missing; filter questions score "—".
    """
    try:
        questionnaire = get_questionnaire(version)
    except SurveyLookupError as error:
        raise HttpError(404, str(error)) from error
    return {
        "version": questionnaire.version,
        "title_vi": questionnaire.title_vi,
        "notice_vi": questionnaire.notice_vi,
        "items": [
            {
                "code": item.code,
                "ref": item.ref,
                "dimension": item.dimension,
                "subdimension": item.subdimension,
                "kind": item.kind,
                "scale": item.scale,
                "reverse": item.reverse,
                "asked_if": item.asked_if,
                "text_vi": item.text_vi,
                "answers": [
                    {"code": a.code, "label_vi": a.label_vi, "score": a.score} for a in item.answers
                ],
            }
            for item in codebook(questionnaire)
        ],
    }


@router.get(
    "/surveys",
    response=list[SurveySummaryOut],
    auth=USER_AUTH,
    summary="Các đợt khảo sát tự đánh giá",
)
def list_surveys(request: HttpRequest) -> list[dict[str, Any]]:
    return [_summary(survey) for survey in surveys_with_counts()]


@router.get(
    "/surveys/{survey_id}",
    response={200: SurveyOut, 404: SurveyErrorOut},
    auth=USER_AUTH,
    summary="Điểm ước lượng của một đợt khảo sát, kèm khoảng tin cậy 95%",
)
def get_survey(
    request: HttpRequest, survey_id: int, level: str | None = None, unit: str | None = None
) -> dict[str, Any]:
    """For the province and each district: estimate, ci_low, ci_high, n at every level.

    Optional filters: `level` (indicator, subdimension, dimension, overall) and `unit` (a unit
    code). Comparisons say whether the plan target and the last published PAPI score lie
    within the estimate's interval ("within") or outside it ("above"/"below").
    """
    survey = surveys_with_counts().filter(pk=survey_id).first()
    if survey is None:
        raise HttpError(404, UNKNOWN_SURVEY.format(survey_id=survey_id))
    report = survey_report(survey=survey)
    record_survey_microdata_access(actor=request.user, survey=survey, via="api:get_survey")
    estimates = Estimate.objects.filter(survey=survey).select_related("unit")
    if level:
        estimates = estimates.filter(level=level)
    if unit:
        estimates = estimates.filter(unit__code=unit)
    return {
        **_summary(survey),
        "notice": NOT_PAPI,
        "weighting_method": survey.weighting_method,
        "raking_iterations": survey.raking_iterations,
        "plan_id": report.plan.pk if report.plan else None,
        "published_year": report.published_year,
        "weights": [
            {
                "unit_code": weight.unit.code,
                "respondents": weight.respondents,
                "weight_total": plain(weight.weight_total),
                "weight_min": plain(weight.weight_min),
                "weight_max": plain(weight.weight_max),
                "design_effect": plain(weight.design_effect),
                "degrees_of_freedom": weight.degrees_of_freedom,
            }
            for weight in report.weights
        ],
        "comparisons": [
            {
                "code": row.code,
                "label": row.label,
                "estimate": row.estimate.estimate,
                "ci_low": row.estimate.ci_low,
                "ci_high": row.estimate.ci_high,
                "plan_target": _reference(row.target),
                "published": _reference(row.published),
            }
            for row in report.comparisons
        ],
        "estimates": [
            {
                "unit_code": row.unit.code,
                "level": row.level,
                "code": row.code,
                "estimate": row.estimate,
                "std_error": row.std_error,
                "ci_low": row.ci_low,
                "ci_high": row.ci_high,
                "n": row.respondents,
                "status": row.status,
            }
            for row in estimates.order_by("unit__code", "level", "code")
        ],
    }
