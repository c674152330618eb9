from django.core.management.base import BaseCommand, CommandParser

from papitrack.demo.builders import build_demo_accounts, build_foundation
from papitrack.demo.cycle import build_reporting_cycle
from papitrack.surveys.demo import build_demo_survey
from papitrack.surveys.models import Survey

# Each stage includes the ones before it.
STAGES = ("plan", "reports", "survey")


class Command(BaseCommand):
    help = "Load the demo province (Quảng Nam 2020) through the services, with demo accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--stage", choices=STAGES, default=STAGES[-1])
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args: object, **options: object) -> None:
        stage = STAGES.index(str(options["stage"]))
        plan = build_foundation()
        build_demo_accounts()
        self.stdout.write(f"Kế hoạch {plan.number}: {plan.tasks.count()} nhiệm vụ, tài khoản mẫu.")
        if stage >= STAGES.index("reports"):
            if plan.unit_plan_rounds.exists():
                self.stdout.write("Chu kỳ báo cáo 2020 đã có sẵn, không tạo lại.")
            else:
                result = build_reporting_cycle(plan=plan, seed=int(str(options["seed"])))
                self.stdout.write(
                    f"Chu kỳ báo cáo 2020: {result.reports} báo cáo dự kiến; "
                    f"{result.approved} đã duyệt, {result.returned} bị trả lại, "
                    f"{result.submitted} chờ duyệt; "
                    f"{result.unit_plans_submitted} kế hoạch đơn vị đã gửi."
                )
        if stage >= STAGES.index("survey"):
            if Survey.objects.exists():
                self.stdout.write("Khảo sát mẫu đã có sẵn, không tạo lại.")
            else:
                survey = build_demo_survey(seed=int(str(options["seed"])))
                self.stdout.write(f"Khảo sát mẫu: {survey}.")
