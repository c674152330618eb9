"""Design weights, raking to population margins, and the Kish design effect."""

from __future__ import annotations

import numpy as np
import pytest

from papitrack.surveys.weighting import (
    EMPTY_CELL,
    UNPOPULATED_CELL,
    Margin,
    RakingError,
    design_weights,
    kish_design_effect,
    rake,
)


def test_design_weights_sum_to_each_group_population():
    groups = np.asarray([0, 0, 0, 1, 1], dtype=np.int64)
    weights = design_weights(groups, np.asarray([300.0, 50.0]))
    assert weights.tolist() == [100.0, 100.0, 100.0, 25.0, 25.0]


def test_raking_meets_every_margin_and_sums_to_the_population():
    sex = np.asarray([0, 0, 1, 1, 1, 0], dtype=np.int64)
    age = np.asarray([0, 0, 0, 1, 1, 1], dtype=np.int64)
    margins = [
        Margin("sex", sex, np.asarray([480.0, 520.0])),
        Margin("age_group", age, np.asarray([300.0, 700.0])),
    ]
    result = rake(np.ones(6), margins)
    assert result.converged
    assert result.iterations > 1
    assert result.weights.sum() == pytest.approx(1000.0, rel=1e-12)
    np.testing.assert_allclose(np.bincount(sex, result.weights), [480.0, 520.0], rtol=1e-10)
    np.testing.assert_allclose(np.bincount(age, result.weights), [300.0, 700.0], rtol=1e-10)


def test_raking_refuses_a_populated_cell_without_respondents():
    margin = Margin("sex", np.asarray([0, 0], dtype=np.int64), np.asarray([10.0, 10.0]))
    with pytest.raises(RakingError) as error:
        rake(np.ones(2), [margin])
    assert (error.value.margin, error.value.cell, error.value.reason) == ("sex", 1, EMPTY_CELL)


def test_raking_refuses_respondents_in_an_unpopulated_cell():
    margin = Margin("sex", np.asarray([0, 1], dtype=np.int64), np.asarray([10.0, 0.0]))
    with pytest.raises(RakingError) as error:
        rake(np.ones(2), [margin])
    assert error.value.reason == UNPOPULATED_CELL


def test_raking_with_inconsistent_margins_reports_no_convergence():
    margins = [
        Margin("sex", np.asarray([0, 1], dtype=np.int64), np.asarray([10.0, 10.0])),
        Margin("age_group", np.asarray([0, 0], dtype=np.int64), np.asarray([30.0])),
    ]
    result = rake(np.ones(2), margins, max_iterations=20)
    assert not result.converged
    assert result.iterations == 20


def test_kish_design_effect():
    assert kish_design_effect(np.ones(10)) == 1.0
    # n Σw² / (Σw)² = 2 · (1 + 9) / 16
    assert kish_design_effect(np.asarray([1.0, 3.0])) == 1.25
