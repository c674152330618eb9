"""Reads for notices: the facts the planner needs (in a fixed number of queries), and a
user's own notices."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from papitrack.accounts.enums import Role
from papitrack.accounts.models import User
from papitrack.notifications.enums import SCHEDULE_KINDS
from papitrack.notifications.models import (
    DEFAULT_DIGEST_HOUR,
    Notification,
    NotificationPreference,
    reminder_days_of,
)
from papitrack.notifications.planning import (
    People,
    ReportFacts,
    ScheduleKey,
    TransitionFacts,
    WorkflowKey,
)
from papitrack.notifications.rules import NOTICE_ROLES, can_read_notification
from papitrack.orgunits.enums import UnitKind, UnitLevel
from papitrack.reports.enums import EDITABLE_STATUSES
from papitrack.reports.models import Report, ReportTransition
from papitrack.reports.rules import reviewer_units
from papitrack.tasks.enums import AssigneeRole
from papitrack.tasks.models import TaskAssignee

NOT_FOUND = "Không tìm thấy thông báo."

# Units whose district leads a task given to "UBND cấp huyện" for its own area.
DISTRICT_CHILD_KINDS = frozenset({UnitKind.COMMUNE, UnitKind.DISTRICT_AGENCY})


def load_people() -> People:
    """Active officers per unit and the Sở Nội vụ coordinators, in one query.

    Leaders and administrators are left out: they read, they are not chased.
    """
    officers: dict[int, list[int]] = defaultdict(list)
    coordinators: list[int] = []
    rows = (
        User.objects.filter(is_active=True, role__in=NOTICE_ROLES)
        .order_by("id")
        .values_list("id", "unit_id", "role")
    )
    for user_id, unit_id, role in rows:
        if unit_id is not None:
            officers[unit_id].append(user_id)
        if role == Role.COORDINATOR:
            coordinators.append(user_id)
    return People(
        officers_by_unit={unit: tuple(users) for unit, users in officers.items()},
        coordinator_ids=tuple(coordinators),
    )


def load_reminder_days() -> dict[int, tuple[int, ...]]:
    """Users who changed their lead times; everyone else gets the defaults."""
    return {
        user_id: reminder_days_of(first, second)
        for user_id, first, second in NotificationPreference.objects.values_list(
            "user_id", "first_reminder_days", "second_reminder_days"
        )
    }


def longest_reminder_days(reminder_days: dict[int, tuple[int, ...]], default: int) -> int:
    return max([default, *(max(days, default=0) for days in reminder_days.values())])


def _lead_units_by_task() -> dict[int, tuple[list[int], bool]]:
    """Task id -> (concrete lead unit ids, whether the district level leads), one query."""
    leads: dict[int, tuple[list[int], bool]] = defaultdict(lambda: ([], False))
    for task_id, unit_id, level in TaskAssignee.objects.filter(role=AssigneeRole.LEAD).values_list(
        "task_id", "unit_id", "level"
    ):
        units, district_leads = leads[task_id]
        if unit_id is not None:
            units.append(unit_id)
        leads[task_id] = (units, district_leads or level == UnitLevel.DISTRICT)
    return leads


def pending_reports(*, due_from: datetime.date, due_until: datetime.date) -> QuerySet[Report]:
    """Reports never submitted and still open, due between the two dates (both included)."""
    return Report.objects.filter(
        status__in=EDITABLE_STATUSES,
        first_submitted_at__isnull=True,
        due_date__range=(due_from, due_until),
    )


def load_pending_report_facts(
    *, due_from: datetime.date, due_until: datetime.date
) -> list[ReportFacts]:
    """Facts about every report that may need a reminder or an alert, in two queries."""
    leads = _lead_units_by_task()
    rows = pending_reports(due_from=due_from, due_until=due_until).values_list(
        "id",
        "task_id",
        "task__printed_block",
        "task__printed_number",
        "period__label",
        "unit_id",
        "unit__name",
        "unit__kind",
        "unit__parent_id",
        "unit__outside_command",
        "status",
        "due_date",
    )
    facts = []
    for (
        report_id,
        task_id,
        block,
        number,
        period_label,
        unit_id,
        unit_name,
        unit_kind,
        parent_id,
        outside_command,
        status,
        due_date,
    ) in rows:
        lead_units, district_leads = leads.get(task_id, ([], False))
        escalation = [lead for lead in lead_units if lead != unit_id]
        if district_leads and unit_kind in DISTRICT_CHILD_KINDS and parent_id is not None:
            escalation.append(parent_id)
        facts.append(
            ReportFacts(
                report_id=report_id,
                task_label=f"{block}.{number}",
                period_label=period_label,
                unit_id=unit_id,
                unit_name=unit_name,
                parent_unit_id=parent_id,
                outside_command=outside_command,
                status=status,
                ever_submitted=False,
                due_date=due_date,
                escalation_unit_ids=tuple(dict.fromkeys(escalation)),
            )
        )
    return facts


def existing_schedule_keys(
    *, due_from: datetime.date, due_until: datetime.date
) -> set[ScheduleKey]:
    """Keys of the calendar notices already created for the pending reports."""
    return set(
        Notification.objects.filter(
            transition__isnull=True,
            kind__in=SCHEDULE_KINDS,
            report__in=pending_reports(due_from=due_from, due_until=due_until),
        ).values_list("recipient_id", "report_id", "kind", "stage")
    )


def _report_facts(report: Report) -> ReportFacts:
    return ReportFacts(
        report_id=report.pk,
        task_label=report.task.printed_label,
        period_label=report.period.label,
        unit_id=report.unit_id,
        unit_name=report.unit.name,
        parent_unit_id=report.unit.parent_id,
        outside_command=report.unit.outside_command,
        status=report.status,
        ever_submitted=report.first_submitted_at is not None,
        due_date=report.due_date,
    )


def load_transition_facts(
    *, after: datetime.datetime, until: datetime.datetime
) -> list[TransitionFacts]:
    """Workflow moves recorded in (after, until], with who reviews each report."""
    transitions = (
        ReportTransition.objects.filter(at__gt=after, at__lte=until)
        .select_related("report__task", "report__unit__parent", "report__period", "actor")
        .prefetch_related(
            Prefetch(
                "report__task__assignees", queryset=TaskAssignee.objects.select_related("unit")
            )
        )
        .order_by("at", "id")
    )
    return [
        TransitionFacts(
            transition_id=transition.pk,
            action=transition.action,
            report=_report_facts(transition.report),
            actor_id=transition.actor_id,
            actor_name=str(transition.actor),
            at_local=timezone.localtime(transition.at),
            comment=transition.comment,
            reviewer_unit_ids=tuple(unit.pk for unit in reviewer_units(transition.report)),
        )
        for transition in transitions
    ]


def existing_workflow_keys(*, transition_ids: list[int]) -> set[WorkflowKey]:
    return {
        (recipient_id, transition_id)
        for recipient_id, transition_id in Notification.objects.filter(
            transition_id__in=transition_ids
        ).values_list("recipient_id", "transition_id")
        if transition_id is not None
    }


# --- a user's own notices -------------------------------------------------------------------


def notifications_for(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notices, newest first, with what a list shows."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    notices = Notification.objects.filter(recipient_id=user.pk).select_related(
        "report__task", "report__unit", "report__period"
    )
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    return notices.order_by("-created_for_day", "-id")


def unread_count(user: Any) -> int:
    return notifications_for(user, unread_only=True).count()


def get_notification_for_user(user: Any, notification_id: int) -> Notification:
    """One of the user's own notices; 404 for anybody else's (ids reveal nothing)."""
    notification = (
        Notification.objects.select_related("report__task", "report__unit", "report__period")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or not can_read_notification(user, notification):
        raise Http404(NOT_FOUND)
    return notification


def preference_for(user: User) -> NotificationPreference:
    """The user's stored preferences, or unsaved defaults."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(
        user=user
    )


def digest_hour_of(preference: NotificationPreference | None) -> int:
    return preference.digest_hour if preference is not None else DEFAULT_DIGEST_HOUR
