"""Survey results as plain data: the JSON and the text table the score_survey command prints.

Numbers are rounded exactly as the database stores them (7 decimals, half up), so the command
and the survey page show the same figures.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from papitrack.lib.numbers import round_half_up
from papitrack.surveys.enums import EstimateLevel
from papitrack.surveys.estimation import EstimateRow, SurveyResult

PLACES = 7
LEVEL_ORDER = (
    EstimateLevel.OVERALL,
    EstimateLevel.DIMENSION,
    EstimateLevel.SUBDIMENSION,
    EstimateLevel.INDICATOR,
)


def stored(value: float | None) -> Decimal | None:
    """A float as the database keeps it: 7 decimals, rounded half up."""
    return None if value is None else round_half_up(Decimal(repr(value)), PLACES)


def _text(value: float | None) -> str | None:
    number = stored(value)
    return None if number is None else format(number, "f")


def ordered_rows(result: SurveyResult) -> list[EstimateRow]:
    """Rows by domain (province first), then overall, dimensions, sub-dimensions, indicators."""
    domain_rank = {domain: position for position, domain in enumerate(result.domains)}
    level_rank = {level: position for position, level in enumerate(LEVEL_ORDER)}
    return sorted(
        result.rows,
        key=lambda row: (domain_rank[row.domain], level_rank[EstimateLevel(row.level)]),
    )


def result_payload(result: SurveyResult, **context: Any) -> dict[str, Any]:
    """The command's JSON: settings, weights per domain and every estimate."""
    return {
        **context,
        "respondents": result.respondents,
        "replicates": result.replicates,
        "seed": result.seed,
        "weighting": {
            "method": result.weights.method,
            "raking_iterations": result.weights.iterations,
            "converged": result.weights.converged,
            "domains": [
                {
                    "domain": weights.domain,
                    "respondents": weights.respondents,
                    "weight_total": format(
                        round_half_up(Decimal(repr(weights.weight_total)), 4), "f"
                    ),
                    "design_effect": format(
                        round_half_up(Decimal(repr(weights.design_effect)), 4), "f"
                    ),
                    "degrees_of_freedom": degrees,
                }
                for weights, degrees in zip(
                    result.weights.domains, result.degrees_of_freedom, strict=True
                )
            ],
        },
        "estimates": [
            {
                "domain": row.domain,
                "level": str(row.level),
                "code": row.code,
                "estimate": _text(row.estimate),
                "std_error": _text(row.std_error),
                "ci_low": _text(row.ci_low),
                "ci_high": _text(row.ci_high),
                "n": row.respondents,
                "status": str(row.status),
            }
            for row in ordered_rows(result)
        ],
    }


def _cell(value: float | None) -> str:
    number = stored(value)
    return "—" if number is None else f"{number:.4f}"


def result_table(result: SurveyResult) -> str:
    """A fixed-width text table: one line per (domain, level, code)."""
    lines = [
        f"Số người trả lời: {result.respondents}; lặp bootstrap: {result.replicates}; "
        f"hạt giống: {result.seed}; gia quyền: {result.weights.method} "
        f"({result.weights.iterations} vòng hậu phân tầng)",
        "",
        f"{'địa bàn':<8} {'n':>6} {'tổng trọng số':>15} {'deff Kish':>10} {'bậc tự do':>10}",
    ]
    for weights, degrees in zip(result.weights.domains, result.degrees_of_freedom, strict=True):
        lines.append(
            f"{weights.domain:<8} {weights.respondents:>6} {weights.weight_total:>15.1f} "
            f"{weights.design_effect:>10.4f} {degrees:>10}"
        )
    lines += [
        "",
        f"{'địa bàn':<8} {'cấp':<13} {'mã':<14} {'estimate':>10} {'ci_low':>10} "
        f"{'ci_high':>10} {'n':>6}  trạng thái",
    ]
    for row in ordered_rows(result):
        lines.append(
            f"{row.domain:<8} {row.level:<13} {row.code:<14} {_cell(row.estimate):>10} "
            f"{_cell(row.ci_low):>10} {_cell(row.ci_high):>10} {row.respondents:>6}  {row.status}"
        )
    return "\n".join(lines)
