"""From coded responses to estimates with confidence intervals, for a province and its districts.

A pure function of (responses, scoring rules, population margins, replicates, seed): the
command, the import service and the tests all call `score_responses`, so the page and the
command print the same numbers. The method is written up in docs/survey-method.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from papitrack.surveys.bootstrap import (
    bootstrap_std_error,
    domain_ratios,
    group_sums,
    rao_wu_multipliers,
)
from papitrack.surveys.enums import (
    DESIGN_VARIABLES,
    OVERALL_CODE,
    EstimateLevel,
    EstimateStatus,
)
from papitrack.surveys.scoring import (
    ScoringRules,
    dimension_scores,
    item_values,
    overall_scores,
    respondent_subdimensions,
    subdimension_scores,
)
from papitrack.surveys.weighting import (
    EMPTY_CELL,
    Margin,
    RakingError,
    design_weights,
    kish_design_effect,
    rake,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

DEFAULT_REPLICATES = 1000
DEFAULT_SEED = 42
CONFIDENCE = 0.95

# Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom (standard tables).
T_975 = (
    12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851,
    2.364624252, 2.306004135, 2.262157163, 2.228138852, 2.200985160, 2.178812830,
    2.160368656, 2.144786688, 2.131449546, 2.119905299, 2.109815578, 2.100922040,
    2.093024054, 2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
    2.059538553, 2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456,
)  # fmt: skip
Z_975 = 1.959963984540054

NO_RESPONDENTS = "Không có người trả lời nào để tính điểm."
MISSING_POPULATION = "Bảng dân số không có số liệu của huyện {district} (mã {district})."
MISSING_CATEGORY = "Bảng dân số của huyện {district} thiếu {variable} = «{category}»."
EMPTY_POPULATION_CELL = (
    "Huyện {district}: nhóm {variable} = «{category}» có dân số nhưng không có người trả lời "
    "nào, không thể hậu phân tầng. Hãy gộp nhóm trong bảng dân số hoặc bổ sung mẫu."
)
UNPOPULATED_SAMPLE_CELL = (
    "Huyện {district}: có người trả lời thuộc nhóm {variable} = «{category}» nhưng bảng dân số "
    "ghi dân số bằng 0."
)
NOT_CONVERGED = "Hậu phân tầng không hội tụ sau {iterations} vòng (sai lệch {error:.2e})."


class ScoringError(ValueError):
    """The responses cannot be weighted or scored; the message is in Vietnamese."""


@dataclass(frozen=True)
class ResponseData:
    """Respondents in any order; codes encoded as scoring.item_values expects."""

    respondent_ids: tuple[str, ...]
    codes: FloatArray
    districts: tuple[str, ...]
    communes: tuple[str, ...]
    villages: tuple[str, ...]
    strata: tuple[str, ...]
    sex: tuple[str, ...]
    age_group: tuple[str, ...]
    urban_rural: tuple[str, ...]
    # Design weights from the file, or None to derive them from the population table.
    design_weights: FloatArray | None = None

    def design_variable(self, name: str) -> tuple[str, ...]:
        values: tuple[str, ...] = getattr(self, name)
        return values


# district code -> design variable -> category code -> population
PopulationMargins = Mapping[str, Mapping[str, Mapping[str, float]]]


@dataclass(frozen=True)
class DomainWeights:
    domain: str
    respondents: int
    weight_total: float
    minimum: float
    maximum: float
    design_effect: float


@dataclass(frozen=True)
class WeightsReport:
    method: str  # "raked", "design" or "equal"
    iterations: int
    converged: bool
    max_relative_error: float
    domains: tuple[DomainWeights, ...]


@dataclass(frozen=True)
class EstimateRow:
    domain: str
    level: str
    code: str
    estimate: float | None
    std_error: float | None
    ci_low: float | None
    ci_high: float | None
    respondents: int
    status: str


@dataclass(frozen=True)
class SurveyResult:
    domains: tuple[str, ...]  # the province first, then districts in code order
    degrees_of_freedom: tuple[int, ...]
    rows: tuple[EstimateRow, ...]
    weights: WeightsReport
    replicates: int
    seed: int
    respondents: int

    def row(self, domain: str, level: str, code: str) -> EstimateRow:
        return next(
            row
            for row in self.rows
            if row.domain == domain and row.level == level and row.code == code
        )


def t_quantile_975(degrees_of_freedom: int) -> float:
    """Student's t 97.5% quantile: table up to 30, Cornish–Fisher expansion above."""
    if degrees_of_freedom < 1:
        return math.nan
    if degrees_of_freedom <= len(T_975):
        return T_975[degrees_of_freedom - 1]
    z = Z_975
    v = float(degrees_of_freedom)
    return (
        z
        + (z**3 + z) / (4 * v)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
        + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * v**4)
    )


def _index(labels: Sequence[str]) -> tuple[list[str], IntArray]:
    unique = sorted(set(labels))
    lookup = {label: position for position, label in enumerate(unique)}
    return unique, np.asarray([lookup[label] for label in labels], dtype=np.int64)


def _weights(
    data: ResponseData,
    district_index: IntArray,
    districts: list[str],
    population: PopulationMargins | None,
) -> tuple[FloatArray, str, int, bool, float]:
    """Final weights, the method used, and the raking diagnostics."""
    given = data.design_weights
    if population is None:
        if given is not None:
            return given.astype(np.float64), "design", 0, True, 0.0
        return np.ones(len(district_index)), "equal", 0, True, 0.0
    margins: list[Margin] = []
    district_totals = np.zeros(len(districts))
    for variable in DESIGN_VARIABLES:
        categories = sorted(
            {category for d in districts for category in population.get(d, {}).get(variable, {})}
        )
        lookup = {category: position for position, category in enumerate(categories)}
        targets = np.zeros(len(districts) * len(categories))
        for position, district in enumerate(districts):
            table = population.get(district)
            if table is None:
                raise ScoringError(MISSING_POPULATION.format(district=district))
            for category, count in table.get(variable, {}).items():
                targets[position * len(categories) + lookup[category]] = count
        answers = data.design_variable(variable)
        cells = np.empty(len(answers), dtype=np.int64)
        for row, (district, category) in enumerate(zip(district_index, answers, strict=True)):
            if category not in lookup:
                raise ScoringError(
                    MISSING_CATEGORY.format(
                        district=districts[district], variable=variable, category=category
                    )
                )
            cells[row] = district * len(categories) + lookup[category]
        margins.append(Margin(name=variable, cells=cells, targets=targets))
        if variable == DESIGN_VARIABLES[0]:
            district_totals = targets.reshape(len(districts), len(categories)).sum(axis=1)
    base = (
        given.astype(np.float64)
        if given is not None
        else design_weights(district_index, district_totals)
    )
    try:
        result = rake(base, margins)
    except RakingError as error:
        margin = next(m for m in margins if m.name == error.margin)
        width = len(margin.targets) // len(districts)
        categories = sorted(
            {c for d in districts for c in population.get(d, {}).get(error.margin, {})}
        )
        template = EMPTY_POPULATION_CELL if error.reason == EMPTY_CELL else UNPOPULATED_SAMPLE_CELL
        raise ScoringError(
            template.format(
                district=districts[error.cell // width],
                variable=error.margin,
                category=categories[error.cell % width],
            )
        ) from error
    if not result.converged:
        raise ScoringError(
            NOT_CONVERGED.format(iterations=result.iterations, error=result.max_relative_error)
        )
    return result.weights, "raked", result.iterations, True, result.max_relative_error


def _domain_weights(
    weights: FloatArray, district_index: IntArray, codes: Sequence[str]
) -> tuple[DomainWeights, ...]:
    groups: list[FloatArray] = [weights] + [
        weights[district_index == position] for position in range(len(codes) - 1)
    ]
    return tuple(
        DomainWeights(
            domain=code,
            respondents=len(group),
            weight_total=float(group.sum()),
            minimum=float(group.min()) if len(group) else math.nan,
            maximum=float(group.max()) if len(group) else math.nan,
            design_effect=kish_design_effect(group),
        )
        for code, group in zip(codes, groups, strict=True)
    )


def _rows(
    *,
    level: str,
    codes: Sequence[str],
    domains: Sequence[str],
    estimate: FloatArray,
    std_error: FloatArray,
    respondents: IntArray,
    t_values: FloatArray,
    bounds: tuple[FloatArray, FloatArray],
) -> list[EstimateRow]:
    margin = std_error * t_values[:, None]
    low = np.maximum(estimate - margin, bounds[0][None, :])
    high = np.minimum(estimate + margin, bounds[1][None, :])
    rows = []
    for d, domain in enumerate(domains):
        for j, code in enumerate(codes):
            value = float(estimate[d, j])
            error = float(std_error[d, j])
            if math.isnan(value):
                rows.append(
                    EstimateRow(
                        domain,
                        level,
                        code,
                        None,
                        None,
                        None,
                        None,
                        int(respondents[d, j]),
                        EstimateStatus.INSUFFICIENT,
                    )
                )
            elif math.isnan(error) or math.isnan(float(t_values[d])):
                rows.append(
                    EstimateRow(
                        domain,
                        level,
                        code,
                        value,
                        None,
                        None,
                        None,
                        int(respondents[d, j]),
                        EstimateStatus.NO_VARIANCE,
                    )
                )
            else:
                rows.append(
                    EstimateRow(
                        domain,
                        level,
                        code,
                        value,
                        error,
                        float(low[d, j]),
                        float(high[d, j]),
                        int(respondents[d, j]),
                        EstimateStatus.OK,
                    )
                )
    return rows


def score_responses(
    data: ResponseData,
    rules: ScoringRules,
    *,
    province_code: str,
    population: PopulationMargins | None = None,
    replicates: int = DEFAULT_REPLICATES,
    seed: int = DEFAULT_SEED,
) -> SurveyResult:
    """Weight, score and estimate: every level for the province and each of its districts.

    Respondents are put in respondent-id order first and PSUs in (district, commune,
    village) order, so the result does not depend on the order of rows in the file.
    """
    if not data.respondent_ids:
        raise ScoringError(NO_RESPONDENTS)
    order = np.asarray(sorted(range(len(data.respondent_ids)), key=data.respondent_ids.__getitem__))
    pick = order.tolist()

    def take(values: tuple[str, ...]) -> list[str]:
        return [values[i] for i in pick]

    ordered = ResponseData(
        respondent_ids=tuple(take(data.respondent_ids)),
        codes=data.codes[order],
        districts=tuple(take(data.districts)),
        communes=tuple(take(data.communes)),
        villages=tuple(take(data.villages)),
        strata=tuple(take(data.strata)),
        sex=tuple(take(data.sex)),
        age_group=tuple(take(data.age_group)),
        urban_rural=tuple(take(data.urban_rural)),
        design_weights=None if data.design_weights is None else data.design_weights[order],
    )
    districts, district_index = _index(ordered.districts)
    domains = (province_code, *districts)
    weights, method, iterations, converged, error = _weights(
        ordered, district_index, districts, population
    )
    psu_keys = list(zip(ordered.districts, ordered.communes, ordered.villages, strict=True))
    psu_labels, psu = _index([f"{d}\x1f{c}\x1f{v}" for d, c, v in psu_keys])
    psu_domain = np.asarray(
        [districts.index(label.split("\x1f")[0]) for label in psu_labels], dtype=np.int64
    )
    stratum_of_psu = [""] * len(psu_labels)
    for row, position in enumerate(psu.tolist()):
        stratum_of_psu[position] = ordered.strata[row] or ordered.districts[row]
    strata_labels, psu_strata = _index(stratum_of_psu)
    degrees = [len(psu_labels) - len(strata_labels)]
    for position in range(len(districts)):
        members = psu_domain == position
        degrees.append(int(members.sum()) - len(np.unique(psu_strata[members])))
    t_values = np.asarray([t_quantile_975(df) for df in degrees])

    multipliers = rao_wu_multipliers(psu_strata, replicates, np.random.default_rng(seed))
    values = item_values(ordered.codes, rules)
    subdimension_raw = respondent_subdimensions(values, rules)
    indicator_count = values.shape[1]
    sub_columns = np.arange(indicator_count, indicator_count + subdimension_raw.shape[1])
    ratios = domain_ratios(
        np.hstack([values, subdimension_raw]),
        weights,
        psu,
        psu_domain,
        len(districts),
        multipliers,
        keep=sub_columns,
    )
    minimum = rules.min_respondents

    indicator_estimate = ratios.estimate[:, :indicator_count].copy()
    indicator_n = ratios.respondents[:, :indicator_count]
    indicator_estimate[indicator_n < minimum] = np.nan
    indicator_error = ratios.std_error[:, :indicator_count]
    sub_n = ratios.respondents[:, indicator_count:]
    sub_raw = ratios.estimate[:, indicator_count:].copy()
    sub_raw_replicates = ratios.replicates
    sub_raw[sub_n < minimum] = np.nan
    sub_raw_replicates[sub_n < minimum] = np.nan
    sub_estimate = subdimension_scores(sub_raw, rules)
    sub_replicates = subdimension_scores(sub_raw_replicates, rules)
    dimension_estimate = dimension_scores(sub_estimate, rules)
    dimension_replicates = dimension_scores(sub_replicates, rules)
    overall_estimate = overall_scores(dimension_estimate)
    overall_replicates = overall_scores(dimension_replicates)

    has_sub = np.isfinite(subdimension_raw).astype(np.float64)
    has_dimension = (has_sub @ rules.dimension_membership > 0).astype(np.float64)
    has_any = (has_sub.sum(axis=1, keepdims=True) > 0).astype(np.float64)
    counted = np.hstack([has_dimension, has_any])
    district_counts = group_sums(counted, district_index, len(districts))
    counts = np.rint(np.vstack([district_counts.sum(axis=0), district_counts])).astype(np.int64)
    dimension_n = counts[:, :-1]
    overall_n = counts[:, -1:]

    k = rules.subdimension_k
    count = len(rules.dimension_codes)
    levels = (
        (
            EstimateLevel.INDICATOR,
            rules.indicator_codes,
            indicator_estimate,
            indicator_error,
            indicator_n,
            (np.zeros(indicator_count), np.ones(indicator_count)),
        ),
        (
            EstimateLevel.SUBDIMENSION,
            rules.subdimension_codes,
            sub_estimate,
            bootstrap_std_error(sub_replicates),
            sub_n,
            (1.0 / k, 10.0 / k),
        ),
        (
            EstimateLevel.DIMENSION,
            rules.dimension_codes,
            dimension_estimate,
            bootstrap_std_error(dimension_replicates),
            dimension_n,
            (np.ones(count), np.full(count, 10.0)),
        ),
        (
            EstimateLevel.OVERALL,
            (OVERALL_CODE,),
            overall_estimate,
            bootstrap_std_error(overall_replicates),
            overall_n,
            (np.asarray([float(count)]), np.asarray([10.0 * count])),
        ),
    )
    rows: list[EstimateRow] = []
    for level, codes, estimate, std_error, respondents, bounds in levels:
        rows.extend(
            _rows(
                level=level,
                codes=codes,
                domains=domains,
                estimate=estimate,
                std_error=std_error,
                respondents=respondents,
                t_values=t_values,
                bounds=bounds,
            )
        )
    return SurveyResult(
        domains=domains,
        degrees_of_freedom=tuple(degrees),
        rows=tuple(rows),
        weights=WeightsReport(
            method=method,
            iterations=iterations,
            converged=converged,
            max_relative_error=error,
            domains=_domain_weights(weights, district_index, domains),
        ),
        replicates=replicates,
        seed=seed,
        respondents=len(pick),
    )
