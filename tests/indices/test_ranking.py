import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from papitrack.indices.ranking import (
    ScoreEntry,
    default_group_sizes,
    group_for_rank,
    rank_entries,
)


def entries(*scores):
    return [
        ScoreEntry(key=f"P{i:02d}", score=Decimal(str(score))) for i, score in enumerate(scores)
    ]


def test_default_group_sizes_reproduce_papi_for_63():
    assert default_group_sizes(63) == [16, 16, 15, 16]


@pytest.mark.parametrize(
    ("count", "sizes"),
    [
        (60, [15, 15, 15, 15]),
        (61, [16, 15, 15, 15]),
        (62, [16, 16, 15, 15]),
        (4, [1, 1, 1, 1]),
        (2, [1, 1, 0, 0]),
    ],
)
def test_default_group_sizes_for_fewer_provinces(count, sizes):
    assert default_group_sizes(count) == sizes


def test_rank_entries_ranks_highest_first_with_groups():
    ranked = rank_entries(entries(5, 9, 7, 3), [1, 1, 1, 1])
    assert [(entry.score, entry.rank, entry.group) for entry in ranked] == [
        (Decimal(9), 1, 1),
        (Decimal(7), 2, 2),
        (Decimal(5), 3, 3),
        (Decimal(3), 4, 4),
    ]


def test_ties_share_the_best_rank_and_skip_the_next():
    ranked = rank_entries(entries(9, 8, 8, 7), [1, 1, 1, 1])
    assert [entry.rank for entry in ranked] == [1, 2, 2, 4]
    assert [entry.tied for entry in ranked] == [False, True, True, False]


def test_ties_across_a_group_boundary_land_in_the_higher_group():
    ranked = rank_entries(entries(9, 8, 8, 7), [2, 1, 1, 0])
    assert [entry.group for entry in ranked] == [1, 1, 1, 3]


def test_ties_at_two_decimals_are_flagged_but_ranked_on_full_precision():
    ranked = rank_entries(entries("6.079", "6.076", "5.5"), [1, 1, 1, 0])
    assert [entry.rank for entry in ranked] == [1, 2, 3]
    assert [entry.tied_at_two_decimals for entry in ranked] == [True, True, False]


def test_gap_to_next_group_is_distance_to_lowest_score_of_the_group_above():
    ranked = rank_entries(entries(9, 8, 6, 5), [2, 2, 0, 0])
    assert ranked[0].gap_to_next_group is None
    assert ranked[2].next_group_threshold == Decimal(8)
    assert ranked[2].gap_to_next_group == Decimal(2)
    assert ranked[3].gap_to_next_group == Decimal(3)


def test_rank_entries_refuses_sizes_that_do_not_add_up():
    with pytest.raises(ValueError, match="do not add up"):
        rank_entries(entries(1, 2, 3), [1, 1, 0, 0])


def test_group_for_rank_past_the_end_is_the_last_group():
    assert group_for_rank(100, [1, 1, 1, 1]) == 4


scores = st.lists(st.decimals(min_value=1, max_value=10, places=3), min_size=1, max_size=70)


@given(scores)
def test_group_sizes_follow_configuration_when_there_are_no_ties(values):
    unique = sorted(set(values), reverse=True)
    sizes = default_group_sizes(len(unique))
    ranked = rank_entries(entries(*unique), sizes)
    counts = [sum(1 for entry in ranked if entry.group == group) for group in range(1, 5)]
    assert counts == sizes


@given(scores)
def test_ranking_is_monotonic_and_independent_of_input_order(values):
    sizes = default_group_sizes(len(values))
    forward = rank_entries(entries(*values), sizes)
    backward = rank_entries(list(reversed(entries(*values))), sizes)
    assert [(e.key, e.rank, e.group) for e in forward] == [
        (e.key, e.rank, e.group) for e in backward
    ]
    for higher, lower in itertools.pairwise(forward):
        assert higher.score >= lower.score
        assert higher.rank <= lower.rank
        assert higher.group <= lower.group
        assert (higher.score == lower.score) == (higher.rank == lower.rank)
