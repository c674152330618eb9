"""Document jobs: what the user asks to be drafted, checked and queued (jobs.py drafts it)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from papitrack.accounts.models import User
from papitrack.audit.services import record_audit
from papitrack.exports import rules
from papitrack.exports.enums import DocumentKind, JobStatus
from papitrack.exports.models import DocumentJob
from papitrack.exports.queries import DOCUMENT_PERIOD_KINDS
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Plan
from papitrack.reports.models import ReportingPeriod

NOT_ALLOWED_DOCUMENT = "Bạn không có quyền tạo văn bản này."


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
