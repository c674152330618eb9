"""Counts and sums of counts read back without Django's per-value converters.

Both databases return integers for them, and Django would otherwise call int() on every
value of every row: a national read has ~100,000 (a quarter of its time in Python). The
plain `Field` output is what carries no converter.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Field, Sum


def plain_count(expression: Any, **options: Any) -> Count:
    return Count(expression, output_field=Field(), **options)


def plain_sum(expression: Any, **options: Any) -> Sum:
    """A sum of counts (never of decimals, whose Decimal conversion is needed)."""
    return Sum(expression, output_field=Field(), **options)
