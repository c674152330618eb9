import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from papitrack.notifications.services import run_notification_job, send_daily_digests

BAD_DATE = "Ngày không hợp lệ: {value} (cần dạng YYYY-MM-DD)."


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


class Command(BaseCommand):
    help = (
        "Create the day's notices (reminders, overdue alerts, escalations, workflow moves) and "
        "send each user's daily digest. Safe to run again and on several servers at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            help="Run for this day (YYYY-MM-DD) instead of today, e.g. to replay the demo "
            "cycle; workflow moves are read up to the end of that day.",
        )

    def handle(self, *args: object, **options: str | None) -> None:
        now = timezone.now()
        today = timezone.localdate(now)
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(BAD_DATE.format(value=options["date"])) from error
            now = min(now, _end_of(today))
        result = run_notification_job(today=today, now=now)
        self.stdout.write(
            f"{today:%d/%m/%Y} thông báo: {result.outcome}, {result.created} mới "
            f"({', '.join(f'{kind} {count}' for kind, count in result.by_kind.items()) or '—'})."
        )
        digests = send_daily_digests(day=today, now=now)
        self.stdout.write(
            f"{today:%d/%m/%Y} thư tổng hợp: {digests.outcome}, {digests.sent} thư, "
            f"{digests.notifications} thông báo, {digests.failed} lỗi."
        )
