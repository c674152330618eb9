"""Reads of published scores with ranks, groups and year-over-year changes.

Ranks are computed from plain tuples and cached under a stamp of the index's scores and
group rules (`scores_version`): they change only when scores are imported.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max

from papitrack.indices.enums import GroupSizeStatus, ScoreStatus
from papitrack.indices.models import Dimension, Index, PublishedScore
from papitrack.indices.ranking import RankedEntry, ScoreEntry, default_group_sizes, rank_entries
from papitrack.lib.caching import cache_key, cached
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


# Rules of one index: (year or None, province count) -> (group sizes, official or assumed).
GroupRules = dict[tuple[int | None, int], tuple[list[int], str]]
# One published score as read for ranking: year, dimension code, province code, province
# short name, province name, score, interval low, interval high.
ScoreRow = tuple[int, str, str, str, str, Decimal, Decimal | None, Decimal | None]
SCORE_COLUMNS = (
    "year",
    "dimension__code",
    "province__code",
    "province__short_name",
    "province__name",
    "score",
    "ci_low",
    "ci_high",
)


def _group_rules(index: Index) -> GroupRules:
    """The index's group size rules (prefetched by the plan and explorer pages)."""
    return {
        (rule.year, rule.province_count): (rule.size_list, rule.status)
        for rule in index.group_rules.all()
    }


def _sizes_from(
    rules: GroupRules, *, year: int, count: int, group_count: int
) -> tuple[list[int], str]:
    found = rules.get((year, count)) or rules.get((None, count))
    if found is not None:
        return found
    return default_group_sizes(count, group_count), GroupSizeStatus.ASSUMED


def group_sizes_for(*, index: Index, year: int, count: int) -> tuple[list[int], str]:
    """Return the group sizes for count scored provinces and whether they are official."""
    return _sizes_from(_group_rules(index), year=year, count=count, group_count=index.group_count)


def _rank_table(
    index: Index, rules: GroupRules, scores: list[ScoreRow]
) -> dict[tuple[int, str], list[RankedScore]]:
    by_key: dict[tuple[int, str], list[ScoreRow]] = defaultdict(list)
    for row in scores:
        by_key[(row[0], row[1])].append(row)
    table: dict[tuple[int, str], list[RankedScore]] = {}
    for (year, dimension_code), rows in by_key.items():
        sizes, status = _sizes_from(
            rules, year=year, count=len(rows), group_count=index.group_count
        )
        group_sizes = tuple(sizes)
        lookup = {row[2]: row for row in rows}
        ranked: list[RankedEntry] = rank_entries(
            [ScoreEntry(key=row[2], score=row[5]) for row in rows], sizes
        )
        table[(year, dimension_code)] = [
            RankedScore(
                province_code=entry.key,
                province_name=lookup[entry.key][3] or lookup[entry.key][4],
                year=year,
                dimension_code=dimension_code,
                score=entry.score,
                rank=entry.rank,
                count=entry.count,
                group=entry.group,
                group_sizes=group_sizes,
                group_status=status,
                tied=entry.tied,
                tied_at_two_decimals=entry.tied_at_two_decimals,
                gap_to_next_group=entry.gap_to_next_group,
                ci_low=lookup[entry.key][6],
                ci_high=lookup[entry.key][7],
            )
            for entry in ranked
        ]
    return table


def _scores(index: Index, **filters: object) -> list[ScoreRow]:
    """Published scores with a value, as plain tuples (ranking needs no model instances)."""
    return list(
        PublishedScore.objects.filter(
            index=index, status=ScoreStatus.PUBLISHED, score__isnull=False, **filters
        ).values_list(*SCORE_COLUMNS)
    )


def scores_version(*, index: Index) -> str:
    """A stamp of the index's scores and group rules that changes with any saved change.

    Every import writes rows (a new row raises the count and the largest id; a changed row
    gets a new `updated_at`), so ranks cached under the stamp are never read after their
    scores changed. One query (the rules come prefetched with the plan or the index).
    """
    stamp = PublishedScore.objects.filter(index=index).aggregate(
        count=Count("id"), last=Max("id"), changed=Max("updated_at")
    )
    changed = stamp["changed"].isoformat() if stamp["changed"] else "-"
    rules = sorted(
        (year or 0, count, ",".join(map(str, sizes)), status)
        for (year, count), (sizes, status) in _group_rules(index).items()
    )
    return f"{stamp['count']}.{stamp['last']}.{changed}.{rules}"


def _ranks_key(index: Index, name: str, *parts: object) -> str:
    return cache_key("ranks", name, index.pk, scores_version(index=index), *parts)


def ranked_scores(*, index: Index, year: int, dimension_code: str) -> list[RankedScore]:
    """All scored provinces of one year and dimension, best first (cached)."""

    def compute() -> list[RankedScore]:
        scores = _scores(index, year=year, dimension__code=dimension_code)
        return _rank_table(index, _group_rules(index), scores).get((year, dimension_code), [])

    return cached(_ranks_key(index, "dimension", year, dimension_code), compute)


def ranked_year(*, index: Index, year: int) -> dict[str, dict[str, RankedScore]]:
    """For one year: dimension code -> province code -> ranked score (cached)."""

    def compute() -> dict[str, dict[str, RankedScore]]:
        table = _rank_table(index, _group_rules(index), _scores(index, year=year))
        return {
            dimension_code: {row.province_code: row for row in rows}
            for (_, dimension_code), rows in table.items()
        }

    return cached(_ranks_key(index, "year", year), compute)


def province_history(*, index: Index, province: OrgUnit) -> list[ScoreHistoryRow]:
    """Every scored (year, dimension) of a province, ranked among that year's provinces
    (cached)."""

    def compute() -> list[ScoreHistoryRow]:
        table = _rank_table(index, _group_rules(index), _scores(index))
        mine: dict[tuple[int, str], RankedScore] = {}
        for (year, dimension_code), rows in table.items():
            for row in rows:
                if row.province_code == province.code:
                    mine[(year, dimension_code)] = row
        return [
            ScoreHistoryRow(current=row, previous=mine.get((year - 1, dimension_code)))
            for (year, dimension_code), row in sorted(mine.items())
        ]

    return cached(_ranks_key(index, "province", province.code), compute)


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
