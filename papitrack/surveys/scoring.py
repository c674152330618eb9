"""Turn coded answers into scored values and PAPI-style scales. Pure numpy, no database.

Answers arrive as a float matrix (respondents × items of the questionnaire, in file order):
a choice item holds the position of the chosen option in its scale, a number item holds the
number itself (special codes such as 98 included), and NaN means "not asked / blank".

Rules (papi.md §10, our design, see docs/survey-method.md):
1. each answer becomes a value in [0, 1]; reverse-scored items use 1 − value; "don't know"
   is 0 for knowledge items and missing for the others;
2. a respondent's sub-dimension value r is the mean of the sub-dimension's answered items,
   kept only when at least `min_answered_share` of them are answered;
3. a sub-dimension scores (1 + 9r)/k on [1/k, 10/k], k = sub-dimensions of its dimension;
   a dimension is the sum of its k sub-dimensions (1–10), the aggregate the sum of all (8–80).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from papitrack.surveys.enums import ScaleKind
from papitrack.surveys.questionnaire import Questionnaire

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

SUBDIMENSION_FLOOR = 1.0
SUBDIMENSION_SPAN = 9.0


@dataclass(frozen=True)
class ScoringRules:
    """A questionnaire version compiled to arrays."""

    item_codes: tuple[str, ...]
    indicator_codes: tuple[str, ...]
    # Column (in item_codes) of each indicator, i.e. of each scored item.
    indicator_columns: IntArray
    # Scored value of each option position, reversal and "don't know" applied; NaN = missing.
    choice_values: FloatArray
    is_number: BoolArray
    number_minimum: FloatArray
    number_maximum: FloatArray
    positive_minimum: FloatArray
    positive_maximum: FloatArray
    # Number items: special codes and the value each scores (NaN = missing).
    special_codes: FloatArray
    special_values: FloatArray
    subdimension_codes: tuple[str, ...]
    # indicators × sub-dimensions, 1 where the indicator belongs to the sub-dimension.
    membership: FloatArray
    min_answered_share: float
    # An estimate from fewer respondents than this (unweighted) is "insufficient data".
    min_respondents: int
    dimension_codes: tuple[str, ...]
    # sub-dimensions × dimensions, 1 where the sub-dimension belongs to the dimension.
    dimension_membership: FloatArray
    # k of each sub-dimension's dimension.
    subdimension_k: FloatArray


def compile_rules(questionnaire: Questionnaire) -> ScoringRules:
    """Compile a questionnaire's scoring rules into lookup arrays."""
    items = questionnaire.items
    m = len(items)
    width = max(len(item.scale.options) for item in items)
    choice_values = np.full((m, width), np.nan)
    special_width = max(
        (len(item.scale.options) for item in items if item.scale.kind == ScaleKind.NUMBER),
        default=1,
    )
    special_codes = np.full((m, special_width), np.nan)
    special_values = np.full((m, special_width), np.nan)
    is_number = np.zeros(m, dtype=bool)
    bounds = np.full((4, m), np.nan)
    for column, item in enumerate(items):
        scale = item.scale
        if scale.kind == ScaleKind.NUMBER:
            is_number[column] = True
            bounds[:, column] = (
                scale.minimum,
                scale.maximum,
                -np.inf if scale.positive_min is None else scale.positive_min,
                np.inf if scale.positive_max is None else scale.positive_max,
            )
            for position, option in enumerate(scale.options):
                special_codes[column, position] = float(option.code)
                value = item.score_of(option)
                special_values[column, position] = np.nan if value is None else value
            continue
        for position, option in enumerate(scale.options):
            value = item.score_of(option)
            choice_values[column, position] = np.nan if value is None else value
    scored = [column for column, item in enumerate(items) if item.scored]
    subdimensions = questionnaire.subdimension_codes
    membership = np.zeros((len(scored), len(subdimensions)))
    for row, column in enumerate(scored):
        membership[row, subdimensions.index(str(items[column].subdimension))] = 1.0
    dimensions = questionnaire.dimensions
    dimension_membership = np.zeros((len(subdimensions), len(dimensions)))
    subdimension_k = np.zeros(len(subdimensions))
    for position, dimension in enumerate(dimensions):
        for code in dimension.subdimensions:
            dimension_membership[subdimensions.index(code), position] = 1.0
            subdimension_k[subdimensions.index(code)] = dimension.k
    return ScoringRules(
        item_codes=questionnaire.item_codes,
        indicator_codes=tuple(items[column].code for column in scored),
        indicator_columns=np.asarray(scored, dtype=np.int64),
        choice_values=choice_values,
        is_number=is_number,
        number_minimum=bounds[0],
        number_maximum=bounds[1],
        positive_minimum=bounds[2],
        positive_maximum=bounds[3],
        special_codes=special_codes,
        special_values=special_values,
        subdimension_codes=subdimensions,
        membership=membership,
        min_answered_share=questionnaire.min_answered_share,
        min_respondents=questionnaire.min_respondents,
        dimension_codes=tuple(dimension.code for dimension in dimensions),
        dimension_membership=dimension_membership,
        subdimension_k=subdimension_k,
    )


def item_values(codes: FloatArray, rules: ScoringRules) -> FloatArray:
    """Scored value in [0, 1] of every indicator for every respondent; NaN = missing.

    Codes must already be valid (the importer checks them); an invalid code scores NaN.
    """
    columns = rules.indicator_columns
    answers = codes[:, columns]
    values = np.full(answers.shape, np.nan)
    choice = ~rules.is_number[columns]
    if choice.any():
        chosen = answers[:, choice]
        lookup = rules.choice_values[columns[choice]]
        valid = np.isfinite(chosen) & (chosen >= 0) & (chosen < lookup.shape[1])
        positions = np.where(valid, chosen, 0).astype(np.int64)
        picked = np.take_along_axis(lookup.T, positions, axis=0)
        values[:, choice] = np.where(valid, picked, np.nan)
    for row in np.flatnonzero(~choice):
        column = columns[row]
        number = answers[:, row]
        inside = (number >= rules.number_minimum[column]) & (number <= rules.number_maximum[column])
        positive = (number >= rules.positive_minimum[column]) & (
            number <= rules.positive_maximum[column]
        )
        scored = np.where(inside, positive.astype(np.float64), np.nan)
        for special, value in zip(
            rules.special_codes[column], rules.special_values[column], strict=True
        ):
            scored = np.where(number == special, value, scored)
        values[:, row] = scored
    return values


def respondent_subdimensions(values: FloatArray, rules: ScoringRules) -> FloatArray:
    """Each respondent's raw sub-dimension value r in [0, 1]; NaN when too few items answered."""
    answered = np.isfinite(values)
    sums = np.where(answered, values, 0.0) @ rules.membership
    counts = answered.astype(np.float64) @ rules.membership
    sizes = rules.membership.sum(axis=0)
    enough = (counts > 0) & (counts >= rules.min_answered_share * sizes - 1e-12)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(enough, sums / np.where(counts > 0, counts, 1.0), np.nan)


def subdimension_scores(raw: FloatArray, rules: ScoringRules) -> FloatArray:
    """Map raw values r to (1 + 9r)/k; sub-dimensions are on axis 1 (domains × subs [× reps])."""
    shape = [1] * raw.ndim
    shape[1] = raw.shape[1]
    k = rules.subdimension_k.reshape(shape)
    result: FloatArray = (SUBDIMENSION_FLOOR + SUBDIMENSION_SPAN * raw) / k
    return result


def dimension_scores(subdimensions: FloatArray, rules: ScoringRules) -> FloatArray:
    """Sum sub-dimension scores (axis 1) into dimension scores; NaN if any part is missing."""
    membership = rules.dimension_membership
    missing = np.isnan(subdimensions)
    total = np.einsum("ds...,sk->dk...", np.where(missing, 0.0, subdimensions), membership)
    gaps = np.einsum("ds...,sk->dk...", missing.astype(np.float64), membership)
    result: FloatArray = np.where(gaps > 0, np.nan, total)
    return result


def overall_scores(dimensions: FloatArray) -> FloatArray:
    """Sum dimension scores (axis 1) into the aggregate, keeping axis 1 of length 1."""
    result: FloatArray = dimensions.sum(axis=1, keepdims=True)
    return result
