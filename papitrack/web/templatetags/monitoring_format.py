"""Template filters of the monitoring pages: percentages, traffic lights, states, heat cells."""

from __future__ import annotations

from decimal import Decimal

from django import template

from papitrack.calendars.enums import TaskState
from papitrack.lib.numbers import format_vietnamese
from papitrack.monitoring.enums import Accumulation, Achievement, TrafficLight
from papitrack.monitoring.queries.dashboards import DimensionStatus
from papitrack.monitoring.queries.rollups import KpiResult
from papitrack.monitoring.rollup import HUNDRED, Family, family_of
from papitrack.monitoring.tables import target_text

register = template.Library()

MISSING = "—"
LIGHT_CLASSES = {
    TrafficLight.GREEN: "text-bg-success",
    TrafficLight.AMBER: "text-bg-warning",
    TrafficLight.RED: "text-bg-danger",
    TrafficLight.GREY: "text-bg-secondary",
}
STATE_CLASSES = {
    TaskState.DONE_ON_TIME: "text-bg-success",
    TaskState.DONE_LATE: "text-bg-warning",
    TaskState.IN_PROGRESS: "text-bg-primary",
    TaskState.OVERDUE: "text-bg-danger",
}
# Completeness buckets of the heat map, lowest first (app.css: .heat-0 … .heat-4).
HEAT_STEPS = (Decimal("0.25"), Decimal("0.5"), Decimal("0.75"), Decimal(1))


@register.filter
def vn_percent(ratio: Decimal | None, places: int = 1) -> str:
    """0.929 -> "92,9%"; None (nothing to divide) -> "—"."""
    if ratio is None:
        return MISSING
    return f"{format_vietnamese(ratio * HUNDRED, int(places))}%"


@register.filter
def vn_int(value: int | None) -> str:
    """14653 -> "14.653" (Vietnamese thousands separator)."""
    return MISSING if value is None else format_vietnamese(Decimal(value), 0)


@register.filter
def light_class(light: str) -> str:
    return LIGHT_CLASSES.get(TrafficLight(light), "text-bg-secondary")


@register.filter
def light_label(light: str) -> str:
    return str(TrafficLight(light).label) if light in TrafficLight.values else ""


@register.filter
def achievement_label(value: str) -> str:
    return str(Achievement(value).label) if value in Achievement.values else ""


@register.filter
def state_class(state: str | None) -> str:
    return STATE_CLASSES.get(TaskState(state), "") if state in TaskState.values else ""


@register.filter
def state_label(state: str | None) -> str:
    return str(TaskState(state).label) if state in TaskState.values else ""


@register.filter
def accumulation_label(value: str) -> str:
    return str(Accumulation(value).label) if value in Accumulation.values else ""


@register.filter
def heat_class(ratio: Decimal | None) -> str:
    """A heat-map cell's colour class from its completeness; no report expected: blank."""
    if ratio is None:
        return "heat-none"
    step = next((position for position, limit in enumerate(HEAT_STEPS) if ratio < limit), 4)
    return f"heat-{step}"


def _plain(value: Decimal) -> str:
    exponent = value.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_vietnamese(value, places)


@register.filter
def kpi_value(result: KpiResult) -> str:
    """A rolled-up value in words: "2.672/2.944 = 90,8%" or "6/233 đơn vị = 2,6%"."""
    tally = result.tally
    if tally.reported == 0:
        return "Không có số liệu"
    family = family_of(result.kpi.kind)
    fraction = f"{_plain(tally.numerator)}/{_plain(tally.denominator)}"
    if family is not Family.RATIO:
        fraction += " đơn vị"
    percent = vn_percent(tally.ratio)
    if tally.ratio is None:
        return f"{fraction} (mẫu số bằng 0)"
    return f"{fraction} = {percent}"


@register.filter
def kpi_target(result: KpiResult) -> str:
    return target_text(result)


@register.filter
def kpi_coverage(result: KpiResult) -> str:
    """How many of the expected units' values count: "11/252 đơn vị có số liệu"."""
    return f"{result.tally.reported}/{result.tally.expected} đơn vị có số liệu"


@register.filter
def score_in(dimension: DimensionStatus, year: int) -> Decimal | None:
    """The dimension's published score in a year, or None."""
    return dimension.score_in(int(year))
