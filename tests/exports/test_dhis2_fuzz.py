"""Fuzzing the DHIS2 readers (issue 7, bad input): a mapping file or a data value set of any
shape is read or refused with a Vietnamese ValidationError, never another exception (the
import page and the API would answer it with a server error)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papitrack.exports.dhis2 import Dhis2Mapping, parse_mapping, read_payload

FUZZ = settings(
    max_examples=80, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(["2020Q4", "2020S2", "1.250", "1e999999999", "ABCDEFGHIJK", "CODE", "UID"]),
)
# Documents shaped like the real ones: the known keys, holding values of any kind.
KEYS = st.sampled_from(
    [
        "version",
        "id_scheme",
        "plan",
        "data_set",
        "data_elements",
        "org_units",
        "periods",
        "dataValues",
        "kpi",
        "field",
        "code",
        "uid",
        "dataElement",
        "period",
        "orgUnit",
        "value",
        "comment",
    ]
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=5)
    ),
    max_leaves=20,
)
# Past the first checks: a mapping of the right version, a payload with a list of values.
MAPPINGS = st.one_of(
    DOCUMENTS, st.dictionaries(KEYS, DOCUMENTS, max_size=6).map(lambda d: {**d, "version": 1})
)
PAYLOADS = st.one_of(
    DOCUMENTS,
    st.lists(st.dictionaries(KEYS, DOCUMENTS, max_size=6), max_size=4).map(
        lambda rows: {"dataValues": rows}
    ),
)


def refusal(read: Callable[[], Any]) -> tuple[Any, list[str]]:
    try:
        return read(), []
    except ValidationError as refused:
        return None, refused.messages


@FUZZ
@given(MAPPINGS)
def test_any_yaml_mapping_is_read_or_refused(document):
    mapping, errors = refusal(lambda: parse_mapping(yaml.safe_dump(document)))

    assert isinstance(mapping, Dhis2Mapping) != bool(errors)


@FUZZ
@given(st.text(max_size=300))
def test_any_text_as_mapping_is_read_or_refused(text):
    mapping, errors = refusal(lambda: parse_mapping(text))

    assert isinstance(mapping, Dhis2Mapping) != bool(errors)


@FUZZ
@given(PAYLOADS)
def test_any_json_payload_is_read_or_refused(document):
    values, errors = refusal(lambda: read_payload(json.dumps(document).encode()))

    assert isinstance(values, list) != bool(errors)


@FUZZ
@given(st.binary(max_size=500))
def test_any_bytes_as_payload_are_read_or_refused(content):
    values, errors = refusal(lambda: read_payload(content))

    assert isinstance(values, list) != bool(errors)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 1\norg_units: [a, b]\n", "org_units phải là bảng khóa–giá trị"),
        ("version: 1\nperiods: abc\n", "periods phải là bảng khóa–giá trị"),
        ("version: 1\ndata_elements: 5\n", "data_elements phải là danh sách"),
        ("[" * 100_000, "YAML lồng nhau quá sâu"),
    ],
)
def test_mapping_of_the_wrong_shape_is_refused_with_the_reason(text, message):
    with pytest.raises(ValidationError) as refused:
        parse_mapping(text)

    assert message in refused.value.messages[0]


def test_deeply_nested_json_is_refused():
    content = b'{"dataValues": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"

    with pytest.raises(ValidationError) as refused:
        read_payload(content)

    assert "JSON lồng nhau quá sâu" in refused.value.messages[0]
