import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from papitrack.monitoring.stored_rollups import rebuild_stored_rollups
from papitrack.plans.models import Plan

UNKNOWN_PLAN = "Không có kế hoạch mã «{code}»."


class Command(BaseCommand):
    help = (
        "Regroup the stored roll-ups of every plan (or one) from its reports. Needed after "
        "the unit tree changed, or after writes made outside the services; until then the "
        "pages compute their figures from the reports, correct but slower."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", help="Only the plan with this code.")

    def handle(self, *args: object, **options: str | None) -> None:
        plans = Plan.objects.order_by("pk")
        if options["plan"]:
            plans = plans.filter(code=options["plan"])
            if not plans.exists():
                raise CommandError(UNKNOWN_PLAN.format(code=options["plan"]))
        for plan in plans:
            started = time.perf_counter()
            version = rebuild_stored_rollups(plan_id=plan.pk)
            self.stdout.write(
                f"{plan.code}: số liệu tổng hợp sẵn ở phiên bản {version} "
                f"({time.perf_counter() - started:.1f} giây)."
            )
