from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from papitrack.surveys.demo import DEMO_PROVINCE, demo_responses_file


class Command(BaseCommand):
    help = (
        "Ghi tệp trả lời mô phỏng (dữ liệu giả, có hạt giống) của khảo sát mẫu tỉnh Quảng Nam, "
        "định dạng như tệp xuất của KoboToolbox."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args: object, **options: object) -> None:
        output = Path(str(options["output"]))
        content = demo_responses_file(seed=int(str(options["seed"])))
        output.write_bytes(content)
        rows = content.count(b"\n") - 1
        self.stdout.write(f"Đã ghi {rows} người trả lời (tỉnh {DEMO_PROVINCE}) vào {output}.")
