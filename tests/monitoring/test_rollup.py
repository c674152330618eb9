"""Roll-up rules per KPI kind: pure functions, by example and by property (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from papitrack.monitoring.enums import Accumulation
from papitrack.monitoring.rollup import (
    Observation,
    Tally,
    combine_periods,
    compare,
    default_accumulation,
    population_kinds,
    total,
    unit_tally,
)
from papitrack.tasks.enums import KpiKind

D = Decimal


def ratio(numerator: int, denominator: int) -> Tally:
    return unit_tally(
        kind=KpiKind.RATIO,
        observation=Observation(numerator=D(numerator), denominator=D(denominator)),
    )


def mean_of_percentages(parts: list[tuple[Decimal, Decimal]]) -> Decimal:
    """The wrong way, for comparison only: the plain mean of each part's percentage."""
    percents = [numerator * 100 / denominator for numerator, denominator in parts]
    return sum(percents, D(0)) / len(percents)


def answer(value: bool | None) -> Tally:
    observation = None if value is None else Observation(answer=value)
    return unit_tally(kind=KpiKind.SHARE_OF_UNITS, observation=observation)


# --- the examples of domain.md §3.3 ----------------------------------------------------------


def test_ratio_of_sums_not_mean_of_ratios():
    """V.6 land dossiers: 190/200 and 5/10 make 195/210 = 92.9%, not 72.5%."""
    district_a, district_b = ratio(190, 200), ratio(5, 10)

    province = district_a + district_b

    assert (province.numerator, province.denominator) == (D(195), D(210))
    assert round(province.percent, 1) == D("92.9")
    assert mean_of_percentages([(D(190), D(200)), (D(5), D(10))]) == D("72.5")


def test_share_of_units_counts_communes_not_district_percentages():
    """10 of 10 communes in A and 1 of 20 in B: 11/30 = 36.7%, not 52.5%."""
    district_a = total(answer(True) for _ in range(10))
    district_b = total([answer(True)] + [answer(False)] * 19)

    province = district_a + district_b

    assert (province.numerator, province.denominator) == (D(11), D(30))
    assert round(province.percent, 1) == D("36.7")


def test_missing_member_stays_in_the_denominator_apart_from_no():
    tallies = [answer(True), answer(False), answer(None)]

    result = total(tallies)

    assert result == Tally(expected=3, reported=2, numerator=D(1), denominator=D(3))
    assert result.missing == 1


def test_zero_over_zero_is_no_value_not_zero():
    result = ratio(0, 0)

    assert result.reported == 1
    assert result.ratio is None
    assert result.percent is None


def test_missing_ratio_adds_nothing_but_an_expected_unit():
    result = ratio(9, 10) + unit_tally(kind=KpiKind.RATIO, observation=None)

    assert result == Tally(expected=2, reported=1, numerator=D(9), denominator=D(10))


def test_count_unit_meets_its_threshold_and_events_are_summed():
    def count(value: int) -> Tally:
        return unit_tally(
            kind=KpiKind.COUNT,
            observation=Observation(count=D(value)),
            comparator=">=",
            threshold=D(1),
        )

    result = count(0) + count(1) + count(3) + unit_tally(kind=KpiKind.COUNT, observation=None)

    assert result == Tally(expected=4, reported=3, numerator=D(2), denominator=D(4), events=D(4))


def test_milestone_counts_units_done():
    done = unit_tally(kind=KpiKind.MILESTONE, observation=Observation(done=True))
    started = unit_tally(kind=KpiKind.VAGUE, observation=Observation(done=False))

    assert done + started == Tally(expected=2, reported=2, numerator=D(1), denominator=D(2))


@pytest.mark.parametrize(
    ("value", "comparator", "target", "expected"),
    [
        (D(95), ">=", D(95), True),
        (D("94.99"), ">=", D(95), False),
        (D(90), ">", D(90), False),
        (D(5), "<=", D(5), True),
        (D(4), "<", D(5), True),
        (D(100), "=", D(100), True),
        (D(100), "", D(100), True),
    ],
)
def test_compare_uses_the_stored_comparator_unrounded(value, comparator, target, expected):
    assert compare(value, comparator, target) is expected


def test_population_kinds_reads_unit_kinds_and_ignores_free_text():
    assert population_kinds("commune") == frozenset({"commune"})
    assert population_kinds("department,district") == frozenset({"department", "district"})
    assert population_kinds("hồ sơ TTHC lĩnh vực đất đai") is None
    assert population_kinds("") is None


# --- periods ----------------------------------------------------------------------------------


def test_incremental_flows_are_summed_over_periods():
    quarters = [
        Observation(numerator=D(10), denominator=D(20)),
        None,
        Observation(numerator=D(5), denominator=D(5)),
    ]

    combined = combine_periods(quarters, kind=KpiKind.RATIO, accumulation=Accumulation.INCREMENTAL)

    assert combined == Observation(numerator=D(15), denominator=D(25))


@pytest.mark.parametrize("accumulation", [Accumulation.CUMULATIVE, Accumulation.STOCK])
def test_cumulative_and_stock_take_the_latest_value_never_the_sum(accumulation):
    quarters = [
        Observation(numerator=D(10), denominator=D(20)),
        Observation(numerator=D(18), denominator=D(20)),
        None,
    ]

    combined = combine_periods(quarters, kind=KpiKind.RATIO, accumulation=accumulation)

    assert combined == Observation(numerator=D(18), denominator=D(20))


def test_distinct_units_counts_a_commune_once_in_the_year():
    """Inspected in Q1 and Q3: one inspected commune, not two."""
    quarters = [Observation(answer=True), Observation(answer=False), Observation(answer=True)]

    combined = combine_periods(
        quarters, kind=KpiKind.SHARE_OF_UNITS, accumulation=Accumulation.DISTINCT_UNITS
    )

    assert combined == Observation(answer=True)
    assert unit_tally(kind=KpiKind.SHARE_OF_UNITS, observation=combined).numerator == 1


def test_status_share_takes_the_answer_at_period_end():
    quarters = [Observation(answer=True), Observation(answer=False)]

    combined = combine_periods(
        quarters, kind=KpiKind.SHARE_OF_UNITS, accumulation=Accumulation.STOCK
    )

    assert combined == Observation(answer=False)


def test_counts_and_milestones_over_periods():
    counts = [Observation(count=D(1)), Observation(count=D(2))]
    statuses = [Observation(done=False), Observation(done=True), None]

    assert combine_periods(counts, kind=KpiKind.COUNT, accumulation="incremental") == Observation(
        count=D(3)
    )
    assert combine_periods(counts, kind=KpiKind.COUNT, accumulation="cumulative") == Observation(
        count=D(2)
    )
    assert combine_periods(statuses, kind=KpiKind.MILESTONE, accumulation="stock") == Observation(
        done=True
    )


def test_nothing_reported_in_any_period_stays_missing():
    for kind in KpiKind.values:
        accumulation = default_accumulation(kind)
        assert combine_periods([None, None], kind=kind, accumulation=accumulation) is None


# --- properties -------------------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=10_000)
ratio_parts = st.lists(
    st.tuples(counts, counts).map(lambda pair: (min(pair), max(pair))), min_size=0, max_size=40
)


@given(ratio_parts)
def test_property_ratio_is_sum_of_numerators_over_sum_of_denominators(parts):
    result = total(ratio(numerator, denominator) for numerator, denominator in parts)

    numerators = sum(D(numerator) for numerator, _ in parts)
    denominators = sum(D(denominator) for _, denominator in parts)
    assert (result.numerator, result.denominator) == (numerators, denominators)
    assert result.ratio == (None if denominators == 0 else numerators / denominators)


@given(ratio_parts, st.randoms())
def test_property_order_does_not_matter(parts, random):
    tallies = [ratio(numerator, denominator) for numerator, denominator in parts]
    shuffled = list(tallies)
    random.shuffle(shuffled)

    assert total(tallies) == total(shuffled)


@given(st.lists(st.lists(st.sampled_from([True, False, None]), max_size=15), max_size=12))
def test_property_whole_equals_sum_of_its_parts(districts):
    """A province's tally is the same from its communes directly or through its districts."""
    by_district = [total(answer(value) for value in communes) for communes in districts]
    all_communes = [answer(value) for communes in districts for value in communes]

    assert total(by_district) == total(all_communes)


@given(st.lists(st.sampled_from([True, False, None]), min_size=1, max_size=60))
def test_property_share_stays_between_zero_and_one(answers):
    result = total(answer(value) for value in answers)

    assert result.denominator == len(answers)
    assert 0 <= result.numerator <= result.denominator
    assert result.ratio is not None
    assert 0 <= result.ratio <= 1
    assert result.reported == sum(value is not None for value in answers)


@given(st.lists(st.booleans(), min_size=1, max_size=12))
def test_property_distinct_units_is_any_and_stock_is_last(answers):
    observations = [Observation(answer=value) for value in answers]

    distinct = combine_periods(
        observations, kind=KpiKind.SHARE_OF_UNITS, accumulation=Accumulation.DISTINCT_UNITS
    )
    stock = combine_periods(
        observations, kind=KpiKind.SHARE_OF_UNITS, accumulation=Accumulation.STOCK
    )

    assert distinct == Observation(answer=any(answers))
    assert stock == Observation(answer=answers[-1])


@given(st.lists(st.one_of(st.none(), st.tuples(counts, counts)), max_size=12))
def test_property_incremental_ratio_over_periods_sums_what_was_given(periods):
    observations = [
        None if part is None else Observation(numerator=D(part[0]), denominator=D(part[1]))
        for part in periods
    ]

    combined = combine_periods(
        observations, kind=KpiKind.RATIO, accumulation=Accumulation.INCREMENTAL
    )

    given_parts = [part for part in periods if part is not None]
    if not given_parts:
        assert combined is None
    else:
        assert combined == Observation(
            numerator=sum(D(a) for a, _ in given_parts),
            denominator=sum(D(b) for _, b in given_parts),
        )
