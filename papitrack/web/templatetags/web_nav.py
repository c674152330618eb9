"""The navigation bar: which section the current page belongs to."""

from __future__ import annotations

from django import template
from django.http import HttpRequest

register = template.Library()

SECTIONS = {
    "plan_list": "plans",
    "plan_overview": "plans",
    "dimension_detail": "plans",
    "task_list": "tasks",
    "task_detail": "tasks",
    "unit_list": "units",
    "unit_detail": "units",
    "papi_explorer": "papi",
    "province_history": "papi",
    "survey_list": "surveys",
    "survey_import": "surveys",
    "survey_detail": "surveys",
    "dashboard": "monitoring",
    "plan_status": "monitoring",
    "completeness": "monitoring",
    "overdue": "monitoring",
    "league": "monitoring",
    "task_rollup": "monitoring",
}


@register.simple_tag(takes_context=True)
def nav_section(context: template.Context) -> str:
    request: HttpRequest | None = context.get("request")
    match = request.resolver_match if request is not None else None
    return SECTIONS.get(match.url_name or "", "") if match is not None else ""
