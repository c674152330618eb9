"""Builders for report tests: find a demo report and drive it to a state through services."""

from __future__ import annotations

import datetime
from decimal import Decimal

from papitrack.accounts.models import User
from papitrack.reports import services
from papitrack.reports.models import Report
from papitrack.reports.services import ChildAnswerInput, KpiValueInput, ReportEdit, child_units_for
from papitrack.tasks.enums import KpiKind

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2b5d6cf0000000049454e44ae426082"
)


def report_for(task_key: str, unit_code: str, period: str = "2020Q4") -> Report:
    return Report.objects.select_related("task", "unit__parent", "period").get(
        task__key=task_key, unit__code=unit_code, period__code=period
    )


def complete_values(report: Report) -> ReportEdit:
    values = []
    children = []
    for kpi in report.task.kpis.all():
        child_units = child_units_for(report, kpi)
        if child_units:
            children += [
                ChildAnswerInput(kpi_code=kpi.code, child_code=child.code, answer=True)
                for child in child_units
            ]
        elif kpi.kind in {KpiKind.RATIO, KpiKind.EXTERNAL}:
            values.append(
                KpiValueInput(kpi_code=kpi.code, numerator=Decimal(9), denominator=Decimal(10))
            )
        elif kpi.kind == KpiKind.SHARE_OF_UNITS:
            values.append(KpiValueInput(kpi_code=kpi.code, answer=True))
        elif kpi.kind == KpiKind.COUNT:
            values.append(KpiValueInput(kpi_code=kpi.code, count=Decimal(1)))
        else:
            values.append(
                KpiValueInput(
                    kpi_code=kpi.code,
                    milestone_status="done",
                    completed_on=datetime.date(2020, 11, 30),
                    document_number="12/BC-UBND",
                )
            )
    return ReportEdit(values=values, child_answers=children, narrative={"results": "Đã làm."})


def fill(report: Report, officer: User) -> Report:
    report = services.save_report(
        report_id=report.pk, actor=officer, version=report.version, edit=complete_values(report)
    )
    for kpi in report.task.kpis.all():
        if kpi.kind == KpiKind.SHARE_OF_UNITS and not child_units_for(report, kpi):
            report = Report.objects.get(pk=report.pk)
            services.add_evidence(
                report_id=report.pk,
                actor=officer,
                kpi_code=kpi.code,
                file_name="a.png",
                content=PNG,
            )
    return Report.objects.get(pk=report.pk)


def submit(report: Report, officer: User) -> Report:
    report = fill(report, officer)
    return services.submit_report(report_id=report.pk, actor=officer, version=report.version)
