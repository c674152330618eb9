"""Pieces every drafted document shares: who issues it, how figures are written.

Pure functions over units, tallies and KPIs (no queries).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from papitrack.exports.officialdoc import Letterhead, SignatureBlock
from papitrack.lib.numbers import format_vietnamese
from papitrack.monitoring.enums import Achievement
from papitrack.monitoring.rollup import Family, Tally, family_of
from papitrack.orgunits.enums import UnitKind
from papitrack.orgunits.models import OrgUnit
from papitrack.tasks.enums import KpiKind
from papitrack.tasks.models import Kpi

NO_DATA = "Chưa có số liệu"
# People's Committees: the body is the committee itself, named with its area on two lines,
# with no parent body above it (Decree 30, Appendix I).
COMMITTEE_KINDS = frozenset({UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE})
COMMITTEE = "ỦY BAN NHÂN DÂN"
AREA_PREFIXES: dict[str, str] = {
    UnitKind.PROVINCE: "TỈNH",
    UnitKind.DISTRICT: "HUYỆN",
    UnitKind.COMMUNE: "XÃ",
}
# Known area words at the start of a district's or commune's name ("Thị xã Điện Bàn").
AREA_WORDS = ("thành phố", "thị xã", "thị trấn", "huyện", "phường", "xã", "tỉnh")


@dataclass(frozen=True)
class Issuer:
    """The issuing unit as a document names it."""

    letterhead_parent: tuple[str, ...]
    letterhead_body: tuple[str, ...]
    code: str  # "SNV", "UBND"
    place: str  # "Quảng Nam", "Duy Xuyên"
    name: str  # "Sở Nội vụ", "UBND huyện Duy Xuyên"


def area_name(unit: OrgUnit) -> tuple[str, str]:
    """("huyện", "Duy Xuyên") from "Huyện Duy Xuyên"; the kind's word when none is written."""
    lowered = unit.name.lower()
    for word in AREA_WORDS:
        if lowered.startswith(word + " "):
            return word, unit.name[len(word) + 1 :].strip()
    return AREA_PREFIXES.get(unit.kind, "").lower(), unit.short_name or unit.name


def unit_code_for_number(unit: OrgUnit) -> str:
    """The body's code in "Số: …/BC-<code>": UBND for a committee, SNV for Sở Nội vụ,
    SLĐTBXH for "Sở LĐ-TB&XH"; initials of the name otherwise."""
    if unit.kind in COMMITTEE_KINDS:
        return "UBND"
    short = unit.short_name.strip()
    if short and " " not in short:
        return re.sub(r"[^\w]", "", short).upper()
    if short.lower().startswith("sở "):
        return "S" + re.sub(r"[^\w]", "", short[3:]).upper()
    words = re.findall(r"\w+", unit.name)
    return "".join(word[0] for word in words).upper()


def issuer_of(unit: OrgUnit) -> Issuer:
    """Header lines, code and place of a unit (load it with its parents)."""
    if unit.kind in COMMITTEE_KINDS:
        word, name = area_name(unit)
        return Issuer(
            letterhead_parent=(),
            letterhead_body=(COMMITTEE, f"{word} {name}".upper()),
            code="UBND",
            place=name,
            name=f"UBND {word} {name}",
        )
    parent = unit.parent
    parent_lines: tuple[str, ...] = ()
    place = unit.short_name or unit.name
    if parent is not None:
        word, name = area_name(parent)
        parent_lines = (COMMITTEE, f"{word} {name}".upper())
        place = name
    return Issuer(
        letterhead_parent=parent_lines,
        letterhead_body=(unit.name.upper(),),
        code=unit_code_for_number(unit),
        place=place,
        name=unit.name,
    )


def letterhead_for(
    issuer: Issuer, *, type_code: str, year: int, issued_on: datetime.date | None
) -> Letterhead:
    return Letterhead(
        parent_body=issuer.letterhead_parent,
        issuing_body=issuer.letterhead_body,
        type_code=type_code,
        issuer_code=issuer.code,
        place=issuer.place,
        year=year,
        issued_on=issued_on,
    )


def default_signature(unit: OrgUnit, *, name: str = "") -> SignatureBlock:
    """KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC for a department, TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH for
    a committee; the user changes it when someone else signs."""
    if unit.kind in COMMITTEE_KINDS:
        return SignatureBlock(("TM. ỦY BAN NHÂN DÂN",), "CHỦ TỊCH", name)
    return SignatureBlock(("KT. GIÁM ĐỐC",), "PHÓ GIÁM ĐỐC", name)


def signature_from_lines(lines: Sequence[str], *, name: str) -> SignatureBlock:
    """The form's lines: all but the last are the authority, the last the signer's title."""
    cleaned = [line.strip() for line in lines if line.strip()]
    if not cleaned:
        return SignatureBlock((), "", name)
    return SignatureBlock(tuple(cleaned[:-1]), cleaned[-1], name)


def short_date(day: datetime.date) -> str:
    """20/7/2020: how the body of a document cites another document's date."""
    return f"{day.day}/{day.month}/{day.year}"


# --- figures --------------------------------------------------------------------------------


def percent_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{format_vietnamese(value, 1)}%"


def count_text(count: int) -> str:
    """A count with the Vietnamese thousands dot: 14875 -> "14.875"."""
    return format_vietnamese(Decimal(count), 0)


def share_text(part: int, whole: int) -> str:
    """ "12/15 (80,0%)", "222/14.875 (1,5%)"; "0/0" when nothing was expected."""
    if whole == 0:
        return "0/0"
    return f"{count_text(part)}/{count_text(whole)} ({percent_text(Decimal(part) * 100 / whole)})"


def number_text(value: Decimal) -> str:
    places = 0 if value == value.to_integral_value() else 2
    return format_vietnamese(value, places)


def tally_text(kind: str, tally: Tally) -> str:
    """A KPI's value as the documents write it: the percentage and what it is made of."""
    if tally.reported == 0:
        return NO_DATA
    family = family_of(kind)
    missing = f"; {tally.missing} đơn vị chưa báo cáo" if tally.missing else ""
    if family is Family.RATIO:
        if tally.denominator == 0:
            return f"0/0 (không phát sinh){missing}"
        numerator, denominator = number_text(tally.numerator), number_text(tally.denominator)
        return f"{percent_text(tally.percent)} ({numerator}/{denominator}){missing}"
    units = f"{number_text(tally.numerator)}/{tally.expected} đơn vị"
    if family is Family.COUNT:
        return (
            f"{units} đạt ngưỡng ({percent_text(tally.percent)}); "
            f"tổng {number_text(tally.events)} lần{missing}"
        )
    return f"{units} ({percent_text(tally.percent)}){missing}"


def target_text(kpi: Kpi) -> str:
    """The KPI's target as the plan prints it ("≥ 100%", "≥ 1 lần/năm")."""
    shown = kpi.target_display
    if shown:
        return shown
    if kpi.kind in {KpiKind.MILESTONE, KpiKind.VAGUE}:
        return "Hoàn thành"
    return "Chưa có chỉ tiêu"


def achievement_text(achievement: str) -> str:
    return str(Achievement(achievement).label)


def fold_narratives(items: Sequence[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """Group identical texts: [(text, [unit names])], most cited first, order kept on ties."""
    grouped: dict[str, list[str]] = {}
    for unit_name, text in items:
        cleaned = " ".join(text.split())
        if not cleaned:
            continue
        names = grouped.setdefault(cleaned, [])
        if unit_name not in names:
            names.append(unit_name)
    ranked = sorted(grouped.items(), key=lambda item: -len(item[1]))
    return [(text, names) for text, names in ranked]


def names_text(names: Sequence[str], *, limit: int = 8) -> str:
    """ "A, B, C và 5 đơn vị khác"."""
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} và {len(names) - limit} đơn vị khác"
