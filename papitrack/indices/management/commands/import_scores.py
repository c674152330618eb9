from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from papitrack.indices.services import import_published_scores


class Command(BaseCommand):
    help = (
        "Import published scores from CSV files (province, year, dimension, score, optional "
        "ci_low, ci_high, std_error, status). Each file is all-or-nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+")
        parser.add_argument("--index", default="PAPI")
        parser.add_argument("--source", default="")

    def handle(self, *args: object, **options: object) -> None:
        for name in options["files"]:  # type: ignore[attr-defined]
            path = Path(name)
            try:
                result = import_published_scores(
                    index_code=str(options["index"]),
                    path=path,
                    source=str(options["source"]) or path.name,
                )
            except ValidationError as error:
                raise CommandError(
                    f"{path.name}: không nhập được, không có dòng nào được ghi.\n"
                    + "\n".join(error.messages)
                ) from error
            self.stdout.write(
                f"{path.name}: thêm {result.created}, cập nhật {result.updated}, "
                f"giữ nguyên {result.unchanged}."
            )
