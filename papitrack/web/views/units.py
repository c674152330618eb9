"""Unit screens: the province tree with a search, and one unit with its tasks."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from papitrack.orgunits.queries import plan_issuers, province_tree, search_units, unit_context
from papitrack.tasks.queries import tasks_for_unit
from papitrack.web.fetch import get_unit_for_user
from papitrack.web.forms import SEARCH_MAX_LENGTH

SEARCH_LIMIT = 50


@require_safe
@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    results = list(search_units(text=text, limit=SEARCH_LIMIT + 1)) if text else []
    return render(
        request,
        "web/unit_list.html",
        {
            "q": text,
            "results": results[:SEARCH_LIMIT],
            "more_results": len(results) > SEARCH_LIMIT,
            "trees": [province_tree(province=province) for province in plan_issuers()],
        },
    )


@require_safe
@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for_user(request.user, code)
    return render(
        request,
        "web/unit_detail.html",
        {"unit_info": unit_context(unit=unit), "unit": unit, "tasks": tasks_for_unit(unit=unit)},
    )
