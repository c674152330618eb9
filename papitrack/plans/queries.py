"""Reads for plans: lists, the evaluation against published scores, targets by dimension."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from papitrack.indices.queries import RankedScore, province_history
from papitrack.plans.evaluation import EvaluationRow, ResultInput, TargetInput, evaluate_target
from papitrack.plans.models import Plan


def plans_with_counts() -> QuerySet[Plan]:
    return (
        Plan.objects.select_related("issuer", "index")
        .annotate(task_count=Count("tasks", distinct=True))
        .order_by("-issued_on")
    )


def _result(row: RankedScore | None) -> ResultInput | None:
    if row is None:
        return None
    return ResultInput(
        score=row.score,
        rank=row.rank,
        count=row.count,
        group=row.group,
        group_status=row.group_status,
    )


def evaluate_plan(*, plan: Plan) -> list[EvaluationRow]:
    """Per target (aggregate first, then dimensions): baseline, target, actual, met, rank, group.

    Computed from the published scores in the database, never typed in: the baseline is the
    published score of the plan's baseline year, the actual that of its target year.
    """
    # The issuer's ranks of every year, as its history page shows them (one cached entry).
    ranked = {
        (row.current.year, row.current.dimension_code): row.current
        for row in province_history(index=plan.index, province=plan.issuer)
    }
    rows = []
    for target in plan.targets.select_related("dimension").order_by("dimension__number"):
        code = target.dimension.code
        rows.append(
            evaluate_target(
                TargetInput(
                    dimension_code=code,
                    dimension_name=target.dimension.name_vi,
                    number=target.dimension.number,
                    target=target.score,
                    increment=target.increment,
                    target_group=target.target_group,
                    stated_baseline_group=target.stated_baseline_group,
                ),
                _result(ranked.get((plan.baseline_year, code))),
                _result(ranked.get((plan.target_year, code))),
            )
        )
    return rows
