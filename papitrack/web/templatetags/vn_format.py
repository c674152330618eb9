"""Template filters that print numbers, groups and codes the way Vietnamese documents do."""

from __future__ import annotations

from decimal import Decimal

from django import template

from papitrack.indices.enums import GroupSizeStatus, NameStatus, RankGroup
from papitrack.lib.numbers import format_vietnamese
from papitrack.orgunits.enums import UnitKind, UnitLevel
from papitrack.tasks.enums import Comparator, KpiKind, OutputKind, SourceFlag, TimelineKind
from papitrack.tasks.models import Task

register = template.Library()

# Typographic minus, as printed reports use; a hyphen would read as a dash in tables.
MINUS = "−"
MISSING = "—"


@register.filter
def vn_number(value: Decimal | None, places: int = 2) -> str:
    """44.3318 -> "44,33"; None -> "—"."""
    return format_vietnamese(value, int(places))


@register.filter
def vn_exact(value: Decimal | None) -> str:
    """The value at full stored precision, with at least one decimal: 46.5000 -> "46,5"."""
    if value is None:
        return MISSING
    normalized = value.normalize()
    places = max(1, -int(normalized.as_tuple().exponent))
    return format_vietnamese(value, places)


@register.filter
def vn_signed(value: Decimal | None, places: int = 2) -> str:
    """A change with its sign: 0.129 -> "+0,13", -1.07 -> "−1,07", None -> "—"."""
    if value is None:
        return MISSING
    text = format_vietnamese(value, int(places))
    if text.startswith("-"):
        return MINUS + text[1:]
    if text.strip("0,.") == "":
        return text
    return "+" + text


@register.filter
def vn_abs(value: Decimal | None, places: int = 2) -> str:
    """The size of a difference without its sign: -3.2377 -> "3,24"."""
    return MISSING if value is None else format_vietnamese(abs(value), int(places))


@register.filter
def rank_change(value: int | None) -> str:
    """Places gained (positive) or lost since the previous year: 3 -> "▲ 3", -16 -> "▼ 16"."""
    if value is None:
        return MISSING
    if value > 0:
        return f"▲ {value}"
    if value < 0:
        return f"▼ {-value}"
    return "="


@register.filter
def group_label(value: int | None) -> str:
    """1 -> "Nhóm đạt điểm cao nhất"."""
    if value is None:
        return MISSING
    return str(RankGroup(int(value)).label)


@register.filter
def group_short(value: int | None) -> str:
    """1 -> "Nhóm 1"."""
    return MISSING if value is None else f"Nhóm {value}"


@register.filter
def group_status_label(value: str | None) -> str:
    return "" if not value else str(GroupSizeStatus(value).label).lower()


@register.filter
def name_status_badge(value: str) -> str:
    """The badge for a name that is not confirmed; empty when it is."""
    if value == NameStatus.UNCERTAIN:
        return "chưa xác nhận"
    if value == NameStatus.SECONDARY:
        return "nguồn thứ cấp"
    return ""


@register.filter
def timeline_label(value: str) -> str:
    return str(TimelineKind(value).label) if value in TimelineKind.values else value


@register.filter
def kpi_kind_label(value: str) -> str:
    return str(KpiKind(value).label) if value in KpiKind.values else value


@register.filter
def comparator_label(value: str) -> str:
    return str(Comparator(value).label) if value in Comparator.values else value


@register.filter
def output_label(value: str) -> str:
    return str(OutputKind(value).label) if value in OutputKind.values else value


@register.filter
def flag_label(value: str) -> str:
    return str(SourceFlag(value).label) if value in SourceFlag.values else value


@register.filter
def unit_kind_label(value: str) -> str:
    return str(UnitKind(value).label) if value in UnitKind.values else value


@register.filter
def population_label(value: str) -> str:
    """A KPI population: a unit level or kind code becomes its name, other text stays."""
    if value in UnitLevel.values:
        return str(UnitLevel(value).label)
    if value in UnitKind.values:
        return str(UnitKind(value).label)
    return value


ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}


@register.filter
def timeline_detail(task: Task) -> str:
    """The structured timeline in words: "Định kỳ 6 tháng", "Quý III/2020", "Tháng 12 hằng năm"."""
    kind = task.timeline_kind
    if kind == TimelineKind.EVERY_MONTHS and task.timeline_months:
        return f"Định kỳ {task.timeline_months} tháng một lần"
    if kind == TimelineKind.BY_QUARTER and task.timeline_quarter:
        quarter = ROMAN_QUARTERS.get(task.timeline_quarter, str(task.timeline_quarter))
        return f"Quý {quarter}/{task.timeline_year}" if task.timeline_year else f"Quý {quarter}"
    if kind == TimelineKind.YEARLY_MONTH and task.timeline_month:
        return f"Tháng {task.timeline_month} hằng năm"
    return timeline_label(kind)
