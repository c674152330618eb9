"""Writes for units' implementation plans: open a round, write, submit, return, accept."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from papitrack.accounts.models import User
from papitrack.audit.services import diff, record_audit
from papitrack.plans.models import Plan
from papitrack.reports.evidence import check_evidence_file, sanitise_filename, store_evidence_bytes
from papitrack.reports.services import StaleVersionError
from papitrack.unitplans import rules
from papitrack.unitplans.enums import EDITABLE_UNIT_PLAN_STATUSES, UnitPlanStatus
from papitrack.unitplans.models import UnitPlan, UnitPlanItem, UnitPlanRound
from papitrack.unitplans.queries import assigned_tasks_for, round_units

NOT_ALLOWED = "Bạn không có quyền thực hiện thao tác này với kế hoạch của đơn vị."
STALE = (
    "Kế hoạch đã được thay đổi bởi người khác (phiên bản {current}, bạn đang sửa phiên bản "
    "{given}); dữ liệu của bạn chưa được lưu."
)
WRONG_STATUS = "Kế hoạch đang ở trạng thái «{status}», không thể {action}."
NOT_ASSIGNED = "Nhiệm vụ {task} không được giao cho đơn vị này."
NEGATIVE_TARGET = "Nhiệm vụ {task}: chỉ tiêu không được âm."
DOCUMENT_REQUIRED = "Cần đính kèm văn bản kế hoạch đã ký hoặc ghi số và ngày văn bản."
NO_ITEMS = "Kế hoạch chưa có nội dung cho nhiệm vụ nào."
COMMENT_REQUIRED = "Phải ghi ý kiến khi trả lại kế hoạch."


@dataclass(frozen=True)
class UnitPlanItemInput:
    task_key: str
    actions: str
    target_value: Decimal | None = None
    target_text: str = ""
    deadline: datetime.date | None = None
    responsible_person: str = ""
    justification: str = ""


def _locked(unit_plan_id: int) -> UnitPlan:
    return (
        UnitPlan.objects.select_for_update(of=("self",))
        .select_related("round__plan", "unit")
        .get(pk=unit_plan_id)
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(NOT_ALLOWED)


def _check(unit_plan: UnitPlan, allowed: set[str], action: str, version: int) -> None:
    if unit_plan.status not in allowed:
        raise ValidationError(
            WRONG_STATUS.format(status=UnitPlanStatus(unit_plan.status).label, action=action)
        )
    if unit_plan.version != version:
        raise StaleVersionError(STALE.format(current=unit_plan.version, given=version))


@transaction.atomic
def open_unit_plan_round(*, plan: Plan, due_date: datetime.date, actor: User) -> UnitPlanRound:
    """Open the round: one draft plan for every provincial body and district with tasks.

    Side effects: creates the unit plans; one audit entry.
    """
    _require(rules.can_open_round(actor))
    plan_round = UnitPlanRound.objects.create(plan=plan, due_date=due_date, opened_by=actor)
    units = round_units(plan=plan, day=plan.issued_on)
    UnitPlan.objects.bulk_create(UnitPlan(round=plan_round, unit=unit) for unit in units)
    record_audit(
        actor=actor,
        action="unit_plan_round.open",
        target=plan_round,
        changes={"due_date": [None, due_date.isoformat()], "units": [0, len(units)]},
    )
    return plan_round


@transaction.atomic
def save_unit_plan(
    *,
    unit_plan_id: int,
    actor: User,
    version: int,
    items: list[UnitPlanItemInput],
    document_number: str = "",
    document_date: datetime.date | None = None,
) -> UnitPlan:
    """Replace the plan's items with the given ones (one per assigned task at most)."""
    unit_plan = _locked(unit_plan_id)
    _require(rules.is_unit_plan_author(actor, unit_plan))
    _check(unit_plan, set(EDITABLE_UNIT_PLAN_STATUSES), "sửa", version)
    tasks = {task.key: task for task in assigned_tasks_for(unit_plan=unit_plan)}
    errors = [
        NOT_ASSIGNED.format(task=item.task_key) for item in items if item.task_key not in tasks
    ]
    errors += [
        NEGATIVE_TARGET.format(task=item.task_key)
        for item in items
        if item.target_value is not None and item.target_value < 0
    ]
    if errors:
        raise ValidationError(errors)
    before = {
        item.task.key: [
            item.actions,
            item.target_value,
            item.target_text,
            item.deadline,
            item.responsible_person,
            item.justification,
        ]
        for item in unit_plan.items.select_related("task")
    }
    unit_plan.items.all().delete()
    UnitPlanItem.objects.bulk_create(
        UnitPlanItem(
            unit_plan=unit_plan,
            task=tasks[item.task_key],
            actions=item.actions.strip(),
            target_value=item.target_value,
            target_text=item.target_text.strip(),
            deadline=item.deadline,
            responsible_person=item.responsible_person.strip(),
            justification=item.justification.strip(),
        )
        for item in items
    )
    after = {
        item.task_key: [
            item.actions.strip(),
            item.target_value,
            item.target_text.strip(),
            item.deadline,
            item.responsible_person.strip(),
            item.justification.strip(),
        ]
        for item in items
    }
    changes = diff(before, after)
    changes.update(
        diff(
            {
                "document_number": unit_plan.document_number,
                "document_date": unit_plan.document_date,
            },
            {"document_number": document_number.strip(), "document_date": document_date},
        )
    )
    unit_plan.document_number = document_number.strip()
    unit_plan.document_date = document_date
    unit_plan.version += 1
    unit_plan.save()
    record_audit(
        actor=actor, action="unit_plan.save", target=unit_plan, unit=unit_plan.unit, changes=changes
    )
    return unit_plan


@transaction.atomic
def attach_unit_plan_document(
    *, unit_plan_id: int, actor: User, file_name: str, content: bytes
) -> UnitPlan:
    """Store the signed plan document (checked by content, outside the web root)."""
    unit_plan = _locked(unit_plan_id)
    _require(rules.is_unit_plan_author(actor, unit_plan))
    _check(unit_plan, set(EDITABLE_UNIT_PLAN_STATUSES), "sửa", unit_plan.version)
    checked = check_evidence_file(name=file_name, content=content)
    previous = unit_plan.document_name
    unit_plan.document_name = sanitise_filename(file_name)
    unit_plan.document_content_type = checked.content_type
    unit_plan.document_sha256 = checked.sha256
    unit_plan.document_stored_name = store_evidence_bytes(
        content=content, extension=checked.extension
    )
    unit_plan.version += 1
    unit_plan.save()
    record_audit(
        actor=actor,
        action="unit_plan.document",
        target=unit_plan,
        unit=unit_plan.unit,
        changes={"document": [previous, unit_plan.document_name]},
    )
    return unit_plan


def _move(
    unit_plan: UnitPlan, *, actor: User, action: str, to_status: str, comment: str = ""
) -> None:
    from_status = unit_plan.status
    unit_plan.status = to_status
    unit_plan.version += 1
    unit_plan.save()
    record_audit(
        actor=actor,
        action=f"unit_plan.{action}",
        target=unit_plan,
        unit=unit_plan.unit,
        changes={"status": [from_status, to_status]},
        comment=comment,
    )


@transaction.atomic
def submit_unit_plan(
    *, unit_plan_id: int, actor: User, version: int, at: datetime.datetime | None = None
) -> UnitPlan:
    """Draft or returned -> submitted. Coverage gaps do not block: the check lists them."""
    unit_plan = _locked(unit_plan_id)
    _require(rules.is_unit_plan_author(actor, unit_plan))
    _check(unit_plan, set(EDITABLE_UNIT_PLAN_STATUSES), "gửi", version)
    errors = []
    if not unit_plan.document_stored_name and not (
        unit_plan.document_number and unit_plan.document_date
    ):
        errors.append(DOCUMENT_REQUIRED)
    if not unit_plan.items.exists():
        errors.append(NO_ITEMS)
    if errors:
        raise ValidationError(errors)
    now = at or timezone.now()
    unit_plan.first_submitted_at = unit_plan.first_submitted_at or now
    unit_plan.submitted_at = now
    _move(unit_plan, actor=actor, action="submit", to_status=UnitPlanStatus.SUBMITTED)
    return unit_plan


@transaction.atomic
def return_unit_plan(*, unit_plan_id: int, actor: User, version: int, comment: str) -> UnitPlan:
    if not comment.strip():
        raise ValidationError(COMMENT_REQUIRED)
    unit_plan = _locked(unit_plan_id)
    _require(rules.can_review_any_unit_plan(actor))
    _check(unit_plan, {UnitPlanStatus.SUBMITTED}, "trả lại", version)
    unit_plan.review_comment = comment.strip()
    _move(
        unit_plan,
        actor=actor,
        action="return",
        to_status=UnitPlanStatus.RETURNED,
        comment=comment.strip(),
    )
    return unit_plan


@transaction.atomic
def accept_unit_plan(
    *,
    unit_plan_id: int,
    actor: User,
    version: int,
    comment: str = "",
    at: datetime.datetime | None = None,
) -> UnitPlan:
    """Submitted -> accepted: the plan becomes the unit's baseline for its reports."""
    unit_plan = _locked(unit_plan_id)
    _require(rules.can_review_any_unit_plan(actor))
    _check(unit_plan, {UnitPlanStatus.SUBMITTED}, "chấp thuận", version)
    unit_plan.accepted_at = at or timezone.now()
    unit_plan.review_comment = comment.strip()
    _move(
        unit_plan, actor=actor, action="accept", to_status=UnitPlanStatus.ACCEPTED, comment=comment
    )
    return unit_plan
