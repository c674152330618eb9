"""Reads for surveys: questionnaires, the unit frame, survey reports and file scoring."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db.models import Count, QuerySet

from papitrack.indices.enums import ScoreStatus
from papitrack.indices.models import Dimension, PublishedScore, SubDimension
from papitrack.lib.datafiles import DataFileError, read_yaml
from papitrack.orgunits.enums import UnitKind
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Plan
from papitrack.surveys.comparison import Comparison, compare_with_reference
from papitrack.surveys.enums import OVERALL_CODE, EstimateLevel, ScaleKind
from papitrack.surveys.estimation import (
    DEFAULT_REPLICATES,
    DEFAULT_SEED,
    SurveyResult,
    score_responses,
)
from papitrack.surveys.importers import (
    Progress,
    encode_responses,
    parse_population,
    parse_responses,
    population_margins,
    read_rows,
)
from papitrack.surveys.models import DomainWeight, Estimate, Survey
from papitrack.surveys.models import Questionnaire as QuestionnaireRow
from papitrack.surveys.questionnaire import Questionnaire, QuestionnaireError, parse_questionnaire
from papitrack.surveys.scoring import compile_rules

DEFAULT_QUESTIONNAIRE = "papi-aligned-v1"
UNKNOWN_QUESTIONNAIRE = "Không có phiếu khảo sát phiên bản «{version}»."
UNKNOWN_PROVINCE = "Không xác định được tỉnh của các huyện trong tệp ({codes})."


class SurveyLookupError(ValueError):
    """A questionnaire or province named by the user does not exist (message in Vietnamese)."""


def questionnaire_directory() -> Path:
    return Path(settings.DATA_DIR) / "surveys" / "questionnaires"


def questionnaire_file(version: str) -> Path:
    return questionnaire_directory() / f"{version}.yaml"


def get_questionnaire(version: str) -> Questionnaire:
    """A questionnaire version: as stored in the database, else the file shipped in data/."""
    row = QuestionnaireRow.objects.filter(version=version).first()
    if row is not None:
        return parse_questionnaire(row.definition)
    path = questionnaire_file(version)
    if "/" in version or not path.is_file():
        raise SurveyLookupError(UNKNOWN_QUESTIONNAIRE.format(version=version))
    try:
        return parse_questionnaire(read_yaml(path))
    except (DataFileError, QuestionnaireError) as error:
        raise SurveyLookupError(str(error)) from error


def questionnaire_rows() -> QuerySet[QuestionnaireRow]:
    return QuestionnaireRow.objects.select_related("index").annotate(survey_count=Count("surveys"))


def communes_by_district(*, province: OrgUnit) -> dict[str, frozenset[str]]:
    """The province's districts (any validity) with the codes of their communes."""
    communes: dict[str, set[str]] = {
        code: set()
        for code in OrgUnit.objects.filter(parent=province, kind=UnitKind.DISTRICT).values_list(
            "code", flat=True
        )
    }
    for code, district in OrgUnit.objects.filter(
        parent__parent=province, parent__kind=UnitKind.DISTRICT, kind=UnitKind.COMMUNE
    ).values_list("code", "parent__code"):
        communes[district].add(code)
    return {district: frozenset(codes) for district, codes in communes.items()}


def province_of_districts(codes: Sequence[str]) -> OrgUnit:
    """The one province that the given district codes belong to."""
    parents = set(
        OrgUnit.objects.filter(code__in=set(codes), kind=UnitKind.DISTRICT).values_list(
            "parent_id", flat=True
        )
    )
    province = OrgUnit.objects.filter(pk__in=parents, kind=UnitKind.PROVINCE).first()
    if province is None or len(parents) != 1:
        raise SurveyLookupError(UNKNOWN_PROVINCE.format(codes=", ".join(sorted(set(codes))[:5])))
    return province


def district_codes_in_file(*, content: bytes, file_name: str) -> list[str]:
    """District codes named in a response file (to find its province before full checks)."""
    rows = read_rows(content, file_name)
    if not rows:
        return []
    header = [cell.rsplit("/", 1)[-1] for cell in rows[0]]
    if "district" not in header:
        return []
    column = header.index("district")
    return sorted({row[column] for row in rows[1:] if column < len(row) and row[column]})


def score_response_file(
    *,
    content: bytes,
    file_name: str,
    questionnaire: Questionnaire,
    province: OrgUnit,
    population_content: bytes | None = None,
    population_file_name: str = "",
    replicates: int = DEFAULT_REPLICATES,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> SurveyResult:
    """Check and score a response file without storing anything (the score_survey command).

    Raises importers.ResponseFileError or estimation.ScoringError with Vietnamese messages.
    """
    frame = communes_by_district(province=province)
    responses = parse_responses(
        content=content,
        file_name=file_name,
        questionnaire=questionnaire,
        province_code=province.code,
        communes_by_district=frame,
        progress=progress,
    )
    population = None
    if population_content is not None:
        population = population_margins(
            parse_population(
                content=population_content,
                file_name=population_file_name,
                questionnaire=questionnaire,
                province_code=province.code,
                districts=frame,
            )
        )
    return score_responses(
        encode_responses(responses, questionnaire),
        compile_rules(questionnaire),
        province_code=province.code,
        population=population,
        replicates=replicates,
        seed=seed,
    )


# --- codebook ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CodebookAnswer:
    code: str
    label_vi: str
    score: str  # "0.75", "thiếu" (missing) or a rule for number items


@dataclass(frozen=True)
class CodebookItem:
    code: str
    ref: str
    dimension: str
    subdimension: str
    kind: str
    scale: str
    reverse: bool
    asked_if: str
    text_vi: str
    answers: tuple[CodebookAnswer, ...]


MISSING_SCORE = "thiếu"


def _score_text(value: float | None) -> str:
    if value is None:
        return MISSING_SCORE
    return format(Decimal(str(value)).normalize(), "f")


def codebook(questionnaire: Questionnaire) -> list[CodebookItem]:
    """Every item with its answer codes and the score each one gets."""
    items = []
    for item in questionnaire.items:
        scale = item.scale
        answers: list[CodebookAnswer] = []
        if scale.kind == ScaleKind.NUMBER:
            low, high = scale.positive_min, scale.positive_max
            positive = (
                f"{_number(scale.minimum)}–{_number(high)}"
                if low is None
                else f"{_number(low)}–{_number(scale.maximum if high is None else high)}"
            )
            answers.append(CodebookAnswer(positive, "Trong ngưỡng tích cực", _score_text(1.0)))
            answers.append(
                CodebookAnswer(
                    f"{_number(scale.minimum)}–{_number(scale.maximum)} (ngoài ngưỡng)",
                    "Ngoài ngưỡng tích cực",
                    _score_text(0.0),
                )
            )
        for option in scale.options:
            answers.append(
                CodebookAnswer(option.code, option.label_vi, _score_text(item.score_of(option)))
            )
        condition = item.asked_if
        items.append(
            CodebookItem(
                code=item.code,
                ref=item.ref,
                dimension=""
                if item.subdimension is None
                else questionnaire.dimension_of(item.subdimension).code,
                subdimension=item.subdimension or "",
                kind=item.kind,
                scale=scale.code,
                reverse=item.reverse,
                asked_if=""
                if condition is None
                else f"{condition.item} ∈ {{{', '.join(condition.codes)}}}",
                text_vi=item.text_vi,
                answers=tuple(answers)
                if item.scored
                else tuple(
                    CodebookAnswer(option.code, option.label_vi, "—") for option in scale.options
                ),
            )
        )
    return items


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


# --- survey reports ---------------------------------------------------------------------


def surveys_with_counts() -> QuerySet[Survey]:
    return Survey.objects.select_related("province", "questionnaire").order_by("-year", "name")


@dataclass(frozen=True)
class EstimateView:
    unit_code: str
    level: str
    code: str
    label: str
    estimate: Decimal | None
    std_error: Decimal | None
    ci_low: Decimal | None
    ci_high: Decimal | None
    respondents: int
    status: str
    scale_min: Decimal
    scale_max: Decimal


@dataclass(frozen=True)
class ComparisonRow:
    code: str
    label: str
    estimate: EstimateView
    target: Comparison
    published: Comparison


@dataclass(frozen=True)
class DistrictRow:
    unit_code: str
    unit_name: str
    overall: EstimateView | None
    dimensions: tuple[EstimateView | None, ...]


@dataclass(frozen=True)
class SurveyReport:
    survey: Survey
    notice_vi: str
    dimension_labels: tuple[tuple[str, str], ...]  # (code, short Vietnamese name)
    province_scores: tuple[EstimateView, ...]  # overall first, then dimensions
    subdimensions: tuple[EstimateView, ...]  # province level
    indicators: tuple[EstimateView, ...]  # province level
    districts: tuple[DistrictRow, ...]
    weights: tuple[DomainWeight, ...]
    comparisons: tuple[ComparisonRow, ...]
    plan: Plan | None
    published_year: int | None


def _scale(level: str, dimension_count: int, k: int) -> tuple[Decimal, Decimal]:
    if level == EstimateLevel.INDICATOR:
        return Decimal(0), Decimal(1)
    if level == EstimateLevel.SUBDIMENSION:
        return Decimal(1) / k, Decimal(10) / k
    if level == EstimateLevel.DIMENSION:
        return Decimal(1), Decimal(10)
    return Decimal(dimension_count), Decimal(10 * dimension_count)


def survey_report(*, survey: Survey) -> SurveyReport:
    """Everything the survey page and the API show, in a fixed number of queries."""
    questionnaire = parse_questionnaire(survey.questionnaire.definition)
    index = survey.questionnaire.index
    dimensions = {dimension.code: dimension for dimension in Dimension.objects.filter(index=index)}
    sub_names = {
        sub.code: sub.name_vi
        for sub in SubDimension.objects.filter(dimension__index=index).order_by("valid_from_year")
    }
    k_of = {code: dim.k for dim in questionnaire.dimensions for code in dim.subdimensions}
    count = len(questionnaire.dimensions)
    items = {item.code: item for item in questionnaire.items}

    def label(level: str, code: str) -> str:
        if level == EstimateLevel.INDICATOR:
            return f"{items[code].ref} {items[code].text_vi}" if code in items else code
        if level == EstimateLevel.SUBDIMENSION:
            return f"{code} {sub_names.get(code, '')}".strip()
        dimension = dimensions.get(code)
        return dimension.label if dimension is not None else code

    views: dict[tuple[str, str, str], EstimateView] = {}
    for row in Estimate.objects.filter(survey=survey).select_related("unit").order_by("id"):
        low, high = _scale(row.level, count, k_of.get(row.code, 1))
        views[(row.unit.code, row.level, row.code)] = EstimateView(
            unit_code=row.unit.code,
            level=row.level,
            code=row.code,
            label=label(row.level, row.code),
            estimate=row.estimate,
            std_error=row.std_error,
            ci_low=row.ci_low,
            ci_high=row.ci_high,
            respondents=row.respondents,
            status=row.status,
            scale_min=low,
            scale_max=high,
        )
    province_code = survey.province.code
    dimension_codes = [dimension.code for dimension in questionnaire.dimensions]
    main_codes = [(EstimateLevel.OVERALL, OVERALL_CODE)] + [
        (EstimateLevel.DIMENSION, code) for code in dimension_codes
    ]
    province_scores = tuple(
        views[(province_code, level, code)]
        for level, code in main_codes
        if (province_code, level, code) in views
    )
    weights = tuple(
        DomainWeight.objects.filter(survey=survey).select_related("unit").order_by("unit__code")
    )
    districts = tuple(
        DistrictRow(
            unit_code=weight.unit.code,
            unit_name=weight.unit.display_name,
            overall=views.get((weight.unit.code, EstimateLevel.OVERALL, OVERALL_CODE)),
            dimensions=tuple(
                views.get((weight.unit.code, EstimateLevel.DIMENSION, code))
                for code in dimension_codes
            ),
        )
        for weight in weights
        if weight.unit.code != province_code
    )
    plan = (
        Plan.objects.filter(issuer=survey.province, index=index)
        .order_by("-issued_on", "-pk")
        .first()
    )
    targets = (
        {target.dimension.code: target.score for target in plan.targets.select_related("dimension")}
        if plan is not None
        else {}
    )
    published = PublishedScore.objects.filter(
        index=index, province=survey.province, status=ScoreStatus.PUBLISHED, score__isnull=False
    )
    published_year = (
        published.filter(year__lte=survey.year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
        or published.order_by("-year").values_list("year", flat=True).first()
    )
    published_scores = (
        {
            score.dimension.code: score.score
            for score in published.filter(year=published_year).select_related("dimension")
        }
        if published_year is not None
        else {}
    )
    comparisons = tuple(
        ComparisonRow(
            code=view.code,
            label=view.label,
            estimate=view,
            target=compare_with_reference(
                estimate=view.estimate,
                ci_low=view.ci_low,
                ci_high=view.ci_high,
                reference=targets.get(view.code),
            ),
            published=compare_with_reference(
                estimate=view.estimate,
                ci_low=view.ci_low,
                ci_high=view.ci_high,
                reference=published_scores.get(view.code),
            ),
        )
        for view in province_scores
    )
    return SurveyReport(
        survey=survey,
        notice_vi=questionnaire.notice_vi,
        dimension_labels=tuple(
            (code, dimensions[code].label if code in dimensions else code)
            for code in dimension_codes
        ),
        province_scores=province_scores,
        subdimensions=tuple(
            views[(province_code, EstimateLevel.SUBDIMENSION, code)]
            for code in questionnaire.subdimension_codes
            if (province_code, EstimateLevel.SUBDIMENSION, code) in views
        ),
        indicators=tuple(
            views[(province_code, EstimateLevel.INDICATOR, item.code)]
            for item in questionnaire.scored_items
            if (province_code, EstimateLevel.INDICATOR, item.code) in views
        ),
        districts=districts,
        weights=weights,
        comparisons=comparisons,
        plan=plan,
        published_year=published_year,
    )
