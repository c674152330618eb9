"""Fuzzing the plan-file parser: any damaged tree gives PlanFileError, never a crash."""

from __future__ import annotations

import copy
import datetime
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from papitrack.lib.datafiles import read_csv_rows, read_yaml
from papitrack.plans.planfile import ParsedPlan, PlanFileError, parse_plan

PLAN_FILE = "qna-4055-2020.yaml"

# Values a hand-edited YAML file can hold where something else was meant.
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=datetime.date(1900, 1, 1)),
    st.sampled_from(
        [
            "",
            "44,33",
            "1.234,5",
            "1e999",
            "NaN",
            "level:commune",
            "group:nope",
            "overall",
            "D9-T99",
            "2020-02-30",
            unicodedata.normalize("NFD", "Hòa Vang"),
            "\x00",
        ]
    ),
    st.text(max_size=12),
    st.lists(st.sampled_from([None, 1, "x", "level:district", {}]), max_size=3),
    st.dictionaries(st.sampled_from(["date", "kind", "group", "score", "quarter"]), st.none()),
)


@cache
def plan_tree() -> Any:
    return read_yaml(Path(settings.DATA_DIR) / "plans" / PLAN_FILE)


@cache
def unit_codes() -> frozenset[str]:
    directory = Path(settings.DATA_DIR) / "orgunits"
    return frozenset(
        row["code"]
        for name in ("bodies.csv", "provinces.csv", "quang_nam_units.csv")
        for row in read_csv_rows(directory / name)
    )


def dimension_codes() -> dict[str, int]:
    targets = plan_tree()["targets"]
    return {t["dimension"]: i for i, t in enumerate(targets) if t["dimension"] != "overall"}


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


@cache
def all_paths() -> list[tuple[Any, ...]]:
    return [path for path in paths(plan_tree()) if path]


def damaged(edits: list[tuple[int, Any, bool]]) -> Any:
    """The plan tree with values replaced (or keys removed) at the chosen places."""
    tree = copy.deepcopy(plan_tree())
    for choice, value, remove in edits:
        path = all_paths()[choice % len(all_paths())]
        parent = tree
        try:
            for key in path[:-1]:
                parent = parent[key]
            if remove and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    return tree


def test_the_shipped_plan_file_parses():
    parsed = parse_plan(plan_tree(), unit_codes=unit_codes(), dimension_codes=dimension_codes())

    assert (parsed.code, len(parsed.tasks)) == ("QNA-4055-2020", 39)


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=10**6), ODD_VALUES, st.booleans()),
        min_size=1,
        max_size=6,
    )
)
def test_damaged_plan_file_gives_plan_file_error_or_a_plan(edits):
    errors: list[str] = []
    result = None
    try:
        result = parse_plan(
            damaged(edits), unit_codes=unit_codes(), dimension_codes=dimension_codes()
        )
    except PlanFileError as error:
        errors = error.errors

    assert isinstance(result, ParsedPlan) or errors
    assert all(isinstance(message, str) and message for message in errors)


@hypothesis_settings(max_examples=100, deadline=None)
@given(ODD_VALUES)
def test_any_root_value_gives_plan_file_error(value):
    with pytest.raises(PlanFileError):
        parse_plan(value, unit_codes=unit_codes(), dimension_codes=dimension_codes())
