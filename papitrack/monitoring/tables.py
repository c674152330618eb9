"""Every monitoring table as a `TableExport` (for "Xuất Excel"), built from the query results.

The columns are those of the page's table; figures are exact (ratios as numbers between 0
and 1, formatted as percentages by the exporter); "no data" is an empty cell, never 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from papitrack.calendars.enums import TaskState
from papitrack.exports.xlsx import Column, ColumnKind, TableExport
from papitrack.monitoring.achievement import StateCounts
from papitrack.monitoring.enums import Achievement
from papitrack.monitoring.queries.completeness import (
    CompletenessRow,
    Heatmap,
    LeagueRow,
    OverdueLine,
    ReportState,
)
from papitrack.monitoring.queries.dashboards import DimensionStatus, PlanStatus
from papitrack.monitoring.queries.rollups import KpiResult, TaskResult
from papitrack.monitoring.queries.scope import PeriodRef
from papitrack.orgunits.models import OrgUnit
from papitrack.reports.enums import ReportStatus
from papitrack.reports.models import Report

STATE_COLUMNS = (
    Column("Phải nộp", ColumnKind.INTEGER),
    Column("Đã nộp", ColumnKind.INTEGER),
    Column("Tỷ lệ đầy đủ", ColumnKind.PERCENT),
    Column("Đúng hạn", ColumnKind.INTEGER),
    Column("Tỷ lệ đúng hạn", ColumnKind.PERCENT),
    Column("Đang trong hạn", ColumnKind.INTEGER),
    Column("Quá hạn", ColumnKind.INTEGER),
)
# The heat map's last column: every period of the plan together.
ALL_PERIODS = "Tất cả các kỳ"
KPI_COLUMNS = (
    Column("Chỉ tiêu", width=14),
    Column("Loại", width=22),
    Column("Tử số / số đơn vị đạt", ColumnKind.DECIMAL),
    Column("Mẫu số / số đơn vị", ColumnKind.DECIMAL),
    Column("Tỷ lệ", ColumnKind.PERCENT),
    Column("Mục tiêu", width=14),
    Column("Đánh giá", width=22),
    Column("Đơn vị có số liệu", ColumnKind.INTEGER),
    Column("Đơn vị phải báo cáo", ColumnKind.INTEGER),
)


def scope_notes(
    *, period: PeriodRef | None, root: OrgUnit | None, include_submitted: bool | None = None
) -> list[str]:
    notes = []
    if period is not None:
        notes.append(f"Kỳ báo cáo: {period.label} ({period.code}).")
    if root is not None:
        notes.append(f"Phạm vi: {root.name} và các đơn vị trực thuộc.")
    if include_submitted is not None:
        notes.append(
            "Số liệu gồm báo cáo đã phê duyệt và báo cáo đã gửi, chưa duyệt."
            if include_submitted
            else "Số liệu chỉ lấy từ báo cáo đã phê duyệt."
        )
    notes.append(
        "Tỷ lệ = tổng tử số / tổng mẫu số (không lấy trung bình các tỷ lệ). "
        "Ô trống là không có số liệu."
    )
    return notes


def _states(row_states: StateCounts) -> tuple[object, ...]:
    return (
        row_states.expected,
        row_states.received,
        row_states.completeness,
        row_states.done_on_time,
        row_states.timeliness,
        row_states.in_progress,
        row_states.overdue,
    )


def target_text(result: KpiResult) -> str:
    if result.target.value is None:
        return "Chưa có chỉ tiêu"
    value = f"{result.target.value.normalize():f}".replace(".", ",")
    symbol = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}.get(result.target.comparator, "")
    return f"{symbol} {value}%".strip()


def kpi_cells(result: KpiResult) -> tuple[object, ...]:
    tally = result.tally
    reported = tally.reported > 0
    return (
        result.kpi.code,
        result.kpi.get_kind_display(),
        tally.numerator if reported else None,
        tally.denominator if reported else None,
        tally.ratio if reported else None,
        target_text(result),
        Achievement(result.achievement).label,
        tally.reported,
        tally.expected,
    )


def completeness_table(
    rows: Sequence[CompletenessRow], *, period: PeriodRef | None, root: OrgUnit
) -> TableExport:
    return TableExport(
        title="Mức độ đầy đủ và đúng hạn",
        columns=(
            Column("Mã"),
            Column("Đơn vị", width=40),
            *STATE_COLUMNS,
            Column("Đã duyệt", ColumnKind.INTEGER),
        ),
        rows=[
            (
                row.unit.code,
                f"{row.unit.display_name} (báo cáo của chính đơn vị)"
                if row.is_own
                else row.unit.display_name,
                *_states(row.states),
                row.approved,
            )
            for row in rows
        ],
        notes=scope_notes(period=period, root=root),
    )


def heatmap_table(heat: Heatmap, *, root: OrgUnit) -> TableExport:
    columns = [Column("Mã"), Column("Đơn vị", width=40)]
    for period in heat.periods:
        columns += [
            Column(f"{period.label}: đã nộp / phải nộp", width=18),
            Column(f"{period.label}: tỷ lệ", ColumnKind.PERCENT, width=14),
        ]
    columns += [
        Column(f"{ALL_PERIODS}: đã nộp / phải nộp", width=18),
        Column(f"{ALL_PERIODS}: tỷ lệ", ColumnKind.PERCENT, width=14),
    ]
    rows = []
    for heat_row in heat.rows:
        cells: list[object] = [
            heat_row.unit.code,
            f"{heat_row.unit.display_name} (chính đơn vị)"
            if heat_row.is_own
            else heat_row.unit.display_name,
        ]
        for _, counts in heat_row.cells:
            cells += [
                f"{counts.received}/{counts.expected}" if counts.expected else None,
                counts.completeness,
            ]
        total = heat_row.total
        cells += [f"{total.received}/{total.expected}", total.completeness]
        rows.append(tuple(cells))
    return TableExport(
        title="Bản đồ nhiệt mức độ đầy đủ",
        columns=columns,
        rows=rows,
        notes=scope_notes(period=None, root=root),
    )


def overdue_table(
    lines: Iterable[OverdueLine], *, period: PeriodRef | None, root: OrgUnit
) -> TableExport:
    return TableExport(
        title="Báo cáo quá hạn",
        columns=(
            Column("Kỳ", width=22),
            Column("Nhiệm vụ", width=10),
            Column("Tên nhiệm vụ", width=50),
            Column("Mã đơn vị"),
            Column("Đơn vị", width=30),
            Column("Đơn vị cấp trên", width=24),
            Column("Trạng thái", width=18),
            Column("Hạn gửi", ColumnKind.DATE, width=12),
            Column("Số ngày quá hạn", ColumnKind.INTEGER),
        ),
        rows=(
            (
                line.period_label,
                line.task_label,
                line.task_title,
                line.unit_code,
                line.unit_name,
                line.parent_name,
                ReportStatus(line.status).label,
                line.due_date,
                line.days_late,
            )
            for line in lines
        ),
        notes=scope_notes(period=period, root=root),
    )


def league_table_export(
    rows: Sequence[LeagueRow], *, period: PeriodRef | None, root: OrgUnit, level_label: str
) -> TableExport:
    return TableExport(
        title="Bảng xếp hạng đơn vị",
        columns=(
            Column("Hạng", ColumnKind.INTEGER),
            Column("Mã"),
            Column("Đơn vị", width=30),
            Column("Đơn vị cấp trên", width=24),
            *STATE_COLUMNS,
        ),
        rows=[
            (row.rank, row.code, row.name, row.parent_name, *_states(row.states)) for row in rows
        ],
        notes=[f"Cấp: {level_label}.", *scope_notes(period=period, root=root)],
    )


def dimensions_table(status: PlanStatus) -> TableExport:
    year = status.plan.target_year
    return TableExport(
        title="Kết quả theo chỉ số nội dung",
        columns=(
            Column("Chỉ số nội dung", width=40),
            Column("Nhiệm vụ có báo cáo trong kỳ", ColumnKind.INTEGER),
            Column("Nhiệm vụ đúng tiến độ", ColumnKind.INTEGER),
            Column("Tỷ lệ đúng tiến độ", ColumnKind.PERCENT),
            Column("Chỉ tiêu đạt", ColumnKind.INTEGER),
            Column("Chỉ tiêu chưa đạt", ColumnKind.INTEGER),
            Column("Chỉ tiêu không có số liệu", ColumnKind.INTEGER),
            Column(f"Điểm năm gốc {status.plan.baseline_year}", ColumnKind.DECIMAL, places=4),
            Column(f"Điểm mục tiêu {year}", ColumnKind.DECIMAL, places=4),
            Column("Điểm PAPI gần nhất", ColumnKind.DECIMAL, places=4),
            Column("Năm", ColumnKind.INTEGER),
        ),
        rows=[_dimension_cells(status, dimension) for dimension in status.dimensions],
        notes=scope_notes(
            period=status.period, root=status.root, include_submitted=status.include_submitted
        ),
    )


def _dimension_cells(status: PlanStatus, dimension: DimensionStatus) -> tuple[object, ...]:
    counts = dimension.kpi_counts
    latest = dimension.latest
    return (
        f"{dimension.dimension.number}. {dimension.dimension.label}",
        dimension.assessed,
        dimension.on_track,
        dimension.share_on_track,
        counts[Achievement.MET] + counts[Achievement.NOT_APPLICABLE],
        counts[Achievement.NOT_MET],
        counts[Achievement.NO_DATA],
        dimension.score_in(status.plan.baseline_year),
        dimension.target.score if dimension.target else None,
        latest.score if latest else None,
        latest.year if latest else None,
    )


def tasks_table(status: PlanStatus) -> TableExport:
    """Per dimension, task and KPI: value, target, achievement and the task's state."""
    rows = []
    for dimension in status.dimensions:
        for result in dimension.tasks:
            for kpi in result.kpis:
                rows.append(
                    (
                        f"{dimension.dimension.number}. {dimension.dimension.label}",
                        result.task.printed_label,
                        result.task.title,
                        *kpi_cells(kpi),
                        result.state_label or "Không có báo cáo trong kỳ",
                    )
                )
    return TableExport(
        title="Tình hình thực hiện nhiệm vụ",
        columns=(
            Column("Chỉ số nội dung", width=30),
            Column("Nhiệm vụ", width=10),
            Column("Tên nhiệm vụ", width=50),
            *KPI_COLUMNS,
            Column("Trạng thái nhiệm vụ", width=26),
        ),
        rows=rows,
        notes=scope_notes(
            period=status.period, root=status.root, include_submitted=status.include_submitted
        ),
    )


def task_rollup_table(
    *,
    total: TaskResult,
    rows: Sequence[tuple[OrgUnit, bool, TaskResult]],
    period: PeriodRef,
    root: OrgUnit,
    include_submitted: bool,
) -> TableExport:
    table_rows = []
    for unit, is_own, result in [(root, False, total), *rows]:
        name = unit.display_name
        if unit.pk == root.pk:
            name = f"{name} (tổng)" if not is_own else f"{name} (báo cáo của chính đơn vị)"
        for kpi in result.kpis:
            table_rows.append(
                (
                    unit.code,
                    name,
                    *kpi_cells(kpi),
                    result.states.expected,
                    result.states.received,
                    result.state_label,
                )
            )
    return TableExport(
        title=f"Nhiệm vụ {total.task.printed_label}",
        columns=(
            Column("Mã"),
            Column("Đơn vị", width=36),
            *KPI_COLUMNS,
            Column("Báo cáo phải nộp", ColumnKind.INTEGER),
            Column("Báo cáo đã nộp", ColumnKind.INTEGER),
            Column("Trạng thái", width=26),
        ),
        rows=table_rows,
        notes=[
            f"Nhiệm vụ {total.task.printed_label}: {total.task.title}",
            *scope_notes(period=period, root=root, include_submitted=include_submitted),
        ],
    )


def reports_table(title: str, reports: Iterable[Report], *, unit: OrgUnit) -> TableExport:
    return TableExport(
        title=title,
        columns=(
            Column("Kỳ", width=22),
            Column("Nhiệm vụ", width=10),
            Column("Tên nhiệm vụ", width=50),
            Column("Trạng thái", width=18),
            Column("Hạn gửi", ColumnKind.DATE, width=12),
            Column("Gửi lần đầu", ColumnKind.DATE, width=16),
        ),
        rows=(
            (
                report.period.label,
                report.task.printed_label,
                report.task.title,
                ReportStatus(report.status).label,
                report.due_date,
                report.first_submitted_at,
            )
            for report in reports
        ),
        notes=[f"Đơn vị: {unit.name}."],
    )


def report_states_table(title: str, items: Iterable[ReportState], *, unit: OrgUnit) -> TableExport:
    """A unit's reports with their state of Decision 42/2014 and days late (the drill-down's
    last level)."""
    return TableExport(
        title=title,
        columns=(
            Column("Kỳ", width=22),
            Column("Nhiệm vụ", width=10),
            Column("Tên nhiệm vụ", width=50),
            Column("Trạng thái", width=18),
            Column("Hạn gửi", ColumnKind.DATE, width=12),
            Column("Gửi lần đầu", ColumnKind.DATE, width=16),
            Column("Tình trạng", width=26),
            Column("Số ngày trễ hạn", ColumnKind.INTEGER),
        ),
        rows=(
            (
                item.report.period.label,
                item.report.task.printed_label,
                item.report.task.title,
                ReportStatus(item.report.status).label,
                item.report.due_date,
                item.report.first_submitted_at,
                TaskState(item.state).label,
                item.days_late,
            )
            for item in items
        ),
        notes=[f"Đơn vị: {unit.name}."],
    )
