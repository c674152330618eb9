"""Questionnaire versions, atomic and idempotent imports, stored estimates."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError

from papitrack.orgunits.models import OrgUnit
from papitrack.surveys.demo import province_frame, responses_csv
from papitrack.surveys.enums import EstimateLevel, QuestionnaireStatus
from papitrack.surveys.models import DomainWeight, Estimate, Questionnaire, Response, Survey
from papitrack.surveys.queries import get_questionnaire, questionnaire_file
from papitrack.surveys.services import (
    PUBLISHED_IS_FROZEN,
    import_survey_responses,
    load_questionnaire,
)
from papitrack.surveys.synthetic import generate_province_responses

pytestmark = pytest.mark.django_db

VERSION = "papi-aligned-v1"


@pytest.fixture
def questionnaire_row():
    return load_questionnaire(path=questionnaire_file(VERSION))


@pytest.fixture
def province():
    return OrgUnit.objects.get(code="49")


@pytest.fixture
def small_rows(questionnaire_row, province):
    frame = province_frame(province=province)[:3]
    return generate_province_responses(
        get_questionnaire(VERSION),
        frame,
        seed=9,
        villages_per_commune=1,
        respondents_per_village=10,
    )


def content_of(rows) -> bytes:
    return responses_csv(rows, get_questionnaire(VERSION).item_codes)


def run_import(province, content: bytes, **options):
    return import_survey_responses(
        province=province,
        year=2024,
        name="Thử nghiệm",
        questionnaire_version=VERSION,
        file_name="test.csv",
        content=content,
        replicates=50,
        seed=1,
        **options,
    )


def database_dump() -> str:
    tables = []
    for model in (Survey, Response, DomainWeight, Estimate):
        rows = model.objects.order_by("pk").values()
        tables.append([{k: str(v) for k, v in row.items()} for row in rows])
    return hashlib.sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()


def test_loading_the_default_questionnaire_maps_every_subdimension(questionnaire_row):
    assert questionnaire_row.status == QuestionnaireStatus.PUBLISHED
    assert questionnaire_row.index.code == "PAPI"
    parsed = get_questionnaire(VERSION)
    assert len(parsed.items) == 84
    assert len(parsed.scored_items) == 76
    assert [d.k for d in parsed.dimensions] == [4, 4, 3, 4, 4, 4, 3, 2]
    again = load_questionnaire(path=questionnaire_file(VERSION))
    assert again.pk == questionnaire_row.pk
    assert again.checksum == questionnaire_row.checksum


def test_a_published_version_cannot_be_changed(questionnaire_row, tmp_path: Path):
    data = yaml.safe_load(questionnaire_file(VERSION).read_text(encoding="utf-8"))
    data["items"][0]["text_vi"] = "Câu hỏi đã sửa?"
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        load_questionnaire(path=changed)
    assert error.value.messages == [PUBLISHED_IS_FROZEN.format(version=VERSION)]
    assert Questionnaire.objects.get(version=VERSION).checksum == questionnaire_row.checksum


def test_a_questionnaire_must_name_real_subdimensions(tmp_path: Path, db):
    data = yaml.safe_load(questionnaire_file(VERSION).read_text(encoding="utf-8"))
    data["version"] = "test-bad"
    data["dimensions"][7]["subdimensions"] = ["8.1", "8.2", "8.9"]
    data["items"][-1]["subdimension"] = "8.9"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        load_questionnaire(path=path)
    assert error.value.messages == [
        "Phiếu «test-bad»: «8.9» không phải chỉ số nội dung thành phần của «egovernance»."
    ]


def test_import_stores_raw_answers_with_their_version_and_scores(province, small_rows):
    summary = run_import(province, content_of(small_rows))
    assert (summary.created, summary.updated, summary.unchanged, summary.deleted) == (
        len(small_rows), 0, 0, 0,
    )  # fmt: skip
    survey = Survey.objects.get(pk=summary.survey_id)
    response = survey.responses.get(respondent_id="R00001")
    assert response.questionnaire.version == VERSION
    assert response.answers == {
        key: value for key, value in small_rows[0].items() if key.startswith("q") and value
    }
    assert survey.respondent_count == len(small_rows)
    assert survey.weighting_method == "equal"
    districts = {row["district"] for row in small_rows}
    assert set(survey.domain_weights.values_list("unit__code", flat=True)) == districts | {"49"}
    overall = Estimate.objects.get(
        survey=survey, unit=province, level=EstimateLevel.OVERALL, code="overall"
    )
    assert overall.dimension.code == "overall"
    assert overall.ci_low <= overall.estimate <= overall.ci_high
    sub = Estimate.objects.get(survey=survey, unit=province, level="subdimension", code="2.2")
    assert (sub.subdimension.code, sub.dimension.code) == ("2.2", "transparency")


def test_reimporting_the_same_file_changes_nothing(province, small_rows):
    run_import(province, content_of(small_rows))
    before = database_dump()
    summary = run_import(province, content_of(small_rows))
    assert (summary.created, summary.updated, summary.deleted, summary.scored) == (0, 0, 0, False)
    assert summary.unchanged == len(small_rows)
    assert database_dump() == before


def test_a_bad_row_aborts_the_whole_import(province, small_rows):
    small_rows[5]["q1_1_a"] = "5"
    with pytest.raises(ValidationError) as error:
        run_import(province, content_of(small_rows))
    assert error.value.messages == [
        "Dòng 7, câu q1_1_a: mã trả lời «5» không có trong thang (1, 0, 98)."
    ]
    assert not Survey.objects.filter(name="Thử nghiệm").exists()
    assert not Response.objects.filter(survey__name="Thử nghiệm").exists()


def test_a_corrected_file_updates_and_deletes_respondents(province, small_rows):
    run_import(province, content_of(small_rows))
    changed = [dict(row) for row in small_rows[1:]]
    changed[0]["q1_1_a"] = "0" if changed[0]["q1_1_a"] != "0" else "1"
    summary = run_import(province, content_of(changed))
    assert (summary.created, summary.updated, summary.deleted, summary.scored) == (0, 1, 1, True)
    survey = Survey.objects.get(pk=summary.survey_id)
    assert survey.respondent_count == len(changed)


def test_dry_run_checks_and_counts_but_writes_nothing(province, small_rows):
    summary = run_import(province, content_of(small_rows), dry_run=True)
    assert (summary.created, summary.dry_run, summary.survey_id) == (len(small_rows), True, None)
    assert not Survey.objects.filter(name="Thử nghiệm").exists()


def test_population_table_rakes_weights_to_district_totals(province, small_rows):
    districts = sorted({row["district"] for row in small_rows})
    lines = ["district,variable,category,population"]
    for code in districts:
        mine = [row for row in small_rows if row["district"] == code]
        for variable in ("sex", "age_group", "urban_rural"):
            counts = Counter(row[variable] for row in mine)
            # 100 people per respondent, with men 10% more numerous than in the sample.
            tilt = (
                {"male": 110, "female": 100 - 10 * counts["male"] / counts["female"]}
                if variable == "sex"
                else {}
            )
            lines += [
                f"{code},{variable},{category},{count * tilt.get(category, 100):.4f}"
                for category, count in sorted(counts.items())
            ]
    summary = run_import(
        province,
        content_of(small_rows),
        population_file_name="pop.csv",
        population_content="\n".join(lines).encode(),
    )
    survey = Survey.objects.get(pk=summary.survey_id)
    assert survey.weighting_method == "raked"
    totals = dict(survey.domain_weights.values_list("unit__code", "weight_total"))
    sizes = Counter(row["district"] for row in small_rows)
    assert {code: round(total) for code, total in totals.items()} == {
        **{code: 100 * sizes[code] for code in districts},
        "49": 100 * len(small_rows),
    }
    men = sum(1 for response in survey.responses.all() if response.sex == "male")
    assert men < len(small_rows)


def test_import_refuses_a_unit_that_is_not_a_province(small_rows):
    district = OrgUnit.objects.get(code="502")
    with pytest.raises(ValidationError, match="không phải là tỉnh"):
        run_import(district, content_of(small_rows))
