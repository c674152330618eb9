"""Template filters for survey pages: verdicts, statuses and shares in Vietnamese."""

from __future__ import annotations

from decimal import Decimal

from django import template

from papitrack.lib.numbers import format_vietnamese
from papitrack.surveys.enums import EstimateStatus, Verdict

register = template.Library()

VERDICT_CLASSES = {
    Verdict.ABOVE: "text-bg-success",
    Verdict.WITHIN: "text-bg-secondary",
    Verdict.BELOW: "text-bg-danger",
    Verdict.NOT_ASSESSABLE: "text-bg-light border",
}
WEIGHTING_LABELS = {
    "raked": "Trọng số thiết kế, hậu phân tầng (raking) theo giới tính, nhóm tuổi và khu vực "
    "thành thị/nông thôn của từng huyện",
    "design": "Trọng số thiết kế ghi trong tệp, không hậu phân tầng",
    "equal": "Không gia quyền (mọi người trả lời có trọng số bằng nhau)",
}


@register.filter
def verdict_label(value: str) -> str:
    return str(Verdict(value).label) if value in Verdict.values else ""


@register.filter
def verdict_class(value: str) -> str:
    return VERDICT_CLASSES.get(Verdict(value), "") if value in Verdict.values else ""


@register.filter
def estimate_status_label(value: str) -> str:
    return str(EstimateStatus(value).label) if value in EstimateStatus.values else value


@register.filter
def weighting_label(value: str) -> str:
    return WEIGHTING_LABELS.get(value, value)


@register.filter
def share(value: Decimal | None) -> str:
    """A share in [0, 1] as a Vietnamese percentage: 0.6234 -> "62,3%"."""
    if value is None:
        return "—"
    return format_vietnamese(value * 100, 1) + "%"
