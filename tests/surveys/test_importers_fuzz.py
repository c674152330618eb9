"""Fuzzing the survey importers (issue 7, bad input): whatever the file, the answer is the
parsed rows or a ResponseFileError with Vietnamese reasons, never another exception (which
the import page would show as a server error)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papitrack.surveys.importers import (
    BAD_CSV,
    POPULATION_BAD_NUMBER,
    ResponseFileError,
    parse_population,
    parse_responses,
    read_rows,
)
from papitrack.surveys.questionnaire import parse_questionnaire
from papitrack.surveys.synthetic import (
    RESPONSE_COLUMNS,
    CommuneFrame,
    DistrictFrame,
    generate_province_responses,
)

QUESTIONNAIRE = parse_questionnaire(
    yaml.safe_load(
        (
            Path(__file__).resolve().parents[2] / "data/surveys/questionnaires/papi-aligned-v1.yaml"
        ).read_text(encoding="utf-8")
    )
)
FRAME = {"901": frozenset({"90101", "90102"}), "902": frozenset({"90201", "90202"})}
VALID_ROWS = generate_province_responses(
    QUESTIONNAIRE,
    [
        DistrictFrame(code, tuple(CommuneFrame(c, c.endswith("1")) for c in sorted(communes)))
        for code, communes in FRAME.items()
    ],
    seed=3,
    communes_per_district=2,
    villages_per_commune=1,
    respondents_per_village=2,
)
COLUMNS = [*RESPONSE_COLUMNS, *QUESTIONNAIRE.item_codes]
FUZZ = settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)

# Cells people and tools really produce, and some that only attackers do.
TRICKY_CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "1.250",
            "1,5",
            "1e999999999",
            "-1",
            "NaN",
            "inf",
            '=HYPERLINK("x")',
            "Duy Phú",
            "Duy Phu\u0301",
            '"',
            "\x00",
            "9" * 400,
        ]
    ),
    st.text(max_size=30),
)


def to_csv(rows: list[dict[str, str]], *, delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=COLUMNS, delimiter=delimiter, lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def outcome(read: Callable[[], Sequence[Any]]) -> tuple[Sequence[Any], list[str]]:
    """What the importer returned, or the reasons it gave."""
    try:
        return read(), []
    except ResponseFileError as refused:
        return [], list(refused.errors)


def assert_read_or_refused(result: Sequence[Any], errors: list[str]) -> None:
    assert bool(result) != bool(errors)  # rows, or reasons: never neither, never both
    assert all(isinstance(error, str) and error for error in errors)


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["tra-loi.csv", "tra-loi.xlsx"]))
def test_any_bytes_are_rows_or_a_file_error(content, name):
    rows, errors = outcome(lambda: read_rows(content, name))

    assert all(isinstance(cell, str) for row in rows for cell in row)
    assert all(isinstance(error, str) and error for error in errors)


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(0, len(VALID_ROWS) - 1), st.sampled_from(COLUMNS), TRICKY_CELLS),
        max_size=8,
    ),
    st.sampled_from([",", ";", "\t"]),
)
def test_a_valid_file_with_any_cells_changed_is_read_or_refused_with_reasons(changes, delimiter):
    rows = [dict(row) for row in VALID_ROWS]
    for index, column, value in changes:
        rows[index][column] = value

    content = to_csv(rows, delimiter=delimiter)

    parsed, errors = outcome(
        lambda: parse_responses(
            content=content,
            file_name="tra-loi.csv",
            questionnaire=QUESTIONNAIRE,
            province_code="49",
            communes_by_district=FRAME,
        )
    )

    assert_read_or_refused(parsed, errors)


@FUZZ
@given(st.lists(st.lists(TRICKY_CELLS, max_size=6), max_size=6))
def test_population_tables_of_any_shape_are_read_or_refused(table):
    content = "\n".join(
        ["district,variable,category,population", *(",".join(row) for row in table)]
    )
    parsed, errors = outcome(
        lambda: parse_population(
            content=content.encode(),
            file_name="dan-so.csv",
            questionnaire=QUESTIONNAIRE,
            province_code="49",
            districts=set(FRAME),
        )
    )

    assert_read_or_refused(parsed, errors)


def test_a_cell_over_the_csv_field_limit_is_a_file_error():
    content = b'respondent_id,district\n"' + b"x" * 200_000 + b'",901\n'

    with pytest.raises(ResponseFileError) as refused:
        read_rows(content, "tra-loi.csv")

    assert refused.value.errors == [
        BAD_CSV.format(problem="field larger than field limit (131072)")
    ]


def test_an_absurdly_large_population_is_refused_not_overflowed():
    content = b"district,variable,category,population\n901,sex,male,1e999999999\n"

    with pytest.raises(ResponseFileError) as refused:
        parse_population(
            content=content,
            file_name="dan-so.csv",
            questionnaire=QUESTIONNAIRE,
            province_code="49",
            districts=set(FRAME),
        )

    assert POPULATION_BAD_NUMBER.format(line=2, value="1e999999999") in refused.value.errors
