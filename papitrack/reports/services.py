"""Writes for reports: values, evidence, and the workflow moves (one service per move).

Every service takes the actor, checks the actor's permission with reports/rules.py, locks the
report row (select_for_update, which serialises concurrent writers on PostgreSQL), checks the
version the caller edited against the current one (optimistic locking), writes, bumps the
version, records the transition and the audit entry — all in one transaction. A workflow move
also bumps the plan's data version, on which cached monitoring figures are keyed
(plans/versions.py); saving a draft's values does not, since they count only once submitted.

The optional `at` of the workflow moves lets the demo loader replay a past cycle (2020) with
its real dates; interactive callers (views, API) never pass it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from papitrack.accounts.models import User
from papitrack.audit.services import diff, record_audit
from papitrack.orgunits.enums import UnitKind
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.versions import bump_data_version
from papitrack.reports import rules
from papitrack.reports.enums import (
    EDITABLE_STATUSES,
    EvidenceKind,
    MilestoneStatus,
    ReportAction,
    ReportStatus,
)
from papitrack.reports.evidence import check_evidence_file, sanitise_filename, store_evidence_bytes
from papitrack.reports.models import ChildAnswer, Evidence, KpiValue, Report, ReportTransition
from papitrack.tasks.enums import KpiKind
from papitrack.tasks.models import Kpi

NOT_ALLOWED = "Bạn không có quyền {action} báo cáo này."
STALE_VERSION = (
    "Báo cáo đã được thay đổi bởi người khác (phiên bản hiện tại {current}, bạn đang sửa "
    "phiên bản {given}). Dữ liệu của bạn chưa được lưu; hãy tải lại để xem bản mới nhất."
)
LOCKED = "Báo cáo đã được phê duyệt nên đã khóa; chỉ Sở Nội vụ có thể mở lại."
WRONG_STATUS = "Không thể {action} khi báo cáo đang ở trạng thái «{status}»."
UNKNOWN_KPI = "Chỉ tiêu «{code}» không thuộc nhiệm vụ của báo cáo này."
UNKNOWN_CHILD = "Đơn vị «{code}» không trực thuộc đơn vị báo cáo."
NEGATIVE = "Chỉ tiêu {code}: {label} không được âm."
NOT_WHOLE = "Chỉ tiêu {code}: {label} phải là số nguyên."
NUMERATOR_ABOVE_DENOMINATOR = (
    "Chỉ tiêu {code}: tử số ({numerator}) không được lớn hơn mẫu số ({denominator})."
)
RATIO_INCOMPLETE = "Chỉ tiêu {code}: cần nhập cả tử số và mẫu số."
ANSWER_MISSING = "Chỉ tiêu {code}: chưa chọn «Đã thực hiện» hoặc «Chưa thực hiện»."
EVIDENCE_REQUIRED = "Chỉ tiêu {code}: đã thực hiện thì phải có minh chứng (tệp hoặc đường dẫn)."
REASON_REQUIRED = "Chỉ tiêu {code}: chưa thực hiện thì phải ghi lý do."
COUNT_MISSING = "Chỉ tiêu {code}: chưa nhập số lần."
STATUS_MISSING = "Chỉ tiêu {code}: chưa chọn tình trạng thực hiện."
OUTPUT_REQUIRED = (
    "Chỉ tiêu {code}: đã hoàn thành thì phải có văn bản kết quả (số văn bản hoặc tệp minh chứng)."
)
COMPLETED_ON_REQUIRED = "Chỉ tiêu {code}: đã hoàn thành thì phải ghi ngày hoàn thành."
CHILD_MISSING = "Chỉ tiêu {code}: chưa có kết quả của {count} đơn vị trực thuộc ({names})."
RESULTS_REQUIRED = "Chưa nhập phần «Kết quả đạt được»."
COMMENT_REQUIRED = "Phải ghi ý kiến khi trả lại báo cáo."
REASON_FOR_REOPEN = "Phải ghi lý do khi mở lại báo cáo đã phê duyệt."
CHILDREN_NOT_APPROVED = (
    "Chưa thể phê duyệt: báo cáo của {count} đơn vị trực thuộc cho cùng nhiệm vụ và kỳ chưa được "
    "phê duyệt ({names})."
)
EVIDENCE_ALREADY_REMOVED = "Minh chứng này đã được gỡ trước đó."
EVIDENCE_LINK_INVALID = "Đường dẫn minh chứng phải bắt đầu bằng http:// hoặc https://."

ACTION_WORDS: dict[str, str] = {
    ReportAction.SAVE: "sửa",
    ReportAction.SUBMIT: "gửi",
    ReportAction.RETURN: "trả lại",
    ReportAction.APPROVE: "phê duyệt",
    ReportAction.REOPEN: "mở lại",
}
VALUE_FIELDS = (
    "numerator",
    "denominator",
    "count",
    "answer",
    "reason",
    "milestone_status",
    "completed_on",
    "document_number",
    "document_date",
    "note",
)
NARRATIVE_FIELDS = ("results", "shortcomings", "causes", "proposals", "signer_name")


class StaleVersionError(ValidationError):
    """The caller edited an older version of the report (HTTP 409 in the API)."""


@dataclass(frozen=True)
class KpiValueInput:
    kpi_code: str
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    count: Decimal | None = None
    answer: bool | None = None
    reason: str = ""
    milestone_status: str = ""
    completed_on: datetime.date | None = None
    document_number: str = ""
    document_date: datetime.date | None = None
    note: str = ""


@dataclass(frozen=True)
class ChildAnswerInput:
    kpi_code: str
    child_code: str
    answer: bool | None
    reason: str = ""


@dataclass(frozen=True)
class ReportEdit:
    """What a reporter sends: any subset of values, child answers and narrative fields."""

    values: list[KpiValueInput] = field(default_factory=list)
    child_answers: list[ChildAnswerInput] = field(default_factory=list)
    narrative: dict[str, str] = field(default_factory=dict)


def _locked_report(report_id: int) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("task", "unit__parent__parent", "period")
        .get(pk=report_id)
    )


def _require(allowed: bool, action: str) -> None:
    if not allowed:
        raise PermissionDenied(NOT_ALLOWED.format(action=ACTION_WORDS[action]))


def _check_version(report: Report, version: int) -> None:
    if report.version != version:
        raise StaleVersionError(STALE_VERSION.format(current=report.version, given=version))


def _check_status(report: Report, allowed: set[str], action: str) -> None:
    if report.status == ReportStatus.APPROVED and ReportStatus.APPROVED not in allowed:
        raise ValidationError(LOCKED)
    if report.status not in allowed:
        raise ValidationError(
            WRONG_STATUS.format(
                action=ACTION_WORDS[action], status=ReportStatus(report.status).label
            )
        )


def child_units_for(report: Report, kpi: Kpi) -> list[OrgUnit]:
    """Child units a share-of-units KPI is answered for in this report (communes of a district)."""
    if kpi.kind != KpiKind.SHARE_OF_UNITS or report.unit.kind != UnitKind.DISTRICT:
        return []
    if "commune" not in kpi.population:
        return []
    end = report.period.end
    return [
        child
        for child in report.unit.children.filter(kind=UnitKind.COMMUNE).order_by("code")
        if child.is_active_on(end)
    ]


def _validate_numbers(kpi: Kpi, value: KpiValueInput, errors: list[str]) -> None:
    for label, number in (("tử số", value.numerator), ("mẫu số", value.denominator)):
        if number is not None and number < 0:
            errors.append(NEGATIVE.format(code=kpi.code, label=label))
    if value.count is not None:
        if value.count < 0:
            errors.append(NEGATIVE.format(code=kpi.code, label="số lần"))
        elif value.count != value.count.to_integral_value():
            errors.append(NOT_WHOLE.format(code=kpi.code, label="số lần"))
    if (
        value.numerator is not None
        and value.denominator is not None
        and value.numerator > value.denominator
        and kpi.kind in {KpiKind.RATIO, KpiKind.SHARE_OF_UNITS}
    ):
        errors.append(
            NUMERATOR_ABOVE_DENOMINATOR.format(
                code=kpi.code, numerator=value.numerator, denominator=value.denominator
            )
        )


@transaction.atomic
def save_report(*, report_id: int, actor: User, version: int, edit: ReportEdit) -> Report:
    """Save values, child answers and narrative of a draft or returned report.

    Side effects: bumps the version; writes one audit entry with every changed field.
    """
    report = _locked_report(report_id)
    _require(rules.is_reporting_officer(actor, report), ReportAction.SAVE)
    _check_status(report, set(EDITABLE_STATUSES), ReportAction.SAVE)
    _check_version(report, version)
    kpis = {kpi.code: kpi for kpi in report.task.kpis.all()}
    errors: list[str] = []
    for value in edit.values:
        kpi = kpis.get(value.kpi_code)
        if kpi is None:
            errors.append(UNKNOWN_KPI.format(code=value.kpi_code))
            continue
        _validate_numbers(kpi, value, errors)
    children: dict[str, OrgUnit] = {}
    for answer in edit.child_answers:
        kpi = kpis.get(answer.kpi_code)
        if kpi is None:
            errors.append(UNKNOWN_KPI.format(code=answer.kpi_code))
            continue
        allowed = {child.code: child for child in child_units_for(report, kpi)}
        if answer.child_code not in allowed:
            errors.append(UNKNOWN_CHILD.format(code=answer.child_code))
        children.update(allowed)
    if errors:
        raise ValidationError(errors)
    changes: dict[str, list[Any]] = {}
    existing = {value.kpi.code: value for value in report.values.select_related("kpi")}
    for value in edit.values:
        current = existing.get(value.kpi_code) or KpiValue(report=report, kpi=kpis[value.kpi_code])
        before = {name: getattr(current, name) for name in VALUE_FIELDS}
        for name in VALUE_FIELDS:
            setattr(current, name, getattr(value, name))
        current.full_clean()
        current.save()
        after = {name: getattr(current, name) for name in VALUE_FIELDS}
        changes.update(
            {f"{value.kpi_code}.{key}": change for key, change in diff(before, after).items()}
        )
    for answer in edit.child_answers:
        child_row, _ = ChildAnswer.objects.get_or_create(
            report=report, kpi=kpis[answer.kpi_code], child=children[answer.child_code]
        )
        before = {"answer": child_row.answer, "reason": child_row.reason}
        child_row.answer = answer.answer
        child_row.reason = answer.reason
        child_row.save()
        changes.update(
            {
                f"{answer.kpi_code}.{answer.child_code}.{key}": change
                for key, change in diff(
                    before, {"answer": answer.answer, "reason": answer.reason}
                ).items()
            }
        )
    before_narrative = {name: getattr(report, name) for name in NARRATIVE_FIELDS}
    for name, text in edit.narrative.items():
        if name in NARRATIVE_FIELDS:
            setattr(report, name, text.strip())
    changes.update(
        diff(before_narrative, {name: getattr(report, name) for name in NARRATIVE_FIELDS})
    )
    report.version += 1
    report.save()
    record_audit(
        actor=actor, action="report.save", target=report, unit=report.unit, changes=changes
    )
    return report


def completeness_errors(report: Report) -> list[str]:
    """What is missing before a report can be submitted, in Vietnamese, one line per gap."""
    errors: list[str] = []
    values = {value.kpi_id: value for value in report.values.all()}
    evidence_kpis = {
        evidence.kpi_id for evidence in report.evidence.filter(removed_at__isnull=True)
    }
    answers: dict[int, dict[int, ChildAnswer]] = {}
    for child_answer in report.child_answers.all():
        answers.setdefault(child_answer.kpi_id, {})[child_answer.child_id] = child_answer
    for kpi in report.task.kpis.all():
        value = values.get(kpi.pk)
        children = child_units_for(report, kpi)
        if children:
            given = answers.get(kpi.pk, {})
            missing = [
                child
                for child in children
                if given.get(child.pk) is None or given[child.pk].answer is None
            ]
            if missing:
                names = ", ".join(child.display_name for child in missing[:5])
                errors.append(CHILD_MISSING.format(code=kpi.code, count=len(missing), names=names))
            errors.extend(
                REASON_REQUIRED.format(code=f"{kpi.code} ({answer.child.display_name})")
                for answer in given.values()
                if answer.answer is False and not answer.reason.strip()
            )
            continue
        if kpi.kind in {KpiKind.RATIO, KpiKind.EXTERNAL} and (
            value is None or value.numerator is None or value.denominator is None
        ):
            if kpi.kind == KpiKind.RATIO or value is None or not value.milestone_status:
                errors.append(RATIO_INCOMPLETE.format(code=kpi.code))
        elif kpi.kind == KpiKind.SHARE_OF_UNITS:
            if value is None or value.answer is None:
                errors.append(ANSWER_MISSING.format(code=kpi.code))
            elif value.answer and kpi.pk not in evidence_kpis:
                errors.append(EVIDENCE_REQUIRED.format(code=kpi.code))
            elif value.answer is False and not value.reason.strip():
                errors.append(REASON_REQUIRED.format(code=kpi.code))
        elif kpi.kind == KpiKind.COUNT:
            if value is None or value.count is None:
                errors.append(COUNT_MISSING.format(code=kpi.code))
        elif kpi.kind in {KpiKind.MILESTONE, KpiKind.VAGUE}:
            if value is None or not value.milestone_status:
                errors.append(STATUS_MISSING.format(code=kpi.code))
            elif value.milestone_status == MilestoneStatus.DONE:
                if value.completed_on is None:
                    errors.append(COMPLETED_ON_REQUIRED.format(code=kpi.code))
                if not value.document_number and kpi.pk not in evidence_kpis:
                    errors.append(OUTPUT_REQUIRED.format(code=kpi.code))
    if not report.results.strip():
        errors.append(RESULTS_REQUIRED)
    return errors


def _transition(
    report: Report,
    *,
    actor: User,
    action: str,
    to_status: str,
    comment: str = "",
    at: datetime.datetime | None = None,
) -> None:
    from_status = report.status
    report.status = to_status
    report.version += 1
    report.save()
    ReportTransition.objects.create(
        report=report,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        comment=comment,
        at=at or timezone.now(),
    )
    record_audit(
        actor=actor,
        action=f"report.{action}",
        target=report,
        unit=report.unit,
        changes={"status": [from_status, to_status]},
        comment=comment,
    )
    # Last, to hold the version's row lock for the shortest time: the report now counts,
    # or no longer counts, in the plan's monitoring figures.
    bump_data_version(
        plan_id=report.task.plan_id,
        slices=[(report.task_id, report.period_id)],
        reports=[report.pk],
    )


@transaction.atomic
def submit_report(
    *,
    report_id: int,
    actor: User,
    version: int,
    comment: str = "",
    at: datetime.datetime | None = None,
) -> Report:
    """Draft or returned -> submitted, once every KPI has a complete value.

    Side effects: sets first_submitted_at (once; timeliness is judged on it) and
    submitted_at, counts the submission, records the transition and the audit entry.
    """
    report = _locked_report(report_id)
    _require(rules.is_reporting_officer(actor, report), ReportAction.SUBMIT)
    _check_status(report, set(EDITABLE_STATUSES), ReportAction.SUBMIT)
    _check_version(report, version)
    errors = completeness_errors(report)
    if errors:
        raise ValidationError(errors)
    now = at or timezone.now()
    report.first_submitted_at = report.first_submitted_at or now
    report.submitted_at = now
    report.submit_count += 1
    if not report.signer_name:
        report.signer_name = actor.full_name or actor.username
    _transition(
        report,
        actor=actor,
        action=ReportAction.SUBMIT,
        to_status=ReportStatus.SUBMITTED,
        comment=comment,
        at=now,
    )
    return report


@transaction.atomic
def return_report(
    *,
    report_id: int,
    actor: User,
    version: int,
    comment: str,
    at: datetime.datetime | None = None,
) -> Report:
    """Submitted -> returned, with the reviewer's comment kept in the thread."""
    if not comment.strip():
        raise ValidationError(COMMENT_REQUIRED)
    report = _locked_report(report_id)
    _require(rules.is_reviewer_of(actor, report), ReportAction.RETURN)
    _check_status(report, {ReportStatus.SUBMITTED}, ReportAction.RETURN)
    _check_version(report, version)
    _transition(
        report,
        actor=actor,
        action=ReportAction.RETURN,
        to_status=ReportStatus.RETURNED,
        comment=comment.strip(),
        at=at,
    )
    return report


def _unapproved_children(report: Report) -> list[Report]:
    """Reports of the unit's child units for the same task and period not yet approved."""
    return list(
        Report.objects.filter(task=report.task, period=report.period, unit__parent=report.unit)
        .exclude(status=ReportStatus.APPROVED)
        .select_related("unit")
        .order_by("unit__code")
    )


@transaction.atomic
def approve_report(
    *,
    report_id: int,
    actor: User,
    version: int,
    comment: str = "",
    at: datetime.datetime | None = None,
) -> Report:
    """Submitted -> approved (locked). A parent's report needs every child report approved.

    Side effects: sets approved_at/approved_by, records the transition and the audit entry.
    """
    report = _locked_report(report_id)
    _require(rules.is_reviewer_of(actor, report), ReportAction.APPROVE)
    _check_status(report, {ReportStatus.SUBMITTED}, ReportAction.APPROVE)
    _check_version(report, version)
    pending = _unapproved_children(report)
    if pending:
        names = ", ".join(child.unit.display_name for child in pending[:5])
        raise ValidationError(CHILDREN_NOT_APPROVED.format(count=len(pending), names=names))
    report.approved_at = at or timezone.now()
    report.approved_by = actor
    _transition(
        report,
        actor=actor,
        action=ReportAction.APPROVE,
        to_status=ReportStatus.APPROVED,
        comment=comment,
        at=report.approved_at,
    )
    return report


@transaction.atomic
def reopen_report(*, report_id: int, actor: User, version: int, reason: str) -> Report:
    """Approved -> returned, by the coordinator, with a mandatory reason.

    Side effects: the parent unit's approved report for the same task and period loses its
    approval too (it was built on this one) and is returned with an explanatory comment.
    """
    if not reason.strip():
        raise ValidationError(REASON_FOR_REOPEN)
    report = _locked_report(report_id)
    _require(rules.can_reopen_any(actor), ReportAction.REOPEN)
    _check_status(report, {ReportStatus.APPROVED}, ReportAction.REOPEN)
    _check_version(report, version)
    report.approved_at = None
    report.approved_by = None
    _transition(
        report,
        actor=actor,
        action=ReportAction.REOPEN,
        to_status=ReportStatus.RETURNED,
        comment=reason.strip(),
    )
    parent = (
        Report.objects.select_for_update()
        .filter(
            task=report.task,
            period=report.period,
            unit=report.unit.parent,
            status=ReportStatus.APPROVED,
        )
        .first()
        if report.unit.parent_id
        else None
    )
    if parent is not None:
        parent.approved_at = None
        parent.approved_by = None
        _transition(
            parent,
            actor=actor,
            action=ReportAction.REOPEN,
            to_status=ReportStatus.RETURNED,
            comment=f"Mở lại vì báo cáo của {report.unit.display_name} được mở lại: "
            f"{reason.strip()}",
        )
    return report


@transaction.atomic
def add_evidence(
    *,
    report_id: int,
    actor: User,
    kpi_code: str | None,
    file_name: str = "",
    content: bytes | None = None,
    link: str = "",
    description: str = "",
) -> Evidence:
    """Attach a file (checked by content, stored outside the web root) or a link.

    Side effects: writes the file (atomically, via a temporary name), one audit entry.
    """
    report = _locked_report(report_id)
    _require(rules.is_reporting_officer(actor, report), ReportAction.SAVE)
    _check_status(report, set(EDITABLE_STATUSES), ReportAction.SAVE)
    kpi = None
    if kpi_code:
        kpi = report.task.kpis.filter(code=kpi_code).first()
        if kpi is None:
            raise ValidationError(UNKNOWN_KPI.format(code=kpi_code))
    evidence = Evidence(
        report=report, kpi=kpi, uploaded_by=actor, description=description.strip()[:300]
    )
    if content is not None:
        checked = check_evidence_file(name=file_name, content=content)
        evidence.kind = EvidenceKind.FILE
        evidence.original_name = sanitise_filename(file_name)
        evidence.content_type = checked.content_type
        evidence.size = checked.size
        evidence.sha256 = checked.sha256
        evidence.stored_name = store_evidence_bytes(content=content, extension=checked.extension)
    else:
        if not link.startswith(("http://", "https://")):
            raise ValidationError(EVIDENCE_LINK_INVALID)
        evidence.kind = EvidenceKind.LINK
        evidence.link = link
    evidence.full_clean()
    evidence.save()
    report.version += 1
    report.save(update_fields=["version", "updated_at"])
    record_audit(
        actor=actor,
        action="evidence.add",
        target=evidence,
        unit=report.unit,
        changes={"evidence": [None, evidence.original_name or evidence.link]},
        comment=f"{report} · {kpi_code or ''}",
    )
    return evidence


@transaction.atomic
def remove_evidence(*, evidence_id: int, actor: User) -> Evidence:
    """Mark evidence as removed (kept for the record, never deleted)."""
    evidence = Evidence.objects.select_related("report").get(pk=evidence_id)
    report = _locked_report(evidence.report_id)
    _require(rules.is_reporting_officer(actor, report), ReportAction.SAVE)
    _check_status(report, set(EDITABLE_STATUSES), ReportAction.SAVE)
    if evidence.removed_at is not None:
        raise ValidationError(EVIDENCE_ALREADY_REMOVED)
    evidence.removed_at = timezone.now()
    evidence.save(update_fields=["removed_at"])
    report.version += 1
    report.save(update_fields=["version", "updated_at"])
    record_audit(
        actor=actor,
        action="evidence.remove",
        target=evidence,
        unit=report.unit,
        changes={"evidence": [evidence.original_name or evidence.link, None]},
    )
    return evidence
