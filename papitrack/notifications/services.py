"""Writes for notices: the daily job, the digest e-mails, reading and preferences.

The job needs no broker: `manage.py run_notifications` (cron or a systemd timer, see
docs/notifications.md) calls `run_notification_job` and `send_daily_digests`. Each claims
its job's lock first (an unfinished `JobRun` row, unique per job), so two servers or two
cron entries never run the same job at once; and every notice and digest has a unique key,
so running again the same day creates and sends nothing new.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from papitrack.accounts.models import User
from papitrack.audit.services import diff, record_audit
from papitrack.calendars.queries import load_working_calendar
from papitrack.calendars.workdays import WorkingCalendar
from papitrack.notifications.digest import DigestContent, DigestItem, build_sections, render_digest
from papitrack.notifications.enums import JobName, JobOutcome
from papitrack.notifications.models import (
    DEFAULT_DIGEST_HOUR,
    Digest,
    JobRun,
    Notification,
    NotificationPreference,
)
from papitrack.notifications.planning import (
    DEFAULT_REMINDER_DAYS,
    PlannedNotice,
    earliest_due_date_chased,
    plan_schedule_notices,
    plan_workflow_notices,
)
from papitrack.notifications.queries import (
    existing_schedule_keys,
    existing_workflow_keys,
    get_notification_for_user,
    load_pending_report_facts,
    load_people,
    load_reminder_days,
    load_transition_facts,
    longest_reminder_days,
)

logger = logging.getLogger(__name__)

# A run that has not finished after this long is taken to have died (killed server, power
# cut) and no longer blocks the next one.
LOCK_LEASE = datetime.timedelta(hours=1)
# Transitions are read again this far behind the last run's mark: a move whose transaction
# was still open at the last run is caught now (the unique key drops the others).
TRANSITION_LOOKBACK = datetime.timedelta(hours=1)
# Notices created per transaction.
BATCH_SIZE = 1000
# A digest lists notices of at most the last 7 days: a user who switches e-mail back on
# gets this week's notices, not a year of them.
DIGEST_LOOKBACK = datetime.timedelta(days=7)
# Looking further back for the previous working day than any run of days off (Tết is 5–9).
MAX_DAYS_OFF_IN_A_ROW = 30

LOCKED = "locked"
AUDIT_ACTIONS = {
    JobName.NOTIFICATIONS: "notifications.run",
    JobName.DIGESTS: "notifications.digests",
}
RUN_SUMMARY = "{outcome}: {created} thông báo mới ({details})."
DIGEST_SUMMARY = "{outcome}: {sent} thư tổng hợp, {notices} thông báo; {failed} thư gửi lỗi."


@dataclass(frozen=True)
class NotificationRunResult:
    day: datetime.date
    outcome: str
    workflow_notices: int = 0
    schedule_notices: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def created(self) -> int:
        return self.workflow_notices + self.schedule_notices


@dataclass(frozen=True)
class DigestRunResult:
    day: datetime.date
    outcome: str
    sent: int = 0
    notifications: int = 0
    failed: int = 0


# --- the lock -------------------------------------------------------------------------------


def _claim_run(*, job: str, day: datetime.date) -> JobRun | None:
    """Start a run of `job`, or return None while another run of it is under way."""
    started = timezone.now()
    with transaction.atomic():
        running = (
            JobRun.objects.select_for_update().filter(job=job, finished_at__isnull=True).first()
        )
        if running is not None:
            if running.started_at > started - LOCK_LEASE:
                return None
            running.finished_at = started
            running.outcome = JobOutcome.ABANDONED
            running.save(update_fields=["finished_at", "outcome"])
        try:
            with transaction.atomic():
                return JobRun.objects.create(job=job, day=day, started_at=started)
        except IntegrityError:
            return None  # another server inserted its run between our read and our insert


def _finish_run(
    run: JobRun,
    *,
    outcome: str,
    summary: dict[str, Any],
    comment: str = "",
    transitions_until: datetime.datetime | None = None,
) -> None:
    with transaction.atomic():
        run.finished_at = timezone.now()
        run.outcome = outcome
        run.summary = summary
        run.transitions_until = transitions_until
        run.save()
        record_audit(
            actor=None,
            action=AUDIT_ACTIONS[JobName(run.job)],
            target=run,
            changes={key: [None, value] for key, value in summary.items()},
            comment=comment or JobOutcome(outcome).label,
        )


# --- creating notices -----------------------------------------------------------------------


def _previous_working_day(day: datetime.date, calendar: WorkingCalendar) -> datetime.date:
    previous = day - datetime.timedelta(days=1)
    for _ in range(MAX_DAYS_OFF_IN_A_ROW):
        if calendar.is_working_day(previous):
            break
        previous -= datetime.timedelta(days=1)
    return previous


def _transitions_after(
    *, today: datetime.date, now: datetime.datetime, calendar: WorkingCalendar
) -> datetime.datetime:
    """Where to read workflow moves from: the last run's mark (minus the look-back), or, on
    the very first run, the start of the previous working day (older moves are history)."""
    last: datetime.datetime | None = JobRun.objects.filter(
        job=JobName.NOTIFICATIONS, outcome=JobOutcome.DONE, transitions_until__lte=now
    ).aggregate(mark=Max("transitions_until"))["mark"]
    if last is not None:
        return last - TRANSITION_LOOKBACK
    start = datetime.datetime.combine(_previous_working_day(today, calendar), datetime.time.min)
    return timezone.make_aware(start)


def _insert(
    notices: Sequence[PlannedNotice], *, today: datetime.date, now: datetime.datetime
) -> None:
    for start in range(0, len(notices), BATCH_SIZE):
        with transaction.atomic():
            Notification.objects.bulk_create(
                [
                    Notification(
                        recipient_id=notice.recipient_id,
                        report_id=notice.report_id,
                        transition_id=notice.transition_id,
                        kind=notice.kind,
                        audience=notice.audience,
                        stage=notice.stage,
                        message=notice.message,
                        created_for_day=today,
                        created_at=now,
                    )
                    for notice in notices[start : start + BATCH_SIZE]
                ],
                # The planner already left out existing notices; this only guards a race.
                ignore_conflicts=True,
            )


def run_notification_job(*, today: datetime.date, now: datetime.datetime) -> NotificationRunResult:
    """Create the day's notices: workflow moves since the last run, then reminders, due-today
    notices, overdue alerts and escalations (planning.py has the rules).

    Does nothing on a day off; the next working day catches up. Idempotent: a second run
    the same day creates nothing. Returns `LOCKED` as outcome while another run is under way.
    Side effects: notices in batches of 1,000 (one transaction each), one `JobRun` row with
    the read mark for workflow moves, one audit entry with the counts.
    """
    run = _claim_run(job=JobName.NOTIFICATIONS, day=today)
    if run is None:
        return NotificationRunResult(day=today, outcome=LOCKED)
    try:
        calendar = load_working_calendar()
        if not calendar.is_working_day(today):
            _finish_run(run, outcome=JobOutcome.DAY_OFF, summary={})
            return NotificationRunResult(day=today, outcome=JobOutcome.DAY_OFF)
        people = load_people()
        transitions = load_transition_facts(
            after=_transitions_after(today=today, now=now, calendar=calendar), until=now
        )
        workflow = plan_workflow_notices(
            transitions=transitions,
            people=people,
            existing=existing_workflow_keys(
                transition_ids=[transition.transition_id for transition in transitions]
            ),
        )
        _insert(workflow, today=today, now=now)
        reminder_days = load_reminder_days()
        due_until = calendar.add_working_days(
            today, longest_reminder_days(reminder_days, max(DEFAULT_REMINDER_DAYS))
        )
        due_from = earliest_due_date_chased(today, calendar)
        schedule = plan_schedule_notices(
            today=today,
            calendar=calendar,
            reports=load_pending_report_facts(due_from=due_from, due_until=due_until),
            people=people,
            reminder_days=reminder_days,
            existing=existing_schedule_keys(due_from=due_from, due_until=due_until),
        )
        _insert(schedule, today=today, now=now)
    except Exception:
        _finish_run(run, outcome=JobOutcome.FAILED, summary={})
        raise
    by_kind = dict(sorted(Counter(notice.kind for notice in [*workflow, *schedule]).items()))
    result = NotificationRunResult(
        day=today,
        outcome=JobOutcome.DONE,
        workflow_notices=len(workflow),
        schedule_notices=len(schedule),
        by_kind=by_kind,
    )
    _finish_run(
        run,
        outcome=JobOutcome.DONE,
        summary={"created": result.created, "transitions": len(transitions), **by_kind},
        comment=RUN_SUMMARY.format(
            outcome=JobOutcome.DONE.label,
            created=result.created,
            details=", ".join(f"{kind}: {count}" for kind, count in by_kind.items()) or "không có",
        ),
        transitions_until=now,
    )
    return result


# --- the daily digest -----------------------------------------------------------------------


def _absolute_url(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _preference(user: User) -> NotificationPreference | None:
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return None


def _digest_recipients(*, day: datetime.date, hour: int) -> list[User]:
    """Users with e-mail switched on and an address, whose digest hour has come, who have
    new notices and no digest yet today."""
    users = (
        User.objects.filter(
            is_active=True,
            notifications__emailed_in__isnull=True,
            notifications__created_for_day__range=(day - DIGEST_LOOKBACK, day),
        )
        .exclude(email="")
        .exclude(digests__day=day)
        .exclude(notification_preference__email_enabled=False)
        .select_related("unit", "notification_preference")
        .distinct()
        .order_by("id")
    )
    recipients = []
    for user in users:
        preference = _preference(user)
        digest_hour = preference.digest_hour if preference else DEFAULT_DIGEST_HOUR
        if digest_hour <= hour:
            recipients.append(user)
    return recipients


def _send_digest(*, user: User, day: datetime.date, now: datetime.datetime) -> int:
    """Send one user's digest; return how many notices it listed (0: none sent)."""
    with transaction.atomic():
        notices = list(
            Notification.objects.filter(
                recipient=user,
                emailed_in__isnull=True,
                created_for_day__range=(day - DIGEST_LOOKBACK, day),
            ).order_by("created_for_day", "id")
        )
        if not notices:
            return 0
        try:
            with transaction.atomic():
                digest = Digest.objects.create(
                    recipient=user, day=day, sent_at=now, email=user.email, subject=""
                )
        except IntegrityError:
            return 0  # another run sent today's digest already
        unit = user.unit
        content = DigestContent(
            recipient_name=user.full_name or user.username,
            unit_name=unit.name if unit is not None else "",
            outside_command=unit.outside_command if unit is not None else False,
            day=day,
            sections=build_sections(
                DigestItem(
                    kind=notice.kind,
                    message=notice.message,
                    url=_absolute_url(reverse("web:report_detail", args=[notice.report_id])),
                )
                for notice in notices
            ),
            notifications_url=_absolute_url(reverse("web:notification_list")),
            preferences_url=_absolute_url(reverse("web:notification_preferences")),
        )
        subject, body = render_digest(content)
        digest.subject = subject[:200]
        digest.notification_count = len(notices)
        digest.save(update_fields=["subject", "notification_count"])
        Notification.objects.filter(pk__in=[notice.pk for notice in notices]).update(
            emailed_in=digest
        )
        # Sent last: if the mail server refuses, the digest row rolls back and the next run
        # of the day tries again.
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
    return len(notices)


def send_daily_digests(
    *, day: datetime.date, now: datetime.datetime | None = None
) -> DigestRunResult:
    """Send each user at most one e-mail for `day`, listing their notices not yet e-mailed.

    Users who switched e-mail off, have no address, or whose digest hour has not come are
    skipped (their notices stay in-app). Nothing on a day off. A second run the same day
    sends nothing to users who already had their digest.
    Side effects: `Digest` rows, notices marked as e-mailed, one `JobRun` and audit entry.
    """
    now = now or timezone.now()
    run = _claim_run(job=JobName.DIGESTS, day=day)
    if run is None:
        return DigestRunResult(day=day, outcome=LOCKED)
    try:
        if not load_working_calendar().is_working_day(day):
            _finish_run(run, outcome=JobOutcome.DAY_OFF, summary={})
            return DigestRunResult(day=day, outcome=JobOutcome.DAY_OFF)
        sent = listed = failed = 0
        for user in _digest_recipients(day=day, hour=timezone.localtime(now).hour):
            try:
                count = _send_digest(user=user, day=day, now=now)
            except OSError:  # smtplib errors are OSErrors: one bad address stops nobody else
                logger.exception("Digest to user %s failed", user.pk)
                failed += 1
                continue
            sent += 1 if count else 0
            listed += count
    except Exception:
        _finish_run(run, outcome=JobOutcome.FAILED, summary={})
        raise
    _finish_run(
        run,
        outcome=JobOutcome.DONE,
        summary={"sent": sent, "notifications": listed, "failed": failed},
        comment=DIGEST_SUMMARY.format(
            outcome=JobOutcome.DONE.label, sent=sent, notices=listed, failed=failed
        ),
    )
    return DigestRunResult(
        day=day, outcome=JobOutcome.DONE, sent=sent, notifications=listed, failed=failed
    )


# --- reading and preferences ----------------------------------------------------------------


@transaction.atomic
def mark_notification_read(
    *, user: User, notification_id: int, now: datetime.datetime | None = None
) -> Notification:
    """Mark one of the user's own notices as read (404 for anybody else's); kept if read."""
    notification = get_notification_for_user(user, notification_id)
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_notifications_read(*, user: User, now: datetime.datetime | None = None) -> int:
    """Mark every unread notice of the user as read; return how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


PREFERENCE_FIELDS = ("email_enabled", "first_reminder_days", "second_reminder_days", "digest_hour")


@transaction.atomic
def update_notification_preferences(
    *,
    user: User,
    email_enabled: bool,
    first_reminder_days: int,
    second_reminder_days: int,
    digest_hour: int,
) -> NotificationPreference:
    """Store the user's own choices. In-app notices cannot be switched off.

    Side effects: one audit entry with the changed fields.
    """
    preference = NotificationPreference.objects.select_for_update().filter(
        user=user
    ).first() or NotificationPreference(user=user)
    before = (
        {name: getattr(preference, name) for name in PREFERENCE_FIELDS} if preference.pk else {}
    )
    preference.email_enabled = email_enabled
    preference.first_reminder_days = first_reminder_days
    preference.second_reminder_days = second_reminder_days
    preference.digest_hour = digest_hour
    preference.full_clean()
    preference.save()
    record_audit(
        actor=user,
        action="notifications.preferences",
        target=preference,
        unit=user.unit,
        changes=diff(before, {name: getattr(preference, name) for name in PREFERENCE_FIELDS}),
    )
    return preference
