"""Rank provinces and put them in rank groups, as PAPI does: by rank, not by score bands.

Rules (documented in docs/ARCHITECTURE.md, "Ranks and groups"):

- Ranks are computed over the provinces that have a value, on full precision, highest first.
- Ties share the best rank ("1224" competition ranking); the next province skips ranks.
- Groups are assigned by rank against the cumulative group sizes, so tied provinces always
  land in the same group (the higher one) even if that makes a group one larger.
- Group sizes for n provinces come from configuration; when none is configured the default
  split gives every group n // 4 and hands the remainder to groups 1, 2 and 4 in that order,
  which reproduces PAPI's official 16/16/15/16 for 63 provinces.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from papitrack.lib.numbers import round_half_up

# Order in which leftover provinces are added to groups: reproduces 16/16/15/16 for n = 63.
REMAINDER_ORDER = (0, 1, 3, 2)


@dataclass(frozen=True)
class ScoreEntry:
    key: str
    score: Decimal


@dataclass(frozen=True)
class RankedEntry:
    key: str
    score: Decimal
    rank: int
    count: int
    group: int
    tied: bool
    tied_at_two_decimals: bool
    next_group_threshold: Decimal | None

    @property
    def gap_to_next_group(self) -> Decimal | None:
        """Points needed to reach the lowest score of the next group up (None in group 1)."""
        if self.next_group_threshold is None:
            return None
        return self.next_group_threshold - self.score


def default_group_sizes(count: int, group_count: int = 4) -> list[int]:
    """Split count provinces into group_count groups as evenly as possible."""
    if count < 0 or group_count < 1:
        raise ValueError("count must be >= 0 and group_count >= 1")
    base, remainder = divmod(count, group_count)
    sizes = [base] * group_count
    order = REMAINDER_ORDER if group_count == 4 else tuple(range(group_count))
    for position in order[:remainder]:
        sizes[position] += 1
    return sizes


def group_for_rank(rank: int, sizes: Sequence[int]) -> int:
    boundary = 0
    for group, size in enumerate(sizes, start=1):
        boundary += size
        if rank <= boundary:
            return group
    return len(sizes)


def rank_entries(entries: Iterable[ScoreEntry], sizes: Sequence[int]) -> list[RankedEntry]:
    """Rank entries highest first and assign groups by rank; see the module docstring."""
    ordered = sorted(entries, key=lambda entry: (-entry.score, entry.key))
    count = len(ordered)
    if sum(sizes) != count:
        raise ValueError(f"group sizes {list(sizes)} do not add up to {count} provinces")
    ranks: list[int] = []
    for position, entry in enumerate(ordered):
        if position and entry.score == ordered[position - 1].score:
            ranks.append(ranks[-1])
        else:
            ranks.append(position + 1)
    groups = [group_for_rank(rank, sizes) for rank in ranks]
    lowest_in_group: dict[int, Decimal] = {}
    for entry, group in zip(ordered, groups, strict=True):
        lowest_in_group[group] = min(lowest_in_group.get(group, entry.score), entry.score)
    rounded_counts: dict[Decimal, int] = {}
    for entry in ordered:
        rounded = round_half_up(entry.score, 2)
        rounded_counts[rounded] = rounded_counts.get(rounded, 0) + 1
    score_counts: dict[Decimal, int] = {}
    for entry in ordered:
        score_counts[entry.score] = score_counts.get(entry.score, 0) + 1
    result = []
    for entry, rank, group in zip(ordered, ranks, groups, strict=True):
        threshold = None
        for upper in range(group - 1, 0, -1):
            if upper in lowest_in_group:
                threshold = lowest_in_group[upper]
                break
        result.append(
            RankedEntry(
                key=entry.key,
                score=entry.score,
                rank=rank,
                count=count,
                group=group,
                tied=score_counts[entry.score] > 1,
                tied_at_two_decimals=rounded_counts[round_half_up(entry.score, 2)] > 1,
                next_group_threshold=threshold,
            )
        )
    return result
