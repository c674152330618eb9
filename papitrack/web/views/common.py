"""Pieces shared by the score screens."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from papitrack.indices.models import Index
from papitrack.indices.queries import ScoreHistoryRow, score_years

# data/papi/SOURCE.md, §6 check 21: 2018 scores agree with published figures, but ranks,
# groups and means computed from the 2018 workbook do not.
COMPUTED_YEAR_WITH_CAVEAT = 2018
COMPUTED_2018_CAVEAT = (
    "Hạng và nhóm năm 2018 được tính từ bảng số liệu PAPI 2018, không phải số liệu chính "
    "thức năm 2018: điểm khớp với số đã công bố nhưng thứ hạng tính lại không khớp thứ hạng "
    "đã công bố (xem data/papi/SOURCE.md, mục 6, kiểm tra số 21)."
)


def published_years(*, index: Index) -> list[int]:
    # score_years can repeat a year (its DISTINCT runs over the model's default ordering).
    return sorted(set(score_years(index=index)))


def year_rows(
    *, years: Sequence[int], rows: Iterable[ScoreHistoryRow]
) -> list[tuple[int, ScoreHistoryRow | None]]:
    """One entry per year, None where the year has no score (shown as "Không có số liệu")."""
    by_year = {row.current.year: row for row in rows}
    return [(year, by_year.get(year)) for year in years]
