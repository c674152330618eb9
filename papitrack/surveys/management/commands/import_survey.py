from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from papitrack.orgunits.models import OrgUnit
from papitrack.surveys.estimation import DEFAULT_REPLICATES, DEFAULT_SEED
from papitrack.surveys.progress import ProgressBar
from papitrack.surveys.queries import DEFAULT_QUESTIONNAIRE
from papitrack.surveys.services import import_survey_responses


class Command(BaseCommand):
    help = (
        "Nhập tệp trả lời (CSV/XLSX kiểu KoboToolbox) vào một đợt khảo sát rồi tính điểm; "
        "mọi lỗi được báo theo từng dòng và không ghi gì nếu có lỗi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--province", required=True, help="Mã tỉnh, ví dụ 49.")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--name", required=True, help="Tên đợt khảo sát.")
        parser.add_argument("--questionnaire", default=DEFAULT_QUESTIONNAIRE)
        parser.add_argument("--population", type=Path, default=None)
        parser.add_argument("--replicates", type=int, default=DEFAULT_REPLICATES)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        path = Path(str(options["file"]))
        population = options["population"]
        try:
            summary = import_survey_responses(
                province=OrgUnit.objects.get(code=options["province"]),
                year=int(str(options["year"])),
                name=str(options["name"]),
                questionnaire_version=str(options["questionnaire"]),
                file_name=path.name,
                content=path.read_bytes(),
                population_file_name=population.name if isinstance(population, Path) else "",
                population_content=(
                    population.read_bytes() if isinstance(population, Path) else None
                ),
                replicates=int(str(options["replicates"])),
                seed=int(str(options["seed"])),
                dry_run=bool(options["dry_run"]),
                progress=ProgressBar(self.stderr, f"Đọc {path.name}"),
            )
        except OrgUnit.DoesNotExist as error:
            raise CommandError(f"Không có tỉnh mã {options['province']}.") from error
        except OSError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(
            f"created={summary.created} updated={summary.updated} "
            f"unchanged={summary.unchanged} deleted={summary.deleted} "
            f"scored={'yes' if summary.scored else 'no'}"
            + (" (chạy thử, không ghi)" if summary.dry_run else "")
        )
