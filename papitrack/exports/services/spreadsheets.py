"""Spreadsheet imports: check a filled template (dry run), then commit it.

A spreadsheet import is checked first (a dry run that changes no report), kept with its
validation report, then committed by the same user through the reports' own service
(save_report), so it passes the same permissions, validation, versioning and audit as typing
the values in. Only what differs from the report is sent: importing the same file twice
changes nothing the second time and does not bump the report's version.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from papitrack.accounts.models import User
from papitrack.audit.services import record_audit
from papitrack.exports import rules
from papitrack.exports.enums import ImportStatus
from papitrack.exports.models import SpreadsheetImport
from papitrack.exports.queries import spreadsheet_template_for
from papitrack.exports.xlsx_import import ParsedSheet, SpreadsheetTemplate, read_child_answers
from papitrack.reports.evidence import sanitise_filename
from papitrack.reports.models import ChildAnswer, Report
from papitrack.reports.services import ChildAnswerInput, ReportEdit, save_report

NOT_ALLOWED_SPREADSHEET = "Bạn không có quyền nhập số liệu từ tệp Excel cho báo cáo này."
NOT_ALLOWED_COMMIT = (
    "Chỉ cán bộ của đơn vị báo cáo mới ghi được số liệu vào báo cáo, và chỉ khi báo cáo đang "
    "soạn hoặc bị trả lại. Bạn vẫn có thể chạy thử để kiểm tra tệp."
)
NO_TEMPLATE = "Báo cáo này không có chỉ tiêu nhập theo từng đơn vị trực thuộc."
HAS_ERRORS = "Tệp còn {count} lỗi; hãy sửa trong Excel rồi tải lên lại."
ALREADY_DONE = "Tệp này đã được ghi vào báo cáo lúc {at}."
NOT_YOURS = "Chỉ người đã tải tệp lên mới ghi được tệp đó."


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
