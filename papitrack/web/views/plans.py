"""Plan screens: the list, the overview with its targets, and one dimension of a plan."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from papitrack.indices.queries import province_history
from papitrack.plans.queries import evaluate_plan, plans_with_counts
from papitrack.tasks.queries import filter_tasks
from papitrack.web.charts import history_data, radar_data
from papitrack.web.fetch import get_plan_dimension_for_user, get_plan_for_user
from papitrack.web.plan_checks import flagged_tasks, sum_checks
from papitrack.web.views.common import (
    COMPUTED_2018_CAVEAT,
    COMPUTED_YEAR_WITH_CAVEAT,
    published_years,
    year_rows,
)


@require_safe
@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/plan_list.html", {"plans": plans_with_counts()})


@require_safe
@login_required
def plan_overview(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, plan_id)
    rows = evaluate_plan(plan=plan)
    dimensions = {dimension.code: dimension for dimension in plan.index.dimensions.all()}
    tasks = list(plan.tasks.select_related("dimension"))
    task_counts = Counter(task.dimension.code for task in tasks)
    return render(
        request,
        "web/plan_overview.html",
        {
            "plan": plan,
            "rows": rows,
            "dimension_links": [
                (dimensions[row.dimension_code], task_counts.get(row.dimension_code, 0))
                for row in rows
                if row.number > 0
            ],
            "task_count": len(tasks),
            "radar": radar_data(
                rows=rows,
                dimensions=dimensions,
                baseline_year=plan.baseline_year,
                target_year=plan.target_year,
            ),
            "sum_checks": sum_checks(plan=plan, rows=rows),
            "flagged_tasks": flagged_tasks(tasks),
        },
    )


@require_safe
@login_required
def dimension_detail(request: HttpRequest, plan_id: int, code: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, plan_id)
    dimension = get_plan_dimension_for_user(request.user, plan, code)
    row = next(row for row in evaluate_plan(plan=plan) if row.dimension_code == code)
    history = [
        entry
        for entry in province_history(index=plan.index, province=plan.issuer)
        if entry.current.dimension_code == code
    ]
    years = published_years(index=plan.index)
    target_year, baseline_year = plan.target_year, plan.baseline_year
    return render(
        request,
        "web/dimension_detail.html",
        {
            "plan": plan,
            "dimension": dimension,
            "row_list": [row],
            "solutions": plan.solutions.filter(dimension=dimension),
            "subdimensions": dimension.subdimensions.filter(
                valid_from_year__lte=target_year
            ).exclude(valid_to_year__lt=target_year),
            "tasks": filter_tasks(plan=plan, dimension_code=code),
            "history_rows": year_rows(years=years, rows=history),
            "history_chart": history_data(
                name=plan.issuer.display_name,
                years=years,
                rows=history,
                lines=[
                    (f"Mục tiêu {target_year}", row.target),
                    (f"Năm gốc {baseline_year}", row.baseline),
                ],
            ),
            "caveat_2018": COMPUTED_2018_CAVEAT if COMPUTED_YEAR_WITH_CAVEAT in years else "",
            "caveat_year": COMPUTED_YEAR_WITH_CAVEAT,
        },
    )
