"""One exporter per output: the codebook and the blank response template of a questionnaire.

Exporters take frozen dataclasses (queries.codebook) and return bytes; CSV files are UTF-8
with BOM so that Excel opens the Vietnamese text correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from papitrack.surveys.queries import CodebookItem
from papitrack.surveys.synthetic import RESPONSE_COLUMNS

BOM = "\ufeff"
CODEBOOK_COLUMNS = (
    "item_code",
    "ref",
    "dimension",
    "subdimension",
    "kind",
    "scale",
    "reverse",
    "asked_if",
    "text_vi",
    "answer_code",
    "answer_label_vi",
    "score",
)


class CsvExporter:
    verbose_name = ""
    file_extension = "csv"
    content_type = "text/csv; charset=utf-8"

    @staticmethod
    def write(rows: Sequence[Sequence[str]]) -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        return (BOM + buffer.getvalue()).encode("utf-8")


class CodebookCsvExporter(CsvExporter):
    """One row per (item, answer code) with the score that answer gets."""

    verbose_name = "Sổ mã phiếu khảo sát"

    def render(self, data: Sequence[CodebookItem]) -> bytes:
        rows: list[Sequence[str]] = [CODEBOOK_COLUMNS]
        for item in data:
            for answer in item.answers:
                rows.append(
                    (
                        item.code,
                        item.ref,
                        item.dimension,
                        item.subdimension,
                        item.kind,
                        item.scale,
                        "1" if item.reverse else "0",
                        item.asked_if,
                        item.text_vi,
                        answer.code,
                        answer.label_vi,
                        answer.score,
                    )
                )
        return self.write(rows)


class ResponseTemplateCsvExporter(CsvExporter):
    """The header row a response file must have: design columns, then one column per item."""

    verbose_name = "Mẫu tệp số liệu trả lời"

    def render(self, data: Sequence[CodebookItem]) -> bytes:
        return self.write([(*RESPONSE_COLUMNS, "design_weight", *(item.code for item in data))])
