from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from papitrack.lib.datafiles import DataFileError
from papitrack.plans.planfile import PlanFileError
from papitrack.plans.services import load_plan


class Command(BaseCommand):
    help = "Validate a plan file and load it; refuse bad files with every problem listed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: object, **options: str) -> None:
        path = Path(options["file"])
        try:
            result = load_plan(path=path)
        except PlanFileError as error:
            raise CommandError(
                f"Tệp {path.name} không hợp lệ, chưa nạp gì:\n- " + "\n- ".join(error.errors)
            ) from error
        except (DataFileError, OSError) as error:
            raise CommandError(str(error)) from error
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"Cảnh báo: {warning}"))
        self.stdout.write(
            f"Đã nạp kế hoạch {result.plan.number}: {result.plan.tasks.count()} nhiệm vụ."
        )
