"""DHIS2 import: values placed through the mapping, written through save_report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch

from papitrack.accounts.models import User
from papitrack.audit.services import record_audit
from papitrack.exports import rules
from papitrack.exports.dhis2 import DataValue, Dhis2Field, Dhis2Mapping, parse_number
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Plan
from papitrack.reports import rules as report_rules
from papitrack.reports.enums import MilestoneStatus
from papitrack.reports.models import Report
from papitrack.reports.services import (
    VALUE_FIELDS,
    ChildAnswerInput,
    KpiValueInput,
    ReportEdit,
    save_report,
)
from papitrack.tasks.models import Kpi, TaskAssignee

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
