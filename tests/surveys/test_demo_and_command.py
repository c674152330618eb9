"""The demo survey, the shipped sample file, and `manage.py score_survey` against the page."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from papitrack.surveys.demo import DEMO_FILE, POPULATION_FILE, demo_responses_file
from papitrack.surveys.models import Estimate

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.DATA_DIR) / "surveys" / "samples" / DEMO_FILE
POPULATION = Path(settings.DATA_DIR) / "surveys" / "population" / POPULATION_FILE


def test_shipped_sample_file_is_the_generator_output_for_seed_42(demo_survey):
    assert SAMPLE.read_bytes() == demo_responses_file(seed=42)


def test_demo_survey_has_estimates_with_intervals_for_every_district(demo_survey):
    assert demo_survey.respondent_count == 1728
    assert demo_survey.weighting_method == "raked"
    overall = Estimate.objects.filter(survey=demo_survey, level="overall").select_related("unit")
    units = {row.unit.code for row in overall}
    assert units == {"49", *(str(code) for code in range(502, 520))}
    for row in overall:
        assert row.status == "ok"
        assert Decimal(8) <= row.ci_low < row.estimate < row.ci_high <= Decimal(80)


def test_command_prints_the_numbers_the_page_stores(demo_survey):
    out = StringIO()
    call_command(
        "score_survey",
        str(SAMPLE),
        "--population",
        str(POPULATION),
        "--seed",
        "42",
        "--replicates",
        "1000",
        "--format",
        "json",
        stdout=out,
        stderr=StringIO(),
    )
    payload = json.loads(out.getvalue())
    stored = {
        (row.unit.code, row.level, row.code): row
        for row in Estimate.objects.filter(survey=demo_survey).select_related("unit")
    }
    assert len(payload["estimates"]) == len(stored) == 19 * (76 + 28 + 8 + 1)
    for row in payload["estimates"]:
        expected = stored[(row["domain"], row["level"], row["code"])]
        for field in ("estimate", "std_error", "ci_low", "ci_high"):
            value = getattr(expected, field)
            assert row[field] == (None if value is None else format(value, "f")), row
        assert row["n"] == expected.respondents
    assert payload["estimates"][0]["level"] == "overall"
    assert payload["weighting"]["method"] == "raked"


def test_command_table_lists_every_level(demo_survey):
    out = StringIO()
    call_command("score_survey", str(SAMPLE), "--replicates", "100", stdout=out, stderr=StringIO())
    text = out.getvalue()
    overall = next(line for line in text.splitlines() if line.startswith("49       overall"))
    assert overall.split()[-1] == "ok"
    assert "estimate" in text
    assert "ci_low" in text
    assert "ci_high" in text
    assert any(line.startswith("519      indicator     q8_2_b") for line in text.splitlines())


def test_command_reports_file_problems(tmp_path: Path, demo_survey):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(SAMPLE.read_bytes().replace(b"\nR00002,", b"\nR00001,", 1))
    with pytest.raises(CommandError, match="trùng với dòng 2"):
        call_command("score_survey", str(bad), stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="Không có phiếu khảo sát phiên bản"):
        call_command(
            "score_survey", str(SAMPLE), "--questionnaire", "nope", stdout=StringIO(),
            stderr=StringIO(),
        )  # fmt: skip


def test_import_command_is_idempotent(demo_survey, tmp_path: Path):
    out = StringIO()
    call_command(
        "import_survey",
        str(SAMPLE),
        "--province", "49", "--year", "2024",
        "--name", demo_survey.name,
        "--population", str(POPULATION),
        stdout=out,
        stderr=StringIO(),
    )  # fmt: skip
    assert out.getvalue().strip() == "created=0 updated=0 unchanged=1728 deleted=0 scored=no"
