"""Data for the ECharts drawings, shaped for static/papitrack/charts.js.

Numbers travel as decimal strings ("5.2063"), never floats: the browser turns them into
numbers for drawing only, and every figure a user reads comes from the tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from papitrack.indices.models import Dimension
from papitrack.indices.queries import ScoreHistoryRow
from papitrack.lib.numbers import round_half_up
from papitrack.plans.evaluation import EvaluationRow

CHART_PLACES = 4


def chart_number(value: Decimal | None) -> str | None:
    return None if value is None else str(round_half_up(value, CHART_PLACES))


def radar_data(
    *,
    rows: Iterable[EvaluationRow],
    dimensions: dict[str, Dimension],
    baseline_year: int,
    target_year: int,
) -> dict[str, Any]:
    """Baseline, target and actual of each dimension (not the aggregate) on the 1–10 scale."""
    dimension_rows = [row for row in rows if row.number > 0]
    indicators = []
    for row in dimension_rows:
        dimension = dimensions[row.dimension_code]
        indicators.append(
            {
                "name": dimension.label,
                "min": chart_number(dimension.scale_min),
                "max": chart_number(dimension.scale_max),
            }
        )
    return {
        "indicators": indicators,
        "series": [
            {
                "name": f"Năm gốc {baseline_year}",
                "values": [chart_number(row.baseline) for row in dimension_rows],
            },
            {
                "name": f"Mục tiêu {target_year}",
                "values": [chart_number(row.target) for row in dimension_rows],
                "dashed": True,
            },
            {
                "name": f"Thực tế {target_year}",
                "values": [chart_number(row.actual) for row in dimension_rows],
            },
        ],
    }


def history_data(
    *,
    name: str,
    years: Sequence[int],
    rows: Iterable[ScoreHistoryRow],
    lines: Sequence[tuple[str, Decimal | None]] = (),
) -> dict[str, Any]:
    """One line of scores over the years (null where missing) and optional reference lines."""
    by_year = {row.current.year: row.current.score for row in rows}
    return {
        "years": list(years),
        "series": [{"name": name, "values": [chart_number(by_year.get(year)) for year in years]}],
        "lines": [
            {"name": label, "value": chart_number(value)}
            for label, value in lines
            if value is not None
        ],
    }
