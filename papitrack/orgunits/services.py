"""Writes for org units: load the unit register from the data files."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from papitrack.lib.datafiles import read_csv_rows
from papitrack.lib.text import fold_text
from papitrack.orgunits.enums import DISTRICT_BODY_NAMES, ChangeKind, UnitKind, UnitLevel
from papitrack.orgunits.models import OrgUnit, OrgUnitChange

UNKNOWN_PARENT = "Tệp {file}, dòng {row}: không có đơn vị cấp trên mã «{parent}»."
UNKNOWN_KIND = "Tệp {file}, dòng {row}: loại đơn vị «{kind}» không hợp lệ."
BAD_DATE = "Tệp {file}, dòng {row}: ngày «{value}» không đúng dạng YYYY-MM-DD."
UNKNOWN_UNIT = "Tệp {file}, dòng {row}: không có đơn vị mã «{code}»."

# Units created by a reorganisation get a prefixed key: the new Đà Nẵng (official code 48)
# must never share an identifier with the old Đà Nẵng (also 48).
REORGANISATION_PREFIX = "2025-"
REORGANISATION_DAY = datetime.date(2025, 7, 1)
DISTRICT_BODY_SUFFIX = {
    UnitLevel.DISTRICT_HEALTH_CENTRE: "TTYT",
    UnitLevel.DISTRICT_RADIO: "TTTH",
    UnitLevel.DISTRICT_COURT: "TAND",
    UnitLevel.DISTRICT_POLICE: "CA",
}


@dataclass(frozen=True)
class UnitLoadResult:
    units: int
    changes: int


def _date(value: str, file: str, row: int) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise ValidationError(BAD_DATE.format(file=file, row=row, value=value)) from error


def _save_unit(code: str, **values: object) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first() or OrgUnit(code=code)
    for field, value in values.items():
        setattr(unit, field, value)
    unit.search_text = fold_text(f"{unit.name} {unit.short_name} {unit.code}")
    unit.full_clean()
    unit.save()
    return unit


def _lowercase_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _load_rows(path: Path, *, default_parent: OrgUnit | None) -> int:
    count = 0
    for row_number, row in enumerate(read_csv_rows(path), start=2):
        if OrgUnit.objects.filter(code=row["code"], kind=UnitKind.PROVINCE).exists():
            continue  # the province row of bodies.csv: provinces.csv already holds it
        if row["kind"] not in UnitKind.values:
            raise ValidationError(
                UNKNOWN_KIND.format(file=path.name, row=row_number, kind=row["kind"])
            )
        parent = default_parent
        if row.get("parent"):
            parent = OrgUnit.objects.filter(code=row["parent"]).first()
            if parent is None:
                raise ValidationError(
                    UNKNOWN_PARENT.format(file=path.name, row=row_number, parent=row["parent"])
                )
        level = {UnitKind.DISTRICT: UnitLevel.DISTRICT, UnitKind.COMMUNE: UnitLevel.COMMUNE}.get(
            UnitKind(row["kind"]), ""
        )
        _save_unit(
            row["code"],
            kind=row["kind"],
            level=level,
            name=row["name"],
            short_name=row.get("short_name", ""),
            parent=parent,
            official_code=row["code"].isdigit(),
            valid_from=_date(row.get("valid_from", ""), path.name, row_number),
            valid_to=_date(row.get("valid_to", ""), path.name, row_number),
            outside_command=row.get("outside_command", "").lower() == "true",
            source=row.get("source", ""),
            note=row.get("note", ""),
        )
        count += 1
    return count


def _create_district_bodies() -> int:
    count = 0
    for district in OrgUnit.objects.filter(kind=UnitKind.DISTRICT):
        for level, prefix in DISTRICT_BODY_NAMES.items():
            _save_unit(
                f"{district.code}-{DISTRICT_BODY_SUFFIX[level]}",
                kind=UnitKind.DISTRICT_AGENCY,
                level=level,
                name=f"{prefix} {_lowercase_first(district.name)}",
                short_name=f"{prefix} {district.short_name or district.name}",
                parent=district,
                official_code=False,
                valid_from=district.valid_from,
                valid_to=district.valid_to,
                outside_command=level in {UnitLevel.DISTRICT_COURT, UnitLevel.DISTRICT_POLICE},
                source="Sinh tự động: cơ quan cấp huyện mà kế hoạch giao việc theo cấp.",
                note="",
            )
            count += 1
    return count


def _load_reorganisation(path: Path) -> tuple[int, int]:
    units = changes = 0
    for row_number, row in enumerate(read_csv_rows(path), start=2):
        predecessor = OrgUnit.objects.filter(code=row["old_code"]).first()
        if predecessor is None:
            raise ValidationError(
                UNKNOWN_UNIT.format(file=path.name, row=row_number, code=row["old_code"])
            )
        if not row.get("new_code"):
            continue
        effective_on = _date(row["effective_on"], path.name, row_number) or REORGANISATION_DAY
        is_province = predecessor.kind == UnitKind.PROVINCE
        new_province_key = REORGANISATION_PREFIX + row["new_province_code"]
        successor_key = REORGANISATION_PREFIX + row["new_code"]
        if not OrgUnit.objects.filter(code=successor_key).exists():
            units += 1
        successor = _save_unit(
            successor_key,
            kind=UnitKind.PROVINCE if is_province else UnitKind.COMMUNE,
            level="" if is_province else UnitLevel.COMMUNE,
            name=row["new_name"],
            short_name=row["new_name"].removeprefix("Thành phố ").removeprefix("Tỉnh ")
            if is_province
            else "",
            parent=None if is_province else OrgUnit.objects.get(code=new_province_key),
            official_code=True,
            valid_from=effective_on,
            valid_to=None,
            outside_command=False,
            source=row.get("source", ""),
            note="Đơn vị sau sắp xếp ngày 1/7/2025; mã chính thức là phần sau tiền tố 2025-.",
        )
        kind = row["change_kind"] if row["change_kind"] in ChangeKind.values else ChangeKind.MERGE
        OrgUnitChange.objects.update_or_create(
            predecessor=predecessor,
            successor=successor,
            effective_on=effective_on,
            defaults={"kind": kind, "legal_basis": row.get("source", "")},
        )
        changes += 1
    return units, changes


@transaction.atomic
def load_org_units(*, directory: Path) -> UnitLoadResult:
    """Load provinces, the province's bodies, districts, communes and the 2025 mapping.

    Idempotent: running it again updates the same rows. District-level bodies that the plan
    names only as a level (health centres, radio stations, courts, police) are generated
    from the districts so that "level:district_health_centre" resolves to real units.
    """
    units = _load_rows(directory / "provinces.csv", default_parent=None)
    units += _load_rows(directory / "bodies.csv", default_parent=None)
    units += _load_rows(directory / "quang_nam_units.csv", default_parent=None)
    units += _create_district_bodies()
    changes = 0
    mapping = directory / "reorganisation_2025.csv"
    if mapping.exists():
        new_units, changes = _load_reorganisation(mapping)
        units += new_units
    return UnitLoadResult(units=units, changes=changes)
