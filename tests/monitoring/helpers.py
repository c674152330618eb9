"""Builders for the monitoring tests: a small hand-made tree and reports set by hand."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = datetime.date(2020, 10, 16)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LOCAL)


@dataclass
class Tree:
    plan: Any
    province: Any
    district: Any
    communes: list[Any]

    def unit(self, code: str) -> Any:
        return next(unit for unit in [self.district, *self.communes] if unit.code == code)


def give(
    report: Any,
    *,
    status: str = "approved",
    submitted: datetime.datetime | None = None,
    **values: Any,
) -> Any:
    """Put values (by KPI code, "-" written "_") into a report and set its state by hand: the
    services are tested elsewhere, here only the stored rows matter."""
    from papitrack.reports.models import KpiValue

    for code, fields in values.items():
        kpi = report.task.kpis.get(code=code.replace("_", "-"))
        KpiValue.objects.create(report=report, kpi=kpi, **fields)
    report.status = status
    if status != "draft":
        report.first_submitted_at = submitted or at(DUE - datetime.timedelta(days=2), 9)
    report.save()
    return report
