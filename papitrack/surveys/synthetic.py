"""Seeded synthetic PAPI-shaped survey data for the demo, the tests and the benchmark.

Nothing here describes real people: answers come from a simple latent model (a district
effect, a village effect, a respondent effect and an item easiness, through a logistic link),
so districts differ, villages cluster and design effects are realistic. Same seed, same data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from papitrack.surveys.enums import DESIGN_VARIABLES, ItemKind, ScaleKind
from papitrack.surveys.questionnaire import Item, Questionnaire

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Share of respondents who pass each filter question (who used the service, etc.).
FILTER_RATES = {
    "q1_4_a": 0.40,
    "q2_1_f": 0.35,
    "q3_2_a": 0.25,
    "q5_1_0": 0.50,
    "q5_2_0": 0.30,
    "q5_3_0": 0.35,
    "q5_4_0": 0.55,
    "q6_2_0": 0.45,
}
DEFAULT_FILTER_RATE = 0.5
DONT_KNOW_RATE = 0.04
# The sample over-represents women and older people, as door-to-door surveys do, so that
# raking has something to correct.
SEX_SHARES = {"male": 0.44, "female": 0.56}
AGE_SHARES = {"18-29": 0.16, "30-44": 0.30, "45-59": 0.31, "60-70": 0.23}
RESPONSE_COLUMNS = (
    "respondent_id",
    "district",
    "commune",
    "village",
    "stratum",
    *DESIGN_VARIABLES,
)


@dataclass(frozen=True)
class CommuneFrame:
    code: str
    urban: bool


@dataclass(frozen=True)
class DistrictFrame:
    code: str
    communes: tuple[CommuneFrame, ...]


def _sigmoid(x: FloatArray) -> FloatArray:
    result: FloatArray = 1.0 / (1.0 + np.exp(-x))
    return result


def _scored_options(item: Item) -> list[tuple[float, str]]:
    """(score, code) of each non-"don't know" option, worst first."""
    pairs = [
        (score, option.code)
        for option in item.scale.options
        if option.value is not None and (score := item.score_of(option)) is not None
    ]
    return sorted(pairs)


def _dont_know_code(item: Item) -> str | None:
    return next((option.code for option in item.scale.options if option.value is None), None)


def _answer_item(
    item: Item, latent: FloatArray, rng: np.random.Generator, easiness: float
) -> list[str]:
    size = len(latent)
    noisy = latent + easiness + rng.logistic(0.0, 1.0, size)
    if item.scale.kind == ScaleKind.NUMBER:
        good = noisy > 0
        low = int(item.scale.minimum or 1)
        visits = np.where(
            good, rng.integers(low, low + 2, size), rng.integers(low + 2, low + 6, size)
        )
        answers = [str(int(value)) for value in visits]
    else:
        options = _scored_options(item)
        cuts = np.linspace(-(len(options) - 2) / 2, (len(options) - 2) / 2, len(options) - 1)
        category = np.searchsorted(cuts, noisy)
        answers = [options[int(position)][1] for position in category]
    dont_know = _dont_know_code(item)
    if dont_know is not None and item.kind in (ItemKind.KNOWLEDGE, ItemKind.OPINION):
        for row in np.flatnonzero(rng.random(size) < DONT_KNOW_RATE):
            answers[int(row)] = dont_know
    return answers


def _draw_communes(
    communes: Sequence[CommuneFrame], count: int, rng: np.random.Generator
) -> list[CommuneFrame]:
    """The seat (first urban commune) if any, one rural commune if any, then random others."""
    chosen = [commune for commune in communes if commune.urban][:1]
    rural = [commune for commune in communes if not commune.urban]
    if rural and len(chosen) < count:
        chosen.append(rural[int(rng.integers(len(rural)))])
    others = [commune for commune in communes if commune not in chosen]
    drawn = rng.choice(len(others), size=min(len(others), count - len(chosen)), replace=False)
    chosen.extend(others[int(position)] for position in sorted(drawn))
    return sorted(chosen, key=lambda commune: commune.code)


def generate_province_responses(
    questionnaire: Questionnaire,
    districts: Sequence[DistrictFrame],
    *,
    seed: int,
    communes_per_district: int = 3,
    villages_per_commune: int = 2,
    respondents_per_village: int = 16,
) -> list[dict[str, str]]:
    """One row per respondent, columns as a KoboToolbox export (RESPONSE_COLUMNS + item codes).

    In each district the first urban commune (the seat, as PAPI always includes it), one rural
    commune and randomly drawn others; villages are named <commune>-T<n>; the district is the
    stratum.
    """
    rng = np.random.default_rng(seed)
    respondents: list[dict[str, str]] = []
    district_effect: list[float] = []
    village_effect: list[float] = []
    village_urban: list[bool] = []
    for district in districts:
        effect = float(rng.normal(0.0, 0.25))
        chosen = _draw_communes(district.communes, communes_per_district, rng)
        for commune in chosen:
            for village_number in range(1, villages_per_commune + 1):
                village = f"{commune.code}-T{village_number:02d}"
                v_effect = float(rng.normal(0.0, 0.25))
                for _ in range(respondents_per_village):
                    number = len(respondents) + 1
                    respondents.append(
                        {
                            "respondent_id": f"R{number:05d}",
                            "district": district.code,
                            "commune": commune.code,
                            "village": village,
                            "stratum": district.code,
                            "sex": str(rng.choice(list(SEX_SHARES), p=list(SEX_SHARES.values()))),
                            "age_group": str(
                                rng.choice(list(AGE_SHARES), p=list(AGE_SHARES.values()))
                            ),
                            "urban_rural": "urban" if commune.urban else "rural",
                        }
                    )
                    district_effect.append(effect)
                    village_effect.append(v_effect)
                    village_urban.append(commune.urban)
    size = len(respondents)
    person = rng.normal(0.0, 0.5, size)
    urban = np.asarray(village_urban, dtype=np.float64)
    base = np.asarray(district_effect) + np.asarray(village_effect) + person
    answers: dict[str, list[str]] = {}
    for item in questionnaire.items:
        latent = base + (0.4 * urban if item.code.startswith("q8") else 0.0)
        if item.kind == ItemKind.FILTER:
            rate = FILTER_RATES.get(item.code, DEFAULT_FILTER_RATE)
            passed = rng.random(size) < rate
            yes, no = _filter_codes(item)
            answers[item.code] = [yes if flag else no for flag in passed]
            continue
        answers[item.code] = _answer_item(item, latent, rng, float(rng.normal(0.2, 0.7)))
    for item in questionnaire.items:
        condition = item.asked_if
        if condition is None:
            continue
        for row in range(size):
            if answers[condition.item][row] not in condition.codes:
                answers[item.code][row] = ""
    for row, respondent in enumerate(respondents):
        for item in questionnaire.items:
            respondent[item.code] = answers[item.code][row]
    return respondents


def _filter_codes(item: Item) -> tuple[str, str]:
    """The "yes" and "no" codes of a filter question."""
    options = _scored_options(item)
    return options[-1][1], options[0][1]


@dataclass(frozen=True)
class NationalSample:
    """A PAPI-sized national survey as arrays, ready for bootstrap.domain_ratios."""

    values: FloatArray  # respondents × indicators, scored values in [0, 1], NaN = missing
    weights: FloatArray
    psu: IntArray  # village of each respondent, villages numbered province by province
    psu_stratum: IntArray  # province of each village (provinces are the strata)
    psu_domain: IntArray  # province of each village (provinces are the domains)
    province: IntArray  # province of each respondent
    province_count: int


# PAPI's design (papi.md §5): 57 small, 4 medium, 2 large provinces.
PROVINCE_SIZES = (("small", 57, 12, 16), ("medium", 4, 24, 16), ("large", 2, 24, 24))


def generate_national_sample(*, seed: int, indicators: int = 120) -> NationalSample:
    """13,632 respondents in 828 villages of 63 provinces, with `indicators` scored indicators.

    About 70% of indicators are yes/no and 30% five-point; a sixth of them are asked only
    after a filter (about a third answer), and 3% of other answers are missing.
    """
    rng = np.random.default_rng(seed)
    villages_per_province: list[tuple[int, int]] = []
    for _, count, villages, per_village in PROVINCE_SIZES:
        villages_per_province.extend([(villages, per_village)] * count)
    province_of_village: list[int] = []
    village_of_respondent: list[int] = []
    for number, (villages, per_village) in enumerate(villages_per_province):
        for _ in range(villages):
            village = len(province_of_village)
            province_of_village.append(number)
            village_of_respondent.extend([village] * per_village)
    psu = np.asarray(village_of_respondent, dtype=np.int64)
    psu_province = np.asarray(province_of_village, dtype=np.int64)
    size = len(psu)
    province = psu_province[psu]
    latent = (
        rng.normal(0.0, 0.35, len(villages_per_province))[province]
        + rng.normal(0.0, 0.25, len(psu_province))[psu]
        + rng.normal(0.0, 0.5, size)
    )
    easiness = rng.normal(0.2, 0.7, indicators)
    noisy = latent[:, None] + easiness[None, :] + rng.logistic(0.0, 1.0, (size, indicators))
    likert = rng.random(indicators) < 0.3
    binary_values = (noisy > 0).astype(np.float64)
    likert_values = np.searchsorted(np.asarray([-1.5, -0.5, 0.5, 1.5]), noisy) / 4.0
    values = np.where(likert[None, :], likert_values, binary_values)
    filtered = rng.random(indicators) < 1 / 6
    asked = rng.random((size, indicators)) < np.where(filtered, 0.35, 0.97)[None, :]
    values[~asked] = np.nan
    return NationalSample(
        values=values,
        weights=rng.uniform(50.0, 500.0, size),
        psu=psu,
        psu_stratum=psu_province,
        psu_domain=psu_province,
        province=province,
        province_count=len(villages_per_province),
    )
