"""Benchmark P5 for documents: DOCX tables, the whole-province report, and the 2N/N ratio.

quality.md P5: a DOCX with a 1,000-row table in ≤ 2 s, and for every document generator
time(2N) ÷ time(N) ≤ 2.5 (which catches quadratic code such as `table.cell(i, j)` loops).
With --province it also times the consolidated 6-month report of the demo province (data,
DOCX, PDF) against the dev database (DEBUG=1 .venv/bin/python manage.py seed_demo first).

Run:  PAPITRACK_ALLOW_DEV_SECRET=1 .venv/bin/python benchmarks/documents.py   # tables only
      PAPITRACK_ALLOW_DEV_SECRET=1 .venv/bin/python benchmarks/documents.py --province
Prints one line per measurement and a last line `table_1000_s=… ratio_2n_n=… ok=…`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import django
from docx.shared import Cm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "papitrack.settings")
django.setup()

# After django.setup(): these import models.
from papitrack.exports import officialdoc as doc  # noqa: E402
from papitrack.exports.documents.consolidated import ConsolidatedReportExporter  # noqa: E402
from papitrack.exports.documents.consolidated_data import consolidated_report_data  # noqa: E402
from papitrack.exports.officialdoc import SignatureBlock  # noqa: E402
from papitrack.exports.pdf import docx_to_pdf  # noqa: E402
from papitrack.exports.queries import doha_unit  # noqa: E402
from papitrack.plans.models import Plan  # noqa: E402


def _table_seconds(rows: int) -> float:
    document = doc.new_document(title="benchmark")
    columns = [doc.Column(f"Cột {index}", Cm(2.7)) for index in range(6)]
    data = [[f"Dòng {row}, ô {column} – Quảng Nam" for column in range(6)] for row in range(rows)]
    started = time.perf_counter()
    doc.add_data_table(document, columns, data)
    doc.to_bytes(document)
    return time.perf_counter() - started


def tables(repeat: int) -> tuple[float, float]:
    small = statistics.median(_table_seconds(500) for _ in range(repeat))
    large = statistics.median(_table_seconds(1000) for _ in range(repeat))
    print(f"docx table 500x6: {small:.2f} s; 1000x6: {large:.2f} s; ratio {large / small:.2f}")
    return large, large / small


def province() -> None:
    plan = Plan.objects.select_related("issuer", "index").order_by("-issued_on").first()
    if plan is None:
        print("no plan in the database: run seed_demo first")
        return
    started = time.perf_counter()
    data = consolidated_report_data(
        plan=plan,
        period_code="2020S2",
        issuer_unit=doha_unit(plan=plan),
        signature=SignatureBlock(("KT. GIÁM ĐỐC",), "PHÓ GIÁM ĐỐC"),
        recipients=("UBND tỉnh (b/c)", "Lưu: VT, CCHC"),
    )
    read = time.perf_counter()
    docx = ConsolidatedReportExporter().render(data)
    rendered = time.perf_counter()
    pdf = docx_to_pdf(docx)
    converted = time.perf_counter()
    print(
        f"province 2020S2: data {read - started:.2f} s, docx {rendered - read:.2f} s "
        f"({len(docx) // 1024} KB), pdf {converted - rendered:.2f} s ({len(pdf) // 1024} KB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--province", action="store_true")
    arguments = parser.parse_args()
    large, ratio = tables(arguments.repeat)
    if arguments.province:
        province()
    ok = large <= 2.0 and ratio <= 2.5
    print(f"table_1000_s={large:.2f} ratio_2n_n={ratio:.2f} ok={ok}")


if __name__ == "__main__":
    main()
