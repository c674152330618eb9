"""Fuzzing the published-score CSV importer: bad files raise a message and write nothing."""

from __future__ import annotations

import csv
import io
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from papitrack.indices.models import PublishedScore
from papitrack.indices.services import import_published_scores
from papitrack.lib.datafiles import DataFileError

pytestmark = pytest.mark.django_db

CELLS = {
    "province": [
        "Quảng Nam",
        unicodedata.normalize("NFD", "Quảng Nam"),
        "49",
        "quang nam",
        "",
        "Atlantis",
        " Hà Nội ",
    ],
    "year": ["2019", "2020", "", "²", "１９", "1989", "2101", "2020.0", "9" * 30],
    "dimension": ["overall", "egovernance", "EGOVERNANCE", "", "x"],
    "score": [
        "44,33",
        "44.33",
        "",
        "NaN",
        "1e999",
        "-1",
        "1.234,5",
        "abc",
        "7",
        "Infinity",
        "1" * 40,
    ],
    "ci_low": ["", "40", "45", "x", "1e-999"],
    "ci_high": ["", "50", "43", "1e999"],
    "std_error": ["", "0,5", "-", "1e400", "0.12345678901"],
    "status": ["", "published", "x", "missing"],
}
REQUIRED = ["province", "year", "dimension", "score"]
OPTIONAL = ["ci_low", "ci_high", "std_error", "status"]


@st.composite
def score_files(draw: st.DrawFn) -> bytes:
    columns = REQUIRED + draw(st.lists(st.sampled_from(OPTIONAL), unique=True, max_size=4))
    if draw(st.booleans()) and draw(st.booleans()):
        columns.remove(draw(st.sampled_from(REQUIRED)))
    rows = draw(
        st.lists(
            st.fixed_dictionaries({column: st.sampled_from(CELLS[column]) for column in columns}),
            max_size=5,
        )
    )
    if rows and draw(st.booleans()):
        rows.append(rows[0])  # a duplicate row
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])))


def snapshot() -> list[tuple]:
    return list(PublishedScore.objects.order_by("pk").values_list())


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=score_files())
def test_score_files_import_or_fail_with_a_message_writing_nothing(content, tmp_path):
    path = tmp_path / "scores.csv"
    path.write_bytes(content)
    before = snapshot()

    try:
        import_published_scores(index_code="PAPI", path=path, source="fuzz")
    except (ValidationError, DataFileError) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        assert all(message for message in messages)
        assert snapshot() == before


def test_unicode_digits_in_the_year_are_refused(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text('province,year,dimension,score\nQuảng Nam,²,overall,"44,33"\n')

    with pytest.raises(ValidationError) as refused:
        import_published_scores(index_code="PAPI", path=path)

    assert refused.value.messages == ["Dòng 2: năm «²» không hợp lệ."]


def test_numbers_too_long_for_the_column_are_refused(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("province,year,dimension,score,std_error\nQuảng Nam,2020,overall,44,1e400\n")

    with pytest.raises(ValidationError) as refused:
        import_published_scores(index_code="PAPI", path=path)

    assert refused.value.messages == ["Dòng 2, cột std_error: «1e400» không phải là số."]
