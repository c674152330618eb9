"""A KPI's measure in words, as documents and tables print it."""

from __future__ import annotations

import pytest

from papitrack.tasks.models import Kpi


def _kpi(population: str, measure: str) -> Kpi:
    return Kpi(code="K", position=1, kind="ratio", population=population, measure=measure)


@pytest.mark.parametrize(
    ("population", "measure", "expected"),
    [
        # A bare predicate gets its subject back.
        ("hồ sơ TTHC", "được giải quyết", "hồ sơ TTHC được giải quyết"),
        # Unit-level codes are not words.
        ("commune", "UBND cấp xã công khai", "UBND cấp xã công khai"),
        ("department,district", "cơ quan tự kiểm tra", "cơ quan tự kiểm tra"),
        # A measure that already names its subject is not repeated.
        ("hồ sơ TTHC", "hồ sơ TTHC giải quyết đúng hẹn", "hồ sơ TTHC giải quyết đúng hẹn"),
        ("", "có văn bản trả lời", "có văn bản trả lời"),
    ],
)
def test_description_joins_population_and_measure(population, measure, expected):
    assert _kpi(population, measure).description == expected


@pytest.mark.django_db
def test_every_kpi_of_plan_4055_reads_as_words(plan):
    kpis = Kpi.objects.filter(task__plan=plan)

    descriptions = {kpi.code: kpi.description for kpi in kpis}

    assert descriptions["D2-T6-K1"] == (
        "quy hoạch, kế hoạch sử dụng đất, khung giá bồi thường, hỗ trợ, tái định cư được công khai"
    )
    assert not [code for code, text in descriptions.items() if text.startswith("được")]
