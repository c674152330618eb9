from decimal import Decimal

import pytest

from papitrack.lib.numbers import (
    AmbiguousDecimalError,
    DecimalParseError,
    format_vietnamese,
    is_ambiguous_thousands,
    parse_decimal,
    parse_typed_decimal,
    round_half_up,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("44,33", Decimal("44.33")),
        ("46.5", Decimal("46.5")),
        (" 5,7 ", Decimal("5.7")),
        ("1.234,5", Decimal("1234.5")),
        ("0", Decimal("0")),
    ],
)
def test_parse_decimal_reads_comma_and_point(text, expected):
    assert parse_decimal(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "4,4,4", "NaN", "Infinity"])
def test_parse_decimal_refuses_garbage(text):
    with pytest.raises(DecimalParseError):
        parse_decimal(text)


def test_round_half_up_rounds_like_printed_reports():
    assert round_half_up(Decimal("2.125"), 2) == Decimal("2.13")
    assert round_half_up(Decimal("44.331825"), 2) == Decimal("44.33")


def test_format_vietnamese_uses_decimal_comma_and_dot_grouping():
    assert format_vietnamese(Decimal("44.331825")) == "44,33"
    assert format_vietnamese(Decimal("1234.5"), 1) == "1.234,5"
    assert format_vietnamese(Decimal("-0.5"), 1) == "-0,5"
    assert format_vietnamese(None) == "—"


@pytest.mark.parametrize("text", ["1,234.5", "12.34,5", "1.2.3,4", ".5,3"])
def test_parse_decimal_refuses_separators_out_of_vietnamese_order(text):
    with pytest.raises(DecimalParseError):
        parse_decimal(text)


@pytest.mark.parametrize("text", ["1.250", "12.345.678", "-1.250", " 1.250 "])
def test_parse_typed_decimal_refuses_a_dot_that_may_group_thousands(text):
    assert is_ambiguous_thousands(text)
    with pytest.raises(AmbiguousDecimalError):
        parse_typed_decimal(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1250", Decimal(1250)),
        ("1,25", Decimal("1.25")),
        ("1.250,5", Decimal("1250.5")),
        ("12.5", Decimal("12.5")),
        ("1.2500", Decimal("1.25")),
        ("0.125", Decimal("0.125")),
    ],
)
def test_parse_typed_decimal_reads_unambiguous_text(text, expected):
    assert parse_typed_decimal(text) == expected
