"""Parse and validate a plan file (docs/plan-file-format.md) into plain dataclasses.

Pure: no database access. The caller passes the known unit codes and dimension codes, and
gets either a ParsedPlan with warnings or a PlanFileError listing every problem found, each
in Vietnamese and naming where in the file it is.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from papitrack.lib.numbers import DecimalParseError, parse_decimal
from papitrack.orgunits.enums import UnitGroup, UnitLevel
from papitrack.tasks.enums import (
    Comparator,
    KpiKind,
    KpiUnit,
    OutputKind,
    SourceFlag,
    TimelineKind,
)

SUPPORTED_SCHEMA_VERSION = 1
TASK_KEY = re.compile(r"^D(?P<dimension>\d)-T(?P<position>\d+)$")

NOT_A_MAPPING = "{where}: phải là một bảng khóa–giá trị."
MISSING_KEY = "{where}: thiếu khóa bắt buộc «{key}»."
WRONG_SCHEMA = "schema_version: chỉ hỗ trợ phiên bản {supported}, tệp ghi {value}."
BAD_DATE = "{where}: «{value}» không phải ngày dạng YYYY-MM-DD."
BAD_DECIMAL = '{where}: «{value}» không phải số thập phân (viết trong dấu nháy, ví dụ "5.7").'
FLOAT_DECIMAL = '{where}: số {value} phải viết trong dấu nháy để giữ chính xác ("{value}").'
UNKNOWN_UNIT = "{where}: không có đơn vị «{value}» trong danh mục đơn vị."
UNKNOWN_DIMENSION = "{where}: không có chỉ số nội dung «{value}»."
UNKNOWN_CHOICE = "{where}: giá trị «{value}» không hợp lệ; cho phép: {allowed}."
BAD_TASK_KEY = "{where}: mã nhiệm vụ «{value}» phải có dạng D<số chỉ số>-T<thứ tự>, ví dụ D8-T3."
KEY_DIMENSION_MISMATCH = (
    "{where}: mã «{key}» không khớp chỉ số nội dung «{dimension}» (số {number})."
)
DUPLICATE_KEY = "{where}: mã «{value}» bị trùng."
NO_LEADS = "{where}: nhiệm vụ phải có ít nhất một đơn vị chủ trì theo dõi."
NO_TASKS = "tasks: kế hoạch không có nhiệm vụ nào."
BAD_GROUP = "{where}: nhóm xếp hạng phải là số từ 1 đến 4, tệp ghi «{value}»."
KPI_NEEDS_VALUE = "{where}: chỉ tiêu loại «{kind}» phải có comparator và value."
NOT_TEXT = "{where}: phải là chuỗi ký tự."
NOT_A_LIST = "{where}: phải là một danh sách."
NOT_AN_INTEGER = "{where}: «{value}» không phải số nguyên."

BASELINE_MISMATCH = (
    "Tổng điểm năm gốc ghi trong kế hoạch là {stated}, còn tổng điểm gốc suy ra từ 8 chỉ số "
    "nội dung (chỉ tiêu trừ mức tăng) là {implied} (lệch {difference})."
)
TARGET_SUM_MISMATCH = (
    "Chỉ tiêu tổng hợp là {overall} điểm, còn tổng chỉ tiêu của 8 chỉ số nội dung là {total} "
    "(lệch {difference})."
)
OVERALL_INCREMENT_MISMATCH = (
    "Chỉ tiêu tổng hợp {target} trừ mức tăng {increment} được {implied}, khác điểm gốc ghi "
    "trong kế hoạch {stated}."
)
FLAGGED_TASK = "Nhiệm vụ {key} ({label}): {flag} — {notes}"


class PlanFileError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class UnitRef:
    unit_code: str = ""
    level: str = ""
    group: str = ""


@dataclass(frozen=True)
class ParsedTarget:
    dimension: str
    label: str
    score: Decimal
    increment: Decimal
    target_group: int
    text: str


@dataclass(frozen=True)
class ParsedSolution:
    section: str
    dimension: str | None
    heading: str
    items: list[str]


@dataclass(frozen=True)
class ParsedDuty:
    number: int
    heading: str
    units: list[UnitRef]
    is_request: bool
    items: list[str]


@dataclass(frozen=True)
class ParsedKpi:
    code: str
    kind: str
    comparator: str
    value: Decimal | None
    unit: str
    population: str
    measure: str
    interpretation: str


@dataclass(frozen=True)
class ParsedTask:
    key: str
    position: int
    dimension: str
    printed_block: str
    printed_number: str
    title: str
    raw_text: str
    sub_items: list[dict[str, str]]
    kpi_text: str
    kpis: list[ParsedKpi]
    lead_text: str
    implementing_text: str
    leads: list[UnitRef]
    implementers: list[UnitRef]
    timeline_text: str
    timeline: dict[str, Any]
    expected_output: str
    outputs: list[str]
    flags: list[str]
    notes: str


@dataclass
class ParsedPlan:
    code: str
    number: str
    issued_on: datetime.date
    place: str
    issuer: str
    title: str
    signer_name: str
    signer_title: str
    signing_authority: list[str]
    index: str
    baseline_year: int
    target_year: int
    unit_plan_deadline: datetime.date | None
    unit_plan_deadline_wording: str
    unit_plan_deadline_inclusive: bool
    preamble: str
    stated_baseline_score: Decimal | None
    stated_baseline_group: int | None
    baseline_dimension_groups: dict[str, int]
    targets: list[ParsedTarget]
    purposes: list[str]
    requirements: list[str]
    solutions: list[ParsedSolution]
    duties: list[ParsedDuty]
    recipients: list[str]
    tasks: list[ParsedTask]
    source_notes: list[str]
    warnings: list[str] = field(default_factory=list)


def _nfc(value: Any) -> Any:
    """Normalise every string of a parsed YAML tree to NFC."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    if isinstance(value, list):
        return [_nfc(item) for item in value]
    if isinstance(value, dict):
        return {_nfc(key): _nfc(item) for key, item in value.items()}
    return value


class _Reader:
    """Collects every error instead of stopping at the first one."""

    def __init__(self, unit_codes: set[str], dimension_codes: dict[str, int]) -> None:
        self.errors: list[str] = []
        self.unit_codes = unit_codes
        self.dimension_codes = dimension_codes

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.errors.append(NOT_A_MAPPING.format(where=where))
            return {}
        return value

    def sequence(self, value: Any, where: str) -> list[Any]:
        """A list; empty (None) is an empty list; anything else is an error."""
        if value is None or value == "":
            return []
        if not isinstance(value, list):
            self.errors.append(NOT_A_LIST.format(where=where))
            return []
        return value

    def integer(self, value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int | str):
            self.errors.append(NOT_AN_INTEGER.format(where=where, value=value))
            return 0
        try:
            return int(value)
        except ValueError:
            self.errors.append(NOT_AN_INTEGER.format(where=where, value=value))
            return 0

    def required(self, data: dict[str, Any], key: str, where: str) -> Any:
        if key not in data or data[key] is None:
            self.errors.append(MISSING_KEY.format(where=where, key=key))
            return None
        return data[key]

    def text(self, data: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = self.required(data, key, where) if required else data.get(key, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            self.errors.append(NOT_TEXT.format(where=f"{where}.{key}"))
            return str(value)
        return value

    def texts(self, data: dict[str, Any], key: str, where: str) -> list[str]:
        values = data.get(key) or []
        if not isinstance(values, list):
            self.errors.append(NOT_TEXT.format(where=f"{where}.{key}"))
            return []
        return [str(value) for value in values]

    def decimal(self, value: Any, where: str) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, float):
            self.errors.append(FLOAT_DECIMAL.format(where=where, value=value))
            return None
        try:
            return parse_decimal(str(value))
        except DecimalParseError:
            self.errors.append(BAD_DECIMAL.format(where=where, value=value))
            return None

    def date(self, value: Any, where: str) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.errors.append(BAD_DATE.format(where=where, value=value))
            return None

    def choice(self, value: Any, allowed: list[str], where: str) -> str:
        if not isinstance(value, str) or value not in allowed:
            self.errors.append(
                UNKNOWN_CHOICE.format(where=where, value=value, allowed=", ".join(allowed))
            )
            return ""
        return str(value)

    def dimension(self, value: Any, where: str, *, allow_overall: bool = False) -> str:
        if value == "overall" and allow_overall:
            return "overall"
        if not isinstance(value, str) or value not in self.dimension_codes:
            self.errors.append(UNKNOWN_DIMENSION.format(where=where, value=value))
            return ""
        return str(value)

    def group(self, value: Any, where: str) -> int:
        if not isinstance(value, int) or not 1 <= value <= 4:
            self.errors.append(BAD_GROUP.format(where=where, value=value))
            return 0
        return value

    def unit_ref(self, value: Any, where: str) -> UnitRef:
        text = str(value)
        if text.startswith("level:"):
            return UnitRef(level=self.choice(text[6:], UnitLevel.values, where))
        if text.startswith("group:"):
            return UnitRef(group=self.choice(text[6:], UnitGroup.values, where))
        if text not in self.unit_codes:
            self.errors.append(UNKNOWN_UNIT.format(where=where, value=text))
        return UnitRef(unit_code=text)

    def unit_refs(self, values: Any, where: str) -> list[UnitRef]:
        if not isinstance(values, list):
            self.errors.append(NOT_A_MAPPING.format(where=where))
            return []
        return [self.unit_ref(value, f"{where}[{i}]") for i, value in enumerate(values)]


def _parse_kpi(reader: _Reader, data: Any, where: str) -> ParsedKpi:
    kpi = reader.mapping(data, where)
    kind = reader.choice(kpi.get("kind"), KpiKind.values, f"{where}.kind")
    comparator = kpi.get("comparator") or ""
    if comparator:
        comparator = reader.choice(comparator, Comparator.values, f"{where}.comparator")
    value = reader.decimal(kpi.get("value"), f"{where}.value")
    if kind in {KpiKind.SHARE_OF_UNITS, KpiKind.RATIO, KpiKind.COUNT} and (
        not comparator or value is None
    ):
        reader.errors.append(KPI_NEEDS_VALUE.format(where=where, kind=kind))
    unit = kpi.get("unit") or ""
    if unit:
        unit = reader.choice(unit, KpiUnit.values, f"{where}.unit")
    return ParsedKpi(
        code=reader.text(kpi, "code", where),
        kind=kind,
        comparator=comparator,
        value=value,
        unit=unit,
        population=str(kpi.get("population") or ""),
        measure=str(kpi.get("measure") or ""),
        interpretation=str(kpi.get("interpretation") or ""),
    )


def _parse_timeline(reader: _Reader, data: Any, where: str) -> dict[str, Any]:
    timeline = reader.mapping(data, where)
    kind = reader.choice(timeline.get("kind"), TimelineKind.values, f"{where}.kind")
    result: dict[str, Any] = {"kind": kind}
    for key in ("year", "quarter", "month", "months"):
        if key in timeline:
            result[key] = timeline[key]
    if "text" in timeline:
        result["text"] = str(timeline["text"])
    if kind == TimelineKind.BY_QUARTER and not (
        isinstance(result.get("quarter"), int)
        and result["quarter"] in {1, 2, 3, 4}
        and isinstance(result.get("year"), int)
    ):
        reader.errors.append(MISSING_KEY.format(where=where, key="quarter, year"))
    if kind == TimelineKind.YEARLY_MONTH and not (
        isinstance(result.get("month"), int) and result["month"] in range(1, 13)
    ):
        reader.errors.append(MISSING_KEY.format(where=where, key="month"))
    if kind == TimelineKind.EVERY_MONTHS and not isinstance(result.get("months"), int):
        reader.errors.append(MISSING_KEY.format(where=where, key="months"))
    return result


def _parse_task(reader: _Reader, data: Any, position: int, seen: set[str]) -> ParsedTask:
    where = f"tasks[{position - 1}]"
    task = reader.mapping(data, where)
    key = reader.text(task, "key", where)
    where = f"tasks[{position - 1}] ({key})"
    if key in seen:
        reader.errors.append(DUPLICATE_KEY.format(where=where, value=key))
    seen.add(key)
    dimension = reader.dimension(task.get("dimension"), f"{where}.dimension")
    match = TASK_KEY.match(key)
    if match is None:
        reader.errors.append(BAD_TASK_KEY.format(where=where, value=key))
    elif dimension and int(match["dimension"]) != reader.dimension_codes[dimension]:
        reader.errors.append(
            KEY_DIMENSION_MISMATCH.format(
                where=where,
                key=key,
                dimension=dimension,
                number=reader.dimension_codes[dimension],
            )
        )
    kpis = [
        _parse_kpi(reader, kpi, f"{where}.kpis[{i}]")
        for i, kpi in enumerate(reader.sequence(task.get("kpis"), f"{where}.kpis"))
    ]
    leads = reader.unit_refs(task.get("leads") or [], f"{where}.leads")
    if not leads:
        reader.errors.append(NO_LEADS.format(where=where))
    outputs = [
        reader.choice(output, OutputKind.values, f"{where}.outputs")
        for output in reader.sequence(task.get("outputs"), f"{where}.outputs")
    ]
    flags = [
        reader.choice(flag, SourceFlag.values, f"{where}.flags")
        for flag in reader.sequence(task.get("flags"), f"{where}.flags")
    ]
    sub_items = [
        {"number": str(item.get("number", "")), "text": str(item.get("text", ""))}
        for item in reader.sequence(task.get("sub_items"), f"{where}.sub_items")
        if isinstance(item, dict)
    ]
    return ParsedTask(
        key=key,
        position=position,
        dimension=dimension,
        printed_block=str(reader.required(task, "printed_block", where) or ""),
        printed_number=str(reader.required(task, "printed_number", where) or ""),
        title=reader.text(task, "title", where),
        raw_text=reader.text(task, "raw_text", where, required=False),
        sub_items=sub_items,
        kpi_text=reader.text(task, "kpi_text", where, required=False),
        kpis=kpis,
        lead_text=reader.text(task, "lead_text", where),
        implementing_text=reader.text(task, "implementing_text", where),
        leads=leads,
        implementers=reader.unit_refs(task.get("implementers") or [], f"{where}.implementers"),
        timeline_text=reader.text(task, "timeline_text", where),
        timeline=_parse_timeline(reader, task.get("timeline"), f"{where}.timeline"),
        expected_output=reader.text(task, "expected_output", where, required=False),
        outputs=outputs,
        flags=flags,
        notes=reader.text(task, "notes", where, required=False),
    )


def _consistency_warnings(plan: ParsedPlan) -> list[str]:
    """Report inconsistencies of the source as warnings: they are the plan's, not ours."""
    warnings: list[str] = []
    dimensions = [target for target in plan.targets if target.dimension != "overall"]
    overall = next((target for target in plan.targets if target.dimension == "overall"), None)
    if plan.stated_baseline_score is not None and dimensions:
        implied = sum((target.score - target.increment for target in dimensions), Decimal(0))
        if implied != plan.stated_baseline_score:
            warnings.append(
                BASELINE_MISMATCH.format(
                    stated=plan.stated_baseline_score,
                    implied=implied,
                    difference=plan.stated_baseline_score - implied,
                )
            )
    if overall is not None and dimensions:
        total = sum((target.score for target in dimensions), Decimal(0))
        if total != overall.score:
            warnings.append(
                TARGET_SUM_MISMATCH.format(
                    overall=overall.score, total=total, difference=overall.score - total
                )
            )
        if (
            plan.stated_baseline_score is not None
            and overall.score - overall.increment != plan.stated_baseline_score
        ):
            warnings.append(
                OVERALL_INCREMENT_MISMATCH.format(
                    target=overall.score,
                    increment=overall.increment,
                    implied=overall.score - overall.increment,
                    stated=plan.stated_baseline_score,
                )
            )
    for task in plan.tasks:
        for flag in task.flags:
            if flag == SourceFlag.TRUNCATED_LEAD:
                warnings.append(
                    FLAGGED_TASK.format(
                        key=task.key,
                        label=f"{task.printed_block}.{task.printed_number}",
                        flag=SourceFlag(flag).label,
                        notes=task.notes,
                    )
                )
    return warnings


def parse_plan(raw: Any, *, unit_codes: set[str], dimension_codes: dict[str, int]) -> ParsedPlan:
    """Validate a loaded YAML tree; raise PlanFileError listing every problem found."""
    reader = _Reader(unit_codes, dimension_codes)
    data = reader.mapping(_nfc(raw), "tệp")
    if not data:
        raise PlanFileError(reader.errors)
    if data.get("schema_version") != SUPPORTED_SCHEMA_VERSION:
        raise PlanFileError(
            [
                WRONG_SCHEMA.format(
                    supported=SUPPORTED_SCHEMA_VERSION, value=data.get("schema_version")
                )
            ]
        )
    signer = reader.mapping(reader.required(data, "signer", "tệp") or {}, "signer")
    deadline = reader.mapping(data.get("unit_plan_deadline") or {}, "unit_plan_deadline")
    baseline = reader.mapping(data.get("baseline") or {}, "baseline")
    baseline_overall = reader.mapping(baseline.get("overall") or {}, "baseline.overall")
    targets = []
    for i, item in enumerate(reader.sequence(reader.required(data, "targets", "tệp"), "targets")):
        where = f"targets[{i}]"
        target = reader.mapping(item, where)
        targets.append(
            ParsedTarget(
                dimension=reader.dimension(
                    target.get("dimension"), f"{where}.dimension", allow_overall=True
                ),
                label=reader.text(target, "label", where),
                score=reader.decimal(reader.required(target, "score", where), f"{where}.score")
                or Decimal(0),
                increment=reader.decimal(
                    reader.required(target, "increment", where), f"{where}.increment"
                )
                or Decimal(0),
                target_group=reader.group(target.get("target_group"), f"{where}.target_group"),
                text=reader.text(target, "text", where, required=False),
            )
        )
    solutions = []
    for i, item in enumerate(reader.sequence(data.get("solutions"), "solutions")):
        where = f"solutions[{i}]"
        solution = reader.mapping(item, where)
        dimension = solution.get("dimension")
        solutions.append(
            ParsedSolution(
                section=reader.text(solution, "section", where),
                dimension=reader.dimension(dimension, f"{where}.dimension") if dimension else None,
                heading=reader.text(solution, "heading", where),
                items=reader.texts(solution, "items", where),
            )
        )
    duties = []
    for i, item in enumerate(reader.sequence(data.get("duties"), "duties")):
        where = f"duties[{i}]"
        duty = reader.mapping(item, where)
        duties.append(
            ParsedDuty(
                number=reader.integer(duty.get("number") or i + 1, f"{where}.number"),
                heading=reader.text(duty, "heading", where),
                units=reader.unit_refs(duty.get("units") or [], f"{where}.units"),
                is_request=bool(duty.get("request", False)),
                items=reader.texts(duty, "items", where),
            )
        )
    seen: set[str] = set()
    tasks = [
        _parse_task(reader, item, position, seen)
        for position, item in enumerate(reader.sequence(data.get("tasks"), "tasks"), start=1)
    ]
    if not tasks:
        reader.errors.append(NO_TASKS)
    issuer = str(reader.required(data, "issuer", "tệp") or "")
    if issuer and issuer not in unit_codes:
        reader.errors.append(UNKNOWN_UNIT.format(where="issuer", value=issuer))
    dimension_groups = {
        str(code): reader.group(group, f"baseline.dimension_groups.{code}")
        for code, group in reader.mapping(
            baseline.get("dimension_groups") or {}, "baseline.dimension_groups"
        ).items()
    }
    for code in dimension_groups:
        reader.dimension(code, "baseline.dimension_groups")
    plan = ParsedPlan(
        code=reader.text(data, "code", "tệp"),
        number=reader.text(data, "number", "tệp"),
        issued_on=reader.date(reader.required(data, "issued_on", "tệp"), "issued_on")
        or datetime.date.min,
        place=reader.text(data, "place", "tệp"),
        issuer=issuer,
        title=reader.text(data, "title", "tệp"),
        signer_name=reader.text(signer, "name", "signer"),
        signer_title=reader.text(signer, "title", "signer"),
        signing_authority=reader.texts(signer, "authority", "signer"),
        index=reader.text(data, "index", "tệp"),
        baseline_year=reader.integer(
            reader.required(data, "baseline_year", "tệp") or 0, "baseline_year"
        ),
        target_year=reader.integer(reader.required(data, "target_year", "tệp") or 0, "target_year"),
        unit_plan_deadline=reader.date(deadline["date"], "unit_plan_deadline.date")
        if deadline.get("date")
        else None,
        unit_plan_deadline_wording=str(deadline.get("wording") or ""),
        unit_plan_deadline_inclusive=bool(deadline.get("inclusive", True)),
        preamble=str(data.get("preamble") or ""),
        stated_baseline_score=reader.decimal(baseline_overall.get("score"), "baseline.overall"),
        stated_baseline_group=reader.group(baseline_overall["group"], "baseline.overall.group")
        if "group" in baseline_overall
        else None,
        baseline_dimension_groups=dimension_groups,
        targets=targets,
        purposes=reader.texts(data, "purposes", "tệp"),
        requirements=reader.texts(data, "requirements", "tệp"),
        solutions=solutions,
        duties=duties,
        recipients=reader.texts(data, "recipients", "tệp"),
        tasks=tasks,
        source_notes=reader.texts(data, "source_notes", "tệp"),
    )
    if reader.errors:
        raise PlanFileError(reader.errors)
    plan.warnings = _consistency_warnings(plan)
    return plan
