"""Writes for user accounts."""

from __future__ import annotations

from django.db import transaction

from papitrack.accounts.models import User
from papitrack.orgunits.models import OrgUnit


@transaction.atomic
def create_or_update_user(
    *,
    username: str,
    password: str,
    unit: OrgUnit | None,
    full_name: str = "",
    job_title: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create the user, or reset an existing one to these values (used by the demo loader)."""
    user = User.objects.filter(username=username).first() or User(username=username)
    user.unit = unit
    user.full_name = full_name
    user.job_title = job_title
    user.is_staff = is_staff
    user.is_superuser = is_superuser
    user.is_active = True
    user.set_password(password)
    user.full_clean()
    user.save()
    return user
