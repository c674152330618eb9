"""Draft a document from a job's parameters: read its data, render the DOCX.

The parameters are what the user asked for (plain JSON, kept on the DocumentJob): kind,
plan, period, unit, signature lines, recipients, date, and the day the figures are taken
on, so that a job run later still shows the figures of the day it was asked for.
"""

from __future__ import annotations

import datetime
from typing import Any

from papitrack.exports.documents.common import signature_from_lines
from papitrack.exports.documents.consolidated import ConsolidatedReportExporter
from papitrack.exports.documents.consolidated_data import consolidated_report_data
from papitrack.exports.documents.unit_data import unit_plan_template_data, unit_report_data
from papitrack.exports.documents.unit_documents import (
    UnitPlanTemplateExporter,
    UnitReportExporter,
)
from papitrack.exports.enums import DocumentKind
from papitrack.exports.officialdoc import SignatureBlock
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Plan

DEFAULT_CONSOLIDATED_RECIPIENTS = (
    "UBND tỉnh (b/c)",
    "Ban Chỉ đạo cải cách hành chính tỉnh (b/c)",
    "Các Sở, Ban, ngành",
    "UBND các huyện, thị xã, thành phố",
    "Lưu: VT, CCHC",
)
DEFAULT_UNIT_RECIPIENTS = ("Sở Nội vụ (b/c)", "Lưu: VT")
DEFAULT_CONSOLIDATED_AUTHORITY = ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")


def _date(value: Any) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _signature(parameters: dict[str, Any]) -> SignatureBlock | None:
    lines = parameters.get("authority_lines") or []
    if not lines:
        return None
    return signature_from_lines(lines, name=str(parameters.get("signer_name", "")))


def _unit(code: str) -> OrgUnit:
    return OrgUnit.objects.select_related("parent__parent__parent").get(code=code)


def render_document(kind: str, parameters: dict[str, Any]) -> bytes:
    """The DOCX bytes of one document (KeyError for an unknown period)."""
    plan = Plan.objects.select_related("issuer", "index").get(pk=parameters["plan_id"])
    issued_on = _date(parameters.get("issued_on"))
    today = _date(parameters.get("today"))
    recipients = tuple(parameters.get("recipients") or ())
    if kind == DocumentKind.CONSOLIDATED_REPORT:
        signature = _signature(parameters) or signature_from_lines(
            DEFAULT_CONSOLIDATED_AUTHORITY, name=str(parameters.get("signer_name", ""))
        )
        data = consolidated_report_data(
            plan=plan,
            period_code=parameters["period"],
            issuer_unit=_unit(parameters["issuer_unit"]),
            signature=signature,
            recipients=recipients or DEFAULT_CONSOLIDATED_RECIPIENTS,
            issued_on=issued_on,
            today=today,
        )
        return ConsolidatedReportExporter().render(data)
    if kind == DocumentKind.UNIT_REPORT:
        unit_data = unit_report_data(
            plan=plan,
            unit=_unit(parameters["unit"]),
            period_code=parameters["period"],
            signature=_signature(parameters),
            recipients=recipients or DEFAULT_UNIT_RECIPIENTS,
            issued_on=issued_on,
            today=today,
            task_ids=frozenset(parameters["task_ids"]) if "task_ids" in parameters else None,
        )
        return UnitReportExporter().render(unit_data)
    template_data = unit_plan_template_data(
        plan=plan,
        unit=_unit(parameters["unit"]),
        signature=_signature(parameters),
        recipients=recipients or DEFAULT_UNIT_RECIPIENTS,
        issued_on=issued_on,
        today=today,
    )
    return UnitPlanTemplateExporter().render(template_data)
