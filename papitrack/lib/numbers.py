"""Exact decimal parsing and Vietnamese number display."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


class DecimalParseError(ValueError):
    """Raised when a text is not a decimal number in either notation."""


def parse_decimal(text: str) -> Decimal:
    """Parse "44,33", "44.33" or "46.5" into a Decimal.

    Vietnamese documents use a decimal comma ("5,7") but also the point ("46.5"); a value
    with both ("1.234,5") is read with the point as thousands separator.
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise DecimalParseError(text) from error
    if not value.is_finite():
        raise DecimalParseError(text)
    return value


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
