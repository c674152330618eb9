"""What the monitoring screens share: reading their filters, the XLSX answer, chart data."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils import timezone

from papitrack.calendars.enums import ReportingLevel
from papitrack.exports.xlsx import TableExport, XlsxTableExporter
from papitrack.monitoring.queries.dashboards import PlanStatus, pick_period
from papitrack.monitoring.queries.scope import LEVELS, PeriodRef
from papitrack.monitoring.rules import can_include_submitted
from papitrack.web.charts import chart_number

UNKNOWN_PERIOD = "Không có kỳ báo cáo «{code}»."
UNKNOWN_LEVEL = "Không có cấp báo cáo «{level}»."
SUBMITTED_NOT_ALLOWED = (
    "Chỉ Sở Nội vụ, lãnh đạo tỉnh và quản trị hệ thống được xem số liệu chưa phê duyệt."
)
TRUE_WORDS = frozenset({"1", "on", "true", "yes"})
LEVEL_LABELS: dict[str, str] = {str(level): str(ReportingLevel(level).label) for level in LEVELS}


@dataclass(frozen=True)
class Filters:
    period: str | None
    include_submitted: bool
    level: str | None
    unit: str | None
    export: str | None


def read_filters(request: HttpRequest) -> Filters:
    """period, include_submitted, level, unit and export from the query string.

    An unknown level is a 404; asking for unapproved figures without the right is a 403.
    """
    query = request.GET
    include_submitted = query.get("include_submitted", "").lower() in TRUE_WORDS
    if include_submitted and not can_include_submitted(request.user):
        raise PermissionDenied(SUBMITTED_NOT_ALLOWED)
    level = query.get("level") or None
    if level is not None and level not in LEVELS:
        raise Http404(UNKNOWN_LEVEL.format(level=level))
    return Filters(
        period=query.get("period") or None,
        include_submitted=include_submitted,
        level=level,
        unit=query.get("unit") or None,
        export=query.get("export") or None,
    )


def choose_period(
    periods: Sequence[PeriodRef],
    code: str | None,
    *,
    counts: dict[PeriodRef, int],
    today: datetime.date,
) -> PeriodRef | None:
    try:
        return pick_period(periods, code, counts=counts, today=today)
    except KeyError as error:
        raise Http404(UNKNOWN_PERIOD.format(code=code)) from error


def query_with(request: HttpRequest, **changes: Any) -> str:
    """The current query string with some parameters changed (None removes one)."""
    query: QueryDict = request.GET.copy()
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def xlsx_response(table: TableExport, *, name: str) -> HttpResponse:
    exporter = XlsxTableExporter()
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(exporter.render(table), content_type=exporter.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="papitrack-{name}-{stamp}.{exporter.file_extension}"'
    )
    return response


def radar_chart(status: PlanStatus) -> dict[str, Any]:
    """Baseline, target and the latest published score of the 8 dimensions (1–10 scale)."""
    plan = status.plan
    dimensions = status.dimensions
    # The plan's own year when it is published, else the latest published year.
    years = {point.year for dimension in dimensions for point in dimension.scores}
    latest_year = plan.target_year if plan.target_year in years else max(years, default=None)
    return {
        "indicators": [
            {
                "name": dimension.dimension.label,
                "min": chart_number(dimension.dimension.scale_min),
                "max": chart_number(dimension.dimension.scale_max),
            }
            for dimension in dimensions
        ],
        "series": [
            {
                "name": f"Năm gốc {plan.baseline_year}",
                "values": [
                    chart_number(dimension.score_in(plan.baseline_year)) for dimension in dimensions
                ],
            },
            {
                "name": f"Mục tiêu {plan.target_year}",
                "values": [
                    chart_number(dimension.target.score if dimension.target else None)
                    for dimension in dimensions
                ],
                "dashed": True,
            },
            {
                "name": f"Điểm PAPI {latest_year}" if latest_year else "Điểm PAPI",
                "values": [
                    chart_number(dimension.score_in(latest_year) if latest_year else None)
                    for dimension in dimensions
                ],
            },
        ],
    }


def trend_chart(status: PlanStatus, dimension_index: int | None) -> dict[str, Any]:
    """One dimension's (or the aggregate's) published scores with target and baseline lines."""
    plan = status.plan
    dimension = status.overall if dimension_index is None else status.dimensions[dimension_index]
    years = sorted(
        {
            point.year
            for item in (status.overall, *status.dimensions)
            if item
            for point in item.scores
        }
    )
    if dimension is None:
        return {"years": years, "series": [], "lines": []}
    by_year = {point.year: point.score for point in dimension.scores}
    lines = []
    if dimension.target is not None:
        lines.append(
            {"name": f"Mục tiêu {plan.target_year}", "value": chart_number(dimension.target.score)}
        )
    baseline = dimension.score_in(plan.baseline_year)
    if baseline is not None:
        lines.append({"name": f"Năm gốc {plan.baseline_year}", "value": chart_number(baseline)})
    return {
        "years": years,
        "series": [
            {
                "name": plan.issuer.display_name,
                "values": [chart_number(by_year.get(year)) for year in years],
            }
        ],
        "lines": lines,
    }
