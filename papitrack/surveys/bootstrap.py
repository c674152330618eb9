"""Rao–Wu rescaling bootstrap over PSUs, vectorised over replicates. Pure numpy.

Replicate r gives respondent i the weight W[i, r] = w[i] · M[psu(i), r], where M holds the
Rao–Wu multipliers: in a stratum with n_h PSUs, n_h − 1 PSUs are drawn with replacement and a
PSU drawn c times gets c · n_h / (n_h − 1). Because M is constant within a PSU,

    Wᵀ X = Mᵀ S,  with S[psu] = Σ_{i in psu} w_i x_i,

so the n × R replicate-weight matrix never has to be formed: each domain costs one product of
its PSU totals with its rows of M, and no Python loop runs over replicates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from papitrack.surveys.blas import single_threaded_blas

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def rao_wu_multipliers(
    psu_strata: IntArray, replicates: int, rng: np.random.Generator
) -> FloatArray:
    """Multipliers (PSUs × replicates); strata are drawn in ascending id order.

    A stratum with a single PSU gets multiplier 1 everywhere: it adds no variance (its
    contribution cannot be estimated; the method document says so).
    """
    psu_count = len(psu_strata)
    multipliers = np.ones((psu_count, replicates))
    for stratum in np.unique(psu_strata):
        members = np.flatnonzero(psu_strata == stratum)
        size = len(members)
        if size < 2:
            continue
        draws = rng.integers(0, size, size=(size - 1, replicates))
        offsets = draws + size * np.arange(replicates)[None, :]
        counts = np.bincount(offsets.ravel(), minlength=size * replicates).reshape(replicates, size)
        multipliers[members] = counts.T * (size / (size - 1))
    return multipliers


def replicate_weights(weights: FloatArray, psu: IntArray, multipliers: FloatArray) -> FloatArray:
    """The explicit n × R replicate-weight matrix (for export and checks; estimation skips it)."""
    result: FloatArray = weights[:, None] * multipliers[psu]
    return result


def group_sums(matrix: FloatArray, groups: IntArray, group_count: int) -> FloatArray:
    """Row sums of matrix per group id (0..group_count-1), without a loop over rows."""
    order = np.argsort(groups, kind="stable")
    ordered = groups[order]
    result = np.zeros((group_count, matrix.shape[1]))
    if len(ordered) == 0:
        return result
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    result[ordered[starts]] = np.add.reduceat(matrix[order], starts, axis=0)
    return result


@dataclass(frozen=True)
class DomainRatios:
    """Weighted means of every column per domain; domain 0 is the whole sample."""

    estimate: FloatArray  # domains × columns
    std_error: FloatArray  # domains × columns, bootstrap standard error
    respondents: IntArray  # domains × columns: unweighted count of non-missing values
    # domains × kept columns × replicates: replicate means of the columns asked for.
    replicates: FloatArray


def domain_ratios(
    values: FloatArray,
    weights: FloatArray,
    psu: IntArray,
    psu_domain: IntArray,
    domain_count: int,
    multipliers: FloatArray,
    *,
    keep: IntArray | None = None,
) -> DomainRatios:
    """Weighted mean of each column (NaN = missing) per domain, with its bootstrap error.

    `psu` gives each respondent's PSU (0..P-1); `psu_domain` each PSU's domain
    (0..domain_count-1); PSUs must nest in domains. Missing answers are handled with separate
    numerator and denominator totals, so each mean is over the respondents who answered.
    Replicate means are returned only for the columns in `keep` (for derived scores).
    """
    answered = np.isfinite(values)
    columns = values.shape[1]
    weighted = np.empty((values.shape[0], 2 * columns))
    np.multiply(np.where(answered, values, 0.0), weights[:, None], out=weighted[:, :columns])
    np.multiply(answered, weights[:, None], out=weighted[:, columns:])
    psu_count = len(psu_domain)
    psu_totals = group_sums(weighted, psu, psu_count)
    psu_counts = group_sums(answered.astype(np.float64), psu, psu_count)
    replicate_count = multipliers.shape[1]
    domains = domain_count + 1
    kept = np.arange(0) if keep is None else keep
    estimate = np.full((domains, columns), np.nan)
    std_error = np.full((domains, columns), np.nan)
    replicates = np.full((domains, len(kept), replicate_count), np.nan)
    respondents = np.zeros((domains, columns), dtype=np.int64)
    overall_replicates = np.zeros((2 * columns, replicate_count))
    overall_full = np.zeros(2 * columns)

    def record(domain: int, full: FloatArray, replicated: FloatArray) -> None:
        estimate[domain] = _ratio(full[:columns], full[columns:])
        ratios = _ratio(replicated[:columns], replicated[columns:])
        std_error[domain] = _std_error(ratios, estimate[domain])
        replicates[domain] = ratios[kept]

    with single_threaded_blas():
        for domain in range(domain_count):
            members = np.flatnonzero(psu_domain == domain)
            if len(members) == 0:
                continue
            totals = psu_totals[members]
            replicated = totals.T @ multipliers[members]
            full = totals.sum(axis=0)
            overall_replicates += replicated
            overall_full += full
            record(domain + 1, full, replicated)
            respondents[domain + 1] = np.rint(psu_counts[members].sum(axis=0)).astype(np.int64)
    record(0, overall_full, overall_replicates)
    respondents[0] = respondents[1:].sum(axis=0)
    return DomainRatios(
        estimate=estimate, std_error=std_error, respondents=respondents, replicates=replicates
    )


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        result: FloatArray = np.where(denominator > 0, numerator / denominator, np.nan)
    return result


def _std_error(replicates: FloatArray, estimate: FloatArray) -> FloatArray:
    """Bootstrap error of each row of replicates (columns × R), shifted by the estimate.

    Σ(θ_r − θ̄)² / R computed as mean((θ_r − θ̂)²) − (θ̄ − θ̂)²: one pass, and the shift by the
    full-sample estimate θ̂ (close to θ̄) keeps the subtraction free of cancellation.
    """
    if not np.isfinite(replicates).all() or not np.isfinite(estimate).all():
        return bootstrap_std_error(replicates)
    deviation = replicates - estimate[:, None]
    mean = deviation.mean(axis=1)
    square = np.einsum("jr,jr->j", deviation, deviation) / replicates.shape[1]
    result: FloatArray = np.sqrt(np.maximum(square - mean * mean, 0.0))
    return result


def bootstrap_std_error(replicates: FloatArray) -> FloatArray:
    """Standard error from replicate estimates (last axis): sqrt(mean((θ_r − mean θ)²)).

    Replicates where the estimate is undefined (a domain lost all its answering PSUs) are left
    out; with none left the error is NaN.
    """
    valid = np.isfinite(replicates)
    if valid.all():
        result: FloatArray = np.sqrt(replicates.var(axis=-1))
        return result
    counts = valid.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(valid, replicates, 0.0).sum(axis=-1) / counts
        spread = np.where(valid, replicates - mean[..., None], 0.0)
        result = np.sqrt((spread * spread).sum(axis=-1) / counts)
    return result
