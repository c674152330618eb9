"""Units' plan screens: the round overview (coverage and timeliness) and one unit's plan.

Writes go through papitrack/unitplans/services.py; the views turn input into service calls
and service errors into Vietnamese alerts (POST-redirect-GET on success).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BoundField
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from papitrack.accounts.models import User
from papitrack.audit.models import AuditEntry
from papitrack.audit.queries import filter_audit
from papitrack.plans.models import Plan
from papitrack.reports.evidence import evidence_path
from papitrack.reports.services import StaleVersionError
from papitrack.tasks.models import Kpi, Task
from papitrack.unitplans import rules, services
from papitrack.unitplans.enums import UnitPlanStatus
from papitrack.unitplans.models import UnitPlan, UnitPlanItem, UnitPlanRound
from papitrack.unitplans.queries import (
    Coverage,
    RoundRow,
    assigned_tasks_for,
    coverage_of,
    get_unit_plan_for_user,
    round_overview,
)
from papitrack.web.forms_reports import VERSION_MISSING, ReviewForm
from papitrack.web.forms_unitplans import OpenRoundForm, UnitPlanForm

SHOW_FILTERS = {
    "missing": "Chưa gửi",
    "late": "Gửi trễ hạn",
    "incomplete": "Chưa đầy đủ",
}
STALE_ALERT = (
    "Kế hoạch đã được người khác thay đổi trong lúc bạn đang sửa. Những gì bạn vừa nhập "
    "chưa được lưu; trang dưới đây là bản hiện tại."
)
ROUND_EXISTS = "Đợt xây dựng kế hoạch của đơn vị đã được mở."
ROUND_OPENED = "Đã mở đợt xây dựng kế hoạch của đơn vị."
NO_ROUND = "Sở Nội vụ chưa mở đợt xây dựng kế hoạch của đơn vị."
NO_OWN_PLAN = "Đơn vị của bạn không có kế hoạch phải gửi trong đợt này."
SAVED = "Đã lưu kế hoạch."
DOCUMENT_ATTACHED = "Đã đính kèm văn bản kế hoạch."
SUBMITTED = "Đã gửi kế hoạch tới Sở Nội vụ."
RETURNED = "Đã trả lại kế hoạch cho đơn vị."
ACCEPTED = "Đã chấp thuận kế hoạch."
NOTHING_CHANGED = "Không có thay đổi nào để lưu."
UNKNOWN_ACTION = "Thao tác không hợp lệ."
DOCUMENT_MISSING = "Không tìm thấy tệp kế hoạch."
HISTORY_LABELS = {
    "unit_plan.save": "Lưu",
    "unit_plan.document": "Đính kèm văn bản",
    "unit_plan.submit": "Gửi",
    "unit_plan.return": "Trả lại",
    "unit_plan.accept": "Chấp thuận",
}


def _actor(request: HttpRequest) -> User:
    # login_required has run, so the user is a real account.
    assert isinstance(request.user, User)  # noqa: S101
    return request.user


def current_round() -> UnitPlanRound | None:
    return UnitPlanRound.objects.select_related("plan").order_by("-opened_at", "-pk").first()


# --- the round ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundCounts:
    submitted: int
    on_time: int
    late: int
    missing: int
    incomplete: int


def _is_incomplete(row: RoundRow) -> bool:
    return not row.is_missing and not row.coverage.is_complete


def _is_submitted_late(row: RoundRow) -> bool:
    return row.is_late and row.unit_plan.first_submitted_at is not None


def _counts(rows: list[RoundRow]) -> RoundCounts:
    submitted = [row for row in rows if row.unit_plan.first_submitted_at is not None]
    return RoundCounts(
        submitted=len(submitted),
        on_time=sum(1 for row in submitted if not row.is_late),
        late=sum(1 for row in submitted if row.is_late),
        missing=sum(1 for row in rows if row.is_missing),
        incomplete=sum(1 for row in rows if _is_incomplete(row)),
    )


def _shown(rows: list[RoundRow], show: str) -> list[RoundRow]:
    if show == "missing":
        return [row for row in rows if row.is_missing]
    if show == "late":
        return [row for row in rows if _is_submitted_late(row)]
    if show == "incomplete":
        return [row for row in rows if _is_incomplete(row)]
    return rows


def _open_round(request: HttpRequest, plan_round: UnitPlanRound | None) -> HttpResponse | None:
    """Handle the coordinator's "open the round" form; None means "show the page"."""
    actor = _actor(request)
    if not rules.can_open_round(actor):
        raise PermissionDenied(services.NOT_ALLOWED)
    if plan_round is not None:
        messages.error(request, ROUND_EXISTS)
        return redirect("web:unitplan_round")
    form = OpenRoundForm(request.POST, plans=list(Plan.objects.order_by("-issued_on", "pk")))
    if not form.is_valid():
        return None
    services.open_unit_plan_round(
        plan=form.cleaned_data["plan"], due_date=form.cleaned_data["due_date"], actor=actor
    )
    messages.success(request, ROUND_OPENED)
    return redirect("web:unitplan_round")


@require_http_methods(["GET", "POST"])
@login_required
def unitplan_round(request: HttpRequest) -> HttpResponse:
    user = request.user
    plan_round = current_round()
    if request.method == "POST":
        response = _open_round(request, plan_round)
        if response is not None:
            return response
    if not rules.sees_all_unit_plans(user):
        own = (
            UnitPlan.objects.filter(round=plan_round, unit_id=getattr(user, "unit_id", None))
            .values_list("pk", flat=True)
            .first()
            if plan_round is not None
            else None
        )
        if own is not None:
            return redirect("web:unitplan_detail", unit_plan_id=own)
        return render(
            request,
            "web/unitplans/unitplan_round.html",
            {"notice": NO_OWN_PLAN if plan_round else NO_ROUND, "plan_round": plan_round},
        )
    plans = list(Plan.objects.order_by("-issued_on", "pk"))
    open_form = OpenRoundForm(request.POST if request.method == "POST" else None, plans=plans)
    if plan_round is None:
        return render(
            request,
            "web/unitplans/unitplan_round.html",
            {
                "notice": NO_ROUND,
                "plan_round": None,
                "open_form": open_form if rules.can_open_round(user) else None,
            },
            status=400 if open_form.is_bound else 200,
        )
    rows = round_overview(plan_round=plan_round, today=timezone.localdate())
    show = request.GET.get("show", "")
    show = show if show in SHOW_FILTERS else ""
    return render(
        request,
        "web/unitplans/unitplan_round.html",
        {
            "plan_round": plan_round,
            "rows": _shown(rows, show),
            "total": len(rows),
            "counts": _counts(rows),
            "show": show,
            "show_label": SHOW_FILTERS.get(show, ""),
            "show_filters": SHOW_FILTERS,
            "today": timezone.localdate(),
        },
    )


# --- one unit's plan ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    task: Task
    fields: dict[str, BoundField]
    item: UnitPlanItem | None
    kpis: list[Kpi]
    target_kpi: Kpi | None
    gaps: list[str]


def _gaps(coverage: Coverage) -> dict[int, list[str]]:
    gaps: dict[int, list[str]] = {}
    for task in coverage.missing:
        gaps.setdefault(task.pk, []).append("chưa có trong kế hoạch")
    for item in coverage.without_target:
        gaps.setdefault(item.task_id, []).append("thiếu chỉ tiêu")
    for item in coverage.without_responsible:
        gaps.setdefault(item.task_id, []).append("thiếu người phụ trách")
    for weak in coverage.weaker:
        gaps.setdefault(weak.item.task_id, []).append("chỉ tiêu thấp hơn của tỉnh, chưa nêu lý do")
    return gaps


def _history(unit_plan: UnitPlan) -> list[tuple[AuditEntry, str]]:
    entries = filter_audit(object_type="unitplans.unitplan", object_id=str(unit_plan.pk))
    return [
        (entry, HISTORY_LABELS.get(entry.action, entry.action))
        for entry in entries.order_by("at", "id")
    ]


def _render_plan(
    request: HttpRequest,
    unit_plan: UnitPlan,
    *,
    form: UnitPlanForm | None = None,
    review_form: ReviewForm | None = None,
    errors: list[str] | None = None,
    stale: str = "",
    typed: list[tuple[str, str]] | None = None,
    done: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    tasks = assigned_tasks_for(unit_plan=unit_plan)
    if form is None:
        form = UnitPlanForm(unit_plan=unit_plan, tasks=tasks)
    coverage = coverage_of(unit_plan=unit_plan, assigned=tasks)
    gaps = _gaps(coverage)
    rows = []
    for task in tasks:
        kpis = list(task.kpis.all())
        rows.append(
            PlanRow(
                task=task,
                fields=form.row(task),
                item=form.items.get(task.pk),
                kpis=kpis,
                target_kpi=next((kpi for kpi in kpis if kpi.value is not None), None),
                gaps=gaps.get(task.pk, []),
            )
        )
    plan_round = unit_plan.round
    submitted_on = (
        timezone.localtime(unit_plan.first_submitted_at).date()
        if unit_plan.first_submitted_at
        else None
    )
    user = request.user
    return render(
        request,
        "web/unitplans/unitplan_detail.html",
        {
            "unit_plan": unit_plan,
            "plan_round": plan_round,
            "form": form,
            "rows": rows,
            "coverage": coverage,
            "can_edit": rules.can_edit_unit_plan(user, unit_plan),
            "can_review": rules.can_review_unit_plan(user, unit_plan),
            "sees_round": rules.sees_all_unit_plans(user),
            "review_form": review_form or ReviewForm(initial={"version": unit_plan.version}),
            "history": _history(unit_plan),
            "days_late": max((submitted_on - plan_round.due_date).days, 0) if submitted_on else 0,
            "errors": errors or [],
            "stale": stale,
            "typed": typed or [],
            "done": done or [],
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def unitplan_detail(request: HttpRequest, unit_plan_id: int) -> HttpResponse:
    unit_plan = get_unit_plan_for_user(request.user, unit_plan_id)
    if request.method != "POST":
        return _render_plan(request, unit_plan)
    action = request.POST.get("action", "")
    if action in {"save", "submit"}:
        return _post_plan(request, unit_plan, submit=action == "submit")
    if action in {"return", "accept"}:
        return _post_review(request, unit_plan, action)
    return _render_plan(request, unit_plan, errors=[UNKNOWN_ACTION], status=400)


def _fresh(unit_plan: UnitPlan, user: Any) -> UnitPlan:
    return get_unit_plan_for_user(user, unit_plan.pk)


def _post_plan(request: HttpRequest, unit_plan: UnitPlan, *, submit: bool) -> HttpResponse:
    """Save what changed, attach the signed document, then submit if asked."""
    actor = _actor(request)
    if not rules.can_edit_unit_plan(actor, unit_plan):
        if not rules.is_unit_plan_author(actor, unit_plan):
            raise PermissionDenied(services.NOT_ALLOWED)
        refusal = services.WRONG_STATUS.format(
            status=UnitPlanStatus(unit_plan.status).label, action="sửa"
        )
        return _render_plan(request, unit_plan, errors=[refusal], status=400)
    tasks = assigned_tasks_for(unit_plan=unit_plan)
    form = UnitPlanForm(request.POST, request.FILES, unit_plan=unit_plan, tasks=tasks)
    if not form.is_valid():
        return _render_plan(request, unit_plan, form=form, errors=form.error_list(), status=400)
    version = form.cleaned_data["version"]
    done: list[str] = []
    try:
        if form.values_changed():
            version = services.save_unit_plan(
                unit_plan_id=unit_plan.pk,
                actor=actor,
                version=version,
                items=form.item_inputs(),
                document_number=form.cleaned_data["document_number"],
                document_date=form.cleaned_data["document_date"],
            ).version
            done.append(SAVED)
        elif version != unit_plan.version:
            raise StaleVersionError(services.STALE.format(current=unit_plan.version, given=version))
        document = form.cleaned_data.get("document")
        if document is not None:
            version = services.attach_unit_plan_document(
                unit_plan_id=unit_plan.pk,
                actor=actor,
                file_name=document.name or "",
                content=document.read(),
            ).version
            done.append(DOCUMENT_ATTACHED)
        if submit:
            services.submit_unit_plan(unit_plan_id=unit_plan.pk, actor=actor, version=version)
            done.append(SUBMITTED)
    except StaleVersionError as error:
        return _render_plan(
            request,
            _fresh(unit_plan, actor),
            errors=error.messages,
            stale=STALE_ALERT,
            typed=form.typed_values(),
            status=409,
        )
    except ValidationError as error:
        fresh = _fresh(unit_plan, actor)
        data: QueryDict = request.POST.copy()
        data["version"] = str(fresh.version)
        return _render_plan(
            request,
            fresh,
            form=UnitPlanForm(data, unit_plan=fresh, tasks=tasks),
            errors=error.messages,
            done=done,
            status=400,
        )
    for text in done or [NOTHING_CHANGED]:
        messages.success(request, text)
    return redirect("web:unitplan_detail", unit_plan_id=unit_plan.pk)


def _post_review(request: HttpRequest, unit_plan: UnitPlan, action: str) -> HttpResponse:
    actor = _actor(request)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _render_plan(
            request, unit_plan, review_form=form, errors=[VERSION_MISSING], status=400
        )
    comment = form.cleaned_data["comment"]
    version = form.cleaned_data["version"]
    try:
        if action == "return":
            services.return_unit_plan(
                unit_plan_id=unit_plan.pk, actor=actor, version=version, comment=comment
            )
        else:
            services.accept_unit_plan(
                unit_plan_id=unit_plan.pk, actor=actor, version=version, comment=comment
            )
    except StaleVersionError as error:
        return _render_plan(
            request,
            _fresh(unit_plan, actor),
            errors=error.messages,
            stale=STALE_ALERT,
            typed=[("Ý kiến", comment)],
            status=409,
        )
    except ValidationError as error:
        return _render_plan(request, unit_plan, review_form=form, errors=error.messages, status=400)
    messages.success(request, RETURNED if action == "return" else ACCEPTED)
    return redirect("web:unitplan_detail", unit_plan_id=unit_plan.pk)


@require_safe
@login_required
def unitplan_document(request: HttpRequest, unit_plan_id: int) -> FileResponse:
    unit_plan = get_unit_plan_for_user(request.user, unit_plan_id)
    if not unit_plan.document_stored_name:
        raise Http404(DOCUMENT_MISSING)
    try:
        handle = evidence_path(unit_plan.document_stored_name).open("rb")
    except (OSError, ValueError) as error:
        raise Http404(DOCUMENT_MISSING) from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=unit_plan.document_name or unit_plan.document_stored_name,
        content_type=unit_plan.document_content_type or "application/octet-stream",
    )
