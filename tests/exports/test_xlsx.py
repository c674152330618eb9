"""The generic XLSX table exporter (papitrack/exports/xlsx.py)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from papitrack.exports.xlsx import (
    Column,
    ColumnKind,
    TableExport,
    XlsxTableExporter,
    neutralise,
    render_xlsx,
    sheet_name,
)

UTC = datetime.UTC


def read(content: bytes):
    return load_workbook(io.BytesIO(content))


def test_typed_columns_frozen_header_and_notes():
    table = TableExport(
        title="Báo cáo quá hạn",
        columns=[
            Column("Đơn vị"),
            Column("Số báo cáo", ColumnKind.INTEGER),
            Column("Tỷ lệ", ColumnKind.PERCENT),
            Column("Hạn gửi", ColumnKind.DATE),
            Column("Tử số", ColumnKind.DECIMAL, places=1),
        ],
        rows=[
            ("Xã Duy Phú", 12, Decimal("0.929"), datetime.date(2020, 10, 16), Decimal("190.5")),
            ("Xã Duy Trung", None, None, None, None),
        ],
        notes=["Kỳ báo cáo: Quý III/2020."],
    )

    book = read(XlsxTableExporter().render(table))

    sheet = book["Báo cáo quá hạn"]
    headers = ["Đơn vị", "Số báo cáo", "Tỷ lệ", "Hạn gửi", "Tử số"]
    assert [cell.value for cell in sheet[1]] == headers
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E1"
    assert [cell.value for cell in sheet[2]] == [
        "Xã Duy Phú",
        12,
        0.929,
        # Excel keeps no time zone: the file holds the local wall time.
        datetime.datetime(2020, 10, 16),  # noqa: DTZ001
        190.5,
    ]
    assert [cell.number_format for cell in sheet[2]][1:] == [
        "#,##0",
        "0.0%",
        "DD/MM/YYYY",
        "#,##0.0",
    ]
    # No data is an empty cell, never a zero.
    assert [cell.value for cell in sheet[3]] == ["Xã Duy Trung", None, None, None, None]
    notes = [row[0] for row in book["Ghi chú"].iter_rows(values_only=True)]
    assert notes[:2] == ["Báo cáo quá hạn", "Kỳ báo cáo: Quý III/2020."]
    assert notes[2].startswith("Xuất từ papitrack lúc ")


def test_formula_like_text_is_neutralised():
    table = TableExport(
        title="x",
        columns=[Column("Ghi chú"), Column("=Tiêu đề")],
        rows=[('=HYPERLINK("http://x")', "+1"), ("-2", "@SUM(A1)"), ("bình thường", "a=b")],
    )

    sheet = read(render_xlsx(table)).active

    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [
        ["Ghi chú", "'=Tiêu đề"],
        ['\'=HYPERLINK("http://x")', "'+1"],
        ["'-2", "'@SUM(A1)"],
        ["bình thường", "a=b"],
    ]
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row)


def test_datetimes_are_local_and_carry_the_time():
    moment = datetime.datetime(2020, 10, 16, 2, 30, tzinfo=UTC)
    table = TableExport(title="x", columns=[Column("Gửi lúc", ColumnKind.DATE)], rows=[(moment,)])

    cell = read(render_xlsx(table)).active["A2"]

    assert cell.value == datetime.datetime(2020, 10, 16, 9, 30)  # noqa: DTZ001 - local wall time
    assert cell.number_format == "DD/MM/YYYY HH:MM"


def test_helpers():
    assert neutralise("\tx") == "'\tx"
    assert neutralise("a\x00b") == "ab"
    assert sheet_name("Kỳ: Quý III/2020 [tỉnh]") == "Kỳ  Quý III 2020  tỉnh"
    assert len(sheet_name("x" * 40)) == 31
    assert XlsxTableExporter.file_extension == "xlsx"
