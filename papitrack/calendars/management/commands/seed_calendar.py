from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from papitrack.calendars.services import seed_calendar

FIRST_YEAR = 2019


class Command(BaseCommand):
    help = "Fill the working-day calendar from the holidays package (both years included)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="first", type=int, default=FIRST_YEAR)
        parser.add_argument("--to", dest="last", type=int, default=timezone.localdate().year + 1)

    def handle(self, *args: object, **options: int) -> None:
        years = range(options["first"], options["last"] + 1)
        try:
            written = seed_calendar(years=years)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Lịch làm việc {options['first']}–{options['last']}: đã ghi {written} dòng."
        )
