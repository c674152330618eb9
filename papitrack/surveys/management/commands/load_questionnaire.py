from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from papitrack.surveys.services import load_questionnaire


class Command(BaseCommand):
    help = "Nạp một phiên bản phiếu khảo sát (YAML); phiên bản đã ban hành không sửa được."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: object, **options: object) -> None:
        try:
            questionnaire = load_questionnaire(path=Path(str(options["file"])))
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(f"Phiếu {questionnaire.version}: {questionnaire.get_status_display()}.")
