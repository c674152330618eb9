#!/usr/bin/env python3
"""Write Quảng Nam's pre-2025 administrative units and their 1 July 2025 successors to CSV.

DEV-ONLY. This script imports ``vietnamadminunits`` 1.0.4 (MIT), which depends on and imports
``Unidecode`` (GPL). Neither may ever be a run-time dependency of papitrack, so this script is run
by hand in a throwaway virtual environment (``make units`` creates one under /tmp, installs the
package there and runs this script). Its output, not the package, is committed:

* ``data/orgunits/quang_nam_units.csv``: the district-level units of Quảng Nam (GSO code 49) and
  their commune-level units, with official GSO codes, as in the package's legacy (pre-July-2025)
  table, plus Nông Sơn district, which the package no longer lists;
* ``data/orgunits/reorganisation_2025.csv``: each of those communes, and the province, mapped to its
  successor unit of the new Thành phố Đà Nẵng by the package's ``convert_address``.

The package reflects the eve of the 2025 reform, not 2020. The few corrections towards the 2020
state made here (Nông Sơn) and the notes on earlier mergers come from secondary sources and are
flagged as unverified in the ``note`` column; see data/orgunits/README.md.
"""

from __future__ import annotations

import argparse
import csv
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from vietnamadminunits import convert_address  # type: ignore[import-not-found, import-untyped, unused-ignore]
from vietnamadminunits.converter.converter_2025 import (  # type: ignore[import-not-found, import-untyped, unused-ignore]
    DICT_PROVINCE_WARD_DIVIDED,
)
from vietnamadminunits.database import query  # type: ignore[import-not-found, import-untyped, unused-ignore]

PACKAGE = "vietnamadminunits"
PACKAGE_VERSION = "1.0.4"
LEGACY_SOURCE = f"{PACKAGE} {PACKAGE_VERSION} (legacy table)"
CONVERTER_SOURCE = f"{PACKAGE} {PACKAGE_VERSION} (convert_address)"
SECONDARY_SOURCE = "secondary sources, see data/orgunits/README.md"

PROVINCE_CODE = "49"  # Tỉnh Quảng Nam; its own row lives in bodies.csv.
MERGED_PROVINCE_CODES = ("48", "49")  # old Đà Nẵng and Quảng Nam, merged into the new Đà Nẵng.
LEGACY_VALID_TO = "2025-06-30"
REFORM_EFFECTIVE_ON = "2025-07-01"

UNITS_HEADER = (
    "code",
    "kind",
    "name",
    "short_name",
    "parent",
    "valid_from",
    "valid_to",
    "source",
    "note",
)
REORGANISATION_HEADER = (
    "old_code",
    "old_name",
    "new_code",
    "new_name",
    "new_province_code",
    "change_kind",
    "effective_on",
    "source",
)

# Nông Sơn district existed in 2020 but is absent from the package, which places its communes
# under Quế Sơn (509). Its code is not in the package: several independent older copies of the
# GSO list found in public repositories give 519 for "Huyện Nông Sơn" in province 49.
NONG_SON_CODE = "519"
NONG_SON_NAME = "Huyện Nông Sơn"
NONG_SON_SHORT_NAME = "Nông Sơn"
QUE_SON_CODE = "509"
NONG_SON_VALID_TO = "2024-12-31"
NONG_SON_NOTE = (
    "Not in the package. Merged into Huyện Quế Sơn by Resolution 1241/NQ-UBTVQH15, "
    "reported effective 2025-01-01 (secondary; date to verify). Code 519 from older third-party "
    "copies of the GSO list, not from the package: verify against the official GSO list. "
    "Created 2008 (secondary); valid_from left empty."
)
# Communes that an older third-party GSO list places in district 519 and that the package still
# lists (under Quế Sơn). The 2025 converter groups exactly these into Xã Nông Sơn and Xã Quế Phước.
NONG_SON_COMMUNE_CODES = frozenset({"20656", "20668", "20669", "20671", "20692"})
NONG_SON_COMMUNE_NOTE = (
    "moved under Quế Sơn by a later merger; parent as in 2020 (package parent: 509)"
)

_ROUND_2023_2025 = (
    "in the 2023–2025 round (Resolution 1241/NQ-UBTVQH15, reported effective 2025-01-01; "
    "press reports of the province's plan; to verify): the 2020 unit was smaller"
)
_WARD_SINCE_2023 = (
    "was a Xã until Resolution 727/NQ-UBTVQH15 made it a Phường "
    "(reported effective 2023-04-10; secondary)"
)
# Notes on changes between 2020 and the package's state. All from secondary sources.
COMMUNE_NOTES: dict[str, str] = {
    "20347": f"merged with Phường Phước Hòa {_ROUND_2023_2025}",
    "20364": f"merged with Xã Tam Vinh {_ROUND_2023_2025}",
    "20560": _WARD_SINCE_2023,
    "20561": _WARD_SINCE_2023,
    "20562": _WARD_SINCE_2023,
    "20593": _WARD_SINCE_2023,
    "20596": _WARD_SINCE_2023,
    "20608": f"merged with Xã Duy Thu {_ROUND_2023_2025}",
    "20656": (
        "was Xã Quế Trung until Resolution 727/NQ-UBTVQH15 made it Thị trấn Trung Phước "
        "(reported effective 2023-04-10; secondary)"
    ),
    "20668": (
        "an older third-party GSO list names code 20668 Xã Quế Ninh and lists a separate "
        "Xã Quế Phước; the name and extent in 2020 are not verified"
    ),
    "20671": f"merged with Xã Sơn Viên {_ROUND_2023_2025}",
    "20758": f"formed from Xã Hiệp Hòa and Xã Hiệp Thuận {_ROUND_2023_2025}",
    "20821": f"formed from Xã Bình Định Bắc and Xã Bình Định Nam {_ROUND_2023_2025}",
    "20827": f"merged with Xã Bình Chánh {_ROUND_2023_2025}",
    "20857": f"merged with Xã Tiên Cẩm {_ROUND_2023_2025}",
}


@dataclass(frozen=True)
class LegacyCommune:
    """One commune-level unit of the package's legacy (pre-July-2025) table."""

    code: str
    name: str
    short_name: str
    package_name: str
    district_code: str
    district_name: str
    province_name: str
    converter_key: str


@dataclass(frozen=True)
class Successor:
    """Where convert_address puts an old commune; empty codes when it could not map it."""

    new_code: str
    new_name: str
    new_province_code: str
    new_province_name: str
    is_split: bool
    problem: str


def nfc(text: str | None) -> str:
    """Return text in Unicode NFC, with None as the empty string."""
    return unicodedata.normalize("NFC", text or "").strip()


def check_package_version() -> None:
    """Stop unless the pinned package version is installed, so the output is reproducible."""
    installed = version(PACKAGE)
    if installed != PACKAGE_VERSION:
        raise SystemExit(f"{PACKAGE} {PACKAGE_VERSION} is required, found {installed}")


@cache
def legacy_table() -> tuple[dict[str, Any], ...]:
    """Read the package's legacy (pre-July-2025) table once: one row per commune-level unit."""
    return tuple(query("SELECT * FROM admin_units_legacy ORDER BY districtCode, wardCode"))


def load_legacy_rows(province_code: str) -> list[dict[str, Any]]:
    """Return the legacy table's rows of one old province."""
    return [row for row in legacy_table() if row["provinceCode"] == province_code]


def load_legacy_communes(province_code: str) -> list[LegacyCommune]:
    """Read the commune-level units of one old province from the package's legacy table."""
    communes = []
    for row in load_legacy_rows(province_code):
        if not row["wardCode"]:
            continue
        kind_name = nfc(row["wardType"])
        short_name = nfc(row["wardShort"])
        communes.append(
            LegacyCommune(
                code=nfc(row["wardCode"]),
                name=f"{kind_name} {short_name}",
                short_name=short_name,
                package_name=nfc(row["ward"]),
                district_code=nfc(row["districtCode"]),
                district_name=nfc(row["district"]),
                province_name=nfc(row["province"]),
                converter_key=f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey']}",
            )
        )
    return sorted(communes, key=lambda commune: commune.code)


def load_legacy_districts(province_code: str) -> list[dict[str, str]]:
    """Read the district-level units of one old province from the package's legacy table."""
    districts: dict[str, dict[str, str]] = {}
    for row in load_legacy_rows(province_code):
        code = nfc(row["districtCode"])
        districts[code] = {
            "code": code,
            "name": nfc(row["district"]),
            "short_name": nfc(row["districtShort"]),
        }
    return [districts[code] for code in sorted(districts)]


def load_districts_without_communes(province_code: str) -> list[dict[str, str]]:
    """Read district-level units that have no communes (island districts such as Hoàng Sa)."""
    return [
        {"name": nfc(row["district"]), "province": nfc(row["province"])}
        for row in load_legacy_rows(province_code)
        if not row["wardCode"]
    ]


def find_successor(commune: LegacyCommune) -> Successor:
    """Map one old commune to its 1 July 2025 unit with the package's converter."""
    address = f"{commune.package_name}, {commune.district_name}, {commune.province_name}"
    unit = convert_address(address)
    parsed_old_code = nfc(unit.OldAdminUnit.ward_code)
    new_province_code = nfc(unit.province_code)
    divided = DICT_PROVINCE_WARD_DIVIDED.get(nfc(unit.province_key), {})
    is_split = commune.converter_key in divided
    if parsed_old_code != commune.code:
        problem = f"the converter read {address!r} as old unit {parsed_old_code or 'none'}"
        return Successor("", "", new_province_code, nfc(unit.province), is_split, problem)
    if not unit.ward_code:
        problem = f"the converter found no new commune-level unit for {address!r}"
        return Successor("", "", new_province_code, nfc(unit.province), is_split, problem)
    return Successor(
        new_code=nfc(unit.ward_code),
        new_name=nfc(unit.ward),
        new_province_code=new_province_code,
        new_province_name=nfc(unit.province),
        is_split=is_split,
        problem="",
    )


def count_predecessors(province_codes: Sequence[str]) -> Counter[str]:
    """Count the old units (of every merged old province) that map to each new unit code."""
    counts: Counter[str] = Counter()
    for province_code in province_codes:
        for commune in load_legacy_communes(province_code):
            successor = find_successor(commune)
            if successor.new_code:
                counts[successor.new_code] += 1
        for district in load_districts_without_communes(province_code):
            unit = convert_address(f"{district['name']}, {district['province']}")
            if unit.ward_code:
                counts[nfc(unit.ward_code)] += 1
    return counts


def change_kind(commune: LegacyCommune, successor: Successor, predecessors: Counter[str]) -> str:
    """Classify the change from an old commune to its new unit."""
    if not successor.new_code:
        return ""
    if successor.is_split:
        return "split"
    if predecessors[successor.new_code] > 1:
        return "merge"
    return "same" if successor.new_name == commune.name else "rename"


def unit_rows(communes: Iterable[LegacyCommune]) -> list[dict[str, str]]:
    """Build the rows of quang_nam_units.csv: district-level units first, then communes."""
    rows: list[dict[str, str]] = []
    for district in load_legacy_districts(PROVINCE_CODE):
        rows.append(
            {
                "code": district["code"],
                "kind": "district",
                "name": district["name"],
                "short_name": district["short_name"],
                "parent": PROVINCE_CODE,
                "valid_from": "",
                "valid_to": LEGACY_VALID_TO,
                "source": LEGACY_SOURCE,
                "note": "",
            }
        )
    if any(row["code"] == NONG_SON_CODE for row in rows):
        raise SystemExit("The package lists Nông Sơn (519): review the Nông Sơn corrections")
    rows.append(
        {
            "code": NONG_SON_CODE,
            "kind": "district",
            "name": NONG_SON_NAME,
            "short_name": NONG_SON_SHORT_NAME,
            "parent": PROVINCE_CODE,
            "valid_from": "",
            "valid_to": NONG_SON_VALID_TO,
            "source": SECONDARY_SOURCE,
            "note": NONG_SON_NOTE,
        }
    )
    rows.sort(key=lambda row: row["code"])

    for commune in communes:
        notes = []
        parent = commune.district_code
        if commune.code in NONG_SON_COMMUNE_CODES:
            if commune.district_code != QUE_SON_CODE:
                raise SystemExit(f"{commune.code} is no longer under Quế Sơn in the package")
            parent = NONG_SON_CODE
            notes.append(NONG_SON_COMMUNE_NOTE)
        if commune.code in COMMUNE_NOTES:
            notes.append(COMMUNE_NOTES[commune.code])
        if commune.package_name != commune.name:
            notes.append(f"the package spells the name {commune.package_name!r}")
        rows.append(
            {
                "code": commune.code,
                "kind": "commune",
                "name": commune.name,
                "short_name": commune.short_name,
                "parent": parent,
                "valid_from": "",
                "valid_to": LEGACY_VALID_TO,
                "source": LEGACY_SOURCE,
                "note": "; ".join(notes),
            }
        )
    return rows


def write_csv(path: Path, header: Sequence[str], rows: Iterable[dict[str, str]]) -> int:
    """Write rows as UTF-8 (no BOM), NFC, comma-separated CSV with minimal quoting."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(header), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: nfc(row.get(key, "")) for key in header})
            count += 1
    return count


def main(argv: Sequence[str] | None = None) -> int:
    """Extract the units, convert them and write both CSV files."""
    default_output = Path(__file__).resolve().parent.parent / "data" / "orgunits"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=Path, default=default_output)
    args = parser.parse_args(argv)
    check_package_version()

    communes = load_legacy_communes(PROVINCE_CODE)
    units = unit_rows(communes)
    units_path = args.output_dir / "quang_nam_units.csv"
    write_csv(units_path, UNITS_HEADER, units)

    predecessors = count_predecessors(MERGED_PROVINCE_CODES)
    successors = {commune.code: find_successor(commune) for commune in communes}
    new_provinces = {(s.new_province_code, s.new_province_name) for s in successors.values()}
    if len(new_provinces) != 1:
        raise SystemExit(
            f"Quảng Nam's communes map to several new provinces: {sorted(new_provinces)}"
        )
    new_province_code, new_province_name = new_provinces.pop()
    province_name = communes[0].province_name
    reorganisation = [
        {
            "old_code": PROVINCE_CODE,
            "old_name": province_name,
            "new_code": new_province_code,
            "new_name": new_province_name,
            "new_province_code": new_province_code,
            "change_kind": "merge",
            "effective_on": REFORM_EFFECTIVE_ON,
            "source": f"{PACKAGE} {PACKAGE_VERSION} (converter province table)",
        }
    ]
    for commune in communes:
        successor = successors[commune.code]
        reorganisation.append(
            {
                "old_code": commune.code,
                "old_name": commune.name,
                "new_code": successor.new_code,
                "new_name": successor.new_name,
                "new_province_code": successor.new_province_code,
                "change_kind": change_kind(commune, successor, predecessors),
                "effective_on": REFORM_EFFECTIVE_ON,
                "source": CONVERTER_SOURCE,
            }
        )
    reorganisation_path = args.output_dir / "reorganisation_2025.csv"
    write_csv(reorganisation_path, REORGANISATION_HEADER, reorganisation)

    kinds = Counter(row["kind"] for row in units)
    print(
        f"wrote {units_path}: {kinds['district']} district-level units, {kinds['commune']} communes"
    )
    changes = Counter(row["change_kind"] or "unmapped" for row in reorganisation[1:])
    new_units = {row["new_code"] for row in reorganisation[1:] if row["new_code"]}
    print(
        f"wrote {reorganisation_path}: province {PROVINCE_CODE} -> {new_province_code} "
        f"({new_province_name}); {len(reorganisation) - 1} communes -> {len(new_units)} new units; "
        + ", ".join(f"{kind} {count}" for kind, count in sorted(changes.items()))
    )
    unmapped = [(code, s.problem) for code, s in successors.items() if not s.new_code]
    splits = [code for code, s in successors.items() if s.is_split]
    for code, problem in unmapped:
        print(f"  unmapped {code}: {problem}")
    for code in splits:
        print(f"  split {code}: mapped to the converter's default successor only")
    if not unmapped:
        print("  every commune was mapped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
