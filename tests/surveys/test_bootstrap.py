"""Rao–Wu multipliers and the vectorised domain estimator, against a hand-computed example."""

from __future__ import annotations

import numpy as np
import pytest

from papitrack.surveys.bootstrap import (
    bootstrap_std_error,
    domain_ratios,
    rao_wu_multipliers,
    replicate_weights,
)

NAN = np.nan


def test_multipliers_rescale_each_stratum_to_its_psu_count():
    strata = np.asarray([0, 0, 0, 1, 1, 2], dtype=np.int64)
    multipliers = rao_wu_multipliers(strata, 200, np.random.default_rng(7))
    assert multipliers.shape == (6, 200)
    np.testing.assert_allclose(multipliers[:3].sum(axis=0), 3.0)
    np.testing.assert_allclose(multipliers[3:5].sum(axis=0), 2.0)
    assert set(np.unique(multipliers[:3])) <= {0.0, 1.5, 3.0}
    assert (multipliers[5] == 1.0).all()  # a lone PSU adds no variance


def test_multipliers_are_reproducible_with_a_seed():
    strata = np.asarray([0, 0, 1, 1, 1], dtype=np.int64)
    first = rao_wu_multipliers(strata, 50, np.random.default_rng(42))
    again = rao_wu_multipliers(strata, 50, np.random.default_rng(42))
    other = rao_wu_multipliers(strata, 50, np.random.default_rng(43))
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


@pytest.fixture
def example():
    values = np.asarray([[1.0], [0.0], [1.0], [NAN], [1.0], [0.0]])
    weights = np.asarray([1.0, 3.0, 2.0, 1.0, 1.0, 2.0])
    psu = np.asarray([0, 0, 1, 2, 2, 3], dtype=np.int64)
    psu_domain = np.asarray([0, 0, 1, 1], dtype=np.int64)
    multipliers = np.asarray([[2.0, 0.0], [0.0, 2.0], [2.0, 0.0], [0.0, 2.0]])
    return values, weights, psu, psu_domain, multipliers


def test_domain_ratios_match_the_hand_computed_example(example):
    result = domain_ratios(*example[:4], 2, example[4], keep=np.asarray([0]))
    # Domain 1 (PSUs 0, 1): (1·1 + 3·0 + 2·1) / 6; domain 2: (1·1 + 2·0) / 3, the missing
    # answer left out of both sums; the whole sample: 4 / 9.
    np.testing.assert_allclose(result.estimate[:, 0], [4 / 9, 0.5, 1 / 3])
    # Replicates: domain 1 gives 2/8 and 4/4; domain 2 gives 2/2 and 0/4; total 4/10, 4/8.
    np.testing.assert_allclose(result.replicates[:, 0, :], [[0.4, 0.5], [0.25, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(result.std_error[:, 0], [0.05, 0.375, 0.5])
    assert result.respondents[:, 0].tolist() == [5, 3, 2]


def test_psu_collapse_equals_the_explicit_replicate_weight_matrix():
    rng = np.random.default_rng(3)
    n, columns, psus = 300, 4, 30
    psu = np.sort(rng.integers(0, psus, n))
    psu[:psus] = np.arange(psus)
    psu = np.sort(psu)
    psu_domain = np.arange(psus) % 3
    values = rng.random((n, columns))
    values[rng.random((n, columns)) < 0.1] = NAN
    weights = rng.uniform(1, 5, n)
    multipliers = rao_wu_multipliers(psu_domain.astype(np.int64), 100, rng)
    result = domain_ratios(values, weights, psu, psu_domain, 3, multipliers, keep=np.arange(4))
    explicit = replicate_weights(weights, psu, multipliers)
    domain_of = psu_domain[psu]
    for domain in range(3):
        rows = domain_of == domain
        answered = np.isfinite(values[rows])
        numerator = np.where(answered, values[rows], 0).T @ explicit[rows]
        denominator = answered.T.astype(float) @ explicit[rows]
        expected = numerator / denominator
        np.testing.assert_allclose(result.replicates[domain + 1], expected, rtol=1e-12)
        np.testing.assert_allclose(
            result.std_error[domain + 1], np.sqrt(expected.var(axis=1)), rtol=1e-9
        )


def test_std_error_leaves_out_undefined_replicates():
    replicates = np.asarray([[1.0, 3.0, NAN], [NAN, NAN, NAN]])
    errors = bootstrap_std_error(replicates)
    assert errors[0] == 1.0
    assert np.isnan(errors[1])
