"""Who may do what with surveys."""

from __future__ import annotations

from typing import Any

from papitrack.accounts.rules import is_administrator, is_coordinator


def can_import_survey(user: Any) -> bool:
    """The provincial coordinator and administrators import and re-score survey data."""
    return (
        bool(getattr(user, "is_superuser", False)) or is_coordinator(user) or is_administrator(user)
    )
