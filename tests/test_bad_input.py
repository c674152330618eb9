"""Bad input (quality R4): XML and zip bombs, unsafe archive names, NFC/NFD text."""

from __future__ import annotations

import io
import stat
import time
import unicodedata
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from papitrack.lib.archives import ArchiveError, check_zip
from papitrack.reports.evidence import ZIP_BOMB, check_evidence_file
from papitrack.surveys.importers import ResponseFileError, read_rows

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{level} "{("&lol;" if level == 1 else f"&lol{level - 1};") * 10}">'
        for level in range(1, 10)
    )
    + "]>"
)


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "huyen"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_zip(content: bytes, replace: dict[str, bytes], add: dict[str, bytes] | None = None):
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, replace.get(item.filename, source.read(item.filename)))
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return output.getvalue()


def test_openpyxl_parses_xml_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_billion_laughs_in_an_uploaded_xlsx_is_refused_quickly():
    original = xlsx_bytes()
    sheet = zipfile.ZipFile(io.BytesIO(original)).read("xl/worksheets/sheet1.xml").decode()
    body = sheet.split("?>", 1)[-1].replace("<t>huyen</t>", "<t>&lol9;</t>")
    bomb = rewrite_zip(original, {"xl/worksheets/sheet1.xml": (BILLION_LAUGHS + body).encode()})
    started = time.perf_counter()

    with pytest.raises(ResponseFileError):
        read_rows(bomb, "tra-loi.xlsx")

    assert time.perf_counter() - started < 5


def test_zip_bomb_disguised_as_xlsx_is_refused_before_openpyxl_opens_it():
    bomb = rewrite_zip(xlsx_bytes(), {}, add={"xl/media/padding.bin": b"\0" * (30 * 1024 * 1024)})

    with pytest.raises(ResponseFileError) as refused:
        read_rows(bomb, "tra-loi.xlsx")

    assert "giải ra quá lớn" in refused.value.errors[0]


@pytest.mark.parametrize("name", ["../../etc/cron.d/x", "/etc/passwd", "C:/Windows/x.dll"])
def test_archive_entries_with_unsafe_paths_are_refused(name):
    content = rewrite_zip(xlsx_bytes(), {}, add={name: b"x"})

    with pytest.raises(ArchiveError):
        check_zip(content)
    with pytest.raises(ValidationError) as refused:
        check_evidence_file(name="bao-cao.xlsx", content=content)
    assert refused.value.messages == [ZIP_BOMB.format(name="bao-cao.xlsx")]


def test_archive_with_a_symbolic_link_is_refused():
    link = zipfile.ZipInfo("xl/media/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(link, "/etc/passwd")

    with pytest.raises(ArchiveError):
        check_zip(output.getvalue())


def test_ordinary_xlsx_passes_the_archive_check():
    assert check_zip(xlsx_bytes()) is None
    assert read_rows(xlsx_bytes(), "tra-loi.xlsx") == [["huyen"]]


# --- NFC and NFD ----------------------------------------------------------------------------


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Điện Bàn", "Duy Phú", "Hội An"])
def test_unit_search_treats_nfd_like_nfc(coordinator_client, query):
    url = reverse("web:unit_list")

    composed = coordinator_client.get(url, {"q": unicodedata.normalize("NFC", query)})
    decomposed = coordinator_client.get(url, {"q": nfd(query)})

    assert nfd(query) != query
    assert [unit.code for unit in decomposed.context["results"]] == [
        unit.code for unit in composed.context["results"]
    ]
    assert composed.context["results"]


@pytest.mark.django_db
def test_task_search_treats_nfd_like_nfc(coordinator_client, plan):
    url = reverse("web:task_list", args=[plan.pk])

    composed = coordinator_client.get(url, {"q": "hộ nghèo"})
    decomposed = coordinator_client.get(url, {"q": nfd("hộ nghèo")})

    keys = [task.key for task in composed.context["tasks"]]
    assert keys
    assert [task.key for task in decomposed.context["tasks"]] == keys


# --- decimal commas --------------------------------------------------------------------------


@pytest.mark.django_db
def test_population_table_reads_vietnamese_number_notation(settings):
    from pathlib import Path

    from papitrack.lib.datafiles import read_yaml
    from papitrack.surveys.importers import parse_population
    from papitrack.surveys.queries import DEFAULT_QUESTIONNAIRE, questionnaire_file
    from papitrack.surveys.questionnaire import parse_questionnaire

    questionnaire = parse_questionnaire(read_yaml(questionnaire_file(DEFAULT_QUESTIONNAIRE)))
    path = Path(settings.DATA_DIR) / "surveys" / "population" / "quang-nam-2024-synthetic.csv"
    header, first, *rest = path.read_text(encoding="utf-8").splitlines()
    district, variable, category, population = first.split(",")
    # 41710 as a spreadsheet in Vietnamese typing shows it: "41.710,0".
    thousands, units = divmod(int(population), 1000)
    typed = f'{district},{variable},{category},"{thousands}.{units:03d},0"'

    rows = parse_population(
        content="\n".join([header, typed, *rest]).encode(),
        file_name="dan-so.csv",
        questionnaire=questionnaire,
        province_code="49",
        districts={line.split(",")[0] for line in rest},
    )

    assert (rows[0].district, rows[0].population) == (district, int(population))
