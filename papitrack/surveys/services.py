"""Writes for surveys: load a questionnaire version, import responses, store estimates."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from papitrack.audit.services import record_audit
from papitrack.indices.models import Dimension, Index, SubDimension
from papitrack.lib.datafiles import DataFileError, read_yaml
from papitrack.lib.numbers import round_half_up
from papitrack.orgunits.enums import UnitKind
from papitrack.orgunits.models import OrgUnit
from papitrack.surveys.enums import EstimateLevel, QuestionnaireStatus
from papitrack.surveys.estimation import (
    DEFAULT_REPLICATES,
    DEFAULT_SEED,
    ScoringError,
    SurveyResult,
    score_responses,
)
from papitrack.surveys.importers import (
    ParsedResponse,
    PopulationRow,
    Progress,
    ResponseFileError,
    encode_responses,
    parse_population,
    parse_responses,
    population_margins,
)
from papitrack.surveys.models import DomainWeight, Estimate, Response, Survey
from papitrack.surveys.models import Questionnaire as QuestionnaireRow
from papitrack.surveys.queries import communes_by_district
from papitrack.surveys.questionnaire import Questionnaire, QuestionnaireError, parse_questionnaire
from papitrack.surveys.scoring import compile_rules

PUBLISHED_IS_FROZEN = (
    "Phiếu phiên bản «{version}» đã ban hành nên không được sửa; hãy lưu nội dung mới thành "
    "một phiên bản mới."
)
DRAFT_HAS_RESPONSES = "Phiếu dự thảo «{version}» đã có số liệu trả lời, không sửa được nữa."
UNKNOWN_INDEX = "Phiếu «{version}» gắn với chỉ số «{index}» chưa có trong hệ thống."
UNKNOWN_DIMENSION = "Phiếu «{version}»: chỉ số nội dung «{code}» không thuộc chỉ số {index}."
UNKNOWN_SUBDIMENSION = (
    "Phiếu «{version}»: «{code}» không phải chỉ số nội dung thành phần của «{dimension}»."
)
UNKNOWN_QUESTIONNAIRE = "Chưa nạp phiếu khảo sát phiên bản «{version}»."
QUESTIONNAIRE_MISMATCH = (
    "Đợt khảo sát «{survey}» dùng phiếu phiên bản {expected}; không nhận số liệu theo phiên "
    "bản {given}."
)
NOT_A_PROVINCE = "Đơn vị «{code}» không phải là tỉnh, thành phố."
BAD_REPLICATES = "Số lần lặp bootstrap phải từ {low} đến {high}."
BAD_YEAR = "Năm khảo sát {year} không hợp lệ."
MIN_REPLICATES, MAX_REPLICATES = 50, 10_000
ESTIMATE_PLACES = 7


@dataclass(frozen=True)
class ImportSummary:
    survey_id: int | None
    created: int
    updated: int
    unchanged: int
    deleted: int
    scored: bool
    dry_run: bool

    @property
    def respondents(self) -> int:
        return self.created + self.updated + self.unchanged


def _check_against_index(parsed: Questionnaire) -> Index:
    index = Index.objects.filter(code=parsed.index_code).first()
    if index is None:
        raise ValidationError(UNKNOWN_INDEX.format(version=parsed.version, index=parsed.index_code))
    dimensions = {dimension.code: dimension for dimension in Dimension.objects.filter(index=index)}
    subdimensions: dict[str, set[str]] = {}
    for code, dimension_code in SubDimension.objects.filter(dimension__index=index).values_list(
        "code", "dimension__code"
    ):
        subdimensions.setdefault(dimension_code, set()).add(code)
    for spec in parsed.dimensions:
        if spec.code not in dimensions or dimensions[spec.code].is_aggregate:
            raise ValidationError(
                UNKNOWN_DIMENSION.format(version=parsed.version, code=spec.code, index=index.code)
            )
        for code in spec.subdimensions:
            if code not in subdimensions.get(spec.code, set()):
                raise ValidationError(
                    UNKNOWN_SUBDIMENSION.format(
                        version=parsed.version, code=code, dimension=spec.code
                    )
                )
    return index


@transaction.atomic
def load_questionnaire(*, path: Path) -> QuestionnaireRow:
    """Store a questionnaire file as a version; a published version can never change.

    Loading the same content again changes nothing. Dimension and sub-dimension codes must
    exist in the index the file names.
    """
    try:
        data: dict[str, Any] = read_yaml(path)
        parsed = parse_questionnaire(data)
    except (DataFileError, QuestionnaireError) as error:
        raise ValidationError(str(error)) from error
    index = _check_against_index(parsed)
    existing = QuestionnaireRow.objects.select_for_update().filter(version=parsed.version).first()
    if existing is not None:
        if existing.checksum == parsed.checksum:
            return existing
        if existing.status == QuestionnaireStatus.PUBLISHED:
            raise ValidationError(PUBLISHED_IS_FROZEN.format(version=parsed.version))
        if existing.responses.exists():
            raise ValidationError(DRAFT_HAS_RESPONSES.format(version=parsed.version))
    row = existing or QuestionnaireRow(version=parsed.version)
    row.title_vi = parsed.title_vi
    row.index = index
    row.status = (
        QuestionnaireStatus.PUBLISHED
        if parsed.status == QuestionnaireStatus.PUBLISHED
        else QuestionnaireStatus.DRAFT
    )
    row.definition = data
    row.checksum = parsed.checksum
    row.source_file = path.name
    row.full_clean()
    row.save()
    return row


def _response_fields(response: ParsedResponse, units: dict[str, OrgUnit]) -> dict[str, Any]:
    return {
        "district": units[response.district],
        "commune": units[response.commune],
        "village": response.village,
        "stratum": response.stratum,
        "sex": response.sex,
        "age_group": response.age_group,
        "urban_rural": response.urban_rural,
        "design_weight": response.design_weight,
        "answers": response.answers,
    }


def _same(row: Response, fields: dict[str, Any]) -> bool:
    for name, value in fields.items():
        if isinstance(value, OrgUnit):
            # Compare ids: reading row.district would cost one query per response.
            if getattr(row, f"{name}_id") != value.pk:
                return False
            continue
        current = getattr(row, name)
        if name == "design_weight":
            if (current is None) != (value is None) or (
                current is not None and Decimal(current) != value
            ):
                return False
        elif current != value:
            return False
    return True


def _population_json(rows: list[PopulationRow]) -> list[dict[str, str]]:
    return [
        {
            "district": row.district,
            "variable": row.variable,
            "category": row.category,
            "population": format(row.population.normalize(), "f"),
        }
        for row in sorted(rows, key=lambda row: (row.district, row.variable, row.category))
    ]


def _as_validation_error(error: Exception) -> ValidationError:
    if isinstance(error, ResponseFileError):
        return ValidationError(error.errors)
    return ValidationError(str(error))


@transaction.atomic
def import_survey_responses(
    *,
    province: OrgUnit,
    year: int,
    name: str,
    questionnaire_version: str,
    file_name: str,
    content: bytes,
    population_file_name: str = "",
    population_content: bytes | None = None,
    replicates: int = DEFAULT_REPLICATES,
    seed: int = DEFAULT_SEED,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import a whole response file into a survey round, atomically, then score it.

    Every row is checked first; any problem aborts the import with the full list of
    problems, row by row. The file is the round's complete data: respondents missing from
    it are deleted. Re-importing the same file (and population table) writes nothing and
    reports created=0, updated=0. With dry_run everything is checked and counted, then
    rolled back. Side effects: Survey, Response, DomainWeight and Estimate rows.
    """
    if province.kind != UnitKind.PROVINCE:
        raise ValidationError(NOT_A_PROVINCE.format(code=province.code))
    if not 2000 <= year <= 2100:
        raise ValidationError(BAD_YEAR.format(year=year))
    if not MIN_REPLICATES <= replicates <= MAX_REPLICATES:
        raise ValidationError(BAD_REPLICATES.format(low=MIN_REPLICATES, high=MAX_REPLICATES))
    questionnaire = QuestionnaireRow.objects.filter(version=questionnaire_version).first()
    if questionnaire is None:
        raise ValidationError(UNKNOWN_QUESTIONNAIRE.format(version=questionnaire_version))
    parsed_questionnaire = parse_questionnaire(questionnaire.definition)
    frame = communes_by_district(province=province)
    try:
        responses = parse_responses(
            content=content,
            file_name=file_name,
            questionnaire=parsed_questionnaire,
            province_code=province.code,
            communes_by_district=frame,
            progress=progress,
        )
        population = (
            parse_population(
                content=population_content,
                file_name=population_file_name,
                questionnaire=parsed_questionnaire,
                province_code=province.code,
                districts=frame,
            )
            if population_content is not None
            else []
        )
    except ResponseFileError as error:
        raise _as_validation_error(error) from error
    survey = (
        Survey.objects.select_for_update().filter(province=province, year=year, name=name).first()
    )
    if survey is not None and survey.questionnaire_id != questionnaire.pk:
        raise ValidationError(
            QUESTIONNAIRE_MISMATCH.format(
                survey=survey.name,
                expected=survey.questionnaire.version,
                given=questionnaire.version,
            )
        )
    settings_changed = survey is None
    if survey is None:
        survey = Survey(province=province, year=year, name=name, questionnaire=questionnaire)
    checksum = hashlib.sha256(content).hexdigest()
    population_json = _population_json(population)
    new_values = {
        "source_file": file_name,
        "source_checksum": checksum,
        "population": population_json,
        "population_file": population_file_name if population_content is not None else "",
        "replicates": replicates,
        "seed": seed,
    }
    for field, value in new_values.items():
        if getattr(survey, field) != value:
            setattr(survey, field, value)
            settings_changed = True
    if settings_changed:
        survey.full_clean()
        survey.save()
    codes = {code for response in responses for code in (response.district, response.commune)}
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=codes)}
    existing = {row.respondent_id: row for row in Response.objects.filter(survey=survey)}
    created: list[Response] = []
    updated: list[Response] = []
    unchanged = 0
    for response in responses:
        fields = _response_fields(response, units)
        row = existing.pop(response.respondent_id, None)
        if row is None:
            created.append(
                Response(
                    survey=survey,
                    questionnaire=questionnaire,
                    respondent_id=response.respondent_id,
                    **fields,
                )
            )
        elif _same(row, fields) and row.questionnaire_id == questionnaire.pk:
            unchanged += 1
        else:
            for name_, value in fields.items():
                setattr(row, name_, value)
            row.questionnaire = questionnaire
            updated.append(row)
    Response.objects.bulk_create(created, batch_size=1000)
    Response.objects.bulk_update(
        updated,
        [
            "questionnaire",
            "district",
            "commune",
            "village",
            "stratum",
            "sex",
            "age_group",
            "urban_rural",
            "design_weight",
            "answers",
        ],
        batch_size=1000,
    )
    deleted = len(existing)
    if existing:
        Response.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
    needs_scoring = (
        settings_changed or bool(created or updated or deleted) or survey.scored_at is None
    )
    if needs_scoring:
        score_survey(survey=survey)
    summary = ImportSummary(
        survey_id=None if dry_run else survey.pk,
        created=len(created),
        updated=len(updated),
        unchanged=unchanged,
        deleted=deleted,
        scored=needs_scoring,
        dry_run=dry_run,
    )
    if dry_run:
        transaction.set_rollback(True)
    return summary


def _decimal(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return round_half_up(Decimal(repr(value)), ESTIMATE_PLACES)


def survey_result(*, survey: Survey) -> SurveyResult:
    """Score a stored survey from its responses, as estimation.score_responses does (no write)."""
    questionnaire = parse_questionnaire(survey.questionnaire.definition)
    rows = Response.objects.filter(survey=survey).values_list(
        "respondent_id",
        "district__code",
        "commune__code",
        "village",
        "stratum",
        "sex",
        "age_group",
        "urban_rural",
        "design_weight",
        "answers",
    )
    # Stored rows have no file line any more; 0 stands for "from the database".
    responses = [ParsedResponse(0, *row) for row in rows]
    margins = population_margins(
        PopulationRow(
            district=row["district"],
            variable=row["variable"],
            category=row["category"],
            population=Decimal(row["population"]),
        )
        for row in survey.population
    )
    return score_responses(
        encode_responses(responses, questionnaire),
        compile_rules(questionnaire),
        province_code=survey.province.code,
        population=margins or None,
        replicates=survey.replicates,
        seed=survey.seed,
    )


@transaction.atomic
def score_survey(*, survey: Survey) -> SurveyResult:
    """Recompute and store a survey's weights and estimates (replacing the previous ones).

    Side effects: DomainWeight and Estimate rows of the survey are replaced; the survey's
    weighting summary and scored_at are updated.
    """
    try:
        result = survey_result(survey=survey)
    except ScoringError as error:
        raise ValidationError(str(error)) from error
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=result.domains)}
    index = survey.questionnaire.index
    dimensions = {dimension.code: dimension for dimension in Dimension.objects.filter(index=index)}
    subdimensions: dict[str, SubDimension] = {}
    for sub in SubDimension.objects.filter(dimension__index=index).order_by("valid_from_year"):
        if sub.valid_from_year <= survey.year and (
            sub.valid_to_year is None or survey.year <= sub.valid_to_year
        ):
            subdimensions[sub.code] = sub
    questionnaire = parse_questionnaire(survey.questionnaire.definition)
    DomainWeight.objects.filter(survey=survey).delete()
    Estimate.objects.filter(survey=survey).delete()
    DomainWeight.objects.bulk_create(
        DomainWeight(
            survey=survey,
            unit=units[weights.domain],
            respondents=weights.respondents,
            weight_total=round_half_up(Decimal(repr(weights.weight_total)), 4),
            weight_min=round_half_up(Decimal(repr(weights.minimum)), 6),
            weight_max=round_half_up(Decimal(repr(weights.maximum)), 6),
            design_effect=round_half_up(Decimal(repr(weights.design_effect)), 4),
            degrees_of_freedom=degrees,
        )
        for weights, degrees in zip(result.weights.domains, result.degrees_of_freedom, strict=True)
    )
    estimates = []
    for row in result.rows:
        dimension = subdimension = None
        if row.level == EstimateLevel.SUBDIMENSION:
            subdimension = subdimensions.get(row.code)
            dimension = dimensions.get(questionnaire.dimension_of(row.code).code)
        elif row.level == EstimateLevel.INDICATOR:
            sub_code = questionnaire.item(row.code).subdimension or ""
            subdimension = subdimensions.get(sub_code)
            dimension = dimensions.get(questionnaire.dimension_of(sub_code).code)
        else:
            dimension = dimensions.get(row.code)
        estimates.append(
            Estimate(
                survey=survey,
                unit=units[row.domain],
                level=row.level,
                code=row.code,
                dimension=dimension,
                subdimension=subdimension,
                estimate=_decimal(row.estimate),
                std_error=_decimal(row.std_error),
                ci_low=_decimal(row.ci_low),
                ci_high=_decimal(row.ci_high),
                respondents=row.respondents,
                status=row.status,
            )
        )
    Estimate.objects.bulk_create(estimates, batch_size=1000)
    survey.weighting_method = result.weights.method
    survey.raking_iterations = result.weights.iterations
    survey.respondent_count = result.respondents
    survey.scored_at = timezone.now()
    survey.save(
        update_fields=["weighting_method", "raking_iterations", "respondent_count", "scored_at"]
    )
    return result


MICRODATA_ACTION = "survey.microdata_view"


def record_survey_microdata_access(*, actor: Any, survey: Survey, via: str) -> None:
    """Log that someone read results computed from a survey's responses (personal data,
    Decree 13/2023 and Law 91/2025): one audit entry per page view, API call or download."""
    record_audit(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=MICRODATA_ACTION,
        target=survey,
        unit=survey.province,
        comment=via,
    )
