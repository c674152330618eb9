"""Writes of the exports app: spreadsheet imports (check, then commit) and document jobs.

A spreadsheet import is checked first (a dry run that changes no report), kept with its
validation report, then committed by the same user through the reports' own service
(save_report), so it passes the same permissions, validation, versioning and audit as typing
the values in. Only what differs from the report is sent: importing the same file twice
changes nothing the second time and does not bump the report's version.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from papitrack.accounts.models import User
from papitrack.audit.services import record_audit
from papitrack.exports import rules
from papitrack.exports.dhis2 import DataValue, Dhis2Field, Dhis2Mapping, parse_number
from papitrack.exports.enums import DocumentKind, ImportStatus, JobStatus
from papitrack.exports.models import DocumentJob, SpreadsheetImport
from papitrack.exports.queries import DOCUMENT_PERIOD_KINDS, spreadsheet_template_for
from papitrack.exports.xlsx_import import ParsedSheet, SpreadsheetTemplate, read_child_answers
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Plan
from papitrack.reports import rules as report_rules
from papitrack.reports.enums import MilestoneStatus
from papitrack.reports.evidence import sanitise_filename
from papitrack.reports.models import ChildAnswer, Report, ReportingPeriod
from papitrack.reports.services import (
    VALUE_FIELDS,
    ChildAnswerInput,
    KpiValueInput,
    ReportEdit,
    save_report,
)
from papitrack.tasks.models import Kpi, TaskAssignee

NOT_ALLOWED_SPREADSHEET = "Bạn không có quyền nhập số liệu từ tệp Excel cho báo cáo này."
NOT_ALLOWED_COMMIT = (
    "Chỉ cán bộ của đơn vị báo cáo mới ghi được số liệu vào báo cáo, và chỉ khi báo cáo đang "
    "soạn hoặc bị trả lại. Bạn vẫn có thể chạy thử để kiểm tra tệp."
)
NO_TEMPLATE = "Báo cáo này không có chỉ tiêu nhập theo từng đơn vị trực thuộc."
HAS_ERRORS = "Tệp còn {count} lỗi; hãy sửa trong Excel rồi tải lên lại."
ALREADY_DONE = "Tệp này đã được ghi vào báo cáo lúc {at}."
NOT_YOURS = "Chỉ người đã tải tệp lên mới ghi được tệp đó."
NOT_ALLOWED_DOCUMENT = "Bạn không có quyền tạo văn bản này."


@dataclass(frozen=True)
class AnswerChange:
    """One child answer the file would change: who, which KPI, from what to what."""

    child_code: str
    child_name: str
    kpi_code: str
    row: int
    old_answer: bool | None
    new_answer: bool | None
    old_reason: str
    new_reason: str
    is_new: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "child_code": self.child_code,
            "child_name": self.child_name,
            "kpi_code": self.kpi_code,
            "row": self.row,
            "old_answer": self.old_answer,
            "new_answer": self.new_answer,
            "old_reason": self.old_reason,
            "new_reason": self.new_reason,
            "is_new": self.is_new,
        }


@dataclass(frozen=True)
class SpreadsheetCheck:
    parsed: ParsedSheet
    changes: tuple[AnswerChange, ...]
    unchanged: int


def compare_answers(
    *, report: Report, template: SpreadsheetTemplate, parsed: ParsedSheet
) -> SpreadsheetCheck:
    """What the file changes in the report's current child answers (nothing for a re-import)."""
    names = {row.code: row.name for row in template.rows}
    current = {
        (answer.kpi.code, answer.child.code): answer
        for answer in ChildAnswer.objects.filter(report=report).select_related("kpi", "child")
    }
    changes: list[AnswerChange] = []
    unchanged = 0
    for answer in parsed.answers:
        existing = current.get((answer.kpi_code, answer.child_code))
        old_answer = existing.answer if existing else None
        old_reason = existing.reason if existing else ""
        if (old_answer, old_reason) == (answer.answer, answer.reason):
            unchanged += 1
            continue
        changes.append(
            AnswerChange(
                child_code=answer.child_code,
                child_name=names.get(answer.child_code, answer.child_code),
                kpi_code=answer.kpi_code,
                row=answer.row,
                old_answer=old_answer,
                new_answer=answer.answer,
                old_reason=old_reason,
                new_reason=answer.reason,
                is_new=existing is None,
            )
        )
    return SpreadsheetCheck(parsed=parsed, changes=tuple(changes), unchanged=unchanged)


def _summary(check: SpreadsheetCheck) -> dict[str, Any]:
    return {
        "errors": [issue.as_dict() for issue in check.parsed.errors],
        "warnings": [issue.as_dict() for issue in check.parsed.warnings],
        "changes": [change.as_dict() for change in check.changes],
        "created": sum(1 for change in check.changes if change.is_new),
        "updated": sum(1 for change in check.changes if not change.is_new),
        "unchanged": check.unchanged,
    }


def _template_or_error(report: Report) -> SpreadsheetTemplate:
    template = spreadsheet_template_for(report=report)
    if template is None:
        raise ValidationError(NO_TEMPLATE)
    return template


@transaction.atomic
def check_spreadsheet(
    *, report: Report, actor: User, file_name: str, content: bytes
) -> SpreadsheetImport:
    """Dry run: read and validate a filled template, compare it with the report, keep both.

    Changes no report. A file that cannot be read at all (not an XLSX, a zip bomb, another
    report's template) raises ValidationError and nothing is kept. Side effects: one
    SpreadsheetImport row holding the file and its validation report.
    """
    if not rules.can_use_spreadsheet(actor, report):
        raise PermissionDenied(NOT_ALLOWED_SPREADSHEET)
    name = sanitise_filename(file_name)
    template = _template_or_error(report)
    parsed = read_child_answers(name=name, content=content, template=template)
    check = compare_answers(report=report, template=template, parsed=parsed)
    return SpreadsheetImport.objects.create(
        report=report,
        file_name=name,
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        report_version=report.version,
        status=ImportStatus.REJECTED if parsed.errors else ImportStatus.CHECKED,
        summary=_summary(check),
        uploaded_by=actor,
    )


@transaction.atomic
def commit_spreadsheet(*, import_id: int, actor: User) -> SpreadsheetImport:
    """Write a checked file into its report, all of it or nothing, through save_report.

    The file is read again and compared with the report as it is now; only the answers that
    differ are sent, with the version the dry run saw, so a report changed in between is
    refused (StaleVersionError) instead of overwritten. Nothing to change: the import is
    marked committed and the report is left alone (no new version). Side effects: save_report's
    own (new version, audit entry with every changed answer), one audit entry for the import.
    """
    found = (
        SpreadsheetImport.objects.select_for_update(of=("self",))
        .select_related("report__task", "report__unit", "report__period")
        .get(pk=import_id)
    )
    report = found.report
    if found.uploaded_by_id != actor.pk:
        raise PermissionDenied(NOT_YOURS)
    if not rules.can_commit_spreadsheet(actor, report):
        raise PermissionDenied(NOT_ALLOWED_COMMIT)
    if found.status == ImportStatus.COMMITTED and found.committed_at is not None:
        raise ValidationError(
            ALREADY_DONE.format(
                at=timezone.localtime(found.committed_at).strftime("%H:%M %d/%m/%Y")
            )
        )
    template = _template_or_error(report)
    parsed = read_child_answers(
        name=found.file_name, content=bytes(found.content), template=template
    )
    if parsed.errors:
        raise ValidationError(HAS_ERRORS.format(count=len(parsed.errors)))
    check = compare_answers(report=report, template=template, parsed=parsed)
    if check.changes:
        save_report(
            report_id=report.pk,
            actor=actor,
            version=found.report_version,
            edit=ReportEdit(
                child_answers=[
                    ChildAnswerInput(
                        kpi_code=change.kpi_code,
                        child_code=change.child_code,
                        answer=change.new_answer,
                        reason=change.new_reason,
                    )
                    for change in check.changes
                ]
            ),
        )
    found.status = ImportStatus.COMMITTED
    found.committed_at = timezone.now()
    found.summary = _summary(check)
    found.save(update_fields=["status", "committed_at", "summary"])
    record_audit(
        actor=actor,
        action="spreadsheet.commit",
        target=found,
        unit=report.unit,
        changes={"answers": [None, len(check.changes)]},
        comment=f"{found.file_name} · {report}",
    )
    return found


# --- document jobs --------------------------------------------------------------------------


@transaction.atomic
def request_document(
    *,
    actor: User,
    kind: str,
    parameters: dict[str, Any],
    title: str,
    file_stem: str,
    with_pdf: bool,
) -> DocumentJob:
    """Queue a document to draft; the caller has checked the permission for its subject.

    Side effects: one DocumentJob row (queued) and one audit entry.
    """
    job = DocumentJob(
        kind=DocumentKind(kind),
        parameters=parameters,
        title=title[:300],
        file_stem=file_stem[:150],
        with_pdf=with_pdf,
        requested_by=actor,
        status=JobStatus.QUEUED,
        step="Đang chờ tạo",
    )
    job.full_clean()
    job.save()
    record_audit(
        actor=actor,
        action="document.request",
        target=job,
        unit=actor.unit,
        changes={"kind": [None, job.kind]},
        comment=job.title,
    )
    return job


# --- DHIS2 import ---------------------------------------------------------------------------

DHIS2_UNKNOWN_ELEMENT = "Phần tử dữ liệu «{code}» không có trong tệp ánh xạ."
DHIS2_UNKNOWN_UNIT = "Đơn vị «{code}» không có trong tệp ánh xạ."
DHIS2_UNKNOWN_PERIOD = "Kỳ «{code}» không có trong tệp ánh xạ."
DHIS2_BAD_NUMBER = "Giá trị «{value}» không phải số."
DHIS2_BAD_FLAG = "Giá trị «{value}» không hợp lệ: cần 1 (có) hoặc 0 (chưa)."
DHIS2_NO_REPORT = "Không có báo cáo của {unit} cho chỉ tiêu {kpi}, kỳ {period}."
DHIS2_NO_PARENT = "Đơn vị {unit} không có đơn vị cấp trên để nhận kết quả theo đơn vị trực thuộc."
DHIS2_LOCKED = (
    "Báo cáo {report} đang ở trạng thái «{status}» nên không sửa được; giá trị khác bị bỏ qua."
)
DHIS2_NOT_ALLOWED = (
    "Bạn không phải cán bộ của {unit} nên không ghi được giá trị vào báo cáo {report}; "
    "giá trị khác bị bỏ qua."
)
DHIS2_INVALID = "Báo cáo {report}: {errors}"
DHIS2_NOT_ALLOWED_AT_ALL = "Chỉ Sở Nội vụ (điều phối) được trao đổi dữ liệu với DHIS2."

FLAG_FIELDS = frozenset({Dhis2Field.ANSWER, Dhis2Field.CHILD_ANSWER, Dhis2Field.MILESTONE_DONE})
FLAG_VALUES = {"1": True, "true": True, "0": False, "false": False}


@dataclass(frozen=True)
class Dhis2Conflict:
    """Like a DHIS2 import conflict: the object concerned and what is wrong."""

    object: str
    value: str

    def as_dict(self) -> dict[str, str]:
        return {"object": self.object, "value": self.value}


@dataclass(frozen=True)
class Dhis2ImportSummary:
    """The outcome, in DHIS2's terms: imported (new), updated, ignored, plus unchanged."""

    dry_run: bool
    status: str  # SUCCESS, WARNING (something ignored) or ERROR (nothing written)
    imported: int
    updated: int
    unchanged: int
    ignored: int
    reports_changed: int
    conflicts: tuple[Dhis2Conflict, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "status": self.status,
            "import_count": {
                "imported": self.imported,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "ignored": self.ignored,
            },
            "reports_changed": self.reports_changed,
            "conflicts": [conflict.as_dict() for conflict in self.conflicts],
        }


class _RollBack(Exception):
    """Raised inside the import's transaction to undo a dry run."""


@dataclass
class _PendingReport:
    report: Report
    values: dict[str, dict[str, Any]]  # KPI code -> field -> new value
    children: dict[tuple[str, str], bool]  # (KPI code, child code) -> answer


def _value_inputs(pending: _PendingReport) -> tuple[list[KpiValueInput], int, int, int]:
    """Full inputs (save_report replaces every field of a KPI value) for the KPIs that change,
    and how many incoming values are new, changed or already equal."""
    existing = {value.kpi.code: value for value in pending.report.values.all()}
    inputs, imported, updated, unchanged = [], 0, 0, 0
    for kpi_code, fields in pending.values.items():
        current = existing.get(kpi_code)
        before: dict[str, Any] = {
            name: getattr(current, name) if current else None for name in VALUE_FIELDS
        }
        for name in ("reason", "milestone_status", "document_number", "note"):
            before[name] = before[name] or ""
        after = dict(before)
        for name, value in fields.items():
            if name == "milestone_done":
                done = before["milestone_status"] == MilestoneStatus.DONE
                if bool(value) != done:
                    after["milestone_status"] = (
                        MilestoneStatus.DONE if value else MilestoneStatus.IN_PROGRESS
                    )
            else:
                after[name] = value
        for name in fields:
            key = "milestone_status" if name == "milestone_done" else name
            if after[key] == before[key]:
                unchanged += 1
            elif before[key] in (None, ""):
                imported += 1
            else:
                updated += 1
        if after != before:
            inputs.append(KpiValueInput(kpi_code=kpi_code, **after))
    return inputs, imported, updated, unchanged


def _child_inputs(pending: _PendingReport) -> tuple[list[ChildAnswerInput], int, int, int]:
    existing = {
        (answer.kpi.code, answer.child.code): answer
        for answer in pending.report.child_answers.all()
    }
    inputs, imported, updated, unchanged = [], 0, 0, 0
    for (kpi_code, child_code), answer in pending.children.items():
        current = existing.get((kpi_code, child_code))
        if current is not None and current.answer == answer:
            unchanged += 1
            continue
        if current is None or current.answer is None:
            imported += 1
        else:
            updated += 1
        inputs.append(
            ChildAnswerInput(
                kpi_code=kpi_code,
                child_code=child_code,
                answer=answer,
                reason=current.reason if current is not None and not answer else "",
            )
        )
    return inputs, imported, updated, unchanged


def _resolve(
    *, plan: Plan, mapping: Dhis2Mapping, values: Sequence[DataValue]
) -> tuple[dict[int, _PendingReport], list[Dhis2Conflict]]:
    """Turn DHIS2 values into per-report changes; what cannot be placed becomes a conflict."""
    conflicts: list[Dhis2Conflict] = []
    kpis = {kpi.code: kpi for kpi in Kpi.objects.filter(task__plan=plan)}
    unit_codes = {mapping.unit_for(value.org_unit) for value in values} - {None}
    units = {
        unit.code: unit
        for unit in OrgUnit.objects.filter(code__in=unit_codes).select_related("parent")
    }
    placed: list[tuple[str, str, str, str, Any, str | None]] = []
    for value in values:
        element = mapping.element_by_identifier(value.data_element)
        unit_code = mapping.unit_for(value.org_unit)
        period_code = mapping.period_for(value.period)
        if element is None or element.kpi_code not in kpis:
            conflicts.append(
                Dhis2Conflict(
                    value.data_element, DHIS2_UNKNOWN_ELEMENT.format(code=value.data_element)
                )
            )
            continue
        if unit_code is None or unit_code not in units:
            conflicts.append(
                Dhis2Conflict(value.org_unit, DHIS2_UNKNOWN_UNIT.format(code=value.org_unit))
            )
            continue
        if period_code is None:
            conflicts.append(
                Dhis2Conflict(value.period, DHIS2_UNKNOWN_PERIOD.format(code=value.period))
            )
            continue
        parsed: Any
        try:
            if element.field in FLAG_FIELDS:
                if value.value.strip().lower() not in FLAG_VALUES:
                    raise ValueError(value.value)
                parsed = FLAG_VALUES[value.value.strip().lower()]
            else:
                parsed = parse_number(value.value)
        except ValueError:
            message = DHIS2_BAD_FLAG if element.field in FLAG_FIELDS else DHIS2_BAD_NUMBER
            conflicts.append(Dhis2Conflict(element.code, message.format(value=value.value[:40])))
            continue
        child: str | None = None
        if element.field == Dhis2Field.CHILD_ANSWER:
            parent = units[unit_code].parent
            if parent is None:
                conflicts.append(Dhis2Conflict(unit_code, DHIS2_NO_PARENT.format(unit=unit_code)))
                continue
            child, unit_code = unit_code, parent.code
        placed.append((element.kpi_code, element.field, unit_code, period_code, parsed, child))
    reports = {
        (report.task_id, report.unit.code, report.period.code): report
        for report in Report.objects.filter(
            task__plan=plan,
            unit__code__in={entry[2] for entry in placed},
            period__code__in={entry[3] for entry in placed},
        )
        .select_related("task", "unit__parent__parent", "period")
        .prefetch_related(
            "values__kpi",
            "child_answers__kpi",
            "child_answers__child",
            Prefetch("task__assignees", queryset=TaskAssignee.objects.select_related("unit")),
        )
    }
    pending: dict[int, _PendingReport] = {}
    for kpi_code, field_name, unit_code, period_code, parsed, child in placed:
        report = reports.get((kpis[kpi_code].task_id, unit_code, period_code))
        if report is None:
            conflicts.append(
                Dhis2Conflict(
                    f"{unit_code}/{period_code}",
                    DHIS2_NO_REPORT.format(unit=unit_code, kpi=kpi_code, period=period_code),
                )
            )
            continue
        entry = pending.setdefault(report.pk, _PendingReport(report=report, values={}, children={}))
        if child is not None:
            entry.children[(kpi_code, child)] = parsed
        else:
            entry.values.setdefault(kpi_code, {})[field_name] = parsed
    return pending, conflicts


@transaction.atomic
def _apply_dhis2(
    *, actor: User, pending: dict[int, _PendingReport], conflicts: list[Dhis2Conflict]
) -> tuple[int, int, int, int, int]:
    imported = updated = unchanged = ignored = changed_reports = 0
    for entry in pending.values():
        report = entry.report
        values, *value_counts = _value_inputs(entry)
        children, *child_counts = _child_inputs(entry)
        new, changed, same = (a + b for a, b in zip(value_counts, child_counts, strict=True))
        unchanged += same
        if not values and not children:
            continue
        if not report_rules.can_edit_report(actor, report):
            ignored += new + changed
            template = (
                DHIS2_NOT_ALLOWED
                if not report_rules.is_reporting_officer(actor, report)
                else DHIS2_LOCKED
            )
            conflicts.append(
                Dhis2Conflict(
                    str(report),
                    template.format(
                        unit=report.unit.display_name,
                        report=str(report),
                        status=report.get_status_display(),
                    ),
                )
            )
            continue
        try:
            save_report(
                report_id=report.pk,
                actor=actor,
                version=report.version,
                edit=ReportEdit(values=values, child_answers=children),
            )
        except ValidationError as error:
            conflicts.append(
                Dhis2Conflict(
                    str(report),
                    DHIS2_INVALID.format(report=report, errors="; ".join(error.messages)),
                )
            )
            raise _RollBack from error
        imported += new
        updated += changed
        changed_reports += 1
    return imported, updated, unchanged, ignored, changed_reports


def import_dhis2_values(
    *,
    actor: User,
    plan: Plan,
    mapping: Dhis2Mapping,
    values: Sequence[DataValue],
    dry_run: bool,
) -> Dhis2ImportSummary:
    """Bring DHIS2 data values into papitrack reports, all or nothing, with a summary.

    Values equal to papitrack's count as unchanged (so an export imported back changes
    nothing). Values that differ go through save_report, so they land only in reports the
    actor may edit (the actor's own unit's drafts and returned reports); the others are
    ignored and listed as conflicts, as DHIS2 does for locked periods. A value save_report
    refuses (e.g. numerator above denominator) undoes the whole import. A dry run does
    everything and then rolls back. Side effects: save_report's, and one audit entry.
    """
    if not rules.can_exchange_with_dhis2(actor):
        raise PermissionDenied(DHIS2_NOT_ALLOWED_AT_ALL)
    pending, conflicts = _resolve(plan=plan, mapping=mapping, values=values)
    failed = False
    counts = (0, 0, 0, 0, 0)
    try:
        with transaction.atomic():
            counts = _apply_dhis2(actor=actor, pending=pending, conflicts=conflicts)
            if dry_run:
                raise _RollBack
            if counts[4]:
                record_audit(
                    actor=actor,
                    action="dhis2.import",
                    target=plan,
                    changes={"values": [None, counts[0] + counts[1]]},
                    comment=f"{counts[4]} báo cáo",
                )
    except _RollBack as rollback:
        failed = rollback.__cause__ is not None
    imported, updated, unchanged, ignored, changed_reports = counts
    if failed:
        imported = updated = changed_reports = 0
    unplaced = len(values) - sum(
        len(entry.children) + sum(len(fields) for fields in entry.values.values())
        for entry in pending.values()
    )
    status = "ERROR" if failed else "WARNING" if conflicts else "SUCCESS"
    return Dhis2ImportSummary(
        dry_run=dry_run,
        status=status,
        imported=imported,
        updated=updated,
        unchanged=unchanged,
        ignored=ignored + unplaced,
        reports_changed=changed_reports,
        conflicts=tuple(conflicts),
    )


# --- asking for documents -------------------------------------------------------------------

UNKNOWN_PERIOD = "Kế hoạch không có kỳ báo cáo «{code}»."
UNKNOWN_UNIT = "Không có đơn vị mã «{code}»."
NOT_ALLOWED_UNIT = "Bạn không có quyền soạn văn bản của {unit}."


@dataclass(frozen=True)
class DocumentOptions:
    """What the user chose besides the subject: date, signature, recipients, PDF."""

    issued_on: datetime.date | None = None
    authority_lines: tuple[str, ...] = ()
    signer_name: str = ""
    recipients: tuple[str, ...] = ()
    with_pdf: bool = True

    def parameters(self) -> dict[str, Any]:
        return {
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "authority_lines": list(self.authority_lines),
            "signer_name": self.signer_name.strip(),
            "recipients": list(self.recipients),
        }


def _period(plan: Plan, code: str) -> ReportingPeriod:
    period = (
        ReportingPeriod.objects.filter(
            code=code, kind__in=DOCUMENT_PERIOD_KINDS, reports__task__plan=plan
        )
        .distinct()
        .first()
    )
    if period is None:
        raise ValidationError(UNKNOWN_PERIOD.format(code=code))
    return period


def _unit_for_document(code: str) -> OrgUnit:
    unit = OrgUnit.objects.select_related("parent__parent").filter(code=code.strip()).first()
    if unit is None:
        raise ValidationError(UNKNOWN_UNIT.format(code=code))
    return unit


def request_consolidated_report(
    *, actor: User, plan: Plan, period_code: str, options: DocumentOptions, issuer: OrgUnit
) -> DocumentJob:
    """Queue the province's report for a period (coordinator and leaders only)."""
    if not rules.can_draft_consolidated_report(actor):
        raise PermissionDenied(NOT_ALLOWED_DOCUMENT)
    period = _period(plan, period_code)
    return request_document(
        actor=actor,
        kind=DocumentKind.CONSOLIDATED_REPORT,
        parameters={
            "plan_id": plan.pk,
            "period": period.code,
            "issuer_unit": issuer.code,
            "today": timezone.localdate().isoformat(),
            **options.parameters(),
        },
        title=f"Báo cáo tổng hợp kết quả thực hiện Kế hoạch {plan.number}, {period.label}",
        file_stem=f"bao-cao-papi-{period.code}",
        with_pdf=options.with_pdf,
    )


def request_unit_report(
    *, actor: User, plan: Plan, unit_code: str, period_code: str, options: DocumentOptions
) -> DocumentJob:
    """Queue a unit's report for a period (its officers, those above it, its reviewers)."""
    unit = _unit_for_document(unit_code)
    if not rules.can_draft_unit_report(actor, unit):
        raise PermissionDenied(NOT_ALLOWED_UNIT.format(unit=unit.display_name))
    period = _period(plan, period_code)
    limits: dict[str, Any] = {}
    if not rules.reads_whole_unit(actor, unit):
        # A lead agency reviewing the unit: its own tasks only, as on the monitoring pages.
        limits["task_ids"] = rules.tasks_led_by(actor)
    return request_document(
        actor=actor,
        kind=DocumentKind.UNIT_REPORT,
        parameters={
            "plan_id": plan.pk,
            "unit": unit.code,
            "period": period.code,
            "today": timezone.localdate().isoformat(),
            **limits,
            **options.parameters(),
        },
        title=f"Báo cáo {period.label} của {unit.display_name}",
        file_stem=f"bao-cao-{unit.code}-{period.code}",
        with_pdf=options.with_pdf,
    )


def request_unit_plan_template(
    *, actor: User, plan: Plan, unit_code: str, options: DocumentOptions
) -> DocumentJob:
    """Queue the template of a unit's implementation plan (the unit and Sở Nội vụ)."""
    unit = _unit_for_document(unit_code)
    if not rules.can_draft_unit_plan_template(actor, unit):
        raise PermissionDenied(NOT_ALLOWED_UNIT.format(unit=unit.display_name))
    return request_document(
        actor=actor,
        kind=DocumentKind.UNIT_PLAN_TEMPLATE,
        parameters={
            "plan_id": plan.pk,
            "unit": unit.code,
            "today": timezone.localdate().isoformat(),
            **options.parameters(),
        },
        title=f"Mẫu kế hoạch thực hiện Kế hoạch {plan.number} của {unit.display_name}",
        file_stem=f"ke-hoach-{unit.code}",
        with_pdf=options.with_pdf,
    )
