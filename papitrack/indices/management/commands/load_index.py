from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from papitrack.indices.services import load_index_framework


class Command(BaseCommand):
    help = "Load an index framework file (dimensions, sub-dimensions, group rules)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", default=str(settings.DATA_DIR / "indices" / "papi.yaml")
        )

    def handle(self, *args: object, **options: str) -> None:
        index = load_index_framework(path=Path(options["file"]))
        self.stdout.write(f"Đã nạp chỉ số {index.code}: {index.dimensions.count()} mục.")
