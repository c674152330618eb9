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


def must_use_two_factor(user: Any) -> bool:
    """Two-factor sign-in is required of this user's role (settings.TWO_FACTOR_ROLES) when on."""
    return bool(settings.REQUIRE_TWO_FACTOR) and role_of(user) in settings.TWO_FACTOR_ROLES


def uses_two_factor(user: Any) -> bool:
    """Sign-in asks this user for a code: required of the role, or switched on by the user."""
    if must_use_two_factor(user):
        return True
    return TotpDevice.objects.filter(user_id=user.pk).exists()
