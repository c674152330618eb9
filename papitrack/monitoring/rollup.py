"""Roll-up rules per KPI kind: pure functions over exact decimals.

The rules are documented in docs/ARCHITECTURE.md, "Roll-up rules". In short, every KPI
value of one unit becomes a `Tally`, and tallies add up the unit tree component by
component, so a parent's figure is always a ratio of sums, never a mean of percentages:

- ratio (R) and external (X) KPIs: numerator and denominator are summed;
- share-of-units (S), count (C), milestone (Q) and vague (V) KPIs: the numerator counts the
  member units meeting the condition (answered yes, count reaching the threshold, milestone
  done) and the denominator counts every member unit expected to answer, so a unit that has
  not reported counts against the share ("missing is not zero" keeps it apart in
  `expected - reported`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from papitrack.monitoring.enums import Accumulation
from papitrack.orgunits.enums import UnitKind
from papitrack.tasks.enums import Comparator, KpiKind

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


class Family(Enum):
    """What one unit's value of a KPI is: a ratio, a yes/no, a count, or a milestone."""

    RATIO = "ratio"
    ANSWER = "answer"
    COUNT = "count"
    MILESTONE = "milestone"


FAMILY_OF_KIND: dict[str, Family] = {
    KpiKind.RATIO: Family.RATIO,
    KpiKind.EXTERNAL: Family.RATIO,
    KpiKind.SHARE_OF_UNITS: Family.ANSWER,
    KpiKind.COUNT: Family.COUNT,
    KpiKind.MILESTONE: Family.MILESTONE,
    KpiKind.VAGUE: Family.MILESTONE,
}

# Which accumulations make sense for which family; the first is the default.
ACCUMULATIONS: dict[Family, tuple[str, ...]] = {
    Family.RATIO: (Accumulation.INCREMENTAL, Accumulation.CUMULATIVE, Accumulation.STOCK),
    Family.COUNT: (Accumulation.INCREMENTAL, Accumulation.CUMULATIVE),
    Family.ANSWER: (Accumulation.STOCK, Accumulation.DISTINCT_UNITS),
    Family.MILESTONE: (Accumulation.STOCK,),
}

COMPARISONS = {
    Comparator.AT_LEAST: lambda value, target: value >= target,
    Comparator.MORE_THAN: lambda value, target: value > target,
    Comparator.AT_MOST: lambda value, target: value <= target,
    Comparator.LESS_THAN: lambda value, target: value < target,
    Comparator.EQUAL: lambda value, target: value == target,
}


def family_of(kind: str) -> Family:
    return FAMILY_OF_KIND[kind]


def default_accumulation(kind: str) -> str:
    return ACCUMULATIONS[family_of(kind)][0]


def compare(value: Decimal, comparator: str, target: Decimal) -> bool:
    """Compare an unrounded value with a target; an empty comparator reads as ≥."""
    return bool(COMPARISONS[Comparator(comparator or Comparator.AT_LEAST)](value, target))


def population_kinds(population: str) -> frozenset[str] | None:
    """The unit kinds a KPI counts ("commune", "department,district"), or None for free text.

    A share or count KPI over "commune" counts communes only, even when departments report
    on the same task; a ratio's population is a description of records, not of units.
    """
    parts = [part.strip() for part in population.split(",") if part.strip()]
    if not parts or any(part not in UnitKind.values for part in parts):
        return None
    return frozenset(parts)


@dataclass(frozen=True)
class Observation:
    """One unit's value of one KPI for one period, as reported; None fields were not given."""

    numerator: Decimal | None = None
    denominator: Decimal | None = None
    answer: bool | None = None
    count: Decimal | None = None
    done: bool | None = None


@dataclass(frozen=True)
class Tally:
    """Additive summary of KPI values over a set of units (a monoid under +).

    - `expected`: units expected to give a value (the denominator of shares);
    - `reported`: of those, units whose value counts (from approved reports by default);
    - `numerator` / `denominator`: Σ numerators / Σ denominators for ratios; units meeting
      the condition / `expected` for shares, counts and milestones;
    - `events`: Σ of the counts (count KPIs only).
    """

    expected: int = 0
    reported: int = 0
    numerator: Decimal = ZERO
    denominator: Decimal = ZERO
    events: Decimal = ZERO

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            expected=self.expected + other.expected,
            reported=self.reported + other.reported,
            numerator=self.numerator + other.numerator,
            denominator=self.denominator + other.denominator,
            events=self.events + other.events,
        )

    @property
    def missing(self) -> int:
        return self.expected - self.reported

    @property
    def ratio(self) -> Decimal | None:
        """Numerator over denominator; None for 0/0 (never zero)."""
        if self.denominator == 0:
            return None
        return self.numerator / self.denominator

    @property
    def percent(self) -> Decimal | None:
        ratio = self.ratio
        return None if ratio is None else ratio * HUNDRED


def total(tallies: Iterable[Tally]) -> Tally:
    return sum(tallies, Tally())


def meets_threshold(count: Decimal, *, comparator: str, value: Decimal | None) -> bool:
    """A unit's count against the per-unit threshold (≥ 1 dialogue a year); none means ≥ 1."""
    return compare(count, comparator, ONE if value is None else value)


def unit_tally(
    *,
    kind: str,
    observation: Observation | None,
    comparator: str = "",
    threshold: Decimal | None = None,
) -> Tally:
    """The tally of one member unit: what it reported, or a missing value (expected only)."""
    family = family_of(kind)
    if family is Family.RATIO:
        if observation is None or observation.numerator is None or observation.denominator is None:
            return Tally(expected=1)
        return Tally(
            expected=1,
            reported=1,
            numerator=observation.numerator,
            denominator=observation.denominator,
        )
    positive: bool | None = None
    events = ZERO
    if observation is not None:
        if family is Family.ANSWER:
            positive = observation.answer
        elif family is Family.COUNT and observation.count is not None:
            events = observation.count
            positive = meets_threshold(observation.count, comparator=comparator, value=threshold)
        elif family is Family.MILESTONE:
            positive = observation.done
    if positive is None:
        return Tally(expected=1, denominator=ONE)
    return Tally(
        expected=1,
        reported=1,
        numerator=ONE if positive else ZERO,
        denominator=ONE,
        events=events,
    )


def _latest(observations: Sequence[Observation | None], given: str) -> Observation | None:
    for observation in reversed(observations):
        if observation is not None and getattr(observation, given) is not None:
            return observation
    return None


def combine_periods(
    observations: Sequence[Observation | None], *, kind: str, accumulation: str
) -> Observation | None:
    """One unit's values of consecutive periods (oldest first) as the value of their span.

    - incremental: flows are summed (Σ numerators, Σ denominators, Σ counts);
    - cumulative and stock: the latest value given, never a sum;
    - distinct units (yes/no): yes if the unit said yes in any period, so a commune
      inspected in Q1 and Q3 counts once;
    - milestones: the latest status given (done once stays done in later reports).
    Periods without a value add nothing; a unit with no value at all stays missing.
    """
    family = family_of(kind)
    if family is Family.RATIO:
        given = [
            o for o in observations if o and o.numerator is not None and o.denominator is not None
        ]
        if not given:
            return None
        if accumulation == Accumulation.INCREMENTAL:
            return Observation(
                numerator=sum((o.numerator or ZERO for o in given), ZERO),
                denominator=sum((o.denominator or ZERO for o in given), ZERO),
            )
        return given[-1]
    if family is Family.COUNT:
        counted = [o for o in observations if o is not None and o.count is not None]
        if not counted:
            return None
        if accumulation == Accumulation.INCREMENTAL:
            return Observation(count=sum((o.count or ZERO for o in counted), ZERO))
        return counted[-1]
    if family is Family.ANSWER:
        answers = [o.answer for o in observations if o is not None and o.answer is not None]
        if not answers:
            return None
        if accumulation == Accumulation.DISTINCT_UNITS:
            return Observation(answer=any(answers))
        return Observation(answer=answers[-1])
    return _latest(observations, "done")
