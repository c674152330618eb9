"""Report screens: "my reports" with the review queue, one report with its workflow, evidence.

Every write goes through papitrack/reports/services.py; the views only turn form input into
service calls and service errors into Vietnamese alerts (POST-redirect-GET on success).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.forms import BoundField
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from papitrack.accounts.models import User
from papitrack.accounts.rules import is_coordinator, sees_everything
from papitrack.indices.models import Dimension
from papitrack.lib.numbers import format_vietnamese
from papitrack.orgunits.models import OrgUnit
from papitrack.reports import rules, services
from papitrack.reports.enums import EvidenceKind, MilestoneStatus, ReportStatus
from papitrack.reports.evidence import evidence_path
from papitrack.reports.models import ChildAnswer, Evidence, KpiValue, Report, ReportingPeriod
from papitrack.reports.queries import (
    filter_reports,
    get_evidence_for_user,
    get_report_for_user,
    permissions_for,
    reports_visible_to,
)
from papitrack.tasks.enums import KpiKind
from papitrack.tasks.models import Kpi, Task, TaskAssignee
from papitrack.web.forms_reports import (
    NARRATIVE_LABELS,
    VERSION_MISSING,
    KpiLayout,
    ReopenForm,
    ReportFilterForm,
    ReportForm,
    ReviewForm,
    child_field_name,
    field_name,
)

PAGE_SIZE = 50
FILTER_NAMES = ("period", "task", "unit", "status", "dimension")
REVIEW_TAB = "review"

STALE_ALERT = (
    "Báo cáo đã được người khác thay đổi trong lúc bạn đang sửa. Những gì bạn vừa nhập "
    "chưa được lưu; trang dưới đây là bản hiện tại. Hãy xem lại rồi nhập lại nếu cần."
)
NOTHING_CHANGED = "Không có thay đổi nào để lưu."
SAVED = "Đã lưu báo cáo."
SUBMITTED = "Đã gửi báo cáo."
RETURNED = "Đã trả lại báo cáo cho đơn vị."
APPROVED = "Đã phê duyệt báo cáo."
REOPENED = "Đã mở lại báo cáo."
EVIDENCE_ADDED = "Đã thêm {count} minh chứng."
EVIDENCE_REMOVED = "Đã gỡ {count} minh chứng."
UNKNOWN_ACTION = "Thao tác không hợp lệ."
FILE_MISSING = "Không tìm thấy tệp minh chứng."


# --- shared pieces --------------------------------------------------------------------------


def days_late(submitted_at: datetime.datetime | None, due_date: datetime.date) -> int:
    """Whole days between the due date and the local day of the (first) submission."""
    if submitted_at is None:
        return 0
    return max((timezone.localtime(submitted_at).date() - due_date).days, 0)


def _number(value: Decimal | None) -> str:
    if value is None:
        return "—"
    exponent = value.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_vietnamese(value, places)


def percent_text(numerator: Decimal | None, denominator: Decimal | None) -> str:
    """45/50 -> "90,0%"; 0/0 is "no data", never zero (STYLE §2)."""
    if numerator is None or denominator is None:
        return ""
    if denominator == 0:
        return "không có số liệu (mẫu số bằng 0)"
    return f"{format_vietnamese(numerator * 100 / denominator, 1)}%"


def value_text(kpi: Kpi, value: KpiValue | None) -> str:
    """A stored KPI value in words, for read-only pages and the "previous period" hint."""
    if value is None:
        return "Chưa nhập"
    parts: list[str] = []
    if kpi.kind in {KpiKind.RATIO, KpiKind.EXTERNAL} and (
        value.numerator is not None or value.denominator is not None
    ):
        ratio = f"{_number(value.numerator)} / {_number(value.denominator)}"
        percent = percent_text(value.numerator, value.denominator)
        parts.append(f"{ratio} = {percent}" if percent else ratio)
    if kpi.kind == KpiKind.SHARE_OF_UNITS and value.answer is not None:
        parts.append("Đã thực hiện" if value.answer else "Chưa thực hiện")
        if value.reason:
            parts.append(f"lý do: {value.reason}")
    if kpi.kind == KpiKind.COUNT and value.count is not None:
        parts.append(f"{_number(value.count)} lần")
    if value.milestone_status:
        parts.append(str(MilestoneStatus(value.milestone_status).label))
    if value.completed_on:
        parts.append(f"hoàn thành ngày {value.completed_on:%d/%m/%Y}")
    if value.document_number:
        dated = f" ngày {value.document_date:%d/%m/%Y}" if value.document_date else ""
        parts.append(f"văn bản số {value.document_number}{dated}")
    return " · ".join(parts) or "Chưa nhập"


# --- the list -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    report: Report
    days_late: int
    overdue: bool


def _rows(reports: Any, today: datetime.date) -> list[ReportRow]:
    return [
        ReportRow(
            report=report,
            days_late=days_late(report.first_submitted_at, report.due_date),
            overdue=report.first_submitted_at is None and report.due_date < today,
        )
        for report in reports
    ]


def reviewable_reports(user: Any, visible: QuerySet[Report]) -> QuerySet[Report] | list[Report]:
    """Submitted reports the user may return or approve (rules.can_review_report)."""
    submitted = visible.filter(status=ReportStatus.SUBMITTED).order_by(
        "due_date", "task__position", "unit__code"
    )
    if is_coordinator(user):
        # rules.is_reviewer_of: the coordinator reviews every report, so no row is dropped.
        return submitted
    if not user.unit_id or user.role not in rules.REPORTING_ROLES:
        return []
    candidates = submitted.exclude(unit_id=user.unit_id).prefetch_related(
        Prefetch("task__assignees", queryset=TaskAssignee.objects.select_related("unit"))
    )
    return [report for report in candidates if rules.can_review_report(user, report)]


def _filter_options(visible: QuerySet[Report]) -> dict[str, Any]:
    tasks = list(
        Task.objects.filter(pk__in=visible.values("task_id")).order_by("plan_id", "position")
    )
    return {
        "periods": list(
            ReportingPeriod.objects.filter(pk__in=visible.values("period_id")).order_by(
                "end", "code"
            )
        ),
        "tasks": tasks,
        "units": list(
            OrgUnit.objects.filter(pk__in=visible.values("unit_id")).order_by("kind", "code")
        ),
        "dimensions": list(
            Dimension.objects.filter(pk__in={task.dimension_id for task in tasks}).order_by(
                "number"
            )
        ),
    }


def _list_url(filters: dict[str, str]) -> str:
    """The list with these filters; "unit" is kept even when empty so it means "Tất cả"."""
    query = QueryDict(mutable=True)
    for name in FILTER_NAMES:
        if filters.get(name) or name == "unit":
            query[name] = filters.get(name, "")
    return f"{reverse('web:report_list')}?{query.urlencode()}"


@require_safe
@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    visible = reports_visible_to(user)
    options = _filter_options(visible)
    explicit = any(name in request.GET for name in FILTER_NAMES)
    own_unit = getattr(user, "unit", None)
    # A unit's officer lands on their own unit's reports; "Tất cả" then widens to their scope.
    default_unit = own_unit.code if own_unit is not None and not sees_everything(user) else ""
    form = ReportFilterForm(
        request.GET if explicit else None, initial={"unit": default_unit}, **options
    )
    filters: dict[str, str] = dict.fromkeys(FILTER_NAMES, "")
    if explicit:
        # An invalid choice is reported on the form and ignored; the valid ones still filter.
        form.is_valid()
        filters.update({name: form.cleaned_data.get(name) or "" for name in FILTER_NAMES})
    else:
        filters["unit"] = default_unit
    scoped = filter_reports(
        visible,
        period=filters["period"],
        task=filters["task"],
        unit=filters["unit"],
        dimension=filters["dimension"],
    )
    counts = dict(scoped.order_by().values_list("status").annotate(total=Count("id")))
    mine = filter_reports(scoped, status=filters["status"]).order_by(
        "due_date", "period__end", "task__position", "unit__code"
    )
    review = reviewable_reports(
        user,
        filter_reports(
            visible,
            period=filters["period"],
            task=filters["task"],
            unit=filters["unit"] if explicit else "",
            dimension=filters["dimension"],
        ),
    )
    review_count = len(review) if isinstance(review, list) else review.count()
    tab = REVIEW_TAB if request.GET.get("tab") == REVIEW_TAB else "mine"
    page = Paginator(review if tab == REVIEW_TAB else mine, PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    return render(
        request,
        "web/reports/report_list.html",
        {
            "form": form,
            "tab": tab,
            "page": page,
            "rows": _rows(page.object_list, today),
            "status_counts": [
                (
                    status,
                    label,
                    counts.get(status, 0),
                    _list_url({**filters, "status": "" if filters["status"] == status else status}),
                )
                for status, label in ReportStatus.choices
            ],
            "total": sum(counts.values()),
            "review_count": review_count,
            "filters": filters,
            "is_filtered": explicit,
            "default_unit": own_unit if default_unit else None,
        },
    )


# --- one report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildRow:
    child: OrgUnit
    answer: BoundField
    reason: BoundField
    current: ChildAnswer | None
    # The child unit's own report on the same task and period, and what it says.
    own_report: Report | None = None
    own_value: str = ""


@dataclass
class KpiBlock:
    kpi: Kpi
    value: KpiValue | None
    display: str
    percent: str
    previous: str
    fields: dict[str, BoundField] = field(default_factory=dict)
    evidence_fields: dict[str, BoundField] = field(default_factory=dict)
    children: list[ChildRow] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    summary: str = ""


def _previous_report(report: Report) -> Report | None:
    """The same task's report of this unit for the previous period of the same kind."""
    return (
        Report.objects.filter(
            task_id=report.task_id,
            unit_id=report.unit_id,
            period__kind=report.period.kind,
            period__end__lt=report.period.end,
        )
        .select_related("period")
        .prefetch_related("values", "child_answers")
        .order_by("-period__end")
        .first()
    )


def _children_summary(rows: list[ChildRow]) -> str:
    yes = sum(1 for row in rows if row.current is not None and row.current.answer is True)
    no = sum(1 for row in rows if row.current is not None and row.current.answer is False)
    missing = len(rows) - yes - no
    return f"{yes}/{len(rows)} đơn vị đã thực hiện · {no} chưa thực hiện · {missing} chưa báo cáo"


def _layout(report: Report) -> list[KpiLayout]:
    return [
        KpiLayout(kpi=kpi, children=services.child_units_for(report, kpi))
        for kpi in report.task.kpis.all()
    ]


def _child_reports(report: Report, layout: list[KpiLayout]) -> dict[int, Report]:
    """The child units' own reports on this task and period, by unit (two queries)."""
    if not any(entry.children for entry in layout):
        return {}
    reports = Report.objects.filter(
        task_id=report.task_id, period_id=report.period_id, unit__parent_id=report.unit_id
    ).prefetch_related("values")
    return {child_report.unit_id: child_report for child_report in reports}


def _blocks(
    report: Report, form: ReportForm, previous: Report | None, evidence: list[Evidence]
) -> list[KpiBlock]:
    values = {value.kpi_id: value for value in report.values.all()}
    child_reports = _child_reports(report, form.layout)
    previous_values = {value.kpi_id: value for value in previous.values.all()} if previous else {}
    blocks = []
    for entry in form.layout:
        kpi = entry.kpi
        value = values.get(kpi.pk)
        previous_value = previous_values.get(kpi.pk)
        block = KpiBlock(
            kpi=kpi,
            value=value,
            display=value_text(kpi, value),
            percent=percent_text(value.numerator, value.denominator) if value else "",
            previous=value_text(kpi, previous_value) if previous_value is not None else "",
            evidence=[item for item in evidence if item.kpi_id == kpi.pk],
        )
        names = ("note",) if entry.children else entry.value_fields
        block.fields = {name: form[field_name(kpi.code, name)] for name in names}
        block.evidence_fields = {
            name: form[field_name(kpi.code, name)] for name in ("file", "link", "description")
        }
        block.children = []
        for child in entry.children:
            own = child_reports.get(child.pk)
            own_values = own.values.all() if own is not None else []
            own_value = next((item for item in own_values if item.kpi_id == kpi.pk), None)
            block.children.append(
                ChildRow(
                    child=child,
                    answer=form[child_field_name(kpi.code, child.code, "answer")],
                    reason=form[child_field_name(kpi.code, child.code, "reason")],
                    current=form.existing_answers.get((kpi.pk, child.pk)),
                    own_report=own,
                    own_value=value_text(kpi, own_value) if own_value is not None else "",
                )
            )
        if block.children:
            block.summary = _children_summary(block.children)
            if previous is not None:
                earlier = [
                    answer for answer in previous.child_answers.all() if answer.kpi_id == kpi.pk
                ]
                done = sum(1 for answer in earlier if answer.answer)
                block.previous = f"{done}/{len(earlier)} đơn vị đã thực hiện" if earlier else ""
        blocks.append(block)
    return blocks


def _entry_form(report: Report, data: QueryDict | None = None, files: Any = None) -> ReportForm:
    evidence = list(report.evidence.all())
    return ReportForm(data, files, report=report, layout=_layout(report), evidence=evidence)


def _render(
    request: HttpRequest,
    report: Report,
    *,
    form: ReportForm | None = None,
    review_form: ReviewForm | None = None,
    reopen_form: ReopenForm | None = None,
    errors: list[str] | None = None,
    stale: str = "",
    typed: list[tuple[str, str]] | None = None,
    done: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    if form is None:
        form = _entry_form(report)
    evidence = list(report.evidence.all())
    previous = _previous_report(report)
    permissions = permissions_for(request.user, report)
    initial = {"version": report.version}
    return render(
        request,
        "web/reports/report_detail.html",
        {
            "report": report,
            "task": report.task,
            "permissions": permissions,
            "form": form,
            "narrative": [(form[name], getattr(report, name)) for name in NARRATIVE_LABELS],
            "blocks": _blocks(report, form, previous, evidence),
            "general_evidence": [item for item in evidence if item.kpi_id is None],
            "previous": previous,
            "review_form": review_form or ReviewForm(initial=initial),
            "reopen_form": reopen_form or ReopenForm(initial=initial),
            "transitions": list(report.transitions.all()),
            "days_late": days_late(report.first_submitted_at, report.due_date),
            "errors": errors or [],
            "stale": stale,
            "typed": typed or [],
            "done": done or [],
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(request.user, report_id)
    if request.method != "POST":
        return _render(request, report)
    action = request.POST.get("action", "")
    if action in {"save", "submit"}:
        return _post_entry(request, report, submit=action == "submit")
    if action in {"return", "approve"}:
        return _post_review(request, report, action)
    if action == "reopen":
        return _post_reopen(request, report)
    return _render(request, report, errors=[UNKNOWN_ACTION], status=400)


def _actor(request: HttpRequest) -> User:
    # login_required has run, so the user is a real account.
    assert isinstance(request.user, User)  # noqa: S101
    return request.user


def _fresh(report: Report, user: Any) -> Report:
    return get_report_for_user(user, report.pk)


def _stale(
    request: HttpRequest, report: Report, error: ValidationError, typed: Any
) -> HttpResponse:
    return _render(
        request,
        _fresh(report, request.user),
        errors=error.messages,
        stale=STALE_ALERT,
        typed=typed,
        status=409,
    )


def _edit_refusal(user: Any, report: Report) -> str:
    """Why the user may not edit: 403 for strangers, a message for the unit's own officers."""
    if not rules.is_reporting_officer(user, report):
        raise PermissionDenied(services.NOT_ALLOWED.format(action="sửa"))
    if report.is_locked:
        return services.LOCKED
    return services.WRONG_STATUS.format(action="sửa", status=ReportStatus(report.status).label)


def _post_entry(request: HttpRequest, report: Report, *, submit: bool) -> HttpResponse:
    """Save what changed, remove and add evidence, then submit if asked, in that order."""
    actor = _actor(request)
    if not rules.can_edit_report(actor, report):
        return _render(request, report, errors=[_edit_refusal(actor, report)], status=400)
    form = _entry_form(report, request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, report, form=form, errors=form.error_list(), status=400)
    version = form.cleaned_data["version"]
    done: list[str] = []
    added: list[str] = []
    try:
        if form.values_changed():
            version = services.save_report(
                report_id=report.pk, actor=actor, version=version, edit=form.edit()
            ).version
            done.append(SAVED)
        elif version != report.version:
            # Nothing to save, but the page was out of date: say so before moving on.
            raise services.StaleVersionError(
                services.STALE_VERSION.format(current=report.version, given=version)
            )
        removed = form.removals()
        for evidence_id in removed:
            services.remove_evidence(evidence_id=evidence_id, actor=actor)
        if removed:
            done.append(EVIDENCE_REMOVED.format(count=len(removed)))
        for upload in form.uploads():
            services.add_evidence(
                report_id=report.pk,
                actor=actor,
                kpi_code=upload.kpi_code,
                file_name=(upload.file.name or "") if upload.file is not None else "",
                content=upload.file.read() if upload.file is not None else None,
                link=upload.link,
                description=upload.description,
            )
            added.append(upload.kpi_code)
        if added:
            done.append(EVIDENCE_ADDED.format(count=len(added)))
        if submit:
            if removed or added:
                # Evidence moves bump the version too; they were made on the version just checked.
                version = Report.objects.values_list("version", flat=True).get(pk=report.pk)
            services.submit_report(report_id=report.pk, actor=actor, version=version)
            done.append(SUBMITTED)
    except services.StaleVersionError as error:
        return _stale(request, report, error, form.typed_values())
    except ValidationError as error:
        # Earlier steps may be saved already: show the report as it now is, with what the user
        # typed (evidence already added is not offered again).
        fresh = _fresh(report, actor)
        data = request.POST.copy()
        data["version"] = str(fresh.version)
        data.pop("remove_evidence", None)
        for kpi_code in added:
            data.pop(field_name(kpi_code, "link"), None)
            data.pop(field_name(kpi_code, "description"), None)
        return _render(
            request,
            fresh,
            form=_entry_form(fresh, data),
            errors=error.messages,
            done=done,
            status=400,
        )
    for text in done or [NOTHING_CHANGED]:
        messages.success(request, text)
    return redirect("web:report_detail", report_id=report.pk)


def _post_review(request: HttpRequest, report: Report, action: str) -> HttpResponse:
    actor = _actor(request)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _render(request, report, review_form=form, errors=[VERSION_MISSING], status=400)
    move = services.return_report if action == "return" else services.approve_report
    try:
        move(
            report_id=report.pk,
            actor=actor,
            version=form.cleaned_data["version"],
            comment=form.cleaned_data["comment"],
        )
    except services.StaleVersionError as error:
        return _stale(request, report, error, [("Ý kiến", form.cleaned_data["comment"])])
    except ValidationError as error:
        return _render(request, report, review_form=form, errors=error.messages, status=400)
    messages.success(request, RETURNED if action == "return" else APPROVED)
    return redirect("web:report_detail", report_id=report.pk)


def _post_reopen(request: HttpRequest, report: Report) -> HttpResponse:
    actor = _actor(request)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _render(request, report, reopen_form=form, errors=[VERSION_MISSING], status=400)
    try:
        services.reopen_report(
            report_id=report.pk,
            actor=actor,
            version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except services.StaleVersionError as error:
        return _stale(request, report, error, [("Lý do", form.cleaned_data["reason"])])
    except ValidationError as error:
        return _render(request, report, reopen_form=form, errors=error.messages, status=400)
    messages.success(request, REOPENED)
    return redirect("web:report_detail", report_id=report.pk)


# --- evidence -------------------------------------------------------------------------------


@require_safe
@login_required
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = get_evidence_for_user(request.user, evidence_id)
    if evidence.kind != EvidenceKind.FILE or not evidence.stored_name:
        raise Http404(FILE_MISSING)
    try:
        handle = evidence_path(evidence.stored_name).open("rb")
    except (OSError, ValueError) as error:
        raise Http404(FILE_MISSING) from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name or evidence.stored_name,
        content_type=evidence.content_type or "application/octet-stream",
    )
