"""The audit trail screen: who changed what and when, for coordinators and administrators."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from papitrack.accounts.rules import is_administrator, is_coordinator
from papitrack.audit.models import AuditEntry
from papitrack.audit.queries import filter_audit
from papitrack.reports.enums import MilestoneStatus, ReportStatus
from papitrack.unitplans.enums import UnitPlanStatus
from papitrack.web.forms_audit import AuditFilterForm
from papitrack.web.forms_reports import FIELD_LABELS, NARRATIVE_LABELS

PAGE_SIZE = 50
VALUE_MAX_LENGTH = 200
FORBIDDEN = "Chỉ cán bộ điều phối (Sở Nội vụ) và quản trị hệ thống được xem nhật ký."
EMPTY_TEXT = "(trống)"
MISSING = "—"

ACTION_LABELS = {
    "report.save": "Lưu báo cáo",
    "report.submit": "Gửi báo cáo",
    "report.return": "Trả lại báo cáo",
    "report.approve": "Phê duyệt báo cáo",
    "report.reopen": "Mở lại báo cáo",
    "reports.generate": "Tạo danh sách báo cáo phải nộp",
    "plan.load": "Nạp kế hoạch",
    "evidence.add": "Thêm minh chứng",
    "evidence.remove": "Gỡ minh chứng",
    "unit_plan_round.open": "Mở đợt kế hoạch của đơn vị",
    "unit_plan.save": "Lưu kế hoạch của đơn vị",
    "unit_plan.document": "Đính kèm văn bản kế hoạch",
    "unit_plan.submit": "Gửi kế hoạch của đơn vị",
    "unit_plan.return": "Trả lại kế hoạch của đơn vị",
    "unit_plan.accept": "Chấp thuận kế hoạch của đơn vị",
    "accounts.login": "Đăng nhập",
    "accounts.login_failed": "Đăng nhập sai tên hoặc mật khẩu",
    "accounts.login_wrong_code": "Nhập sai mã xác thực hai lớp",
    "accounts.login_refused_locked": "Từ chối đăng nhập (đang tạm khóa)",
    "accounts.lockout": "Tạm khóa đăng nhập",
    "accounts.two_factor_on": "Bật xác thực hai lớp",
    "accounts.two_factor_off": "Tắt xác thực hai lớp",
    "accounts.two_factor_reset": "Quản trị thiết lập lại xác thực hai lớp",
    "survey.microdata_view": "Xem kết quả tính từ phiếu khảo sát",
}
CHANGE_LABELS: dict[str, str] = {
    **{name: label.lower() for name, label in FIELD_LABELS.items()},
    **{name: label.lower() for name, label in NARRATIVE_LABELS.items()},
    "signer_name": "người chịu trách nhiệm",
    "status": "trạng thái",
    "version": "phiên bản",
    "evidence": "minh chứng",
    "document": "văn bản kế hoạch",
    "document_number": "số văn bản",
    "document_date": "ngày văn bản",
    "due_date": "hạn gửi",
    "units": "số đơn vị",
}
# Stored codes shown by their names: workflow states and milestone states.
VALUE_LABELS = {
    "status": {**dict(UnitPlanStatus.choices), **dict(ReportStatus.choices)},
    "milestone_status": dict(MilestoneStatus.choices),
}


def can_view_audit(user: Any) -> bool:
    return is_coordinator(user) or is_administrator(user)


@dataclass(frozen=True)
class ChangeLine:
    field: str
    old: str
    new: str


def _value(value: Any, *, labels: dict[str, str] | None = None) -> str:
    if value is None:
        return MISSING
    if value == "":
        return EMPTY_TEXT
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, list):
        return " · ".join(_value(item) for item in value)
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else str(value)
    if labels:
        text = str(labels.get(text, text))
    return text if len(text) <= VALUE_MAX_LENGTH else f"{text[: VALUE_MAX_LENGTH - 1]}…"


def _field_label(name: str) -> str:
    """ "D2-T6-K1.numerator" -> "D2-T6-K1 · tử số"; unknown names stay as they are."""
    head, _, last = name.rpartition(".")
    label = CHANGE_LABELS.get(last, last)
    return f"{head} · {label}" if head else label


def change_lines(changes: dict[str, Any]) -> list[ChangeLine]:
    """Each change as "field: old → new"; a blank that stays blank (None → "") is left out."""
    lines = []
    for name, change in changes.items():
        old, new = [*change, None, None][:2] if isinstance(change, list) else (None, change)
        if old in (None, "") and new in (None, ""):
            continue
        labels = VALUE_LABELS.get(name.rpartition(".")[2])
        lines.append(
            ChangeLine(
                field=_field_label(name),
                old=_value(old, labels=labels),
                new=_value(new, labels=labels),
            )
        )
    return lines


def _object_type_label(label: str) -> str:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return str(model._meta.verbose_name).capitalize()


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    action: str
    object_type: str
    changes: list[ChangeLine]


@require_safe
@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not can_view_audit(request.user):
        raise PermissionDenied(FORBIDDEN)
    actions = list(
        AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    )
    object_types = list(
        AuditEntry.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
    )
    form = AuditFilterForm(
        request.GET or None,
        actions=[(action, ACTION_LABELS.get(action, action)) for action in actions],
        object_types=[(label, _object_type_label(label)) for label in object_types],
    )
    filters: dict[str, Any] = {}
    if form.is_bound:
        # An invalid field is reported on the form and ignored; the valid ones still filter.
        form.is_valid()
        filters = form.cleaned_data
    entries = filter_audit(
        actor=(filters.get("actor") or "").strip() or None,
        action=filters.get("action") or None,
        object_type=filters.get("object_type") or None,
        unit_code=(filters.get("unit") or "").strip() or None,
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    type_labels = dict(form.fields["object_type"].choices)  # type: ignore[attr-defined]
    return render(
        request,
        "web/audit/audit_list.html",
        {
            "form": form,
            "page": page,
            "rows": [
                AuditRow(
                    entry=entry,
                    action=ACTION_LABELS.get(entry.action, entry.action),
                    object_type=str(type_labels.get(entry.object_type, entry.object_type)),
                    changes=change_lines(entry.changes or {}),
                )
                for entry in page.object_list
            ],
            "is_filtered": any(filters.get(name) for name in form.fields),
        },
    )
