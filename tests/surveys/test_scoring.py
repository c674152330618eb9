"""Scoring rules per item type, reversal, "don't know", the half-answered rule and the scales."""

from __future__ import annotations

import numpy as np
import pytest

from papitrack.surveys.questionnaire import parse_questionnaire
from papitrack.surveys.scoring import (
    compile_rules,
    dimension_scores,
    item_values,
    overall_scores,
    respondent_subdimensions,
    subdimension_scores,
)

NAN = np.nan


def item(code, subdimension, kind, scale, **extra):
    return {
        "code": code,
        "subdimension": subdimension,
        "kind": kind,
        "scale": scale,
        "text_vi": code,
        **extra,
    }


SMALL = {
    "version": "test-v1",
    "title_vi": "Phiếu thử",
    "index": "PAPI",
    "design_variables": {
        "sex": {"options": {"male": "Nam", "female": "Nữ"}},
        "age_group": {"options": {"18-29": "18–29"}},
        "urban_rural": {"options": {"urban": "Thành thị", "rural": "Nông thôn"}},
    },
    "scales": {
        "yes_no": {
            "options": [
                {"code": "1", "value": 1},
                {"code": "0", "value": 0},
                {"code": "98", "value": "dont_know"},
            ]
        },
        "likert5": {
            "options": [
                {"code": str(code), "value": (code - 1) / 4} for code in range(1, 6)
            ]
            + [{"code": "98", "value": "dont_know"}]
        },
        "likert5_top2": {
            "options": [{"code": str(code), "value": 1 if code >= 4 else 0} for code in range(1, 6)]
        },
        "visits": {
            "type": "number",
            "min": 1,
            "max": 30,
            "positive": {"max": 2},
            "options": [{"code": "98", "value": "dont_know"}],
        },
    },
    "dimensions": [
        {"code": "participation", "subdimensions": ["1.1", "1.2"]},
        {"code": "transparency", "subdimensions": ["2.1"]},
    ],
    "items": [
        item("k", "1.1", "knowledge", "yes_no"),
        item("o", "1.1", "opinion", "yes_no"),
        item("r", "1.2", "opinion", "likert5", reverse=True),
        item("t", "1.2", "opinion", "likert5_top2"),
        item("f", None, "filter", "yes_no"),
        item("v", "2.1", "experience", "visits", asked_if={"item": "f", "codes": ["1"]}),
        item("b", "2.1", "experience", "yes_no", reverse=True),
    ],
}  # fmt: skip


@pytest.fixture
def rules():
    return compile_rules(parse_questionnaire(SMALL))


def codes(*rows):
    """Rows of raw codes (as option positions for choice items, numbers for "v")."""
    return np.asarray(rows, dtype=np.float64)


# Option positions: yes_no 0="1", 1="0", 2="98"; likert5 0..4 = codes 1..5, 5="98".


def test_indicators_are_the_scored_items_in_file_order(rules):
    assert rules.indicator_codes == ("k", "o", "r", "t", "v", "b")


def test_yes_no_scores_share_of_positive_answers(rules):
    values = item_values(codes([0, 0, 0, 0, 0, 1, 0], [1, 1, 0, 0, 0, 1, 1]), rules)
    assert values[:, 0].tolist() == [1.0, 0.0]
    assert values[:, 1].tolist() == [1.0, 0.0]


def test_dont_know_is_zero_for_knowledge_and_missing_for_opinion(rules):
    values = item_values(codes([2, 2, 5, 0, 1, NAN, 2]), rules)
    assert values[0, 0] == 0.0
    assert np.isnan(values[0, 1])
    assert np.isnan(values[0, 2])  # likert "don't know", opinion
    assert np.isnan(values[0, 5])  # experience item: missing too


def test_likert_is_linear_and_reversed_items_flip(rules):
    values = item_values(codes(*[[0, 0, code, 0, 1, NAN, 0] for code in range(5)]), rules)
    # "r" is reverse-scored: answer 1 (strongly negative wording agreed least) scores 1.
    assert values[:, 2].tolist() == [1.0, 0.75, 0.5, 0.25, 0.0]
    assert values[:, 5].tolist() == [0.0] * 5  # reversed yes/no: "yes" (bribe) scores 0


def test_likert_threshold_scale_counts_top_two_boxes(rules):
    values = item_values(codes(*[[0, 0, 0, code, 1, NAN, 0] for code in range(5)]), rules)
    assert values[:, 3].tolist() == [0.0, 0.0, 0.0, 1.0, 1.0]


def test_number_item_is_positive_within_threshold_and_special_code_is_missing(rules):
    values = item_values(
        codes(*[[0, 0, 0, 0, 0, visits, 1] for visits in (1, 2, 3, 30, 98, 31)]), rules
    )
    assert values[:4, 4].tolist() == [1.0, 1.0, 0.0, 0.0]
    assert np.isnan(values[4, 4])  # 98 = "không nhớ", experience item
    assert np.isnan(values[5, 4])  # out of range never reaches the scorer; NaN if it does


def test_blank_is_missing(rules):
    values = item_values(codes([NAN] * 7), rules)
    assert np.isnan(values).all()


def test_subdimension_needs_half_of_its_items_answered(rules):
    values = np.asarray(
        [
            [1.0, 0.0, NAN, NAN, NAN, NAN],  # 1.1 both answered; 1.2 none; 2.1 none
            [1.0, NAN, 0.5, NAN, 1.0, NAN],  # 1.1 half answered -> kept
            [NAN, NAN, NAN, NAN, NAN, 0.0],  # 2.1 half answered -> kept
        ]
    )
    raw = respondent_subdimensions(values, rules)
    assert raw[0, 0] == 0.5
    assert np.isnan(raw[0, 1])
    assert np.isnan(raw[0, 2])
    assert raw[1].tolist() == [1.0, 0.5, 1.0]
    assert raw[2, 2] == 0.0


def test_scales_run_from_one_over_k_to_ten_over_k(rules):
    raw = np.asarray([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [0.5, 0.25, NAN]])
    scores = subdimension_scores(raw, rules)
    assert scores[0].tolist() == [0.5, 0.5, 1.0]
    assert scores[1].tolist() == [5.0, 5.0, 10.0]
    assert scores[2, :2].tolist() == [2.75, 1.625]
    dimensions = dimension_scores(scores, rules)
    assert dimensions[0].tolist() == [1.0, 1.0]
    assert dimensions[1].tolist() == [10.0, 10.0]
    assert dimensions[2, 0] == 4.375
    assert np.isnan(dimensions[2, 1])  # a missing part leaves the dimension missing
    overall = overall_scores(dimensions)
    assert overall[:2, 0].tolist() == [2.0, 20.0]
    assert np.isnan(overall[2, 0])
