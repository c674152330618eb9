"""Compare a survey estimate with a reference (a plan target, a published PAPI score). Pure.

Rule: the difference is "within the margin of error" when the reference lies inside the
estimate's 95% confidence interval; otherwise the estimate is above or below the reference
beyond that margin. Without an interval or a reference, nothing is judged. Decimals only:
this is the boundary where survey floats have become stored figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from papitrack.surveys.enums import Verdict


@dataclass(frozen=True)
class Comparison:
    reference: Decimal | None
    difference: Decimal | None
    verdict: str


def compare_with_reference(
    *,
    estimate: Decimal | None,
    ci_low: Decimal | None,
    ci_high: Decimal | None,
    reference: Decimal | None,
) -> Comparison:
    if estimate is None or reference is None:
        return Comparison(reference=reference, difference=None, verdict=Verdict.NOT_ASSESSABLE)
    difference = estimate - reference
    if ci_low is None or ci_high is None:
        return Comparison(reference, difference, Verdict.NOT_ASSESSABLE)
    if reference < ci_low:
        return Comparison(reference, difference, Verdict.ABOVE)
    if reference > ci_high:
        return Comparison(reference, difference, Verdict.BELOW)
    return Comparison(reference, difference, Verdict.WITHIN)
