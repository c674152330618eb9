"""Generate the expected reports of a plan: every (task × implementing unit × period).

Like DHIS2's data-set assignments: nobody creates a report by hand, so a missing one is a
report that exists and is still a draft past its due date.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch

from papitrack.accounts.models import User
from papitrack.audit.services import record_audit
from papitrack.calendars.enums import ReportingLevel
from papitrack.calendars.periods import DueDateRules, PeriodSpec, due_date
from papitrack.calendars.queries import load_due_date_rules, load_working_calendar, periods_of_task
from papitrack.calendars.workdays import WorkingCalendar
from papitrack.orgunits.enums import UnitKind
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Plan
from papitrack.plans.versions import bump_data_version
from papitrack.reports.enums import ReportKind, ReportStatus
from papitrack.reports.models import Report, ReportingPeriod
from papitrack.tasks.assignment import ExpandedTask, expand_tasks
from papitrack.tasks.enums import AssigneeRole
from papitrack.tasks.models import TaskAssignee

LEVEL_OF_KIND = {
    UnitKind.COMMUNE: ReportingLevel.COMMUNE,
    UnitKind.DISTRICT: ReportingLevel.DISTRICT,
    UnitKind.DISTRICT_AGENCY: ReportingLevel.DISTRICT,
}


@dataclass(frozen=True)
class GenerationResult:
    periods: int
    created: int
    updated: int
    unresolved: list[str]


def reporting_level(unit: OrgUnit, kind: str) -> str:
    if kind == ReportKind.CONSOLIDATED:
        return ReportingLevel.LEAD
    return LEVEL_OF_KIND.get(UnitKind(unit.kind), ReportingLevel.DEPARTMENT)


def _store_period(spec: PeriodSpec, cache: dict[str, ReportingPeriod]) -> ReportingPeriod:
    if spec.code not in cache:
        cache[spec.code], _ = ReportingPeriod.objects.update_or_create(
            code=spec.code,
            defaults={
                "kind": spec.kind,
                "year": spec.year,
                "start": spec.start,
                "end": spec.end,
                "cutoff_start": spec.cutoff_start,
                "cutoff_end": spec.cutoff_end,
                "label": spec.label_vi,
            },
        )
    return cache[spec.code]


@transaction.atomic
def generate_expected_reports(
    *,
    plan: Plan,
    years: Iterable[int],
    actor: User | None = None,
    calendar: WorkingCalendar | None = None,
    rules: DueDateRules | None = None,
) -> GenerationResult:
    """Create the missing expected reports of the plan for the given years; idempotent.

    Implementing units report on each of their tasks' periods; each concrete lead unit also
    owes a consolidated report. Due dates of reports still in draft are recomputed, so a
    corrected holiday calendar moves them. Units are taken as active at the period's end.
    Side effects: one audit entry summarising the run; bumps the plan's data version.
    """
    calendar = calendar or load_working_calendar()
    rules = rules or load_due_date_rules()
    years = list(years)
    tasks = plan.tasks.select_related("plan__issuer").prefetch_related(
        Prefetch("assignees", queryset=TaskAssignee.objects.select_related("unit"))
    )
    periods: dict[str, ReportingPeriod] = {}
    existing = {
        (report.task_id, report.unit_id, report.period.code): report
        for report in Report.objects.filter(task__plan=plan).select_related("period")
    }
    to_create: list[Report] = []
    to_update: list[Report] = []
    unresolved: set[str] = set()
    task_list = list(tasks)
    expanded_on: dict[datetime.date, dict[int, ExpandedTask]] = {}
    for task in task_list:
        specs = periods_of_task(task, years=years, active_from=plan.issued_on)
        for spec in specs:
            period = _store_period(spec, periods)
            if spec.end not in expanded_on:
                expanded_on[spec.end] = {
                    item.task.pk: item for item in expand_tasks(tasks=task_list, day=spec.end)
                }
            expanded = expanded_on[spec.end][task.pk]
            unresolved.update(f"{task.printed_label}: {a.label}" for a in expanded.unresolved)
            owed = [(unit, ReportKind.UNIT) for unit in expanded.units(AssigneeRole.IMPLEMENTING)]
            owed += [
                (unit, ReportKind.CONSOLIDATED)
                for unit in expanded.units(AssigneeRole.LEAD)
                if unit.kind != UnitKind.DISTRICT
            ]
            seen: set[int] = set()
            for unit, kind in owed:
                if unit.pk in seen:
                    continue  # a lead that also implements sends one report
                seen.add(unit.pk)
                due = due_date(
                    period=spec, level=reporting_level(unit, kind), calendar=calendar, rules=rules
                )
                report = existing.get((task.pk, unit.pk, spec.code))
                if report is None:
                    to_create.append(
                        Report(task=task, unit=unit, period=period, kind=kind, due_date=due)
                    )
                elif report.status == ReportStatus.DRAFT and report.due_date != due:
                    report.due_date = due
                    to_update.append(report)
    Report.objects.bulk_create(to_create, batch_size=1000)
    Report.objects.bulk_update(to_update, ["due_date"], batch_size=1000)
    record_audit(
        actor=actor,
        action="reports.generate",
        target=plan,
        changes={"reports_created": [0, len(to_create)], "due_dates_moved": [0, len(to_update)]},
        comment=f"Năm {', '.join(map(str, years))}",
    )
    # Also when nothing was created: the periods' dates and labels may have been rewritten.
    bump_data_version(plan_id=plan.pk)
    return GenerationResult(
        periods=len(periods),
        created=len(to_create),
        updated=len(to_update),
        unresolved=sorted(unresolved),
    )
