"""The demo survey: a synthetic province-scale survey of Quảng Nam, imported and scored.

Built through the services from a seeded synthetic CSV, so demo data passes the same checks
as a real file. The same file is shipped as data/surveys/samples/quang-nam-2024-synthetic.csv
(for seed 42), so that `manage.py score_survey` on it prints the numbers the page shows.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.conf import settings

from papitrack.lib.datafiles import read_yaml
from papitrack.orgunits.enums import UnitKind
from papitrack.orgunits.models import OrgUnit
from papitrack.surveys.models import Survey
from papitrack.surveys.queries import DEFAULT_QUESTIONNAIRE, questionnaire_file
from papitrack.surveys.questionnaire import parse_questionnaire
from papitrack.surveys.services import import_survey_responses, load_questionnaire
from papitrack.surveys.synthetic import (
    RESPONSE_COLUMNS,
    CommuneFrame,
    DistrictFrame,
    generate_province_responses,
)

DEMO_PROVINCE = "49"
DEMO_YEAR = 2024
DEMO_NAME = "Khảo sát tự đánh giá 2024 (dữ liệu mô phỏng)"
DEMO_FILE = "quang-nam-2024-synthetic.csv"
POPULATION_FILE = "quang-nam-2024-synthetic.csv"
# Commune-level units whose names mark them urban (phường, thị trấn).
URBAN_PREFIXES = ("Phường", "Thị trấn")


def surveys_data_dir() -> Path:
    return Path(settings.DATA_DIR) / "surveys"


def province_frame(*, province: OrgUnit) -> list[DistrictFrame]:
    """Districts of a province in code order, each with its communes and their urban flag."""
    districts = OrgUnit.objects.filter(parent=province, kind=UnitKind.DISTRICT).order_by("code")
    communes = OrgUnit.objects.filter(parent__in=districts, kind=UnitKind.COMMUNE).order_by("code")
    by_district: dict[int, list[CommuneFrame]] = {}
    for commune in communes:
        by_district.setdefault(commune.parent_id or 0, []).append(
            CommuneFrame(code=commune.code, urban=commune.name.startswith(URBAN_PREFIXES))
        )
    return [
        DistrictFrame(code=district.code, communes=tuple(by_district.get(district.pk, [])))
        for district in districts
        if by_district.get(district.pk)
    ]


def responses_csv(rows: list[dict[str, str]], item_codes: tuple[str, ...]) -> bytes:
    """A response file as KoboToolbox would export it (UTF-8 with BOM, comma-separated)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=[*RESPONSE_COLUMNS, *item_codes], lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def demo_responses_file(*, seed: int = 42) -> bytes:
    """The synthetic response file of the demo survey for a seed."""
    questionnaire = parse_questionnaire(read_yaml(questionnaire_file(DEFAULT_QUESTIONNAIRE)))
    province = OrgUnit.objects.get(code=DEMO_PROVINCE)
    rows = generate_province_responses(questionnaire, province_frame(province=province), seed=seed)
    return responses_csv(rows, questionnaire.item_codes)


def build_demo_survey(*, seed: int = 42) -> Survey:
    """Load the default questionnaire and import, weight and score the Quảng Nam demo survey.

    Idempotent: running it again with the same seed changes nothing.
    """
    load_questionnaire(path=questionnaire_file(DEFAULT_QUESTIONNAIRE))
    population_path = surveys_data_dir() / "population" / POPULATION_FILE
    import_survey_responses(
        province=OrgUnit.objects.get(code=DEMO_PROVINCE),
        year=DEMO_YEAR,
        name=DEMO_NAME,
        questionnaire_version=DEFAULT_QUESTIONNAIRE,
        file_name=DEMO_FILE,
        content=demo_responses_file(seed=seed),
        population_file_name=POPULATION_FILE,
        population_content=population_path.read_bytes(),
        replicates=1000,
        seed=seed,
    )
    return Survey.objects.get(province__code=DEMO_PROVINCE, year=DEMO_YEAR, name=DEMO_NAME)
