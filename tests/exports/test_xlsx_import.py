"""Excel in: template round trip, dry run report (row, column, message), atomic and idempotent
commit, and files that must be refused before any parser sees them (quality.md R4, R10)."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from papitrack.accounts.models import User
from papitrack.audit.models import AuditEntry
from papitrack.exports import services
from papitrack.exports.archives import check_xlsx_archive
from papitrack.exports.enums import ImportStatus
from papitrack.exports.queries import get_spreadsheet_report_for_user, spreadsheet_template_for
from papitrack.exports.services import spreadsheets
from papitrack.exports.xlsx_import import (
    DATA_SHEET,
    FIRST_DATA_ROW,
    clean_text,
    parse_answer,
    render_template,
)
from papitrack.reports.models import ChildAnswer, Report
from papitrack.reports.services import StaleVersionError

pytestmark = pytest.mark.django_db

DISTRICT = "508"


@pytest.fixture
def district_officer() -> User:
    return User.objects.get(username="demo-district")


@pytest.fixture
def report(district_officer: User) -> Report:
    found = Report.objects.get(task__key="D2-T1", unit__code=DISTRICT, period__code="2020S2")
    return get_spreadsheet_report_for_user(district_officer, found.pk)


def _template_bytes(report: Report) -> bytes:
    template = spreadsheet_template_for(report=report)
    assert template is not None
    return render_template(template)


def _edited(content: bytes, cells: dict[str, Any]) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook[DATA_SHEET]
    for reference, value in cells.items():
        sheet[reference] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _check(report: Report, actor: User, content: bytes, name: str = "mau.xlsx") -> Any:
    return services.check_spreadsheet(report=report, actor=actor, file_name=name, content=content)


def _answers(report: Report) -> dict[str, tuple[bool | None, str]]:
    return {
        answer.child.code: (answer.answer, answer.reason)
        for answer in ChildAnswer.objects.filter(report=report).select_related("child")
    }


# --- the template ---------------------------------------------------------------------------


def test_template_has_one_row_per_commune_and_a_frozen_header(report):
    workbook = openpyxl.load_workbook(io.BytesIO(_template_bytes(report)))
    sheet = workbook[DATA_SHEET]
    codes = [
        sheet.cell(row=row, column=1).value for row in range(FIRST_DATA_ROW, sheet.max_row + 1)
    ]
    expected = sorted(
        unit.code
        for unit in report.unit.children.filter(kind="commune")
        if unit.is_active_on(report.period.end)
    )

    assert codes == expected
    assert len(codes) == 13  # Duy Xuyên's communes and its town in 2020
    assert sheet.freeze_panes == "C6"
    assert [sheet.cell(row=5, column=column).value for column in range(1, 5)] == [
        "Mã đơn vị",
        "Tên đơn vị",
        "D2-T1-K1: Đã thực hiện? (Có/Không)",
        "D2-T1-K1: Lý do nếu chưa thực hiện",
    ]
    assert workbook["papitrack"].sheet_state == "hidden"
    assert sheet.data_validations.dataValidation[0].formula1 == '"Có,Không"'


def test_unchanged_template_is_a_dry_run_with_nothing_to_do(report, district_officer):
    checked = _check(report, district_officer, _template_bytes(report))

    assert checked.status == ImportStatus.CHECKED
    assert (checked.summary["errors"], checked.summary["changes"]) == ([], [])
    assert checked.summary["unchanged"] == 13


def test_dry_run_reports_row_column_and_message_and_writes_nothing(report, district_officer):
    version = report.version
    content = _edited(
        _template_bytes(report),
        {
            "C6": "Có",
            "C7": "có lẽ",
            "D8": '=HYPERLINK("http://x")',
            "A9": "99999",
            "C10": "Không",
        },
    )

    checked = _check(report, district_officer, content)
    errors = [
        (issue["row"], issue["column"], issue["message"]) for issue in checked.summary["errors"]
    ]
    warnings = [(issue["row"], issue["column"]) for issue in checked.summary["warnings"]]

    assert checked.status == ImportStatus.REJECTED
    assert errors == [
        (7, "C", "Giá trị «có lẽ» không hợp lệ: ghi «Có», «Không» hoặc để trống."),
        (
            8,
            "D",
            'Ô chứa công thức (=HYPERLINK("http://x")); hãy nhập giá trị, không nhập công thức.',
        ),
        (
            9,
            "A",
            "Mã đơn vị «99999» không phải đơn vị trực thuộc của Huyện Duy Xuyên trong kỳ này.",
        ),
    ]
    assert (10, "D") in warnings  # "Không" needs a reason when the report is submitted
    assert Report.objects.get(pk=report.pk).version == version
    assert _answers(report) == {}
    with pytest.raises(ValidationError, match="còn 3 lỗi"):
        services.commit_spreadsheet(import_id=checked.pk, actor=district_officer)


def test_duplicate_rows_are_errors_and_blank_rows_are_skipped(report, district_officer):
    content = _edited(_template_bytes(report), {"A7": "20599", "A30": None, "B30": "  "})

    checked = _check(report, district_officer, content)

    assert [(issue["row"], issue["column"]) for issue in checked.summary["errors"]] == [(7, "A")]
    assert "lần thứ hai (lần đầu ở dòng 6)" in checked.summary["errors"][0]["message"]


def test_commit_writes_through_save_report_and_a_reimport_changes_nothing(report, district_officer):
    content = _edited(
        _template_bytes(report),
        {"C6": "Có", "C7": "Không", "D7": "Chưa niêm yết", "C8": "x"},
    )
    first = _check(report, district_officer, content)
    committed = services.commit_spreadsheet(import_id=first.pk, actor=district_officer)
    after_first = Report.objects.get(pk=report.pk)
    snapshot = _answers(report)

    report = get_spreadsheet_report_for_user(district_officer, report.pk)
    second = _check(report, district_officer, content)
    services.commit_spreadsheet(import_id=second.pk, actor=district_officer)

    assert committed.status == ImportStatus.COMMITTED
    assert (first.summary["created"], first.summary["updated"]) == (3, 0)
    assert after_first.version == report.version
    assert after_first.version == Report.objects.get(pk=report.pk).version  # no bump
    assert (second.summary["created"], second.summary["updated"]) == (0, 0)
    assert snapshot == _answers(report)
    codes = sorted(snapshot)
    assert snapshot[codes[1]] == (False, "Chưa niêm yết")
    assert AuditEntry.objects.filter(action="report.save", object_id=str(report.pk)).count() == 1


def test_commit_is_all_or_nothing(report, district_officer, monkeypatch):
    content = _edited(_template_bytes(report), {"C6": "Có", "C7": "Có"})
    checked = _check(report, district_officer, content)

    def fail(**kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(spreadsheets, "record_audit", fail)
    with pytest.raises(RuntimeError):
        services.commit_spreadsheet(import_id=checked.pk, actor=district_officer)

    assert _answers(report) == {}
    assert Report.objects.get(pk=report.pk).version == report.version


def test_report_changed_after_the_dry_run_is_refused(report, district_officer):
    checked = _check(report, district_officer, _edited(_template_bytes(report), {"C6": "Có"}))
    Report.objects.filter(pk=report.pk).update(version=report.version + 1)

    with pytest.raises(StaleVersionError):
        services.commit_spreadsheet(import_id=checked.pk, actor=district_officer)


def test_coordinator_may_check_but_only_the_unit_commits(report, district_officer):
    coordinator = User.objects.get(username="demo-coordinator")
    checked = _check(report, coordinator, _edited(_template_bytes(report), {"C6": "Có"}))

    assert checked.summary["created"] == 1
    with pytest.raises(PermissionDenied):
        services.commit_spreadsheet(import_id=checked.pk, actor=coordinator)
    with pytest.raises(PermissionDenied):
        services.commit_spreadsheet(import_id=checked.pk, actor=district_officer)  # not theirs


def test_vietnamese_text_is_stored_in_nfc(report, district_officer):
    decomposed = unicodedata.normalize("NFD", "Chưa tổ chức được")
    content = _edited(_template_bytes(report), {"C6": "KHÔNG", "D6": decomposed})
    checked = _check(report, district_officer, content)
    services.commit_spreadsheet(import_id=checked.pk, actor=district_officer)

    stored = _answers(report)[sorted(_answers(report))[0]]
    assert stored == (False, "Chưa tổ chức được")
    assert unicodedata.is_normalized("NFC", stored[1])


def test_formula_like_reasons_round_trip_without_change(report, district_officer):
    content = _edited(_template_bytes(report), {"C6": "Không", "D6": "'=1+1 là công thức"})
    checked = _check(report, district_officer, content)
    services.commit_spreadsheet(import_id=checked.pk, actor=district_officer)
    report = get_spreadsheet_report_for_user(district_officer, report.pk)
    template = _template_bytes(report)

    cell = openpyxl.load_workbook(io.BytesIO(template))[DATA_SHEET]["D6"].value
    again = _check(report, district_officer, template)

    assert cell == "'=1+1 là công thức"  # neutralised: no spreadsheet evaluates it
    assert again.summary["changes"] == []


def test_another_reports_template_is_refused(report, district_officer):
    other = Report.objects.get(task__key="D2-T2", unit__code=DISTRICT, period__code="2020S2")
    content = _template_bytes(get_spreadsheet_report_for_user(district_officer, other.pk))

    with pytest.raises(ValidationError, match="Tệp mẫu này dành cho D2-T2"):
        _check(report, district_officer, content)


# --- hostile and broken files ---------------------------------------------------------------


def _zip(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _refused(report: Report, actor: User, content: bytes, match: str) -> None:
    before = report.spreadsheet_imports.count()
    with pytest.raises(ValidationError, match=match):
        _check(report, actor, content, name="tep.xlsx")
    assert report.spreadsheet_imports.count() == before


def test_zip_bomb_is_refused_before_parsing(report, district_officer):
    bomb = _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"0" * (30 * 1024 * 1024),
        }
    )

    assert len(bomb) < 100_000
    _refused(report, district_officer, bomb, "zip bomb")


def test_archive_with_too_many_parts_is_refused(report, district_officer):
    entries = {f"xl/media/image{index}.png": b"x" for index in range(250)}
    entries.update({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"})

    _refused(report, district_officer, _zip(entries), "252 thành phần nén")


def test_entry_outside_the_archive_is_refused(report, district_officer):
    content = _zip({"[Content_Types].xml": b"<T/>", "xl/workbook.xml": b"<w/>", "../evil": b"x"})

    _refused(report, district_officer, content, "đường dẫn không an toàn")


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"%PDF-1.4\n%%EOF\n", "không phải bảng tính Excel .xlsx"),
        (
            "Mã;Tên\n20605;Duy Phú\n".encode("cp1258", "replace"),
            "không phải bảng tính Excel .xlsx",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "Excel 97–2003"),
        (b"", "rỗng"),
        (b"PK\x03\x04broken", "bị hỏng"),
    ],
    ids=["pdf renamed", "csv in cp1258", "old xls", "empty", "truncated zip"],
)
def test_wrong_types_are_refused(report, district_officer, content, match):
    _refused(report, district_officer, content, match)


def test_docx_renamed_to_xlsx_is_refused(report, district_officer):
    content = _zip({"[Content_Types].xml": b"<T/>", "word/document.xml": b"<d/>"})

    _refused(report, district_officer, content, "không phải bảng tính Excel")


def test_macro_workbook_is_refused(report, district_officer):
    content = _zip(
        {
            "[Content_Types].xml": b"<T/>",
            "xl/workbook.xml": b"<w/>",
            "xl/vbaProject.bin": b"\0" * 64,
        }
    )

    _refused(report, district_officer, content, "macro")


def test_oversized_file_is_refused(report, district_officer):
    _refused(report, district_officer, b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024), "quá lớn")


def test_billion_laughs_is_refused(report, district_officer):
    template = _template_bytes(report)
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<si><t>&lol2;</t></si></sst>"
    )
    source = zipfile.ZipFile(io.BytesIO(template))
    entries = {name: source.read(name) for name in source.namelist()}
    entries["xl/sharedStrings.xml"] = laughs
    if "xl/sharedStrings.xml" not in source.namelist():
        types = entries["[Content_Types].xml"].replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        entries["[Content_Types].xml"] = types

    _refused(report, district_officer, _zip(entries), "nguy hiểm|không đọc được")


def test_broken_encoding_inside_the_workbook_is_refused(report, district_officer):
    template = _template_bytes(report)
    source = zipfile.ZipFile(io.BytesIO(template))
    entries = {name: source.read(name) for name in source.namelist()}
    entries["xl/worksheets/sheet1.xml"] = entries["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>",
        b'<row r="40"><c r="A40" t="inlineStr"><is><t>\xff\xfe</t></is></c></row></sheetData>',
    )

    _refused(report, district_officer, _zip(entries), "không đọc được")


def test_check_xlsx_archive_accepts_a_real_template(report):
    facts = check_xlsx_archive(name="mau.xlsx", content=_template_bytes(report))

    assert 5 < facts.entries < 50


# --- reading cells (property-based) ---------------------------------------------------------


@given(st.sampled_from(["Có", "có", "CÓ", "co", "x", "1", "Đã thực hiện", " có "]))
def test_yes_spellings(text):
    assert parse_answer(text) is True
    assert parse_answer(unicodedata.normalize("NFD", text)) is True


@given(st.sampled_from(["Không", "không", "khong", "0", "Chưa", "chưa thực hiện"]))
def test_no_spellings(text):
    assert parse_answer(text) is False
    assert parse_answer(unicodedata.normalize("NFD", text)) is False


@given(st.text(max_size=60))
@example("'\t0")  # a neutralised tab-led text: trimmed once the apostrophe is gone
def test_clean_text_is_nfc_without_control_characters(text):
    cleaned = clean_text(text)

    assert unicodedata.is_normalized("NFC", cleaned)
    assert not any(ord(char) < 32 and char not in "\t\n\r" for char in cleaned)
    assert cleaned == cleaned.strip()
