"""Write the default papitrack ↔ DHIS2 mapping of a plan (docs/dhis2.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from papitrack.exports.dhis2 import mapping_to_yaml
from papitrack.exports.queries import default_dhis2_mapping
from papitrack.plans.models import Plan


class Command(BaseCommand):
    help = "Sinh tệp ánh xạ DHIS2 mặc định của kế hoạch (mã DHIS2 = mã papitrack)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--plan", default=None, help="Mã kế hoạch (mặc định: mới nhất).")
        parser.add_argument("--output", default="-", help="Tệp ghi ra ('-' = màn hình).")

    def handle(self, *args: Any, **options: Any) -> None:
        plans = Plan.objects.select_related("issuer").order_by("-issued_on", "-pk")
        plan = plans.filter(code=options["plan"]).first() if options["plan"] else plans.first()
        if plan is None:
            raise CommandError("Không tìm thấy kế hoạch.")
        mapping, names = default_dhis2_mapping(plan=plan)
        text = mapping_to_yaml(mapping, unit_names=names)
        if options["output"] == "-":
            self.stdout.write(text, ending="")
            return
        Path(options["output"]).write_text(text, encoding="utf-8")
        self.stdout.write(
            f"Đã ghi {options['output']}: {len(mapping.data_elements)} phần tử dữ liệu, "
            f"{len(mapping.org_units)} đơn vị, {len(mapping.periods)} kỳ."
        )
