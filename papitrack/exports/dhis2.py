"""DHIS2 exchange formats: the mapping file, dataValueSets JSON and ADX XML. Pure functions.

papitrack's KPI values become DHIS2 aggregate data values (docs/dhis2.md):

- each (KPI, field) is one data element: a ratio KPI gives a numerator and a denominator
  element, a yes/no KPI an answer element (1 = yes, 0 = no) and, where a district answers
  for its communes, a child-answer element reported on the commune; a count KPI a count
  element; a milestone a "done" element (1/0);
- units are org units, by code (papitrack's unit codes are the official statistics codes);
- reporting periods are DHIS2 ISO periods: 2020Q3, 2020S2, 2020, 20200930 (a deadline).
  ADX writes them as start/duration: 2020-07-01/P3M.

The mapping file (data/dhis2/mapping.yaml) says which DHIS2 code (or UID) each of these has;
`default_mapping` generates one from a plan, to be edited by the province.
"""

from __future__ import annotations

import datetime
import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

import yaml
from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import (  # type: ignore[import-untyped]
    fromstring as safe_fromstring,
)
from django.core.exceptions import ValidationError
from django.db import models

MAPPING_VERSION = 1
ADX_NAMESPACE = "urn:ihe:qrph:adx:2015"
ID_SCHEMES = ("CODE", "UID")
UID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")
MAX_IMPORT_BYTES = 20 * 1024 * 1024

MAPPING_INVALID = "Tệp ánh xạ DHIS2 không hợp lệ: {detail}"
PAYLOAD_INVALID = "Tệp DHIS2 không hợp lệ: {detail}"
PAYLOAD_TOO_LARGE = "Tệp DHIS2 quá lớn ({size} MB); tối đa {limit} MB."
PAYLOAD_DANGEROUS = "Tệp XML chứa khai báo thực thể hoặc DTD nên bị từ chối."
UNKNOWN_FORMAT = "Không nhận ra định dạng: cần JSON dataValueSets hoặc ADX XML."


class Dhis2Field(models.TextChoices):
    """Which part of a KPI value a data element carries."""

    NUMERATOR = "numerator", "Tử số"
    DENOMINATOR = "denominator", "Mẫu số"
    COUNT = "count", "Số lần"
    ANSWER = "answer", "Đã thực hiện (1 = có, 0 = chưa)"
    CHILD_ANSWER = "child_answer", "Đơn vị trực thuộc đã thực hiện (1 = có, 0 = chưa)"
    MILESTONE_DONE = "milestone_done", "Đã hoàn thành (1 = có, 0 = chưa)"


FIELD_SUFFIX: dict[str, str] = {
    Dhis2Field.NUMERATOR: "NUM",
    Dhis2Field.DENOMINATOR: "DEN",
    Dhis2Field.COUNT: "COUNT",
    Dhis2Field.ANSWER: "YES",
    Dhis2Field.CHILD_ANSWER: "CHILD_YES",
    Dhis2Field.MILESTONE_DONE: "DONE",
}
# DHIS2 value types to create the data elements with (docs/dhis2.md).
VALUE_TYPE: dict[str, str] = {
    Dhis2Field.NUMERATOR: "NUMBER",
    Dhis2Field.DENOMINATOR: "NUMBER",
    Dhis2Field.COUNT: "INTEGER_ZERO_OR_POSITIVE",
    Dhis2Field.ANSWER: "INTEGER_ZERO_OR_POSITIVE",
    Dhis2Field.CHILD_ANSWER: "INTEGER_ZERO_OR_POSITIVE",
    Dhis2Field.MILESTONE_DONE: "INTEGER_ZERO_OR_POSITIVE",
}


@dataclass(frozen=True)
class DataElement:
    kpi_code: str
    field: str
    code: str
    uid: str = ""
    name: str = ""


@dataclass(frozen=True)
class Dhis2Mapping:
    """papitrack identifiers -> DHIS2 identifiers (and back)."""

    plan_code: str
    data_set: str
    id_scheme: str
    data_elements: tuple[DataElement, ...]
    org_units: Mapping[str, str]
    periods: Mapping[str, str]

    def element(self, kpi_code: str, field_name: str) -> DataElement | None:
        return self._elements.get((kpi_code, field_name))

    def identifier(self, element: DataElement) -> str:
        return element.uid if self.id_scheme == "UID" else element.code

    def element_by_identifier(self, identifier: str) -> DataElement | None:
        return self._by_identifier.get(identifier)

    def unit_for(self, dhis2_org_unit: str) -> str | None:
        return self._units_back.get(dhis2_org_unit)

    def period_for(self, iso_period: str) -> str | None:
        return self._periods_back.get(iso_period)

    @cached_property
    def _elements(self) -> dict[tuple[str, str], DataElement]:
        return {(element.kpi_code, element.field): element for element in self.data_elements}

    @cached_property
    def _by_identifier(self) -> dict[str, DataElement]:
        found: dict[str, DataElement] = {}
        for element in self.data_elements:
            found[element.code] = element
            if element.uid:
                found[element.uid] = element
        return found

    @cached_property
    def _units_back(self) -> dict[str, str]:
        return {dhis2: ours for ours, dhis2 in self.org_units.items()}

    @cached_property
    def _periods_back(self) -> dict[str, str]:
        return {dhis2: ours for ours, dhis2 in self.periods.items()}


@dataclass(frozen=True)
class DataValue:
    """One DHIS2 data value, identifiers already in DHIS2's terms."""

    data_element: str
    period: str
    org_unit: str
    value: str
    stored_by: str = ""
    last_updated: str = ""
    comment: str = ""


@dataclass(frozen=True)
class ExportResult:
    values: tuple[DataValue, ...]
    skipped: tuple[str, ...] = field(default_factory=tuple)


# --- periods --------------------------------------------------------------------------------

_YEAR = re.compile(r"^(\d{4})$")
_SIX_MONTHS = re.compile(r"^(\d{4})S([12])$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})(0[1-9]|1[0-2])$")
_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_ADX_PERIOD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})/P(\d+)([YMD])$")


def iso_period(*, kind: str, code: str, start: datetime.date, end: datetime.date) -> str | None:
    """The DHIS2 ISO period of a reporting period; None where DHIS2 has no such period type
    (nine months)."""
    if kind == "year":
        return f"{start.year}"
    if kind == "half_year":
        return f"{start.year}S{1 if start.month <= 6 else 2}"
    if kind == "quarter":
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    if kind == "month":
        return f"{start.year}{start.month:02d}"
    if kind == "deadline":
        return f"{end:%Y%m%d}"
    return None


def adx_period(iso: str) -> str:
    """2020Q3 -> 2020-07-01/P3M; 2020S2 -> 2020-07-01/P6M; 2020 -> 2020-01-01/P1Y."""
    if match := _YEAR.match(iso):
        return f"{match[1]}-01-01/P1Y"
    if match := _SIX_MONTHS.match(iso):
        return f"{match[1]}-{'01' if match[2] == '1' else '07'}-01/P6M"
    if match := _QUARTER.match(iso):
        return f"{match[1]}-{(int(match[2]) - 1) * 3 + 1:02d}-01/P3M"
    if match := _MONTH.match(iso):
        return f"{match[1]}-{match[2]}-01/P1M"
    if match := _DAY.match(iso):
        return f"{match[1]}-{match[2]}-{match[3]}/P1D"
    raise ValueError(iso)


def period_from_adx(text: str) -> str:
    """The inverse of adx_period."""
    match = _ADX_PERIOD.match(text.strip())
    if match is None:
        raise ValueError(text)
    year, month, day, amount, unit = match.groups()
    duration = f"{amount}{unit}"
    if duration == "1Y" and (month, day) == ("01", "01"):
        return year
    if duration == "6M" and day == "01" and month in {"01", "07"}:
        return f"{year}S{1 if month == '01' else 2}"
    if duration == "3M" and day == "01" and month in {"01", "04", "07", "10"}:
        return f"{year}Q{(int(month) - 1) // 3 + 1}"
    if duration == "1M" and day == "01":
        return f"{year}{month}"
    if duration == "1D":
        return f"{year}{month}{day}"
    raise ValueError(text)


# --- numbers --------------------------------------------------------------------------------


def format_number(value: Decimal) -> str:
    """A DHIS2 number: plain decimal notation, no trailing zeros ("950", "12.5")."""
    text = f"{value.normalize():f}"
    return "0" if text in {"-0", ""} else text


def parse_number(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation as error:
        raise ValueError(text) from error
    if not value.is_finite():
        raise ValueError(text)
    return value


# --- the mapping file -----------------------------------------------------------------------


def _invalid(detail: str) -> ValidationError:
    return ValidationError(MAPPING_INVALID.format(detail=detail))


def parse_mapping(text: str) -> Dhis2Mapping:
    """Read and check a mapping file (YAML); every problem is a Vietnamese ValidationError."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise _invalid(f"không đọc được YAML ({error})") from error
    except RecursionError as error:  # thousands of nested brackets
        raise _invalid("YAML lồng nhau quá sâu") from error
    if not isinstance(data, dict):
        raise _invalid("cần một bảng khóa–giá trị ở mức ngoài cùng")
    for name, kind, label in (
        ("data_elements", list, "danh sách"),
        ("org_units", dict, "bảng khóa–giá trị"),
        ("periods", dict, "bảng khóa–giá trị"),
    ):
        if data.get(name) is not None and not isinstance(data[name], kind):
            raise _invalid(f"{name} phải là {label}")
    if data.get("version") != MAPPING_VERSION:
        raise _invalid(f"phiên bản phải là {MAPPING_VERSION}")
    scheme = str(data.get("id_scheme", "CODE")).upper()
    if scheme not in ID_SCHEMES:
        raise _invalid("id_scheme phải là CODE hoặc UID")
    elements: list[DataElement] = []
    seen_codes: set[str] = set()
    for index, entry in enumerate(data.get("data_elements") or [], start=1):
        if not isinstance(entry, dict):
            raise _invalid(f"data_elements mục {index} không phải bảng khóa–giá trị")
        kpi_code = str(entry.get("kpi", "")).strip()
        field_name = str(entry.get("field", "")).strip()
        code = str(entry.get("code", "")).strip()
        uid = str(entry.get("uid") or "").strip()
        if not kpi_code or field_name not in Dhis2Field.values or not code:
            raise _invalid(f"data_elements mục {index} cần kpi, field hợp lệ và code")
        if uid and not UID_PATTERN.match(uid):
            raise _invalid(f"data_elements mục {index}: uid «{uid}» không đúng dạng 11 ký tự")
        if scheme == "UID" and not uid:
            raise _invalid(f"data_elements mục {index}: id_scheme UID nhưng thiếu uid")
        if code in seen_codes:
            raise _invalid(f"mã phần tử dữ liệu «{code}» bị trùng")
        seen_codes.add(code)
        elements.append(
            DataElement(
                kpi_code=kpi_code,
                field=field_name,
                code=code,
                uid=uid,
                name=str(entry.get("name", "")),
            )
        )
    org_units = {str(key): str(value) for key, value in (data.get("org_units") or {}).items()}
    periods = {str(key): str(value) for key, value in (data.get("periods") or {}).items()}
    for name, mapping in (("org_units", org_units), ("periods", periods)):
        if len(set(mapping.values())) != len(mapping):
            raise _invalid(f"{name}: hai mã papitrack trỏ tới cùng một mã DHIS2")
    for ours, iso in periods.items():
        try:
            adx_period(iso)
        except ValueError as error:
            raise _invalid(f"periods: «{iso}» (kỳ {ours}) không phải kỳ ISO của DHIS2") from error
    return Dhis2Mapping(
        plan_code=str(data.get("plan", "")),
        data_set=str(data.get("data_set", "")),
        id_scheme=scheme,
        data_elements=tuple(elements),
        org_units=org_units,
        periods=periods,
    )


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def mapping_to_yaml(mapping: Dhis2Mapping, *, unit_names: Mapping[str, str]) -> str:
    """Write a mapping file, with the units' names as comments so it can be edited by hand."""
    lines = [
        "# papitrack <-> DHIS2 mapping (docs/dhis2.md). Generated by",
        "# `manage.py dhis2_mapping`; edit the DHIS2 side (right-hand values, code, uid).",
        f"version: {MAPPING_VERSION}",
        f"plan: {_quoted(mapping.plan_code)}",
        f"data_set: {_quoted(mapping.data_set)}",
        f"id_scheme: {mapping.id_scheme}",
        "# One entry per (KPI, field). field: numerator, denominator, count, answer,",
        "# child_answer (reported on the commune), milestone_done.",
        "data_elements:",
    ]
    for element in mapping.data_elements:
        lines += [
            f"  - kpi: {_quoted(element.kpi_code)}",
            f"    field: {element.field}",
            f"    code: {_quoted(element.code)}",
            f"    uid: {_quoted(element.uid)}",
            f"    name: {_quoted(element.name)}",
        ]
    lines.append("# papitrack unit code: DHIS2 org unit code (or UID)")
    lines.append("org_units:")
    for ours, theirs in mapping.org_units.items():
        comment = unit_names.get(ours, "")
        lines.append(
            f"  {_quoted(ours)}: {_quoted(theirs)}" + (f"  # {comment}" if comment else "")
        )
    lines.append("# papitrack reporting period: DHIS2 ISO period")
    lines.append("periods:")
    for ours, theirs in mapping.periods.items():
        lines.append(f"  {_quoted(ours)}: {_quoted(theirs)}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class KpiRef:
    """What default_mapping needs to know of a KPI."""

    code: str
    kind: str
    population: str
    task_label: str
    measure: str


def fields_for(kind: str, population: str) -> tuple[str, ...]:
    """The data elements of a KPI, by kind (external KPIs are entered as ratios)."""
    if kind in {"ratio", "external"}:
        return (Dhis2Field.NUMERATOR, Dhis2Field.DENOMINATOR)
    if kind == "share_of_units":
        if "commune" in population:
            return (Dhis2Field.ANSWER, Dhis2Field.CHILD_ANSWER)
        return (Dhis2Field.ANSWER,)
    if kind == "count":
        return (Dhis2Field.COUNT,)
    return (Dhis2Field.MILESTONE_DONE,)


def element_code(kpi_code: str, field_name: str) -> str:
    """PT_D2_T1_K1_NUM: at most 50 characters, as DHIS2 codes must be."""
    return f"PT_{re.sub(r'[^A-Za-z0-9]', '_', kpi_code)}_{FIELD_SUFFIX[field_name]}"[:50]


def default_mapping(
    *,
    plan_code: str,
    kpis: Sequence[KpiRef],
    unit_codes: Iterable[str],
    periods: Mapping[str, str],
) -> Dhis2Mapping:
    """A mapping where DHIS2 uses papitrack's own codes: the starting point for a province."""
    elements = []
    for kpi in kpis:
        for field_name in fields_for(kpi.kind, kpi.population):
            label = Dhis2Field(field_name).label
            elements.append(
                DataElement(
                    kpi_code=kpi.code,
                    field=field_name,
                    code=element_code(kpi.code, field_name),
                    name=f"{kpi.task_label} {kpi.code}: {kpi.measure[:150]} – {label}"[:230],
                )
            )
    return Dhis2Mapping(
        plan_code=plan_code,
        data_set=f"PT_{re.sub(r'[^A-Za-z0-9]', '_', plan_code)}"[:50],
        id_scheme="CODE",
        data_elements=tuple(elements),
        org_units={code: code for code in sorted(unit_codes)},
        periods=dict(periods),
    )


# --- writing --------------------------------------------------------------------------------


def data_value_set_json(result: ExportResult, *, mapping: Dhis2Mapping) -> bytes:
    """{"dataSet": ..., "dataValues": [...]} as DHIS2's POST /api/dataValueSets reads it."""
    values = []
    for value in result.values:
        item = {
            "dataElement": value.data_element,
            "period": value.period,
            "orgUnit": value.org_unit,
            "value": value.value,
        }
        if value.stored_by:
            item["storedBy"] = value.stored_by
        if value.last_updated:
            item["lastUpdated"] = value.last_updated
        if value.comment:
            item["comment"] = value.comment
        values.append(item)
    payload: dict[str, Any] = {"dataValues": values}
    if mapping.data_set:
        payload = {"dataSet": mapping.data_set, **payload}
    return json.dumps(payload, ensure_ascii=False, indent=1).encode()


def adx_xml(result: ExportResult, *, mapping: Dhis2Mapping, exported: datetime.datetime) -> bytes:
    """ADX (IHE QRPH): one <group> per (org unit, period), one <dataValue> per value."""
    ElementTree.register_namespace("", ADX_NAMESPACE)
    root = ElementTree.Element(
        f"{{{ADX_NAMESPACE}}}adx", {"exported": exported.strftime("%Y-%m-%dT%H:%M:%SZ")}
    )
    groups: dict[tuple[str, str], ElementTree.Element] = {}
    for value in result.values:
        key = (value.org_unit, value.period)
        group = groups.get(key)
        if group is None:
            attributes = {"orgUnit": value.org_unit, "period": adx_period(value.period)}
            if mapping.data_set:
                attributes["dataSet"] = mapping.data_set
            group = ElementTree.SubElement(root, f"{{{ADX_NAMESPACE}}}group", attributes)
            groups[key] = group
        element = ElementTree.SubElement(
            group,
            f"{{{ADX_NAMESPACE}}}dataValue",
            {"dataElement": value.data_element, "value": value.value},
        )
        if value.comment:
            annotation = ElementTree.SubElement(element, f"{{{ADX_NAMESPACE}}}annotation")
            annotation.text = value.comment
    ElementTree.indent(root, space=" ")
    return bytes(ElementTree.tostring(root, encoding="utf-8", xml_declaration=True))


# --- reading --------------------------------------------------------------------------------


def _payload_invalid(detail: str) -> ValidationError:
    return ValidationError(PAYLOAD_INVALID.format(detail=detail))


def _check_size(content: bytes) -> None:
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationError(
            PAYLOAD_TOO_LARGE.format(
                size=round(len(content) / 1024 / 1024, 1), limit=MAX_IMPORT_BYTES // 1024 // 1024
            )
        )


def read_data_value_set_json(content: bytes) -> list[DataValue]:
    _check_size(content)
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _payload_invalid(f"không đọc được JSON ({error})") from error
    except RecursionError as error:  # thousands of nested brackets
        raise _payload_invalid("JSON lồng nhau quá sâu") from error
    rows = data.get("dataValues") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise _payload_invalid("thiếu danh sách «dataValues»")
    values = []
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise _payload_invalid(f"giá trị thứ {index} không phải đối tượng JSON")
        try:
            values.append(
                DataValue(
                    data_element=str(row["dataElement"]),
                    period=str(row["period"]),
                    org_unit=str(row["orgUnit"]),
                    value=str(row["value"]),
                    comment=str(row.get("comment") or ""),
                )
            )
        except KeyError as error:
            raise _payload_invalid(f"giá trị thứ {index} thiếu trường {error}") from error
    return values


def read_adx_xml(content: bytes) -> list[DataValue]:
    _check_size(content)
    try:
        root = safe_fromstring(content, forbid_dtd=True)
    except DefusedXmlException as error:
        raise ValidationError(PAYLOAD_DANGEROUS) from error
    except ElementTree.ParseError as error:
        raise _payload_invalid(f"không đọc được XML ({error})") from error
    namespace = f"{{{ADX_NAMESPACE}}}"
    if root.tag != f"{namespace}adx":
        raise _payload_invalid("phần tử gốc không phải <adx> (urn:ihe:qrph:adx:2015)")
    values = []
    for group in root.findall(f"{namespace}group"):
        org_unit = group.get("orgUnit", "")
        try:
            period = period_from_adx(group.get("period", ""))
        except ValueError as error:
            raise _payload_invalid(f"kỳ «{group.get('period')}» không đúng dạng ADX") from error
        for element in group.findall(f"{namespace}dataValue"):
            annotation = element.find(f"{namespace}annotation")
            values.append(
                DataValue(
                    data_element=element.get("dataElement", ""),
                    period=period,
                    org_unit=org_unit,
                    value=element.get("value", ""),
                    comment=(annotation.text or "") if annotation is not None else "",
                )
            )
    return values


def read_payload(content: bytes) -> list[DataValue]:
    """JSON dataValueSets or ADX XML, recognised by the first non-blank character."""
    start = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"{":
        return read_data_value_set_json(content)
    if start == b"<":
        return read_adx_xml(content)
    raise ValidationError(UNKNOWN_FORMAT)
