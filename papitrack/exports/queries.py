"""Reads of the exports app: spreadsheet templates, document jobs, imports a user may see.

The data of the official documents is read by papitrack/exports/documents/data.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet
from django.http import Http404

from papitrack.accounts.enums import Role
from papitrack.exports import rules
from papitrack.exports.dhis2 import (
    DataValue,
    Dhis2Field,
    Dhis2Mapping,
    ExportResult,
    KpiRef,
    default_mapping,
    format_number,
    iso_period,
    parse_mapping,
)
from papitrack.exports.models import DocumentJob, SpreadsheetImport
from papitrack.exports.xlsx_import import SpreadsheetTemplate, TemplateKpi, TemplateRow
from papitrack.orgunits.enums import UnitKind
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Plan
from papitrack.reports.enums import MilestoneStatus, ReportStatus
from papitrack.reports.models import ChildAnswer, KpiValue, Report, ReportingPeriod
from papitrack.reports.queries import reports_visible_to
from papitrack.reports.services import child_units_for
from papitrack.tasks.enums import KpiKind
from papitrack.tasks.models import Kpi, TaskAssignee

JOB_NOT_FOUND = "Không tìm thấy văn bản."
IMPORT_NOT_FOUND = "Không tìm thấy tệp đã tải lên."
REPORT_NOT_FOUND = "Không tìm thấy báo cáo."

MAPPING_FILE = "dhis2/mapping.yaml"
DOCUMENT_PERIOD_KINDS = ("quarter", "half_year", "nine_months", "year")
MILESTONE_KINDS = frozenset({KpiKind.MILESTONE, KpiKind.VAGUE})

# Reports whose task has a KPI answered per child unit (a district per commune).
CHILD_ANSWER_KPIS = Q(
    task__kpis__kind=KpiKind.SHARE_OF_UNITS, task__kpis__population__contains="commune"
)


def spreadsheet_reports(*, user: Any, unit_code: str | None = None) -> QuerySet[Report]:
    """Reports the user may fill from a spreadsheet: a district's reports on tasks answered
    per commune; the user's own unit unless a coordinator picks another one."""
    reports = reports_visible_to(user).filter(CHILD_ANSWER_KPIS, unit__kind=UnitKind.DISTRICT)
    if unit_code:
        reports = reports.filter(unit__code=unit_code)
    elif user.unit_id is not None:
        reports = reports.filter(unit_id=user.unit_id)
    return reports.distinct().order_by("period__end", "period__code", "task__position")


def get_spreadsheet_report_for_user(user: Any, report_id: int) -> Report:
    """The report with what its template needs, or 404 when the user may not use it."""
    report = (
        Report.objects.select_related("task__dimension", "task__plan", "unit__parent", "period")
        .prefetch_related(
            "task__kpis",
            Prefetch("task__assignees", queryset=TaskAssignee.objects.select_related("unit")),
        )
        .filter(pk=report_id)
        .first()
    )
    if report is None or not rules.can_use_spreadsheet(user, report):
        raise Http404(REPORT_NOT_FOUND)
    return report


def spreadsheet_template_for(*, report: Report) -> SpreadsheetTemplate | None:
    """The template of one report: its per-child KPIs and children with current answers.

    None when the report has no KPI answered per child unit.
    """
    kpis = []
    children: dict[str, Any] = {}
    for kpi in report.task.kpis.all():
        units = child_units_for(report, kpi)
        if units:
            kpis.append(kpi)
            children.update({unit.code: unit for unit in units})
    if not kpis:
        return None
    current = {
        (answer.kpi_id, answer.child_id): answer
        for answer in ChildAnswer.objects.filter(report=report)
    }
    rows = []
    for code in sorted(children):
        child = children[code]
        answers = []
        for kpi in kpis:
            found = current.get((kpi.pk, child.pk))
            answers.append((found.answer, found.reason) if found else (None, ""))
        rows.append(TemplateRow(code=code, name=child.name, answers=tuple(answers)))
    return SpreadsheetTemplate(
        report_id=report.pk,
        report_version=report.version,
        task_key=report.task.key,
        task_label=report.task.printed_label,
        task_title=report.task.title,
        period_code=report.period.code,
        period_label=report.period.label,
        unit_code=report.unit.code,
        unit_name=report.unit.name,
        kpis=tuple(TemplateKpi(code=kpi.code, heading=kpi.measure) for kpi in kpis),
        rows=tuple(rows),
    )


def get_import_for_user(user: Any, import_id: int) -> SpreadsheetImport:
    found = (
        SpreadsheetImport.objects.select_related("report__task", "report__unit", "report__period")
        .filter(pk=import_id, uploaded_by_id=user.pk)
        .first()
    )
    if found is None:
        raise Http404(IMPORT_NOT_FOUND)
    return found


def jobs_of(user: Any) -> QuerySet[DocumentJob]:
    """The user's own document jobs, newest first, without their file contents."""
    return DocumentJob.objects.filter(requested_by_id=user.pk).defer("docx", "pdf")


def get_job_for_user(user: Any, job_id: int, *, files: bool = True) -> DocumentJob:
    """A job is seen only by whoever asked for it (404 for anyone else).

    Without `files` the documents themselves are not read (the page polls the status every
    second or two); `has_docx` and `has_pdf` say whether they exist.
    """
    jobs = DocumentJob.objects.filter(pk=job_id, requested_by_id=user.pk)
    if not files:
        jobs = jobs.defer("docx", "pdf").annotate(
            has_docx=ExpressionWrapper(Q(docx__isnull=False), output_field=BooleanField()),
            has_pdf=ExpressionWrapper(Q(pdf__isnull=False), output_field=BooleanField()),
        )
    job = jobs.first()
    if job is None:
        raise Http404(JOB_NOT_FOUND)
    return job


# --- DHIS2 ----------------------------------------------------------------------------------


def default_dhis2_mapping(*, plan: Plan) -> tuple[Dhis2Mapping, dict[str, str]]:
    """A mapping of every KPI, unit and period of the plan's reports onto DHIS2 codes equal
    to papitrack's own, with the units' names for the file's comments."""
    kpis = [
        KpiRef(
            code=kpi.code,
            kind=kpi.kind,
            population=kpi.population,
            task_label=kpi.task.printed_label,
            measure=kpi.measure,
        )
        for kpi in Kpi.objects.filter(task__plan=plan)
        .select_related("task")
        .order_by("task__position", "position")
    ]
    reports = Report.objects.filter(task__plan=plan)
    unit_ids = set(reports.values_list("unit_id", flat=True).distinct())
    units = OrgUnit.objects.filter(Q(pk__in=unit_ids) | Q(parent_id__in=unit_ids))
    names = {unit.code: unit.name for unit in units.only("code", "name")}
    periods = {}
    for period in ReportingPeriod.objects.filter(reports__task__plan=plan).distinct():
        iso = iso_period(kind=period.kind, code=period.code, start=period.start, end=period.end)
        if iso is not None:
            periods[period.code] = iso
    mapping = default_mapping(
        plan_code=plan.code, kpis=kpis, unit_codes=names, periods=dict(sorted(periods.items()))
    )
    return mapping, names


def _stamp(moment: datetime.datetime | None) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.000") if moment else ""


def dhis2_export_values(
    *, plan: Plan, mapping: Dhis2Mapping, period_codes: Sequence[str] | None = None
) -> ExportResult:
    """Approved KPI values of the plan as DHIS2 data values (two queries).

    Values without a data element, org unit or period in the mapping are left out and
    listed in `skipped`.
    """
    approved = Q(report__task__plan=plan, report__status=ReportStatus.APPROVED)
    if period_codes:
        approved &= Q(report__period__code__in=list(period_codes))
    values: list[DataValue] = []
    skipped: set[str] = set()

    def add(
        kpi_code: str,
        field_name: str,
        unit_code: str,
        period_code: str,
        value: str,
        report: Report,
        comment: str = "",
    ) -> None:
        element = mapping.element(kpi_code, field_name)
        org_unit = mapping.org_units.get(unit_code)
        period = mapping.periods.get(period_code)
        if element is None or org_unit is None or period is None:
            missing = (
                f"phần tử {kpi_code}/{field_name}"
                if element is None
                else f"đơn vị {unit_code}"
                if org_unit is None
                else f"kỳ {period_code}"
            )
            skipped.add(missing)
            return
        values.append(
            DataValue(
                data_element=mapping.identifier(element),
                period=period,
                org_unit=org_unit,
                value=value,
                stored_by=report.approved_by.username if report.approved_by else "",
                last_updated=_stamp(report.approved_at),
                comment=comment[:255],
            )
        )

    for kpi_value in (
        KpiValue.objects.filter(approved)
        .select_related("kpi", "report__unit", "report__period", "report__approved_by")
        .order_by("report__period__end", "report__unit__code", "kpi__code")
    ):
        report = kpi_value.report
        unit, period, code = report.unit.code, report.period.code, kpi_value.kpi.code
        for field_name, number in (
            (Dhis2Field.NUMERATOR, kpi_value.numerator),
            (Dhis2Field.DENOMINATOR, kpi_value.denominator),
            (Dhis2Field.COUNT, kpi_value.count),
        ):
            if number is not None:
                add(code, field_name, unit, period, format_number(number), report)
        if kpi_value.answer is not None:
            add(
                code,
                Dhis2Field.ANSWER,
                unit,
                period,
                "1" if kpi_value.answer else "0",
                report,
                kpi_value.reason,
            )
        if kpi_value.milestone_status and kpi_value.kpi.kind in MILESTONE_KINDS:
            done = kpi_value.milestone_status == MilestoneStatus.DONE
            add(code, Dhis2Field.MILESTONE_DONE, unit, period, "1" if done else "0", report)
    for answer in (
        ChildAnswer.objects.filter(approved, answer__isnull=False)
        .select_related("kpi", "child", "report__period", "report__approved_by")
        .order_by("report__period__end", "child__code", "kpi__code")
    ):
        add(
            answer.kpi.code,
            Dhis2Field.CHILD_ANSWER,
            answer.child.code,
            answer.report.period.code,
            "1" if answer.answer else "0",
            answer.report,
            answer.reason,
        )
    return ExportResult(values=tuple(values), skipped=tuple(sorted(skipped)))


def doha_unit(*, plan: Plan) -> OrgUnit:
    """Sở Nội vụ, which issues the province's report: the coordinators' unit (the plan's
    issuer if no coordinator is set up)."""
    unit = (
        OrgUnit.objects.filter(users__role=Role.COORDINATOR, users__is_active=True)
        .select_related("parent__parent")
        .order_by("pk")
        .first()
    )
    return unit or plan.issuer


def document_periods(*, plan: Plan) -> list[ReportingPeriod]:
    """Periods a document can cover: quarters, halves, nine months and years with reports."""
    return list(
        ReportingPeriod.objects.filter(kind__in=DOCUMENT_PERIOD_KINDS, reports__task__plan=plan)
        .distinct()
        .order_by("start", "-end")
    )


def current_dhis2_mapping(*, plan: Plan) -> Dhis2Mapping:
    """The shipped mapping file (data/dhis2/mapping.yaml) when it is this plan's; otherwise
    the default one generated from the plan."""
    path = Path(settings.DATA_DIR) / MAPPING_FILE
    if path.exists():
        mapping = parse_mapping(path.read_text(encoding="utf-8"))
        if mapping.plan_code == plan.code:
            return mapping
    return default_dhis2_mapping(plan=plan)[0]
