"""Excel out for the tables the dashboards do not export themselves.

The monitoring screens export their own tables (papitrack/monitoring/tables.py:
completeness, heat map, overdue reports, dimensions, task results, reports); these are the
others: the plan's task list, KPI values as reported, published PAPI scores with ranks, and
the audit trail. Each builds a `TableExport` for papitrack/exports/xlsx.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from papitrack.accounts.rules import is_administrator, is_coordinator
from papitrack.audit.models import AuditEntry
from papitrack.audit.queries import filter_audit
from papitrack.exports.files import latest_plan
from papitrack.exports.xlsx import Column, ColumnKind, TableExport
from papitrack.indices.queries import RankedScore, dimensions_of, ranked_year, score_years
from papitrack.plans.models import Plan
from papitrack.reports.models import KpiValue
from papitrack.reports.queries import reports_visible_to
from papitrack.tasks.models import Task
from papitrack.tasks.queries import filter_tasks

NOT_ALLOWED_AUDIT = "Chỉ cán bộ điều phối (Sở Nội vụ) và quản trị hệ thống được xem nhật ký."
UNKNOWN_TABLE = "Không có bảng «{name}»."
TABLE_NAMES = {
    "tasks": "Nhiệm vụ của kế hoạch",
    "kpi-values": "Giá trị chỉ tiêu đã báo cáo",
    "scores": "Điểm PAPI công bố",
    "audit": "Nhật ký thao tác",
}


def tasks_table(*, plan: Plan, tasks: Iterable[Task]) -> TableExport:
    """The plan's appendix, one row per task (load tasks with with_assignees)."""
    return TableExport(
        title="Nhiệm vụ",
        columns=[
            Column("STT", width=8),
            Column("Mã", width=10),
            Column("Chỉ số nội dung", width=30),
            Column("Nhiệm vụ trọng tâm", width=60),
            Column("Chỉ tiêu", width=40),
            Column("Đơn vị chủ trì theo dõi", width=30),
            Column("Đơn vị thực hiện", width=30),
            Column("Thời gian thực hiện", width=20),
            Column("Kết quả thực hiện (sản phẩm)", width=30),
        ],
        rows=(
            (
                task.printed_label,
                task.key,
                task.dimension.name_vi,
                task.title,
                task.kpi_text,
                task.lead_text,
                task.implementing_text,
                task.timeline_text,
                task.expected_output,
            )
            for task in tasks
        ),
        notes=[f"Kế hoạch số {plan.number} ngày {plan.issued_on:%d/%m/%Y}: {plan.title}"],
    )


def kpi_values_table(*, values: QuerySet[KpiValue], description: str) -> TableExport:
    """Every KPI value as reported (numerator and denominator kept apart, never a typed %)."""
    return TableExport(
        title="Giá trị chỉ tiêu",
        columns=[
            Column("Kỳ", width=12),
            Column("Mã đơn vị", width=12),
            Column("Đơn vị", width=30),
            Column("Nhiệm vụ", width=10),
            Column("Chỉ tiêu", width=14),
            Column("Trạng thái báo cáo", width=18),
            Column("Tử số", ColumnKind.DECIMAL),
            Column("Mẫu số", ColumnKind.DECIMAL),
            Column("Tỷ lệ", ColumnKind.PERCENT),
            Column("Số lần", ColumnKind.INTEGER),
            Column("Đã thực hiện", width=12),
            Column("Lý do", width=40),
            Column("Tình trạng", width=18),
            Column("Ngày hoàn thành", ColumnKind.DATE),
            Column("Số văn bản", width=18),
            Column("Phê duyệt lúc", ColumnKind.DATE, width=18),
        ],
        rows=(
            (
                value.report.period.code,
                value.report.unit.code,
                value.report.unit.name,
                value.report.task.printed_label,
                value.kpi.code,
                value.report.get_status_display(),
                value.numerator,
                value.denominator,
                value.numerator / value.denominator
                if value.numerator is not None and value.denominator
                else None,
                value.count,
                None if value.answer is None else "Có" if value.answer else "Không",
                value.reason,
                value.get_milestone_status_display() if value.milestone_status else "",
                value.completed_on,
                value.document_number,
                value.report.approved_at,
            )
            for value in values.select_related(
                "kpi", "report__unit", "report__task", "report__period"
            ).order_by("report__period__end", "report__task__position", "report__unit__code")
        ),
        notes=[description, "Tỷ lệ = tử số ÷ mẫu số của chính dòng đó; ô trống là chưa có."],
    )


def scores_table(
    *, year: int, rows: Iterable[RankedScore], dimension_names: dict[str, str]
) -> TableExport:
    """Published scores of every province in one year, with rank and group per dimension."""
    return TableExport(
        title=f"Điểm PAPI {year}",
        columns=[
            Column("Tỉnh, thành phố", width=24),
            Column("Chỉ số", width=40),
            Column("Điểm", ColumnKind.DECIMAL, places=4),
            Column("Hạng", ColumnKind.INTEGER),
            Column("Số tỉnh xếp hạng", ColumnKind.INTEGER),
            Column("Nhóm", ColumnKind.INTEGER),
            Column("Cận dưới 95%", ColumnKind.DECIMAL, places=4),
            Column("Cận trên 95%", ColumnKind.DECIMAL, places=4),
        ],
        rows=(
            (
                row.province_name,
                dimension_names.get(row.dimension_code, row.dimension_code),
                row.score,
                row.rank,
                row.count,
                row.group,
                row.ci_low,
                row.ci_high,
            )
            for row in rows
        ),
        notes=[
            f"Điểm PAPI năm {year} đã công bố; hạng tính trên độ chính xác đầy đủ, các tỉnh "
            "bằng điểm cùng hạng."
        ],
    )


def changes_text(changes: object) -> str:
    """ "field: old → new; ..." from an audit entry's changes."""
    if not isinstance(changes, dict):
        return str(changes)
    parts = []
    for name, change in changes.items():
        if isinstance(change, list) and len(change) == 2:
            parts.append(f"{name}: {change[0]} → {change[1]}")
        else:
            parts.append(f"{name}: {change}")
    return "; ".join(parts)


def audit_table(*, entries: QuerySet[AuditEntry]) -> TableExport:
    return TableExport(
        title="Nhật ký",
        columns=[
            Column("Thời điểm", ColumnKind.DATE, width=18),
            Column("Người thực hiện", width=24),
            Column("Hành động", width=22),
            Column("Đối tượng", width=40),
            Column("Đơn vị", width=24),
            Column("Thay đổi", width=60),
            Column("Ghi chú", width=40),
        ],
        rows=(
            (
                entry.at,
                str(entry.actor) if entry.actor else "",
                entry.action,
                entry.object_label,
                entry.unit.display_name if entry.unit else "",
                changes_text(entry.changes),
                entry.comment,
            )
            for entry in entries.select_related("actor", "unit").iterator(chunk_size=2000)
        ),
        notes=["Nhật ký chỉ được ghi thêm, không sửa, không xóa."],
    )


def build_table(user: Any, name: str, query: Mapping[str, str]) -> TableExport:
    """The table named in the URL, with the same scope as its screen (404 unknown name)."""
    plan = latest_plan()
    if name == "tasks":
        return tasks_table(plan=plan, tasks=filter_tasks(plan=plan))
    if name == "kpi-values":
        period = query.get("period") or None
        values = KpiValue.objects.filter(
            report__in=reports_visible_to(user).filter(task__plan=plan)
        )
        if period:
            values = values.filter(report__period__code=period)
        return kpi_values_table(
            values=values,
            description=f"Kế hoạch {plan.number}" + (f", kỳ {period}" if period else ""),
        )
    if name == "scores":
        years = score_years(index=plan.index)
        asked = query.get("year") or ""
        # isascii: "²" passes isdigit() but not int().
        valid = asked.isascii() and asked.isdigit()
        year = int(asked) if valid else max(years) if years else plan.target_year
        ranked = ranked_year(index=plan.index, year=year)
        names = {dimension.code: dimension.name_vi for dimension in dimensions_of(index=plan.index)}
        rows = [row for dimension in names for row in ranked.get(dimension, {}).values()]
        return scores_table(year=year, rows=rows, dimension_names=names)
    if name == "audit":
        if not (is_coordinator(user) or is_administrator(user)):
            raise PermissionDenied(NOT_ALLOWED_AUDIT)
        return audit_table(entries=filter_audit(unit_code=query.get("unit") or None))
    raise Http404(UNKNOWN_TABLE.format(name=name))
