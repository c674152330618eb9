"""Predicates about users: their role and where in the unit tree they stand."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from papitrack.accounts.enums import Role
from papitrack.accounts.models import TotpDevice
from papitrack.orgunits.models import OrgUnit

# A unit is at most three levels below its province (province -> district -> commune).
MAX_DEPTH = 4


def role_of(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return str(user.role)


def is_coordinator(user: Any) -> bool:
    return role_of(user) == Role.COORDINATOR


def is_leader(user: Any) -> bool:
    return role_of(user) == Role.LEADER


def is_administrator(user: Any) -> bool:
    return role_of(user) == Role.ADMINISTRATOR


def sees_everything(user: Any) -> bool:
    """Coordinators, leaders and administrators read the whole province."""
    return role_of(user) in {Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR}


def ancestors_and_self(unit: OrgUnit) -> list[OrgUnit]:
    chain: list[OrgUnit] = []
    current: OrgUnit | None = unit
    while current is not None and len(chain) < MAX_DEPTH + 1:
        chain.append(current)
        current = current.parent
    return chain


def is_member_of_unit_or_ancestor(user: Any, unit: OrgUnit) -> bool:
    """The user's unit is this unit or one above it (a district user over its communes)."""
    if role_of(user) is None or user.unit_id is None:
        return False
    return any(candidate.pk == user.unit_id for candidate in ancestors_and_self(unit))


# Roles whose officers may approve other units' reports where their unit reviews them (the
# same set as reports.rules.REPORTING_ROLES, which imports this module).
APPROVING_ROLES = frozenset({Role.COORDINATOR, Role.LEAD_REVIEWER, Role.UNIT_REPORTER})
# tasks.enums.AssigneeRole.LEAD, named here because accounts sits below tasks.
LEAD_ASSIGNMENT = "lead"


def approves_other_units(user: Any) -> bool:
    """The user may approve reports of units other than their own (reports.rules.
    reviewer_units): their unit has units below it (a district over its communes and
    agencies) or leads a task (a lead agency over its implementers)."""
    if role_of(user) not in APPROVING_ROLES or user.unit_id is None:
        return False
    unit = OrgUnit.objects.filter(pk=user.unit_id)
    return (
        unit.filter(children__isnull=False).exists()
        or unit.filter(task_assignments__role=LEAD_ASSIGNMENT).exists()
    )


def must_use_two_factor(user: Any) -> bool:
    """Two-factor sign-in is required, when on, of the roles of settings.TWO_FACTOR_ROLES and
    of every approver: an officer whose unit reviews other units' reports."""
    if not settings.REQUIRE_TWO_FACTOR:
        return False
    return role_of(user) in settings.TWO_FACTOR_ROLES or approves_other_units(user)


def uses_two_factor(user: Any) -> bool:
    """Sign-in asks this user for a code: required of the role, or switched on by the user."""
    if must_use_two_factor(user):
        return True
    return TotpDevice.objects.filter(user_id=user.pk).exists()
