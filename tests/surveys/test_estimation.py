"""score_responses end to end without a database: top and bottom of every scale, weights
that sum to the population, intervals that shrink as the sample grows, reproducibility."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from papitrack.surveys.enums import EstimateLevel, EstimateStatus
from papitrack.surveys.estimation import (
    ResponseData,
    ScoringError,
    score_responses,
    t_quantile_975,
)
from papitrack.surveys.importers import ParsedResponse, encode_responses
from papitrack.surveys.questionnaire import parse_questionnaire
from papitrack.surveys.scoring import compile_rules
from papitrack.surveys.synthetic import (
    CommuneFrame,
    DistrictFrame,
    generate_province_responses,
)

QUESTIONNAIRE_FILE = (
    Path(__file__).resolve().parents[2] / "data/surveys/questionnaires/papi-aligned-v1.yaml"
)
FRAME = (
    DistrictFrame("901", (CommuneFrame("90101", True), CommuneFrame("90102", False),
                          CommuneFrame("90103", False), CommuneFrame("90104", False))),
    DistrictFrame("902", (CommuneFrame("90201", True), CommuneFrame("90202", False),
                          CommuneFrame("90203", False))),
)  # fmt: skip


@pytest.fixture(scope="module")
def questionnaire():
    return parse_questionnaire(yaml.safe_load(QUESTIONNAIRE_FILE.read_text(encoding="utf-8")))


def _responses(rows):
    return [
        ParsedResponse(
            line=position + 2,
            respondent_id=row["respondent_id"],
            district=row["district"],
            commune=row["commune"],
            village=row["village"],
            stratum=row["stratum"],
            sex=row["sex"],
            age_group=row["age_group"],
            urban_rural=row["urban_rural"],
            design_weight=None,
            answers={key: value for key, value in row.items() if key.startswith("q") and value},
        )
        for position, row in enumerate(rows)
    ]


def _uniform(questionnaire, best: bool) -> ResponseData:
    """Every respondent gives the best (or worst) answer to every item; every filter is passed."""
    rows = generate_province_responses(questionnaire, FRAME, seed=1, respondents_per_village=3)
    for row in rows:
        for item in questionnaire.items:
            if not item.scored:
                row[item.code] = "1"
                continue
            if item.scale.kind == "number":
                row[item.code] = "1" if best else "30"
                continue
            scored = sorted(
                (item.score_of(option), option.code)
                for option in item.scale.options
                if option.value is not None
            )
            row[item.code] = scored[-1][1] if best else scored[0][1]
    return encode_responses(_responses(rows), questionnaire)


@pytest.mark.parametrize(
    ("best", "indicator", "dimension", "overall"), [(True, 1.0, 10.0, 80.0), (False, 0.0, 1.0, 8.0)]
)
def test_all_best_and_all_worst_answers_reach_the_ends_of_every_scale(
    questionnaire, best, indicator, dimension, overall
):
    result = score_responses(
        _uniform(questionnaire, best), compile_rules(questionnaire), province_code="90",
        replicates=50, seed=1,
    )  # fmt: skip
    k = {code: spec.k for spec in questionnaire.dimensions for code in spec.subdimensions}
    for row in result.rows:
        expected = {
            EstimateLevel.INDICATOR: indicator,
            EstimateLevel.SUBDIMENSION: (10.0 if best else 1.0) / k.get(row.code, 1),
            EstimateLevel.DIMENSION: dimension,
            EstimateLevel.OVERALL: overall,
        }[row.level]
        assert row.estimate == pytest.approx(expected, abs=1e-12), row
        assert row.std_error == pytest.approx(0.0, abs=1e-12)
        assert row.ci_low == pytest.approx(expected, abs=1e-12)
        assert row.ci_high == pytest.approx(expected, abs=1e-12)
        assert row.status == EstimateStatus.OK


def _synthetic(questionnaire, per_village: int, seed: int = 5) -> ResponseData:
    rows = generate_province_responses(
        questionnaire,
        FRAME,
        seed=seed,
        communes_per_district=3,
        respondents_per_village=per_village,
    )
    return encode_responses(_responses(rows), questionnaire)


def _width(result, domain: str) -> float:
    row = result.row(domain, EstimateLevel.OVERALL, "overall")
    return row.ci_high - row.ci_low


def test_intervals_shrink_as_the_sample_grows(questionnaire):
    rules = compile_rules(questionnaire)
    small = score_responses(_synthetic(questionnaire, 8), rules, province_code="90", seed=3)
    large = score_responses(_synthetic(questionnaire, 64), rules, province_code="90", seed=3)
    assert _width(large, "90") < _width(small, "90")
    assert _width(large, "901") < _width(small, "901")


def test_every_interval_contains_its_estimate_and_stays_in_scale(questionnaire):
    result = score_responses(
        _synthetic(questionnaire, 16), compile_rules(questionnaire), province_code="90", seed=3
    )
    for row in result.rows:
        if row.status == EstimateStatus.OK:
            assert row.ci_low <= row.estimate <= row.ci_high
    overall = result.row("90", EstimateLevel.OVERALL, "overall")
    assert 8 <= overall.ci_low < overall.ci_high <= 80


def test_same_seed_same_numbers_whatever_the_row_order(questionnaire):
    rules = compile_rules(questionnaire)
    data = _synthetic(questionnaire, 16)
    order = np.random.default_rng(0).permutation(len(data.respondent_ids))
    shuffled = ResponseData(
        respondent_ids=tuple(data.respondent_ids[i] for i in order),
        codes=data.codes[order],
        **{
            name: tuple(getattr(data, name)[i] for i in order)
            for name in ("districts", "communes", "villages", "strata", "sex", "age_group",
                         "urban_rural")
        },
    )  # fmt: skip
    first = score_responses(data, rules, province_code="90", seed=11)
    again = score_responses(shuffled, rules, province_code="90", seed=11)
    other = score_responses(data, rules, province_code="90", seed=12)
    pairs = list(zip(first.rows, again.rows, strict=True))
    assert all((a.domain, a.level, a.code) == (b.domain, b.level, b.code) for a, b in pairs)
    assert all(a.status == b.status for a, b in pairs)
    numbers = [(a.estimate, b.estimate, a.std_error, b.std_error) for a, b in pairs if a.estimate]
    assert max(max(abs(x - y), abs(u - v)) for x, y, u, v in numbers) < 1e-12
    assert (
        first.row("90", "overall", "overall").std_error
        != other.row("90", "overall", "overall").std_error
    )


def test_raked_weights_sum_to_the_population(questionnaire):
    data = _synthetic(questionnaire, 16)
    population = {
        district: {
            "sex": {"male": total * 0.49, "female": total * 0.51},
            "age_group": {"18-29": total * 0.3, "30-44": total * 0.3, "45-59": total * 0.25,
                          "60-70": total * 0.15},
            "urban_rural": {"urban": total * 0.2, "rural": total * 0.8},
        }
        for district, total in (("901", 40_000.0), ("902", 10_000.0))
    }  # fmt: skip
    result = score_responses(
        data, compile_rules(questionnaire), province_code="90", population=population, seed=1
    )
    totals = {weights.domain: weights.weight_total for weights in result.weights.domains}
    assert totals == pytest.approx({"90": 50_000.0, "901": 40_000.0, "902": 10_000.0})
    assert result.weights.method == "raked"
    assert result.weights.converged
    assert all(weights.design_effect >= 1.0 for weights in result.weights.domains)


def test_raking_without_respondents_in_a_populated_group_is_refused(questionnaire):
    data = _synthetic(questionnaire, 4)
    population = {
        district: {
            "sex": {"male": 100.0, "female": 100.0},
            "age_group": {"18-29": 50.0, "30-44": 50.0, "45-59": 50.0, "60-70": 50.0},
            "urban_rural": {"urban": 100.0, "rural": 100.0, "other": 0.0},
        }
        for district in ("901", "902")
    }
    population["902"]["urban_rural"] = {"urban": 0.0, "rural": 200.0}
    with pytest.raises(ScoringError, match="bảng dân số ghi dân số bằng 0"):
        score_responses(
            data, compile_rules(questionnaire), province_code="90", population=population
        )


def test_estimates_from_too_few_respondents_are_insufficient(questionnaire):
    result = score_responses(
        _synthetic(questionnaire, 1), compile_rules(questionnaire), province_code="90", seed=2
    )
    district = result.row("902", EstimateLevel.SUBDIMENSION, "5.2")
    assert district.status == EstimateStatus.INSUFFICIENT
    assert district.estimate is None
    assert result.row("902", EstimateLevel.DIMENSION, "procedures").estimate is None


def test_t_quantiles():
    assert t_quantile_975(1) == pytest.approx(12.7062047)
    assert t_quantile_975(30) == pytest.approx(2.0422725)
    assert t_quantile_975(60) == pytest.approx(2.0002978, abs=1e-6)
    assert t_quantile_975(1000) == pytest.approx(1.9623391, abs=1e-6)
    assert np.isnan(t_quantile_975(0))
