"""Replay a realistic 2020 reporting cycle for Quảng Nam through the services (seeded).

Units' plans on time, late, incomplete and missing; reports approved, returned, submitted and
still missing, with evidence files. Every write goes through the same services, permissions
and audit as a real user's; each unit acts through an officer account that cannot log in.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

from papitrack.accounts.enums import Role
from papitrack.accounts.models import User
from papitrack.accounts.services import create_or_update_user
from papitrack.calendars.services import seed_calendar
from papitrack.monitoring.demo import apply_demo_rollup_rules
from papitrack.orgunits.enums import UnitKind
from papitrack.orgunits.models import OrgUnit
from papitrack.plans.models import Plan
from papitrack.reports import services as report_services
from papitrack.reports.enums import MilestoneStatus
from papitrack.reports.generation import generate_expected_reports
from papitrack.reports.models import Report
from papitrack.reports.services import ChildAnswerInput, KpiValueInput, ReportEdit, child_units_for
from papitrack.tasks.enums import KpiKind
from papitrack.unitplans import services as plan_services
from papitrack.unitplans.models import UnitPlan
from papitrack.unitplans.queries import assigned_tasks_for

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
UNIT_PLAN_DUE = datetime.date(2020, 7, 31)
DEMO_YEARS = (2020,)
FILLED_PERIODS = ("2020Q3", "2020-09-30D")
FOCUS_DISTRICT = "508"  # Duy Xuyên: the demo district, with every commune reporting
DEMO_COMMUNE = "20605"  # Duy Phú: demo-commune's unit

# A 1×1 PNG and a minimal PDF: real files that pass the content check.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2b5d6cf0000000049454e44ae426082"
)
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass(frozen=True)
class CycleResult:
    reports: int
    approved: int
    returned: int
    submitted: int
    unit_plans_submitted: int


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LOCAL)


def _officer(unit: OrgUnit, cache: dict[int, User]) -> User:
    if unit.pk not in cache:
        existing = User.objects.filter(unit=unit, role=Role.UNIT_REPORTER).order_by("id").first()
        cache[unit.pk] = existing or create_or_update_user(
            username=f"canbo-{unit.code.lower()}",
            password=None,
            unit=unit,
            role=Role.UNIT_REPORTER,
            full_name=f"Cán bộ {unit.display_name}",
            job_title="Cán bộ phụ trách báo cáo",
        )
    return cache[unit.pk]


def _value_for(
    kind: str, code: str, rng: random.Random, period_end: datetime.date
) -> KpiValueInput:
    if kind in {KpiKind.RATIO, KpiKind.EXTERNAL}:
        denominator = rng.randint(20, 400)
        numerator = min(denominator, round(denominator * rng.uniform(0.82, 1.0)))
        return KpiValueInput(
            kpi_code=code,
            numerator=Decimal(numerator),
            denominator=Decimal(denominator),
            milestone_status=MilestoneStatus.IN_PROGRESS if kind == KpiKind.EXTERNAL else "",
        )
    if kind == KpiKind.SHARE_OF_UNITS:
        done = rng.random() < 0.9
        return KpiValueInput(
            kpi_code=code,
            answer=done,
            reason=""
            if done
            else "Chưa tổ chức được do thiếu kinh phí, sẽ thực hiện trong quý sau.",
        )
    if kind == KpiKind.COUNT:
        return KpiValueInput(kpi_code=code, count=Decimal(rng.randint(1, 3)))
    return KpiValueInput(
        kpi_code=code,
        milestone_status=MilestoneStatus.DONE,
        completed_on=period_end - datetime.timedelta(days=rng.randint(3, 40)),
        document_number=f"{rng.randint(10, 999)}/BC-UBND",
        document_date=period_end - datetime.timedelta(days=rng.randint(1, 3)),
    )


def _fill(report: Report, officer: User, rng: random.Random) -> Report:
    kpis = list(report.task.kpis.all())
    values = []
    children: list[ChildAnswerInput] = []
    for kpi in kpis:
        child_units = child_units_for(report, kpi)
        if child_units:
            children += [
                ChildAnswerInput(
                    kpi_code=kpi.code,
                    child_code=child.code,
                    answer=(answer := rng.random() < 0.85),
                    reason="" if answer else "Xã chưa niêm yết đủ nội dung.",
                )
                for child in child_units
            ]
        else:
            values.append(_value_for(kpi.kind, kpi.code, rng, report.period.end))
    report = report_services.save_report(
        report_id=report.pk,
        actor=officer,
        version=report.version,
        edit=ReportEdit(
            values=values,
            child_answers=children,
            narrative={
                "results": f"Đã triển khai nhiệm vụ {report.task.printed_label} theo kế hoạch; "
                "kết quả cụ thể theo các chỉ tiêu kèm theo.",
                "shortcomings": rng.choice(
                    [
                        "",
                        "Một số thôn còn niêm yết chậm.",
                        "Nhân lực làm công tác báo cáo còn thiếu.",
                    ]
                ),
                "causes": rng.choice(
                    ["", "Cán bộ kiêm nhiệm nhiều việc.", "Địa bàn rộng, đi lại khó khăn."]
                ),
                "proposals": rng.choice(["", "Đề nghị tỉnh tổ chức tập huấn nghiệp vụ báo cáo."]),
            },
        ),
    )
    for value in values:
        if value.answer or value.milestone_status == MilestoneStatus.DONE:
            pdf = rng.random() < 0.5
            report_services.add_evidence(
                report_id=report.pk,
                actor=officer,
                kpi_code=value.kpi_code,
                file_name="bien-ban.pdf" if pdf else "anh-niem-yet.png",
                content=PDF_BYTES if pdf else PNG_BYTES,
                description="Minh chứng niêm yết/biên bản",
            )
    return Report.objects.get(pk=report.pk)


def _reviewer_for(report: Report, coordinator: User, officers: dict[int, User]) -> User:
    if report.unit.kind == UnitKind.COMMUNE and report.unit.parent is not None:
        return _officer(report.unit.parent, officers)
    return coordinator


def _replay_reports(plan: Plan, coordinator: User, rng: random.Random) -> tuple[int, int, int, int]:
    officers: dict[int, User] = {}
    district = OrgUnit.objects.get(code=FOCUS_DISTRICT)
    scope = (
        Report.objects.filter(task__plan=plan, period__code__in=FILLED_PERIODS).filter(
            unit__kind__in=[UnitKind.DEPARTMENT, UnitKind.AGENCY, UnitKind.MASS_ORGANISATION]
        )
        | Report.objects.filter(
            task__plan=plan, period__code__in=FILLED_PERIODS, unit__parent=district
        )
        | Report.objects.filter(task__plan=plan, period__code__in=FILLED_PERIODS, unit=district)
    )
    reports = list(
        scope.select_related("task", "unit__parent", "period").order_by(
            # communes first, so that their district's report can be approved after them
            "-unit__kind",
            "task__position",
            "unit__code",
        )
    )
    approved = returned = submitted = 0
    for report in reports:
        if report.unit.code == DEMO_COMMUNE and report.task.key == "D2-T2":
            continue  # left as a draft for demo-commune to fill in the walkthrough
        roll = rng.random()
        if roll < 0.12:
            continue  # missing: never submitted
        officer = _officer(report.unit, officers)
        report = _fill(report, officer, rng)
        on_time = rng.random() < 0.8
        submitted_on = (
            report.due_date - datetime.timedelta(days=rng.randint(0, 4))
            if on_time
            else (report.due_date + datetime.timedelta(days=rng.randint(1, 12)))
        )
        try:
            report = report_services.submit_report(
                report_id=report.pk, actor=officer, version=report.version, at=_at(submitted_on)
            )
        except ValidationError:
            continue
        reviewer = _reviewer_for(report, coordinator, officers)
        review_day = submitted_on + datetime.timedelta(days=rng.randint(1, 5))
        if roll < 0.22:
            report_services.return_report(
                report_id=report.pk,
                actor=reviewer,
                version=report.version,
                comment="Đề nghị bổ sung minh chứng và làm rõ số liệu mẫu số.",
                at=_at(review_day, 15),
            )
            returned += 1
        elif roll < 0.35:
            submitted += 1  # waiting for review
        else:
            try:
                report_services.approve_report(
                    report_id=report.pk,
                    actor=reviewer,
                    version=report.version,
                    at=_at(review_day, 16),
                )
                approved += 1
            except ValidationError:
                submitted += 1  # a child report is not approved yet
    return len(reports), approved, returned, submitted


def _replay_unit_plans(plan: Plan, coordinator: User, rng: random.Random) -> int:
    plan_round = plan_services.open_unit_plan_round(
        plan=plan, due_date=UNIT_PLAN_DUE, actor=coordinator
    )
    officers: dict[int, User] = {}
    count = 0
    for unit_plan in UnitPlan.objects.filter(round=plan_round).select_related(
        "unit", "round__plan"
    ):
        roll = rng.random()
        if roll < 0.15:
            continue  # missing
        officer = _officer(unit_plan.unit, officers)
        tasks = assigned_tasks_for(unit_plan=unit_plan)
        if roll < 0.25 and len(tasks) > 1:
            tasks = tasks[:-1]  # incomplete: one assigned task left out
        items = [
            plan_services.UnitPlanItemInput(
                task_key=task.key,
                actions=f"Xây dựng và triển khai kế hoạch thực hiện nhiệm vụ {task.printed_label}.",
                target_value=next(
                    (kpi.value for kpi in task.kpis.all() if kpi.value is not None), None
                ),
                target_text=task.kpi_text[:300],
                deadline=datetime.date(2020, 12, 31),
                responsible_person=rng.choice(["Văn phòng", "Phòng Nội vụ", "Phòng Tổng hợp"]),
            )
            for task in tasks
        ]
        unit_plan = plan_services.save_unit_plan(
            unit_plan_id=unit_plan.pk,
            actor=officer,
            version=unit_plan.version,
            items=items,
            document_number=f"{rng.randint(10, 300)}/KH-{unit_plan.unit.short_name[:6] or 'DV'}",
            document_date=datetime.date(2020, 7, rng.randint(24, 30)),
        )
        late = roll > 0.8
        submitted_on = (
            datetime.date(2020, 8, rng.randint(3, 20))
            if late
            else datetime.date(2020, 7, rng.randint(24, 31))
        )
        unit_plan = plan_services.submit_unit_plan(
            unit_plan_id=unit_plan.pk,
            actor=officer,
            version=unit_plan.version,
            at=_at(submitted_on),
        )
        count += 1
        if roll < 0.6:
            plan_services.accept_unit_plan(
                unit_plan_id=unit_plan.pk,
                actor=coordinator,
                version=unit_plan.version,
                at=_at(submitted_on + datetime.timedelta(days=3)),
            )
    return count


def build_reporting_cycle(*, plan: Plan, seed: int = 42) -> CycleResult:
    """Calendar, expected reports, units' plans and a partly filled 2020 cycle."""
    # Seeded pseudo-randomness on purpose: the demo must be the same on every machine.
    rng = random.Random(seed)  # noqa: S311
    coordinator = User.objects.get(username="demo-coordinator")
    seed_calendar(years=range(2019, 2028))
    generate_expected_reports(plan=plan, years=DEMO_YEARS, actor=coordinator)
    apply_demo_rollup_rules(plan=plan, actor=coordinator)
    unit_plans = _replay_unit_plans(plan, coordinator, rng)
    _filled, approved, returned, submitted = _replay_reports(plan, coordinator, rng)
    return CycleResult(
        reports=Report.objects.filter(task__plan=plan).count(),
        approved=approved,
        returned=returned,
        submitted=submitted,
        unit_plans_submitted=unit_plans,
    )
