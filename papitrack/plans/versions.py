"""The plan's data version: the counter that cached monitoring figures are keyed on.

Monitoring figures (monitoring/queries/) are computed from the plan's tasks, KPIs and
roll-up rules, its expected reports (which exist, their due dates, first submissions and
statuses) and the values of the reports that count (approved, or submitted too). Values
change only while a report is a draft or returned, where they never count, so a figure
changes only when one of these writes happens, and each bumps the version in its own
transaction:

- a workflow move of a report (reports/services.py, `_transition`);
- generating expected reports or moving their due dates (reports/generation.py);
- loading or reloading the plan file (plans/services.py);
- setting a KPI's roll-up rule (monitoring/services.py).

The counter is incremented in SQL (`number = number + 1`), which locks its row until the
writer commits: concurrent writers queue, and a reader sees the new number only together
with the data. Readers read the version before the data, so an entry cached under a
version holds data at least as new as that version.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F
from django.dispatch import Signal

from papitrack.plans.models import PlanDataVersion

# Sent by bump_data_version inside the writing transaction, with `plan_id`, the new
# `version`, `slices`: the (task id, period id) pairs whose reports changed, or None when
# anything may have (a load, a generation), and `reports`: the reports inside the slices
# that changed, when the writer knows them (a workflow move), else None. Monitoring
# refreshes its stored roll-ups on it (monitoring/stored_rollups.py); plans cannot import
# monitoring, hence a signal.
figures_changed = Signal()


def bump_data_version(
    *,
    plan_id: int,
    slices: Iterable[tuple[int, int]] | None = None,
    reports: Iterable[int] | None = None,
) -> int:
    """Mark the plan's monitoring figures as changed; call inside the writing transaction.

    `slices` names the (task, period) pairs whose reports changed (one report's workflow
    move); None, the default, means anything may have. `reports` names, inside the slices,
    the reports that changed (None: any of the slices' may have). Returns the new version.
    """
    if not PlanDataVersion.objects.filter(plan_id=plan_id).update(number=F("number") + 1):
        # First change of this plan: make its row (a concurrent first change may make it
        # too; the conflict is ignored), then count the change.
        PlanDataVersion.objects.bulk_create(
            [PlanDataVersion(plan_id=plan_id)], ignore_conflicts=True
        )
        PlanDataVersion.objects.filter(plan_id=plan_id).update(number=F("number") + 1)
    version = data_version(plan_id=plan_id)
    figures_changed.send(
        sender=PlanDataVersion,
        plan_id=plan_id,
        version=version,
        slices=None if slices is None else list(slices),
        reports=None if reports is None else list(reports),
    )
    return version


def data_version(*, plan_id: int) -> int:
    """The plan's current data version (0 before its first change); one query."""
    number: int | None = (
        PlanDataVersion.objects.filter(plan_id=plan_id).values_list("number", flat=True).first()
    )
    return number or 0
