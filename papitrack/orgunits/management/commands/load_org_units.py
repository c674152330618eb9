from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from papitrack.orgunits.services import load_org_units


class Command(BaseCommand):
    help = "Load provinces, the province's bodies, districts, communes and the 2025 mapping."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--directory", default=str(settings.DATA_DIR / "orgunits"))

    def handle(self, *args: object, **options: str) -> None:
        result = load_org_units(directory=Path(options["directory"]))
        self.stdout.write(f"Đã nạp {result.units} đơn vị và {result.changes} thay đổi.")
        # A unit that moved regroups the plans' stored roll-ups (by name: orgunits does not
        # import monitoring). Without plans yet, nothing to do.
        call_command("rebuild_rollups", stdout=self.stdout)
