"""Write audit entries. Called by every service that changes plans, reports, values, evidence."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import models

from papitrack.accounts.models import User
from papitrack.audit.models import AuditEntry
from papitrack.orgunits.models import OrgUnit


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value that keeps decimals exact (as text)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field -> [old, new] for the fields whose value changed."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record_audit(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    unit: OrgUnit | None = None,
    changes: dict[str, list[Any]] | None = None,
    comment: str = "",
) -> AuditEntry:
    """Append one audit entry; the caller's transaction makes it atomic with the change."""
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        object_label=str(target)[:300],
        unit=unit,
        changes=changes or {},
        comment=comment,
    )
