"""Fuzzing the evidence checker: any bytes give a CheckedFile or a ValidationError."""

from __future__ import annotations

import io
import unicodedata
from functools import cache

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook

from papitrack.reports.evidence import CheckedFile, check_evidence_file, sanitise_filename

MAGIC = [b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"PK\x03\x04", b""]


@cache
def xlsx() -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "Biên bản"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@st.composite
def damaged_files(draw: st.DrawFn) -> bytes:
    base = bytearray(draw(st.sampled_from([xlsx(), *MAGIC])))
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        position = draw(st.integers(min_value=0, max_value=max(len(base) - 1, 0)))
        action = draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "flip" and base:
            base[position] = draw(st.integers(min_value=0, max_value=255))
        elif action == "cut":
            del base[position : position + draw(st.integers(min_value=1, max_value=64))]
        else:
            base[position:position] = draw(st.binary(min_size=1, max_size=16))
    return bytes(base)


def check(content: bytes) -> CheckedFile | list[str]:
    try:
        return check_evidence_file(name="minh-chung.xlsx", content=content)
    except ValidationError as error:
        return error.messages


@hypothesis_settings(max_examples=400, deadline=None)
@given(damaged_files())
def test_damaged_files_are_accepted_by_content_or_refused_with_a_message(content):
    result = check(content)

    if isinstance(result, CheckedFile):
        assert result.extension in {"pdf", "png", "jpg", "docx", "xlsx"}
        assert result.size == len(content)
    else:
        assert result
        assert all(message.startswith("Tệp") for message in result)


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes_never_crash_the_checker(content):
    assert check(content) is not None


def test_an_xlsx_renamed_to_pdf_is_still_judged_by_its_content():
    assert check_evidence_file(name="bao-cao.pdf", content=xlsx()).extension == "xlsx"
    with pytest.raises(ValidationError):
        check_evidence_file(name="bao-cao.xlsx", content=b"MZ\x90\x00 not a spreadsheet")


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_sanitised_names_have_no_folders_controls_or_nfd(name):
    safe = sanitise_filename(name)

    assert safe
    assert len(safe) <= 150
    assert "/" not in safe
    assert "\\" not in safe
    assert safe not in {".", ".."}
    assert not any(ord(char) < 32 or ord(char) == 127 for char in safe)
    assert unicodedata.normalize("NFC", safe) == safe
