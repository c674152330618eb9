"""Survey weights: design weights, raking to population margins, Kish design effect. Pure numpy.

Raking (iterative proportional fitting) adjusts the weights until, for every margin, the
weighted count of each cell equals its population. Raking "per district" is done in one pass
by making each cell a (district, category) pair, so all districts converge together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

DEFAULT_MAX_ITERATIONS = 200
DEFAULT_TOLERANCE = 1e-10


@dataclass(frozen=True)
class Margin:
    """One raking margin: the cell of every respondent and the population of every cell."""

    name: str
    cells: IntArray
    targets: FloatArray


@dataclass(frozen=True)
class RakingResult:
    weights: FloatArray
    iterations: int
    converged: bool
    max_relative_error: float


class RakingError(ValueError):
    """A margin cannot be met: a populated cell without respondents, or the reverse."""

    def __init__(self, margin: str, cell: int, reason: str) -> None:
        super().__init__(f"{margin}[{cell}]: {reason}")
        self.margin = margin
        self.cell = cell
        self.reason = reason


EMPTY_CELL = "empty_cell"
UNPOPULATED_CELL = "unpopulated_cell"


def design_weights(groups: IntArray, populations: FloatArray) -> FloatArray:
    """Weight N_g / n_g for every respondent of group g (equal-probability design within g)."""
    counts = np.bincount(groups, minlength=len(populations)).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_group = np.where(counts > 0, populations / np.where(counts > 0, counts, 1.0), 0.0)
    result: FloatArray = per_group[groups]
    return result


def _margin_totals(weights: FloatArray, margin: Margin) -> FloatArray:
    totals: FloatArray = np.bincount(
        margin.cells, weights=weights, minlength=len(margin.targets)
    ).astype(np.float64)
    return totals


def _relative_error(weights: FloatArray, margins: Sequence[Margin]) -> float:
    worst = 0.0
    for margin in margins:
        totals = _margin_totals(weights, margin)
        populated = margin.targets > 0
        if populated.any():
            error = (
                np.abs(totals[populated] - margin.targets[populated]) / margin.targets[populated]
            )
            worst = max(worst, float(error.max()))
    return worst


def check_margins(weights: FloatArray, margins: Sequence[Margin]) -> None:
    """Raise RakingError for a cell that no weighting can fit."""
    for margin in margins:
        present = np.bincount(margin.cells, weights=weights > 0, minlength=len(margin.targets))
        for cell in np.flatnonzero((margin.targets > 0) & (present == 0)):
            raise RakingError(margin.name, int(cell), EMPTY_CELL)
        for cell in np.flatnonzero((margin.targets <= 0) & (present > 0)):
            raise RakingError(margin.name, int(cell), UNPOPULATED_CELL)


def rake(
    weights: FloatArray,
    margins: Sequence[Margin],
    *,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
    tolerance: float = DEFAULT_TOLERANCE,
) -> RakingResult:
    """Iterative proportional fitting of weights to every margin.

    Converged when no cell of any margin is off its population by more than `tolerance`
    (relative). Margins whose totals disagree cannot converge: the result says so.
    """
    check_margins(weights, margins)
    raked = weights.astype(np.float64, copy=True)
    error = _relative_error(raked, margins)
    iterations = 0
    while error > tolerance and iterations < max_iterations:
        iterations += 1
        for margin in margins:
            totals = _margin_totals(raked, margin)
            with np.errstate(divide="ignore", invalid="ignore"):
                factors = np.where(totals > 0, margin.targets / totals, 1.0)
            raked *= factors[margin.cells]
        error = _relative_error(raked, margins)
    return RakingResult(
        weights=raked,
        iterations=iterations,
        converged=error <= tolerance,
        max_relative_error=error,
    )


def kish_design_effect(weights: FloatArray) -> float:
    """Kish's design effect of unequal weights: n Σw² / (Σw)² = 1 + CV² (1 = equal weights)."""
    total = float(weights.sum())
    if weights.size == 0 or total == 0:
        return float("nan")
    return float(weights.size * float(np.dot(weights, weights)) / (total * total))
