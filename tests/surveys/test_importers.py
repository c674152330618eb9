"""Response and population files: accepted encodings and formats, and every kind of bad file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

from papitrack.surveys import importers
from papitrack.surveys.importers import (
    ResponseFileError,
    parse_population,
    parse_responses,
)
from papitrack.surveys.questionnaire import parse_questionnaire
from papitrack.surveys.synthetic import (
    RESPONSE_COLUMNS,
    CommuneFrame,
    DistrictFrame,
    generate_province_responses,
)

QUESTIONNAIRE_FILE = (
    Path(__file__).resolve().parents[2] / "data/surveys/questionnaires/papi-aligned-v1.yaml"
)
FRAME = {"901": frozenset({"90101", "90102"}), "902": frozenset({"90201", "90202"})}


@pytest.fixture(scope="module")
def questionnaire():
    return parse_questionnaire(yaml.safe_load(QUESTIONNAIRE_FILE.read_text(encoding="utf-8")))


@pytest.fixture
def rows(questionnaire):
    districts = [
        DistrictFrame(code, tuple(CommuneFrame(c, c.endswith("1")) for c in sorted(communes)))
        for code, communes in FRAME.items()
    ]
    return generate_province_responses(
        questionnaire, districts, seed=3, communes_per_district=2, villages_per_commune=1,
        respondents_per_village=2,
    )  # fmt: skip


def to_csv(rows, questionnaire, *, delimiter=",", columns=None) -> str:
    buffer = io.StringIO()
    fields = columns or [*RESPONSE_COLUMNS, *questionnaire.item_codes]
    writer = csv.DictWriter(
        buffer, fieldnames=fields, delimiter=delimiter, lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def parse(content: bytes, questionnaire, name: str = "responses.csv"):
    return parse_responses(
        content=content,
        file_name=name,
        questionnaire=questionnaire,
        province_code="90",
        communes_by_district=FRAME,
    )


def errors_of(content: bytes, questionnaire, name: str = "responses.csv") -> list[str]:
    with pytest.raises(ResponseFileError) as error:
        parse(content, questionnaire, name)
    return error.value.errors


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: text.encode("utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16"],
)
def test_accepted_encodings_give_the_same_responses(rows, questionnaire, encode):
    parsed = parse(encode(to_csv(rows, questionnaire)), questionnaire)
    reference = parse(to_csv(rows, questionnaire).encode(), questionnaire)
    assert parsed == reference
    assert [response.respondent_id for response in parsed] == ["R00001", "R00002", "R00003",
                                                                "R00004", "R00005", "R00006",
                                                                "R00007", "R00008"]  # fmt: skip
    assert parsed[0].answers == {k: v for k, v in rows[0].items() if k.startswith("q") and v}


def test_kobo_semicolons_group_prefixes_and_metadata_columns_are_understood(rows, questionnaire):
    for row in rows:
        row["_uuid"] = "abc"
        row["start"] = "2024-05-01"
    renamed = [f"grp_a/{code}" for code in questionnaire.item_codes]
    text = to_csv(
        rows,
        questionnaire,
        delimiter=";",
        columns=[*RESPONSE_COLUMNS, "_uuid", "start", *questionnaire.item_codes],
    )
    header, rest = text.split("\n", 1)
    header = header.replace(";".join(questionnaire.item_codes), ";".join(renamed))
    parsed = parse(f"{header}\n{rest}".encode(), questionnaire)
    assert len(parsed) == 8
    assert parsed == parse(to_csv(rows, questionnaire).encode(), questionnaire)


def test_xlsx_files_are_read(rows, questionnaire):
    workbook = Workbook()
    sheet = workbook.active
    columns = [*RESPONSE_COLUMNS, *questionnaire.item_codes]
    sheet.append(columns)
    for row in rows:
        sheet.append(
            [int(row[c]) if row[c].isdigit() and c.startswith("q") else row[c] for c in columns]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse(buffer.getvalue(), questionnaire, "kobo.xlsx")
    assert parsed == parse(to_csv(rows, questionnaire).encode(), questionnaire)


def test_undecodable_text_is_refused(questionnaire):
    assert errors_of(b"respondent_id\n\xc3\x28", questionnaire) == [importers.BAD_ENCODING]
    assert errors_of(b"\xff\xfer\x00e", questionnaire) == [importers.BAD_ENCODING]
    # Windows-1258 (old Vietnamese Windows files): "Đê" is not valid UTF-8.
    assert errors_of("respondent_id,Đê\n".encode("cp1258"), questionnaire) == [
        importers.BAD_ENCODING
    ]


def test_broken_xlsx_and_empty_files_are_refused(questionnaire):
    assert errors_of(b"PK\x03\x04broken", questionnaire, "a.xlsx")[0].startswith(
        "Tệp XLSX không mở được"
    )
    assert errors_of(b"", questionnaire) == [importers.EMPTY_FILE]
    assert errors_of(b"respondent_id,district\n", questionnaire) == [importers.EMPTY_FILE]


def test_missing_unknown_and_duplicate_columns_are_listed(rows, questionnaire):
    columns = [
        c for c in (*RESPONSE_COLUMNS, *questionnaire.item_codes) if c not in ("sex", "q2_2_a")
    ]
    text = to_csv(rows, questionnaire, columns=[*columns, "q9_9_z"])
    text = text.replace("q9_9_z", "q9_9_z,q1_1_a", 1)
    assert errors_of(text.encode(), questionnaire) == [
        "Cột «q1_1_a» xuất hiện hai lần.",
        "Thiếu cột bắt buộc: sex.",
        "Thiếu cột của các câu hỏi: q2_2_a (phiếu phiên bản papi-aligned-v1).",
        "Cột không thuộc phiếu phiên bản papi-aligned-v1: q9_9_z.",
    ]


def test_row_problems_are_reported_row_by_row_in_vietnamese(rows, questionnaire):
    rows[1]["respondent_id"] = rows[0]["respondent_id"]
    rows[2]["district"] = "999"
    rows[3]["commune"] = "90201"
    rows[4]["village"] = ""
    rows[4]["sex"] = "x"
    rows[5]["q1_1_a"] = "7"
    rows[6]["q5_1_0"] = "1"
    rows[6]["q5_1_b"] = "31"
    rows[7].update({"q5_2_0": "0", "q5_2_a": "1", "q5_2_b": "", "q5_2_c": "", "q5_2_d": ""})
    rows[7]["q5_2_e"] = ""
    rows[0]["q6_1_a"] = ""
    rows[0]["respondent_id"] = ""
    errors = errors_of(to_csv(rows, questionnaire).encode(), questionnaire)
    assert errors == [
        "Dòng 2: thiếu mã người trả lời (respondent_id).",
        "Dòng 4: mã huyện «999» không thuộc tỉnh 90.",
        "Dòng 5: mã xã «90201» không thuộc huyện 901.",
        "Dòng 6: thiếu thôn, tổ dân phố (đơn vị mẫu cấp 1).",
        "Dòng 6, cột sex: mã «x» không có trong danh mục (male, female).",
        "Dòng 7, câu q1_1_a: mã trả lời «7» không có trong thang (1, 0, 98).",
        "Dòng 8, câu q5_1_b: giá trị 31 nằm ngoài khoảng 1–30.",
        "Dòng 9, câu q5_2_a: có câu trả lời nhưng câu này chỉ hỏi khi câu q5_2_0 trả lời 1.",
    ]


def test_duplicate_respondent_ids_name_the_first_line(rows, questionnaire):
    rows[3]["respondent_id"] = rows[1]["respondent_id"]
    assert errors_of(to_csv(rows, questionnaire).encode(), questionnaire) == [
        "Dòng 5: mã người trả lời «R00002» trùng với dòng 3."
    ]


def test_number_answers_must_be_numbers_and_weights_positive(rows, questionnaire):
    rows[0]["q5_1_0"] = "1"
    rows[0]["q5_1_b"] = "hai"
    rows[1]["design_weight"] = "-3"
    columns = [*RESPONSE_COLUMNS, "design_weight", *questionnaire.item_codes]
    assert errors_of(to_csv(rows, questionnaire, columns=columns).encode(), questionnaire) == [
        "Dòng 2, câu q5_1_b: «hai» không phải là số.",
        "Dòng 3: trọng số thiết kế «-3» phải là số dương.",
    ]


def test_design_weights_must_be_all_or_nothing(rows, questionnaire):
    rows[0]["design_weight"] = "12.5"
    columns = [*RESPONSE_COLUMNS, "design_weight", *questionnaire.item_codes]
    assert errors_of(to_csv(rows, questionnaire, columns=columns).encode(), questionnaire) == [
        importers.PARTIAL_WEIGHTS
    ]


def test_too_many_errors_are_cut_with_a_count(rows, questionnaire):
    many = [dict(rows[0], respondent_id="") for _ in range(250)]
    errors = errors_of(to_csv(many, questionnaire).encode(), questionnaire)
    assert len(errors) == importers.MAX_REPORTED_ERRORS + 1
    assert errors[-1] == "… và 50 lỗi khác."


def population_file(lines: list[str]) -> bytes:
    return ("district,variable,category,population\n" + "\n".join(lines) + "\n").encode()


def test_population_table_is_read(questionnaire):
    rows = parse_population(
        content=population_file(
            ["901,sex,male,40", "901,sex,female,60", "901,age_group,18-29,100",
             "901,urban_rural,rural,100"]
        ),
        file_name="p.csv", questionnaire=questionnaire, province_code="90", districts=FRAME,
    )  # fmt: skip
    assert importers.population_margins(rows) == {
        "901": {
            "sex": {"male": 40.0, "female": 60.0},
            "age_group": {"18-29": 100.0},
            "urban_rural": {"rural": 100.0},
        }
    }


def test_bad_population_tables_are_reported(questionnaire):
    with pytest.raises(ResponseFileError) as error:
        parse_population(
            content=population_file(
                ["999,sex,male,1", "901,height,tall,1", "901,sex,other,1", "901,sex,male,-5",
                 "901,sex,male,40", "901,sex,male,41", "901,sex,female,60",
                 "901,age_group,18-29,90"]
            ),
            file_name="p.csv", questionnaire=questionnaire, province_code="90", districts=FRAME,
        )  # fmt: skip
    assert error.value.errors == [
        "Bảng dân số, dòng 2: huyện «999» không thuộc tỉnh 90.",
        "Bảng dân số, dòng 3: biến «height» không hợp lệ (sex, age_group, urban_rural).",
        "Bảng dân số, dòng 4: nhóm «other» không có trong danh mục (male, female).",
        "Bảng dân số, dòng 5: dân số «-5» phải là số không âm.",
        "Bảng dân số, dòng 7: trùng với dòng 6.",
        "Bảng dân số, huyện 901: tổng theo age_group (90) khác tổng theo giới tính (100).",
    ]
    with pytest.raises(ResponseFileError, match="thiếu cột: population"):
        parse_population(
            content=b"district,variable,category\n901,sex,male\n",
            file_name="p.csv", questionnaire=questionnaire, province_code="90", districts=FRAME,
        )  # fmt: skip
