"""Plans: identity, targets, tasks, and the evaluation against published scores."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from papitrack.api.base import PUBLIC
from papitrack.api.converters import evaluation_payload, plain, task_payload
from papitrack.api.schemas import ErrorOut, EvaluationOut, PlanOut, PlanSummaryOut
from papitrack.plans.evaluation import __doc__ as EVALUATION_RULE
from papitrack.plans.models import Plan
from papitrack.plans.queries import evaluate_plan, plans_with_counts
from papitrack.tasks.models import Task, TaskAssignee

# Plans are public documents: no sign-in, throttled per address (api/base.py).
router = Router(tags=["plans"], **PUBLIC)

UNKNOWN_PLAN = "Không có kế hoạch mã số {plan_id}."


def _get_plan(plan_id: int) -> Plan:
    plan = plans_with_counts().filter(id=plan_id).first()
    if plan is None:
        raise HttpError(404, UNKNOWN_PLAN.format(plan_id=plan_id))
    return plan


def _summary(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "code": plan.code,
        "number": plan.number,
        "title": plan.title,
        "issued_on": plan.issued_on,
        "issuer_code": plan.issuer.code,
        "index": plan.index.code,
        "baseline_year": plan.baseline_year,
        "target_year": plan.target_year,
        "task_count": plan.task_count,  # type: ignore[attr-defined]
    }


@router.get("/plans", response=list[PlanSummaryOut], summary="Các kế hoạch")
def list_plans(request: HttpRequest) -> list[dict[str, Any]]:
    return [_summary(plan) for plan in plans_with_counts()]


@router.get(
    "/plans/{plan_id}",
    response={200: PlanOut, 404: ErrorOut},
    summary="Một kế hoạch với chỉ tiêu và toàn bộ nhiệm vụ",
)
def get_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    plan = _get_plan(plan_id)
    tasks = (
        Task.objects.filter(plan=plan)
        .select_related("dimension")
        .prefetch_related(
            "kpis",
            Prefetch("assignees", queryset=TaskAssignee.objects.select_related("unit")),
        )
        .order_by("position")
    )
    targets = plan.targets.select_related("dimension").order_by("dimension__number")
    return {
        **_summary(plan),
        "place": plan.place,
        "signer_name": plan.signer_name,
        "signer_title": plan.signer_title,
        "signing_authority": plan.signing_authority,
        "unit_plan_deadline": plan.unit_plan_deadline,
        "unit_plan_deadline_wording": plan.unit_plan_deadline_wording,
        "stated_baseline_score": plain(plan.stated_baseline_score),
        "source_notes": plan.source_notes,
        "targets": [
            {
                "dimension": target.dimension.code,
                "label": target.label,
                "score": plain(target.score),
                "increment": plain(target.increment),
                "implied_baseline": plain(target.implied_baseline),
                "target_group": target.target_group,
                "stated_baseline_group": target.stated_baseline_group,
            }
            for target in targets
        ],
        "tasks": [task_payload(task) for task in tasks],
    }


@router.get(
    "/plans/{plan_id}/evaluation",
    response={200: EvaluationOut, 404: ErrorOut},
    summary="Đánh giá kế hoạch theo điểm PAPI công bố",
)
def get_evaluation(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    """Per dimension and overall: baseline, target, actual, met, rank and group vs target group.

    Computed from published scores, never typed in; `actual` is null until the target year's
    scores are published.
    """
    plan = _get_plan(plan_id)
    return {
        "plan_id": plan.id,
        "province_code": plan.issuer.code,
        "baseline_year": plan.baseline_year,
        "target_year": plan.target_year,
        "rule": " ".join((EVALUATION_RULE or "").split()),
        "rows": [evaluation_payload(row) for row in evaluate_plan(plan=plan)],
    }
