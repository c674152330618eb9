"""Units' implementation plans: the round, writing, coverage check, late and missing lists."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from papitrack.unitplans import services
from papitrack.unitplans.enums import UnitPlanStatus
from papitrack.unitplans.models import UnitPlan, UnitPlanRound
from papitrack.unitplans.queries import assigned_tasks_for, coverage_of, round_overview

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_round():
    return UnitPlanRound.objects.get()


def test_demo_round_is_due_31_july_2020_with_missing_late_and_incomplete_plans(plan_round):
    assert plan_round.due_date == datetime.date(2020, 7, 31)
    rows = round_overview(plan_round=plan_round, today=datetime.date(2020, 9, 1))
    assert len(rows) > 30
    assert any(row.is_missing for row in rows)
    assert any(row.is_late and not row.is_missing for row in rows)
    assert any(not row.coverage.is_complete and not row.is_missing for row in rows)
    assert any(row.unit_plan.status == UnitPlanStatus.ACCEPTED for row in rows)
    assert all(row.unit_plan.unit.kind != "commune" for row in rows)


def test_coverage_lists_missing_tasks_and_weaker_targets(plan_round, user_named):
    unit_plan = UnitPlan.objects.get(round=plan_round, unit__code="508")
    tasks = assigned_tasks_for(unit_plan=unit_plan)
    assert "D2-T2" in {task.key for task in tasks}
    district = user_named("demo-district")
    UnitPlan.objects.filter(pk=unit_plan.pk).update(status=UnitPlanStatus.DRAFT)
    unit_plan.refresh_from_db()
    unit_plan = services.save_unit_plan(
        unit_plan_id=unit_plan.pk,
        actor=district,
        version=unit_plan.version,
        items=[
            services.UnitPlanItemInput(
                task_key="D2-T2",
                actions="Niêm yết",
                target_value=Decimal(90),
                responsible_person="",
            )
        ],
    )
    coverage = coverage_of(unit_plan=unit_plan, assigned=tasks)
    assert "D2-T2" not in {task.key for task in coverage.missing}
    assert len(coverage.missing) == len(tasks) - 1
    assert [weak.item.task.key for weak in coverage.weaker] == ["D2-T2"]
    assert coverage.weaker[0].province_value == Decimal(100)
    assert [item.task.key for item in coverage.without_responsible] == ["D2-T2"]
    assert not coverage.is_complete


def test_submit_needs_a_document_and_items(plan_round, user_named):
    unit_plan = UnitPlan.objects.get(round=plan_round, unit__code="508")
    UnitPlan.objects.filter(pk=unit_plan.pk).update(
        status=UnitPlanStatus.DRAFT, document_number="", document_date=None
    )
    unit_plan.refresh_from_db()
    with pytest.raises(ValidationError, match="văn bản kế hoạch"):
        services.submit_unit_plan(
            unit_plan_id=unit_plan.pk, actor=user_named("demo-district"), version=unit_plan.version
        )


def test_only_the_unit_writes_and_only_the_coordinator_reviews(plan_round, user_named):
    unit_plan = UnitPlan.objects.get(round=plan_round, unit__code="508")
    with pytest.raises(PermissionDenied):
        services.save_unit_plan(
            unit_plan_id=unit_plan.pk,
            actor=user_named("demo-outsider"),
            version=unit_plan.version,
            items=[],
        )
    UnitPlan.objects.filter(pk=unit_plan.pk).update(status=UnitPlanStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.accept_unit_plan(
            unit_plan_id=unit_plan.pk, actor=user_named("demo-lead"), version=unit_plan.version
        )
    accepted = services.accept_unit_plan(
        unit_plan_id=unit_plan.pk, actor=user_named("demo-coordinator"), version=unit_plan.version
    )
    assert accepted.status == UnitPlanStatus.ACCEPTED


def test_tasks_not_assigned_to_the_unit_are_refused(plan_round, user_named):
    unit_plan = UnitPlan.objects.get(round=plan_round, unit__code="QNA-SLDTBXH")
    UnitPlan.objects.filter(pk=unit_plan.pk).update(status=UnitPlanStatus.DRAFT)
    unit_plan.refresh_from_db()
    with pytest.raises(ValidationError, match="không được giao"):
        services.save_unit_plan(
            unit_plan_id=unit_plan.pk,
            actor=user_named("demo-lead"),
            version=unit_plan.version,
            items=[services.UnitPlanItemInput(task_key="D7-T2", actions="x")],
        )
