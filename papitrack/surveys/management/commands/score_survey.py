import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from papitrack.orgunits.models import OrgUnit
from papitrack.surveys.estimation import DEFAULT_REPLICATES, DEFAULT_SEED, ScoringError
from papitrack.surveys.formatting import result_payload, result_table
from papitrack.surveys.importers import ResponseFileError
from papitrack.surveys.progress import ProgressBar
from papitrack.surveys.queries import (
    DEFAULT_QUESTIONNAIRE,
    SurveyLookupError,
    district_codes_in_file,
    get_questionnaire,
    province_of_districts,
    score_response_file,
)


class Command(BaseCommand):
    help = (
        "Tính điểm ước lượng kèm khoảng tin cậy 95% từ tệp trả lời (CSV/XLSX), cho tỉnh và "
        "từng huyện, không ghi gì vào cơ sở dữ liệu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--questionnaire", default=DEFAULT_QUESTIONNAIRE)
        parser.add_argument("--population", type=Path, default=None)
        parser.add_argument("--province", default=None, help="Mã tỉnh; mặc định suy từ mã huyện.")
        parser.add_argument("--replicates", type=int, default=DEFAULT_REPLICATES)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--format", choices=("json", "table"), default="table")

    def handle(self, *args: object, **options: object) -> None:
        path = Path(str(options["file"]))
        population = options["population"]
        replicates = int(str(options["replicates"]))
        if replicates < 2:
            raise CommandError("Số lần lặp bootstrap phải từ 2 trở lên.")
        try:
            content = path.read_bytes()
            population_content = population.read_bytes() if isinstance(population, Path) else None
            questionnaire = get_questionnaire(str(options["questionnaire"]))
            province = (
                OrgUnit.objects.get(code=options["province"])
                if options["province"]
                else province_of_districts(
                    district_codes_in_file(content=content, file_name=path.name)
                )
            )
            result = score_response_file(
                content=content,
                file_name=path.name,
                questionnaire=questionnaire,
                province=province,
                population_content=population_content,
                population_file_name=population.name if isinstance(population, Path) else "",
                replicates=replicates,
                seed=int(str(options["seed"])),
                progress=ProgressBar(self.stderr, f"Đọc {path.name}"),
            )
        except (OSError, OrgUnit.DoesNotExist, SurveyLookupError, ScoringError) as error:
            raise CommandError(str(error)) from error
        except ResponseFileError as error:
            raise CommandError("\n".join(error.errors)) from error
        if options["format"] == "json":
            payload = result_payload(
                result,
                file=path.name,
                questionnaire=questionnaire.version,
                province=province.code,
                population=population.name if isinstance(population, Path) else None,
            )
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(result_table(result))
