"""Reads of published scores with ranks, groups and year-over-year changes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from papitrack.indices.enums import GroupSizeStatus, ScoreStatus
from papitrack.indices.models import Dimension, Index, PublishedScore
from papitrack.indices.ranking import RankedEntry, ScoreEntry, default_group_sizes, rank_entries
from papitrack.orgunits.models import OrgUnit


@dataclass(frozen=True)
class RankedScore:
    province_code: str
    province_name: str
    year: int
    dimension_code: str
    score: Decimal
    rank: int
    count: int
    group: int
    group_sizes: tuple[int, ...]
    group_status: str
    tied: bool
    tied_at_two_decimals: bool
    gap_to_next_group: Decimal | None
    ci_low: Decimal | None
    ci_high: Decimal | None


@dataclass(frozen=True)
class ScoreHistoryRow:
    """One (year, dimension) of a province with the change on the previous scored year."""

    current: RankedScore
    previous: RankedScore | None

    @property
    def change(self) -> Decimal | None:
        return None if self.previous is None else self.current.score - self.previous.score

    @property
    def rank_change(self) -> int | None:
        """Places gained since the previous year (positive = moved up)."""
        return None if self.previous is None else self.previous.rank - self.current.rank


def group_sizes_for(*, index: Index, year: int, count: int) -> tuple[list[int], str]:
    """Return the group sizes for count scored provinces and whether they are official."""
    rules = {(rule.year, rule.province_count): rule for rule in index.group_rules.all()}
    rule = rules.get((year, count)) or rules.get((None, count))
    if rule is not None:
        return rule.size_list, rule.status
    return default_group_sizes(count, index.group_count), GroupSizeStatus.ASSUMED


def _rank_table(
    index: Index, scores: list[PublishedScore]
) -> dict[tuple[int, str], list[RankedScore]]:
    by_key: dict[tuple[int, str], list[PublishedScore]] = defaultdict(list)
    for score in scores:
        if score.status == ScoreStatus.PUBLISHED and score.score is not None:
            by_key[(score.year, score.dimension.code)].append(score)
    table: dict[tuple[int, str], list[RankedScore]] = {}
    for (year, dimension_code), rows in by_key.items():
        sizes, status = group_sizes_for(index=index, year=year, count=len(rows))
        lookup = {row.province.code: row for row in rows}
        entries = [
            ScoreEntry(key=row.province.code, score=row.score)
            for row in rows
            if row.score is not None
        ]
        ranked: list[RankedEntry] = rank_entries(entries, sizes)
        table[(year, dimension_code)] = [
            RankedScore(
                province_code=entry.key,
                province_name=lookup[entry.key].province.short_name
                or lookup[entry.key].province.name,
                year=year,
                dimension_code=dimension_code,
                score=entry.score,
                rank=entry.rank,
                count=entry.count,
                group=entry.group,
                group_sizes=tuple(sizes),
                group_status=status,
                tied=entry.tied,
                tied_at_two_decimals=entry.tied_at_two_decimals,
                gap_to_next_group=entry.gap_to_next_group,
                ci_low=lookup[entry.key].ci_low,
                ci_high=lookup[entry.key].ci_high,
            )
            for entry in ranked
        ]
    return table


def _scores(index: Index, **filters: object) -> list[PublishedScore]:
    return list(
        PublishedScore.objects.filter(index=index, **filters).select_related(
            "province", "dimension"
        )
    )


def ranked_scores(*, index: Index, year: int, dimension_code: str) -> list[RankedScore]:
    """All scored provinces of one year and dimension, best first."""
    table = _rank_table(index, _scores(index, year=year, dimension__code=dimension_code))
    return table.get((year, dimension_code), [])


def ranked_year(*, index: Index, year: int) -> dict[str, dict[str, RankedScore]]:
    """For one year: dimension code -> province code -> ranked score."""
    table = _rank_table(index, _scores(index, year=year))
    return {
        dimension_code: {row.province_code: row for row in rows}
        for (_, dimension_code), rows in table.items()
    }


def province_history(*, index: Index, province: OrgUnit) -> list[ScoreHistoryRow]:
    """Every scored (year, dimension) of a province, ranked among that year's provinces."""
    table = _rank_table(index, _scores(index))
    mine: dict[tuple[int, str], RankedScore] = {}
    for (year, dimension_code), rows in table.items():
        for row in rows:
            if row.province_code == province.code:
                mine[(year, dimension_code)] = row
    history = []
    for (year, dimension_code), row in sorted(mine.items()):
        previous = mine.get((year - 1, dimension_code))
        history.append(ScoreHistoryRow(current=row, previous=previous))
    return history


def score_years(*, index: Index) -> list[int]:
    return sorted(
        # order_by() drops the model's default ordering, which would defeat DISTINCT.
        PublishedScore.objects.filter(index=index)
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )


def dimensions_of(*, index: Index) -> list[Dimension]:
    """The aggregate first, then the dimensions in official order."""
    return list(index.dimensions.prefetch_related("subdimensions").order_by("number"))
