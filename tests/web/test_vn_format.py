from __future__ import annotations

from decimal import Decimal

import pytest

from papitrack.tasks.models import Task
from papitrack.web.templatetags import vn_format


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("46.5000"), "46,5"),
        (Decimal("4.0000"), "4,0"),
        (Decimal("43.2623330"), "43,262333"),
        (Decimal("2.17"), "2,17"),
        (None, "—"),
    ],
)
def test_vn_exact_keeps_stored_precision(value: Decimal | None, expected: str) -> None:
    assert vn_format.vn_exact(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("0.129"), "+0,13"),
        (Decimal("-1.069492"), "−1,07"),
        (Decimal("-0.001"), "0,00"),
        (None, "—"),
    ],
)
def test_vn_signed_prints_the_sign(value: Decimal | None, expected: str) -> None:
    assert vn_format.vn_signed(value) == expected


def test_number_filters_use_the_decimal_comma() -> None:
    assert vn_format.vn_number(Decimal("44.3318250")) == "44,33"
    assert vn_format.vn_number(Decimal("44.3318250"), 1) == "44,3"
    assert vn_format.vn_abs(Decimal("-3.2377")) == "3,24"


def test_rank_change_arrows() -> None:
    assert [vn_format.rank_change(value) for value in (3, -16, 0, None)] == [
        "▲ 3",
        "▼ 16",
        "=",
        "—",
    ]


def test_labels_of_codes() -> None:
    assert vn_format.group_label(2) == "Nhóm đạt điểm trung bình cao"
    assert vn_format.group_short(4) == "Nhóm 4"
    assert vn_format.name_status_badge("uncertain") == "chưa xác nhận"
    assert vn_format.name_status_badge("secondary") == "nguồn thứ cấp"
    assert vn_format.name_status_badge("confirmed") == ""
    assert vn_format.population_label("commune") == "UBND cấp xã"
    assert vn_format.population_label("department") == "Sở"
    assert vn_format.population_label("hồ sơ TTHC") == "hồ sơ TTHC"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"timeline_kind": "every_months", "timeline_months": 6}, "Định kỳ 6 tháng một lần"),
        (
            {"timeline_kind": "by_quarter", "timeline_quarter": 4, "timeline_year": 2020},
            "Quý IV/2020",
        ),
        ({"timeline_kind": "yearly_month", "timeline_month": 12}, "Tháng 12 hằng năm"),
        ({"timeline_kind": "ongoing"}, "Thường xuyên"),
    ],
)
def test_timeline_detail_in_words(fields: dict[str, object], expected: str) -> None:
    assert vn_format.timeline_detail(Task(**fields)) == expected
