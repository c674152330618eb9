"""Read response files (CSV or XLSX shaped like a KoboToolbox/ODK export) and population tables.

Every problem is reported row by row in Vietnamese; nothing is written here. Encodings: UTF-8
with or without BOM, and UTF-16 with BOM (as Excel's "Unicode text" writes). Columns are the
design columns below plus one per item code; Kobo group prefixes ("grp/q1_1_a") are dropped
and Kobo metadata columns (those starting with "_", start, end, ...) are ignored.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from papitrack.lib.archives import ZIP_READ_ERRORS, check_zip
from papitrack.lib.numbers import DecimalParseError, parse_decimal
from papitrack.lib.text import normalize_text
from papitrack.surveys.enums import DESIGN_VARIABLES, ScaleKind
from papitrack.surveys.estimation import PopulationMargins, ResponseData
from papitrack.surveys.questionnaire import Item, Questionnaire

Progress = Callable[[int, int], None]

REQUIRED_COLUMNS = ("respondent_id", "district", "commune", "village", *DESIGN_VARIABLES)
OPTIONAL_COLUMNS = ("stratum", "design_weight")
# Columns KoboToolbox and ODK add to every export; they carry no answer.
KOBO_METADATA = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "username",
        "simserial",
        "subscriberid",
        "phonenumber",
        "audit",
        "instanceid",
        "meta/instanceid",
        "__version__",
    }
)
MAX_REPORTED_ERRORS = 200
POPULATION_COLUMNS = ("district", "variable", "category", "population")

EMPTY_FILE = "Tệp không có dòng số liệu nào."
BAD_ENCODING = "Tệp không đọc được: cần mã UTF-8 (có hoặc không có BOM) hoặc UTF-16 có BOM."
BAD_XLSX = "Tệp XLSX không mở được: {problem}."
BAD_CSV = "Tệp CSV không đọc được: {problem}."
DUPLICATE_COLUMN = "Cột «{column}» xuất hiện hai lần."
MISSING_COLUMNS = "Thiếu cột bắt buộc: {columns}."
MISSING_ITEMS = "Thiếu cột của các câu hỏi: {columns} (phiếu phiên bản {version})."
UNKNOWN_COLUMNS = "Cột không thuộc phiếu phiên bản {version}: {columns}."
MISSING_RESPONDENT_ID = "Dòng {line}: thiếu mã người trả lời (respondent_id)."
DUPLICATE_RESPONDENT = "Dòng {line}: mã người trả lời «{value}» trùng với dòng {first}."
UNKNOWN_DISTRICT = "Dòng {line}: mã huyện «{value}» không thuộc tỉnh {province}."
UNKNOWN_COMMUNE = "Dòng {line}: mã xã «{value}» không thuộc huyện {district}."
MISSING_VILLAGE = "Dòng {line}: thiếu thôn, tổ dân phố (đơn vị mẫu cấp 1)."
BAD_DESIGN_CODE = "Dòng {line}, cột {column}: mã «{value}» không có trong danh mục ({allowed})."
UNKNOWN_ANSWER = "Dòng {line}, câu {item}: mã trả lời «{value}» không có trong thang ({allowed})."
NOT_A_NUMBER = "Dòng {line}, câu {item}: «{value}» không phải là số."
OUT_OF_RANGE = "Dòng {line}, câu {item}: giá trị {value} nằm ngoài khoảng {low}–{high}."
SKIP_VIOLATION = (
    "Dòng {line}, câu {item}: có câu trả lời nhưng câu này chỉ hỏi khi câu {condition} "
    "trả lời {codes}."
)
BAD_WEIGHT = "Dòng {line}: trọng số thiết kế «{value}» phải là số dương."
PARTIAL_WEIGHTS = "Cột design_weight phải có giá trị ở mọi dòng, hoặc để trống ở mọi dòng."
MORE_ERRORS = "… và {count} lỗi khác."
POPULATION_MISSING_COLUMNS = "Bảng dân số thiếu cột: {columns}."
POPULATION_UNKNOWN_DISTRICT = (
    "Bảng dân số, dòng {line}: huyện «{value}» không thuộc tỉnh {province}."
)
POPULATION_BAD_VARIABLE = (
    "Bảng dân số, dòng {line}: biến «{value}» không hợp lệ (sex, age_group, urban_rural)."
)
POPULATION_BAD_CATEGORY = (
    "Bảng dân số, dòng {line}: nhóm «{value}» không có trong danh mục ({allowed})."
)
POPULATION_BAD_NUMBER = "Bảng dân số, dòng {line}: dân số «{value}» phải là số không âm."
POPULATION_DUPLICATE = "Bảng dân số, dòng {line}: trùng với dòng {first}."
POPULATION_INCONSISTENT = (
    "Bảng dân số, huyện {district}: tổng theo {variable} ({total}) khác tổng theo giới tính "
    "({expected})."
)


class ResponseFileError(ValueError):
    """A file cannot be imported; `errors` lists every problem found, in Vietnamese."""

    def __init__(self, errors: list[str]) -> None:
        shown = errors[:MAX_REPORTED_ERRORS]
        if len(errors) > MAX_REPORTED_ERRORS:
            shown.append(MORE_ERRORS.format(count=len(errors) - MAX_REPORTED_ERRORS))
        super().__init__("\n".join(shown))
        self.errors = shown


@dataclass(frozen=True)
class ParsedResponse:
    line: int
    respondent_id: str
    district: str
    commune: str
    village: str
    stratum: str
    sex: str
    age_group: str
    urban_rural: str
    design_weight: Decimal | None
    # Item code -> answer code exactly as in the file; blank cells are left out.
    answers: dict[str, str]


def decode_text(content: bytes) -> str:
    """UTF-8 (BOM or not) or UTF-16 with BOM."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ResponseFileError([BAD_ENCODING]) from error
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ResponseFileError([BAD_ENCODING]) from error


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalize_text(str(value))


def _xlsx_rows(content: bytes) -> list[list[str]]:
    # Imported here: openpyxl is only needed for XLSX uploads and is slow to import.
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # noqa: PLC0415

    try:
        # Zip bombs are refused from the archive's directory, before openpyxl unpacks anything;
        # XML bombs by defusedxml, which openpyxl uses when it is installed.
        check_zip(content)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        # Read-only workbooks parse the sheet while iterating, so that is guarded too.
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    except (*ZIP_READ_ERRORS, KeyError, IndexError) as error:
        raise ResponseFileError([BAD_XLSX.format(problem=error)]) from error
    return rows


def _csv_rows(content: bytes) -> list[list[str]]:
    text = decode_text(content)
    first_line = text.split("\n", 1)[0]
    # KoboToolbox writes ";" by default; spreadsheets and ODK Central write ",".
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    if "\t" in first_line and first_line.count("\t") > first_line.count(delimiter):
        delimiter = "\t"
    try:
        return [
            [normalize_text(cell) for cell in row]
            for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    except csv.Error as error:  # e.g. a cell over the csv module's 128 KB field limit
        raise ResponseFileError([BAD_CSV.format(problem=error)]) from error


def read_rows(content: bytes, file_name: str) -> list[list[str]]:
    """Rows of a CSV or XLSX file as text cells (first row = header), blank rows dropped."""
    if file_name.lower().endswith(".xlsx") or content.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(content)
    else:
        rows = _csv_rows(content)
    return [row for row in rows if any(cell for cell in row)]


def _column_name(header: str) -> str:
    return header.rsplit("/", 1)[-1].strip() if header.lower() not in KOBO_METADATA else header


def _is_metadata(header: str) -> bool:
    return header.startswith("_") or header.lower() in KOBO_METADATA


def _check_answer(item: Item, value: str, line: int) -> str | None:
    """The error text for a value an item does not accept, or None."""
    scale = item.scale
    if scale.kind == ScaleKind.CHOICE or scale.option(value) is not None:
        if scale.option(value) is None:
            return UNKNOWN_ANSWER.format(
                line=line, item=item.code, value=value, allowed=", ".join(scale.codes)
            )
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return NOT_A_NUMBER.format(line=line, item=item.code, value=value)
    if not math.isfinite(number) or not (scale.minimum or 0) <= number <= (scale.maximum or 0):
        return OUT_OF_RANGE.format(
            line=line,
            item=item.code,
            value=value,
            low=_plain(scale.minimum),
            high=_plain(scale.maximum),
        )
    return None


def _plain(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def parse_responses(
    *,
    content: bytes,
    file_name: str,
    questionnaire: Questionnaire,
    province_code: str,
    communes_by_district: Mapping[str, frozenset[str]],
    progress: Progress | None = None,
) -> list[ParsedResponse]:
    """Check every row of a response file; raise ResponseFileError listing all problems."""
    rows = read_rows(content, file_name)
    if len(rows) < 2:
        raise ResponseFileError([EMPTY_FILE])
    header = [_column_name(cell) for cell in rows[0]]
    errors: list[str] = []
    seen: set[str] = set()
    for column in header:
        if column and column in seen and not _is_metadata(column):
            errors.append(DUPLICATE_COLUMN.format(column=column))
        seen.add(column)
    missing = [column for column in REQUIRED_COLUMNS if column not in seen]
    if missing:
        errors.append(MISSING_COLUMNS.format(columns=", ".join(missing)))
    items = {item.code: item for item in questionnaire.items}
    missing_items = [code for code in items if code not in seen]
    if missing_items:
        errors.append(
            MISSING_ITEMS.format(columns=", ".join(missing_items), version=questionnaire.version)
        )
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS) | set(items)
    unknown = [c for c in header if c and c not in known and not _is_metadata(c)]
    if unknown:
        errors.append(
            UNKNOWN_COLUMNS.format(columns=", ".join(unknown), version=questionnaire.version)
        )
    if errors:
        raise ResponseFileError(errors)
    position = {column: index for index, column in enumerate(header) if column in known}
    design = questionnaire.design_options
    parsed: list[ParsedResponse] = []
    first_line: dict[str, int] = {}
    total = len(rows) - 1
    for number, row in enumerate(rows[1:], start=1):
        line = number + 1
        if progress is not None and (number % 500 == 0 or number == total):
            progress(number, total)

        def cell(column: str, row: list[str] = row) -> str:
            index = position.get(column)
            return row[index] if index is not None and index < len(row) else ""

        row_errors: list[str] = []
        respondent = cell("respondent_id")
        if not respondent:
            row_errors.append(MISSING_RESPONDENT_ID.format(line=line))
        elif respondent in first_line:
            row_errors.append(
                DUPLICATE_RESPONDENT.format(
                    line=line, value=respondent, first=first_line[respondent]
                )
            )
        else:
            first_line[respondent] = line
        district, commune = cell("district"), cell("commune")
        if district not in communes_by_district:
            row_errors.append(
                UNKNOWN_DISTRICT.format(line=line, value=district, province=province_code)
            )
        elif commune not in communes_by_district[district]:
            row_errors.append(UNKNOWN_COMMUNE.format(line=line, value=commune, district=district))
        if not cell("village"):
            row_errors.append(MISSING_VILLAGE.format(line=line))
        for variable in DESIGN_VARIABLES:
            value = cell(variable)
            if value not in design[variable]:
                row_errors.append(
                    BAD_DESIGN_CODE.format(
                        line=line, column=variable, value=value, allowed=", ".join(design[variable])
                    )
                )
        weight: Decimal | None = None
        raw_weight = cell("design_weight")
        if raw_weight:
            try:
                # "1,25", "1.25" and "1.234,5" alike (papitrack.lib.numbers).
                weight = parse_decimal(raw_weight)
            except DecimalParseError:
                weight = None
            if weight is None or not weight.is_finite() or weight <= 0:
                row_errors.append(BAD_WEIGHT.format(line=line, value=raw_weight))
        answers: dict[str, str] = {}
        for code, item in items.items():
            value = cell(code)
            if not value:
                continue
            problem = _check_answer(item, value, line)
            if problem is not None:
                row_errors.append(problem)
                continue
            condition = item.asked_if
            if condition is not None and cell(condition.item) not in condition.codes:
                row_errors.append(
                    SKIP_VIOLATION.format(
                        line=line,
                        item=code,
                        condition=condition.item,
                        codes=", ".join(condition.codes),
                    )
                )
                continue
            answers[code] = value
        if row_errors:
            errors.extend(row_errors)
            continue
        parsed.append(
            ParsedResponse(
                line=line,
                respondent_id=respondent,
                district=district,
                commune=commune,
                village=cell("village"),
                stratum=cell("stratum") or district,
                sex=cell("sex"),
                age_group=cell("age_group"),
                urban_rural=cell("urban_rural"),
                design_weight=weight,
                answers=answers,
            )
        )
    if not errors and parsed:
        weighted = sum(1 for response in parsed if response.design_weight is not None)
        if 0 < weighted < len(parsed):
            errors.append(PARTIAL_WEIGHTS)
    if errors:
        raise ResponseFileError(errors)
    return parsed


def encode_responses(
    responses: Iterable[ParsedResponse], questionnaire: Questionnaire
) -> ResponseData:
    """Turn checked responses into the arrays the scorer reads (scoring.item_values)."""
    responses = list(responses)
    items = questionnaire.items
    codes = np.full((len(responses), len(items)), np.nan)
    positions = [
        {option.code: index for index, option in enumerate(item.scale.options)} for item in items
    ]
    for row, response in enumerate(responses):
        for column, item in enumerate(items):
            value = response.answers.get(item.code)
            if value is None:
                continue
            if item.scale.kind == ScaleKind.CHOICE:
                codes[row, column] = positions[column][value]
            else:
                codes[row, column] = float(value.replace(",", "."))
    weights = None
    if responses and all(response.design_weight is not None for response in responses):
        weights = np.asarray([float(response.design_weight or 0) for response in responses])

    def field(name: str) -> tuple[str, ...]:
        return tuple(str(getattr(response, name)) for response in responses)

    return ResponseData(
        respondent_ids=field("respondent_id"),
        codes=codes,
        districts=field("district"),
        communes=field("commune"),
        villages=field("village"),
        strata=field("stratum"),
        sex=field("sex"),
        age_group=field("age_group"),
        urban_rural=field("urban_rural"),
        design_weights=weights,
    )


@dataclass(frozen=True)
class PopulationRow:
    district: str
    variable: str
    category: str
    population: Decimal


def parse_population(
    *,
    content: bytes,
    file_name: str,
    questionnaire: Questionnaire,
    province_code: str,
    districts: Iterable[str],
) -> list[PopulationRow]:
    """Check a population margins table: district, variable, category, population."""
    rows = read_rows(content, file_name)
    if len(rows) < 2:
        raise ResponseFileError([EMPTY_FILE])
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [column for column in POPULATION_COLUMNS if column not in header]
    if missing:
        raise ResponseFileError([POPULATION_MISSING_COLUMNS.format(columns=", ".join(missing))])
    index = {column: header.index(column) for column in POPULATION_COLUMNS}
    known = set(districts)
    errors: list[str] = []
    parsed: list[PopulationRow] = []
    first_line: dict[tuple[str, str, str], int] = {}
    for line, row in enumerate(rows[1:], start=2):
        values = {column: row[i] if i < len(row) else "" for column, i in index.items()}
        district, variable, category = values["district"], values["variable"], values["category"]
        if district not in known:
            errors.append(
                POPULATION_UNKNOWN_DISTRICT.format(
                    line=line, value=district, province=province_code
                )
            )
            continue
        if variable not in DESIGN_VARIABLES:
            errors.append(POPULATION_BAD_VARIABLE.format(line=line, value=variable))
            continue
        allowed = questionnaire.design_options[variable]
        if category not in allowed:
            errors.append(
                POPULATION_BAD_CATEGORY.format(
                    line=line, value=category, allowed=", ".join(allowed)
                )
            )
            continue
        try:
            population = parse_decimal(values["population"])
        except DecimalParseError:
            population = Decimal(-1)
        if not population.is_finite() or population < 0:
            errors.append(POPULATION_BAD_NUMBER.format(line=line, value=values["population"]))
            continue
        key = (district, variable, category)
        if key in first_line:
            errors.append(POPULATION_DUPLICATE.format(line=line, first=first_line[key]))
            continue
        first_line[key] = line
        parsed.append(PopulationRow(district, variable, category, population))
    totals: dict[tuple[str, str], Decimal] = {}
    for entry in parsed:
        pair = (entry.district, entry.variable)
        totals[pair] = totals.get(pair, Decimal(0)) + entry.population
    for (district, variable), total in sorted(totals.items()):
        expected = totals.get((district, DESIGN_VARIABLES[0]))
        if expected is not None and abs(total - expected) > Decimal("0.5"):
            errors.append(
                POPULATION_INCONSISTENT.format(
                    district=district, variable=variable, total=total, expected=expected
                )
            )
    if errors:
        raise ResponseFileError(errors)
    return parsed


def population_margins(rows: Iterable[PopulationRow]) -> PopulationMargins:
    margins: dict[str, dict[str, dict[str, float]]] = {}
    for row in rows:
        margins.setdefault(row.district, {}).setdefault(row.variable, {})[row.category] = float(
            row.population
        )
    return margins
