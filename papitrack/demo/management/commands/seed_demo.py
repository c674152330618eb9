from django.core.management.base import BaseCommand, CommandParser

from papitrack.demo.builders import build_demo_accounts, build_foundation

STAGES = ("plan",)


class Command(BaseCommand):
    help = "Load the demo province (Quảng Nam 2020) through the services, with demo accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--stage", choices=STAGES, default=STAGES[-1])
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args: object, **options: object) -> None:
        plan = build_foundation()
        build_demo_accounts()
        self.stdout.write(
            f"Dữ liệu mẫu đã sẵn sàng: kế hoạch {plan.number}, {plan.tasks.count()} nhiệm vụ."
        )
