"""Judge a plan's score and group targets against published results. Pure functions.

Comparison rule (docs/ARCHITECTURE.md, "Plan evaluation"): a score target is met when the
published score at full precision is at least the target. The same comparison on the score
rounded half-up to 2 decimals (as reports print it) is computed too, and the two are shown
side by side when they disagree. A group target is met when the computed group is the target
group or a better one. Nothing is judged while the target year has no published score.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from papitrack.lib.numbers import round_half_up


@dataclass(frozen=True)
class TargetInput:
    dimension_code: str
    dimension_name: str
    number: int
    target: Decimal
    increment: Decimal
    target_group: int
    stated_baseline_group: int | None


@dataclass(frozen=True)
class ResultInput:
    score: Decimal
    rank: int
    count: int
    group: int
    group_status: str


@dataclass(frozen=True)
class EvaluationRow:
    dimension_code: str
    dimension_name: str
    number: int
    baseline: Decimal | None
    implied_baseline: Decimal
    target: Decimal
    increment: Decimal
    actual: Decimal | None
    met: bool | None
    met_at_two_decimals: bool | None
    improved: bool | None
    change: Decimal | None
    baseline_rank: int | None
    baseline_group: int | None
    stated_baseline_group: int | None
    actual_rank: int | None
    actual_count: int | None
    actual_group: int | None
    target_group: int
    group_met: bool | None
    group_status: str | None
    rank_change: int | None

    @property
    def rounding_disagrees(self) -> bool:
        return self.met is not None and self.met != self.met_at_two_decimals

    @property
    def gap_to_target(self) -> Decimal | None:
        return None if self.actual is None else self.actual - self.target


def evaluate_target(
    target: TargetInput, baseline: ResultInput | None, actual: ResultInput | None
) -> EvaluationRow:
    met = met_rounded = improved = group_met = None
    change = None
    rank_change = None
    if actual is not None:
        met = actual.score >= target.target
        met_rounded = round_half_up(actual.score, 2) >= target.target
        group_met = actual.group <= target.target_group
    if actual is not None and baseline is not None:
        change = actual.score - baseline.score
        improved = actual.score > baseline.score
        rank_change = baseline.rank - actual.rank
    return EvaluationRow(
        dimension_code=target.dimension_code,
        dimension_name=target.dimension_name,
        number=target.number,
        baseline=baseline.score if baseline else None,
        implied_baseline=target.target - target.increment,
        target=target.target,
        increment=target.increment,
        actual=actual.score if actual else None,
        met=met,
        met_at_two_decimals=met_rounded,
        improved=improved,
        change=change,
        baseline_rank=baseline.rank if baseline else None,
        baseline_group=baseline.group if baseline else None,
        stated_baseline_group=target.stated_baseline_group,
        actual_rank=actual.rank if actual else None,
        actual_count=actual.count if actual else None,
        actual_group=actual.group if actual else None,
        target_group=target.target_group,
        group_met=group_met,
        group_status=actual.group_status if actual else None,
        rank_change=rank_change,
    )
