"""Exact decimal parsing and Vietnamese number display."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# "1.250" reads as 1,25 to parse_decimal but as one thousand two hundred and fifty to most
# Vietnamese readers: what a person types in that shape is refused rather than guessed.
# ("0.125" is not of that shape: grouped thousands never start with 0.)
AMBIGUOUS_THOUSANDS = re.compile(r"[-+]?[1-9]\d{0,2}(\.\d{3})+")
# With both separators only the Vietnamese notation is read ("1.234,5"); "1,234.5" (English)
# or "12.34,5" would otherwise come out as 1,2345 or 1234,5.
GROUPED_WITH_DECIMAL_COMMA = re.compile(r"[-+]?\d{1,3}(\.\d{3})+,\d+")
# No figure papitrack reads (scores, targets, weights, populations, KPI values) has more digits
# before the point; "1e999999999" would otherwise parse and overflow the first sum it enters.
MAX_INTEGER_DIGITS = 18


class DecimalParseError(ValueError):
    """Raised when a text is not a decimal number in either notation."""


class AmbiguousDecimalError(DecimalParseError):
    """Raised for typed text such as "1.250": a thousands dot or a decimal point?"""


def _cleaned(text: str) -> str:
    return text.strip().replace("\u00a0", "").replace(" ", "")


def is_ambiguous_thousands(text: str) -> bool:
    """True for "1.250" or "12.345.678": dot groups of three digits and no decimal comma."""
    return AMBIGUOUS_THOUSANDS.fullmatch(_cleaned(text)) is not None


def parse_decimal(text: str) -> Decimal:
    """Parse "44,33", "44.33" or "46.5" into a Decimal.

    Vietnamese documents use a decimal comma ("5,7") but also the point ("46.5"); a value
    with both ("1.234,5") is read with the point as thousands separator, and refused unless
    the dots group thousands before the comma.
    """
    cleaned = _cleaned(text)
    if "," in cleaned and "." in cleaned:
        if not GROUPED_WITH_DECIMAL_COMMA.fullmatch(cleaned):
            raise DecimalParseError(text)
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise DecimalParseError(text) from error
    if not value.is_finite() or (value and value.adjusted() >= MAX_INTEGER_DIGITS):
        raise DecimalParseError(text)
    return value


def parse_typed_decimal(text: str) -> Decimal:
    """parse_decimal for a number a person typed (forms, the API): "1.250" is refused with
    AmbiguousDecimalError instead of being read as 1,25; "1250", "1,25" and "1.250,5" pass.
    """
    if is_ambiguous_thousands(text):
        raise AmbiguousDecimalError(text)
    return parse_decimal(text)


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Round as printed reports do (half up), not banker's rounding."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_vietnamese(value: Decimal | None, places: int = 2) -> str:
    """Display a decimal with the Vietnamese decimal comma: 44.3318 -> "44,33"."""
    if value is None:
        return "—"
    rounded = round_half_up(value, places)
    sign = "-" if rounded < 0 else ""
    integer, _, fraction = f"{abs(rounded):f}".partition(".")
    groups: list[str] = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    whole = ".".join(groups)
    return f"{sign}{whole},{fraction}" if fraction else f"{sign}{whole}"
