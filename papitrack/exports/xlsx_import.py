"""Excel in: a template with one row per child unit of a report, read back and checked.

The template is for a (task, period) report of a unit with child units, e.g. a district
answering "done / not done" for each of its communes. It is pre-filled with the current
answers, so the file always holds the whole state: a blank answer means "not answered".

Reading is pure: bytes in, (answers, issues) out. The archive is checked first
(archives.py); openpyxl then reads it in read-only mode, with defusedxml refusing entity
expansion. Every problem comes back as (row, column, Vietnamese message).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from papitrack.exports.archives import check_xlsx_archive
from papitrack.exports.xlsx import FORMULA_PREFIXES, neutralise
from papitrack.lib.text import fold_text

TEMPLATE_KIND = "papitrack-child-answers"
TEMPLATE_VERSION = "1"
DATA_SHEET = "Nhập liệu"
META_SHEET = "papitrack"
HEADER_ROW = 5
FIRST_DATA_ROW = HEADER_ROW + 1
CODE_COLUMN, NAME_COLUMN = 1, 2
FIRST_KPI_COLUMN = 3
MAX_REASON_LENGTH = 2000
MAX_ROWS = 2000
YES, NO = "Có", "Không"
# Answers accepted in the answer columns, compared after accent folding and casefolding.
YES_WORDS = frozenset({"co", "x", "1", "yes", "true", "dat", "da thuc hien", "roi"})
NO_WORDS = frozenset({"khong", "0", "no", "false", "chua", "chua thuc hien"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

UNREADABLE = "Tệp «{name}» không đọc được như bảng tính Excel: {detail}"
DANGEROUS_XML = "Tệp «{name}» chứa cấu trúc XML nguy hiểm (khai báo thực thể, DTD) nên bị từ chối."
WRONG_TEMPLATE = (
    "Tệp «{name}» không phải mẫu nhập liệu của papitrack (thiếu trang «{sheet}»). Hãy tải "
    "mẫu từ trang nhập liệu rồi điền vào đó."
)
OTHER_REPORT = (
    "Tệp mẫu này dành cho {template}, không phải báo cáo đang chọn ({current}). "
    "Hãy tải đúng mẫu của báo cáo này."
)
OLD_TEMPLATE_VERSION = "Tệp mẫu thuộc phiên bản {found}, hệ thống cần phiên bản {expected}."
HEADER_CHANGED = (
    "Tiêu đề cột đã bị sửa (cần «{expected}», thấy «{found}»); không sửa, thêm hay xóa cột của mẫu."
)
UNKNOWN_UNIT = "Mã đơn vị «{code}» không phải đơn vị trực thuộc của {unit} trong kỳ này."
DUPLICATE_UNIT = "Đơn vị «{code}» xuất hiện lần thứ hai (lần đầu ở dòng {first})."
MISSING_CODE = "Thiếu mã đơn vị ở cột A; dòng này có dữ liệu nên không thể bỏ qua."
BAD_ANSWER = "Giá trị «{value}» không hợp lệ: ghi «Có», «Không» hoặc để trống."
FORMULA_CELL = "Ô chứa công thức ({formula}); hãy nhập giá trị, không nhập công thức."
REASON_TOO_LONG = "Lý do dài {length} ký tự; tối đa {limit} ký tự."
REASON_FOR_YES = "Đã ghi «Có» nên lý do chưa thực hiện sẽ bị bỏ qua."
REASON_MISSING = "Ghi «Không» thì cần lý do (bắt buộc khi gửi báo cáo)."
UNIT_ROW_MISSING = "Không có dòng cho {name} ({code}); kết quả hiện có của đơn vị này giữ nguyên."
TOO_MANY_ROWS = "Bảng tính có hơn {limit} dòng dữ liệu; mẫu chỉ có {count} đơn vị."
NO_ROWS = "Bảng tính không có dòng dữ liệu nào."


@dataclass(frozen=True)
class TemplateKpi:
    code: str
    heading: str  # the KPI's measure, as the column group's title


@dataclass(frozen=True)
class TemplateRow:
    code: str
    name: str
    answers: tuple[tuple[bool | None, str], ...]  # per KPI: (answer, reason)


@dataclass(frozen=True)
class SpreadsheetTemplate:
    """What the template of one report shows: built by queries, rendered here."""

    report_id: int
    report_version: int
    task_key: str
    task_label: str
    task_title: str
    period_code: str
    period_label: str
    unit_code: str
    unit_name: str
    kpis: tuple[TemplateKpi, ...]
    rows: tuple[TemplateRow, ...]

    @property
    def file_stem(self) -> str:
        return f"mau-nhap-lieu-{self.task_key}-{self.period_code}-{self.unit_code}"

    @property
    def description(self) -> str:
        return f"nhiệm vụ {self.task_label}, {self.period_label}, {self.unit_name}"


@dataclass(frozen=True)
class Issue:
    """A problem found in the file: where (Excel row and column letter) and what."""

    message: str
    row: int | None = None
    column: str | None = None
    is_error: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "is_error": self.is_error,
        }


@dataclass(frozen=True)
class ParsedAnswer:
    kpi_code: str
    child_code: str
    answer: bool | None
    reason: str
    row: int


@dataclass(frozen=True)
class ParsedSheet:
    answers: tuple[ParsedAnswer, ...] = ()
    issues: tuple[Issue, ...] = field(default_factory=tuple)

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [issue for issue in self.issues if not issue.is_error]


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _answer_heading(kpi: TemplateKpi) -> str:
    return f"{kpi.code}: Đã thực hiện? (Có/Không)"


def _reason_heading(kpi: TemplateKpi) -> str:
    return f"{kpi.code}: Lý do nếu chưa thực hiện"


def expected_headings(template: SpreadsheetTemplate) -> list[str]:
    headings = ["Mã đơn vị", "Tên đơn vị"]
    for kpi in template.kpis:
        headings += [_answer_heading(kpi), _reason_heading(kpi)]
    return headings


# --- writing the template -------------------------------------------------------------------


def render_template(template: SpreadsheetTemplate) -> bytes:
    """The workbook to fill in: title rows, a frozen header, one row per child unit."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    bold = Font(bold=True)
    sheet["A1"] = f"MẪU NHẬP KẾT QUẢ THEO ĐƠN VỊ TRỰC THUỘC: {template.unit_name.upper()}"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = neutralise(f"Nhiệm vụ {template.task_label}: {template.task_title}"[:500])
    sheet["A3"] = f"Kỳ báo cáo: {template.period_label} ({template.period_code})"
    sheet["A4"] = (
        "Cách điền: mỗi dòng một đơn vị; cột «Đã thực hiện?» ghi Có hoặc Không (để trống = "
        "chưa có kết quả); ghi Không thì ghi lý do. Không sửa mã đơn vị, không thêm hay xóa cột."
    )
    sheet["A4"].font = Font(italic=True)
    headings = expected_headings(template)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=heading)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for offset, row in enumerate(template.rows):
        number = FIRST_DATA_ROW + offset
        code_cell = sheet.cell(row=number, column=CODE_COLUMN, value=row.code)
        code_cell.number_format = "@"  # codes such as 20605 stay text, never numbers
        sheet.cell(row=number, column=NAME_COLUMN, value=neutralise(row.name))
        for position, (answer, reason) in enumerate(row.answers):
            column = FIRST_KPI_COLUMN + 2 * position
            sheet.cell(
                row=number,
                column=column,
                value=YES if answer is True else NO if answer is False else None,
            )
            sheet.cell(row=number, column=column + 1, value=neutralise(reason) or None)
    last_row = FIRST_DATA_ROW + max(len(template.rows), 1) - 1
    validation = DataValidation(
        type="list",
        formula1=f'"{YES},{NO}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Giá trị không hợp lệ",
        error="Chọn Có hoặc Không (hoặc để trống).",
    )
    sheet.add_data_validation(validation)
    for position in range(len(template.kpis)):
        letter = column_letter(FIRST_KPI_COLUMN + 2 * position)
        validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=FIRST_KPI_COLUMN)
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 28
    for position in range(len(template.kpis)):
        sheet.column_dimensions[column_letter(FIRST_KPI_COLUMN + 2 * position)].width = 18
        sheet.column_dimensions[column_letter(FIRST_KPI_COLUMN + 2 * position + 1)].width = 40
    sheet.row_dimensions[HEADER_ROW].height = 45
    meta = workbook.create_sheet(META_SHEET)
    for key, value in (
        ("template", TEMPLATE_KIND),
        ("version", TEMPLATE_VERSION),
        ("report_id", str(template.report_id)),
        ("report_version", str(template.report_version)),
        ("task", template.task_key),
        ("period", template.period_code),
        ("unit", template.unit_code),
    ):
        meta.append([key, value])
    meta.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading it back ------------------------------------------------------------------------


def clean_text(value: Any) -> str:
    """NFC, no control characters, trimmed; the apostrophe that xlsx.neutralise puts before
    a formula-like text is removed again."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = _CONTROL.sub("", text).strip()
    if text.startswith("'") and text[1:2] in FORMULA_PREFIXES:
        # Trimmed again: the prefixes include a tab, which the apostrophe kept inside.
        text = text[1:].strip()
    return text


def parse_answer(value: Any) -> bool | None:
    """ "Có" / "Không" and their common spellings; None for blank; ValueError otherwise."""
    if isinstance(value, bool):
        return value
    text = fold_text(clean_text(value)).rstrip(".")
    if not text:
        return None
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise ValueError(text)


def _open(name: str, content: bytes) -> Any:
    check_xlsx_archive(name=name, content=content)
    return load_workbook(io.BytesIO(content), read_only=True, data_only=False)


# What openpyxl raises on a broken workbook, at opening or (read-only mode) while reading.
BROKEN_WORKBOOK_ERRORS = (
    ParseError,
    zipfile.BadZipFile,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    UnicodeError,
    OSError,
)


def _meta(workbook: Any) -> dict[str, str]:
    sheet = workbook[META_SHEET]
    values: dict[str, str] = {}
    for row in sheet.iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
        if row and row[0] is not None:
            values[str(row[0])] = clean_text(row[1] if len(row) > 1 else "")
    return values


def _cell(row: Sequence[Any], index: int) -> Any:
    return row[index - 1] if index - 1 < len(row) else None


def read_child_answers(*, name: str, content: bytes, template: SpreadsheetTemplate) -> ParsedSheet:
    """Read a filled template: answers per (KPI, child unit), and every problem found.

    Raises ValidationError only when the file cannot be read at all (not an XLSX, unsafe,
    another report's template); problems inside the sheet come back as issues.
    """
    try:
        return _read_workbook(name, content, template)
    except DefusedXmlException as error:
        raise ValidationError(DANGEROUS_XML.format(name=name)) from error
    except BROKEN_WORKBOOK_ERRORS as error:
        detail = str(error).strip()[:200] or type(error).__name__
        raise ValidationError(UNREADABLE.format(name=name, detail=detail)) from error


def _read_workbook(name: str, content: bytes, template: SpreadsheetTemplate) -> ParsedSheet:
    workbook = _open(name, content)
    try:
        if DATA_SHEET not in workbook.sheetnames or META_SHEET not in workbook.sheetnames:
            raise ValidationError(WRONG_TEMPLATE.format(name=name, sheet=DATA_SHEET))
        meta = _meta(workbook)
        if meta.get("template") != TEMPLATE_KIND:
            raise ValidationError(WRONG_TEMPLATE.format(name=name, sheet=META_SHEET))
        if meta.get("version") != TEMPLATE_VERSION:
            raise ValidationError(
                OLD_TEMPLATE_VERSION.format(found=meta.get("version"), expected=TEMPLATE_VERSION)
            )
        found = (meta.get("task"), meta.get("period"), meta.get("unit"))
        expected = (template.task_key, template.period_code, template.unit_code)
        if found != expected:
            raise ValidationError(
                OTHER_REPORT.format(
                    template=" · ".join(part or "?" for part in found),
                    current=" · ".join(expected),
                )
            )
        return _read_rows(workbook[DATA_SHEET], template)
    finally:
        workbook.close()


def _read_rows(sheet: Any, template: SpreadsheetTemplate) -> ParsedSheet:
    issues: list[Issue] = []
    headings = expected_headings(template)
    header = next(sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True), ())
    for index, heading in enumerate(headings, start=1):
        found = clean_text(_cell(header, index))
        if found != heading:
            issues.append(
                Issue(
                    HEADER_CHANGED.format(expected=heading, found=found),
                    row=HEADER_ROW,
                    column=column_letter(index),
                )
            )
    if issues:
        return ParsedSheet(issues=tuple(issues))
    children = {row.code: row for row in template.rows}
    seen: dict[str, int] = {}
    answers: list[ParsedAnswer] = []
    data_rows = 0
    width = len(headings)
    for number, cells in enumerate(
        sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=width), start=FIRST_DATA_ROW
    ):
        values = [cell.value for cell in cells]
        if all(clean_text(value) == "" for value in values):
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            issues.append(Issue(TOO_MANY_ROWS.format(limit=MAX_ROWS, count=len(children))))
            break
        formula = False
        for index, cell in enumerate(cells, start=1):
            if getattr(cell, "data_type", None) == "f":
                formula = True
                issues.append(
                    Issue(
                        FORMULA_CELL.format(formula=str(cell.value)[:40]),
                        row=number,
                        column=column_letter(index),
                    )
                )
        if formula:
            continue
        code = clean_text(_cell(values, CODE_COLUMN))
        if isinstance(_cell(values, CODE_COLUMN), float) and code.endswith(".0"):
            code = code[:-2]  # a code typed as a number: 20605.0 -> 20605
        if not code:
            issues.append(Issue(MISSING_CODE, row=number, column="A"))
            continue
        if code not in children:
            issues.append(
                Issue(
                    UNKNOWN_UNIT.format(code=code, unit=template.unit_name),
                    row=number,
                    column="A",
                )
            )
            continue
        if code in seen:
            issues.append(
                Issue(DUPLICATE_UNIT.format(code=code, first=seen[code]), row=number, column="A")
            )
            continue
        seen[code] = number
        for position, kpi in enumerate(template.kpis):
            answer_index = FIRST_KPI_COLUMN + 2 * position
            raw = _cell(values, answer_index)
            try:
                answer = parse_answer(raw)
            except ValueError:
                issues.append(
                    Issue(
                        BAD_ANSWER.format(value=clean_text(raw)[:40]),
                        row=number,
                        column=column_letter(answer_index),
                    )
                )
                continue
            reason = clean_text(_cell(values, answer_index + 1))
            reason_column = column_letter(answer_index + 1)
            if len(reason) > MAX_REASON_LENGTH:
                issues.append(
                    Issue(
                        REASON_TOO_LONG.format(length=len(reason), limit=MAX_REASON_LENGTH),
                        row=number,
                        column=reason_column,
                    )
                )
                continue
            if answer is True and reason:
                issues.append(
                    Issue(REASON_FOR_YES, row=number, column=reason_column, is_error=False)
                )
                reason = ""
            if answer is False and not reason:
                issues.append(
                    Issue(REASON_MISSING, row=number, column=reason_column, is_error=False)
                )
            answers.append(
                ParsedAnswer(
                    kpi_code=kpi.code, child_code=code, answer=answer, reason=reason, row=number
                )
            )
    if data_rows == 0:
        issues.append(Issue(NO_ROWS, row=FIRST_DATA_ROW))
    for row in template.rows:
        if row.code not in seen and data_rows:
            issues.append(
                Issue(UNIT_ROW_MISSING.format(name=row.name, code=row.code), is_error=False)
            )
    return ParsedSheet(answers=tuple(answers), issues=tuple(issues))
