"""Who may see, write and review units' implementation plans."""

from __future__ import annotations

from typing import Any

from papitrack.accounts.rules import (
    is_coordinator,
    is_member_of_unit_or_ancestor,
    role_of,
    sees_everything,
)
from papitrack.reports.rules import REPORTING_ROLES
from papitrack.unitplans.enums import EDITABLE_UNIT_PLAN_STATUSES, UnitPlanStatus
from papitrack.unitplans.models import UnitPlan


def can_view_unit_plan(user: Any, unit_plan: UnitPlan) -> bool:
    if role_of(user) is None:
        return False
    return bool(sees_everything(user)) or is_member_of_unit_or_ancestor(user, unit_plan.unit)


def is_unit_plan_author(user: Any, unit_plan: UnitPlan) -> bool:
    return role_of(user) in REPORTING_ROLES and user.unit_id == unit_plan.unit_id


def can_edit_unit_plan(user: Any, unit_plan: UnitPlan) -> bool:
    return is_unit_plan_author(user, unit_plan) and unit_plan.status in EDITABLE_UNIT_PLAN_STATUSES


def can_review_unit_plan(user: Any, unit_plan: UnitPlan) -> bool:
    """Sở Nội vụ reviews units' plans (domain.md §4.1)."""
    return unit_plan.status == UnitPlanStatus.SUBMITTED and bool(is_coordinator(user))


def can_open_round(user: Any) -> bool:
    return bool(is_coordinator(user))


def can_review_any_unit_plan(user: Any) -> bool:
    return bool(is_coordinator(user))


def sees_all_unit_plans(user: Any) -> bool:
    return bool(sees_everything(user))
