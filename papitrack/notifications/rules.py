"""Who is told, and who may read a notice."""

from __future__ import annotations

from typing import Any

from papitrack.accounts.rules import role_of
from papitrack.notifications.models import Notification
from papitrack.reports.rules import REPORTING_ROLES

# Officers who enter, submit and review reports receive notices. Leaders read everything
# and get the weekly summary instead (domain notes §4.8); administrators run the system.
NOTICE_ROLES = REPORTING_ROLES


def can_read_notification(user: Any, notification: Notification) -> bool:
    """A notice belongs to its recipient alone, whatever the recipient's role."""
    return role_of(user) is not None and notification.recipient_id == user.pk
