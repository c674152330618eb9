"""Score screens: every province for one year and dimension, and one province's history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from papitrack.indices.enums import OVERALL, RankGroup
from papitrack.indices.queries import dimensions_of, province_history, ranked_scores
from papitrack.plans.models import Plan
from papitrack.web.charts import history_data
from papitrack.web.fetch import get_explorer_index_for_user, get_province_for_user
from papitrack.web.forms import ScoreTableForm
from papitrack.web.views.common import (
    COMPUTED_2018_CAVEAT,
    COMPUTED_YEAR_WITH_CAVEAT,
    published_years,
    year_rows,
)


def _home_province_codes() -> set[str]:
    """Provinces to highlight: those that issued a plan (Quảng Nam today)."""
    return set(Plan.objects.values_list("issuer__code", flat=True))


@require_safe
@login_required
def papi_explorer(request: HttpRequest) -> HttpResponse:
    index = get_explorer_index_for_user(request.user)
    years = published_years(index=index)
    dimensions = dimensions_of(index=index)
    year = years[-1] if years else None
    dimension_code = OVERALL
    form = ScoreTableForm(
        request.GET or None,
        initial={"year": year, "dimension": dimension_code},
        years=years,
        dimensions=dimensions,
    )
    if form.is_bound:
        # An invalid field is reported on the form and falls back to its default.
        form.is_valid()
        year = form.cleaned_data.get("year") or year
        dimension_code = form.cleaned_data.get("dimension") or dimension_code
    rows = (
        ranked_scores(index=index, year=year, dimension_code=dimension_code)
        if year is not None
        else []
    )
    first = rows[0] if rows else None
    sizes = first.group_sizes if first else ()
    return render(
        request,
        "web/papi_explorer.html",
        {
            "index": index,
            "form": form,
            "year": year,
            "dimension": next(d for d in dimensions if d.code == dimension_code),
            "rows": rows,
            "group_status": first.group_status if first else None,
            "legend": [
                (value, label, sizes[value - 1] if value <= len(sizes) else None)
                for value, label in RankGroup.choices
            ],
            "home_codes": _home_province_codes(),
            "caveat_2018": COMPUTED_2018_CAVEAT if year == COMPUTED_YEAR_WITH_CAVEAT else "",
        },
    )


@require_safe
@login_required
def province_history_view(request: HttpRequest, code: str) -> HttpResponse:
    province = get_province_for_user(request.user, code)
    index = get_explorer_index_for_user(request.user)
    years = published_years(index=index)
    history = province_history(index=index, province=province)
    sections = [
        (
            dimension,
            year_rows(
                years=years,
                rows=[row for row in history if row.current.dimension_code == dimension.code],
            ),
        )
        for dimension in dimensions_of(index=index)
    ]
    overall = [row for row in history if row.current.dimension_code == OVERALL]
    return render(
        request,
        "web/province_history.html",
        {
            "province": province,
            "index": index,
            "sections": sections,
            "chart": history_data(name=province.display_name, years=years, rows=overall),
            "caveat_2018": COMPUTED_2018_CAVEAT if COMPUTED_YEAR_WITH_CAVEAT in years else "",
            "caveat_year": COMPUTED_YEAR_WITH_CAVEAT,
        },
    )
