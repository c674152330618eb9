"""Which notices to create today: reminders, overdue alerts, escalations, workflow events.

Pure: the caller passes today, the working calendar, the facts about reports and people, and
the keys of the notices that already exist; nothing here reads the database or the clock.
Rules (domain notes §4.8, docs/notifications.md):

- reminders N working days before the due date (per user, default 5 and 1);
- on the due date;
- overdue: the first working day after the due date, then every 2 working days; from the
  2nd alert on, also the officers of the unit's parent unit ("head", see HEAD below);
- once 5 working days overdue: escalation to the task's lead agency and Sở Nội vụ;
- overdue alerts stop after the 10th (about four weeks): by then the report has been
  escalated, and it stays on every overdue list without a notice every other day;
- nothing on a day off (weekends, holidays, Tết): the next working day catches up, because
  every rule is a threshold ("at most N days left", "at least k days overdue") and each
  stage is created once;
- workflow moves: a submission goes to the reviewers, a return (or reopening) and an
  approval to the reporting unit; never to the person who made the move.

Units outside the PPC's command (the Front, courts, vertical agencies, the power company)
get requests ("Đề nghị quý cơ quan …"), never orders.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from papitrack.calendars.workdays import WorkingCalendar
from papitrack.notifications.enums import Audience, NoticeKind
from papitrack.reports.enums import EDITABLE_STATUSES, ReportAction

DEFAULT_REMINDER_DAYS = (5, 1)
DATE_FORMAT = "%d/%m/%Y"
TIME_FORMAT = "%H:%M %d/%m/%Y"

REMINDER = "Báo cáo {title} của {unit} đến hạn gửi ngày {due} (còn {days} ngày làm việc). "
REMINDER_ORDER = REMINDER + "Yêu cầu đơn vị hoàn thành và gửi báo cáo đúng hạn."
REMINDER_REQUEST = REMINDER + "Đề nghị quý cơ quan hoàn thành và gửi báo cáo đúng hạn."
DUE_TODAY = "Hôm nay ({due}) là hạn gửi báo cáo {title} của {unit}. "
DUE_TODAY_ORDER = DUE_TODAY + "Yêu cầu đơn vị gửi báo cáo trong ngày."
DUE_TODAY_REQUEST = DUE_TODAY + "Đề nghị quý cơ quan gửi báo cáo trong ngày."
OVERDUE = "Báo cáo {title} của {unit} đã quá hạn {days} ngày làm việc (hạn {due}). "
OVERDUE_ORDER = OVERDUE + "Yêu cầu đơn vị gửi báo cáo ngay."
OVERDUE_REQUEST = OVERDUE + "Đề nghị quý cơ quan sớm gửi báo cáo."
OVERDUE_HEAD_ORDER = OVERDUE + "Đề nghị chỉ đạo đơn vị trực thuộc gửi báo cáo ngay."
OVERDUE_HEAD_REQUEST = (
    OVERDUE + "Đây là cơ quan ngoài quyền chỉ đạo của UBND tỉnh; đề nghị phối hợp, trao đổi "
    "để cơ quan gửi báo cáo."
)
ESCALATION = (
    "Báo cáo {title} của {unit} đã quá hạn {days} ngày làm việc (hạn {due}) mà chưa được gửi. "
)
ESCALATION_ORDER = ESCALATION + "Chuyển đơn vị chủ trì theo dõi và Sở Nội vụ đôn đốc, xử lý."
ESCALATION_REQUEST = (
    ESCALATION + "Đây là cơ quan ngoài quyền chỉ đạo của UBND tỉnh: đề nghị đơn vị chủ trì và "
    "Sở Nội vụ trao đổi, phối hợp để cơ quan gửi báo cáo."
)
SUBMITTED = "{unit} đã gửi báo cáo {title} lúc {at}. Báo cáo đang chờ xem xét, phê duyệt."
RETURNED = "Báo cáo {title} của {unit} đã bị {actor} trả lại lúc {at}, ý kiến: «{comment}». "
RETURNED_ORDER = RETURNED + "Yêu cầu đơn vị chỉnh sửa và gửi lại."
RETURNED_REQUEST = RETURNED + "Đề nghị quý cơ quan chỉnh sửa và gửi lại."
REOPENED = "Báo cáo {title} của {unit} đã được {actor} mở lại lúc {at}, lý do: «{comment}». "
REOPENED_ORDER = REOPENED + "Yêu cầu đơn vị chỉnh sửa và gửi lại."
REOPENED_REQUEST = REOPENED + "Đề nghị quý cơ quan chỉnh sửa và gửi lại."
APPROVED = "Báo cáo {title} của {unit} đã được {actor} phê duyệt lúc {at}."

# Which notice a workflow move gives, and to whom (reopening sends the report back).
WORKFLOW_NOTICE: dict[str, tuple[str, str]] = {
    ReportAction.SUBMIT: (NoticeKind.SUBMITTED, Audience.REVIEWER),
    ReportAction.RETURN: (NoticeKind.RETURNED, Audience.REPORTING_UNIT),
    ReportAction.REOPEN: (NoticeKind.RETURNED, Audience.REPORTING_UNIT),
    ReportAction.APPROVE: (NoticeKind.APPROVED, Audience.REPORTING_UNIT),
}

# (recipient id, report id, kind, stage): a notice from the calendar exists.
ScheduleKey = tuple[int, int, str, int]
# (recipient id, transition id): a notice of a workflow move exists.
WorkflowKey = tuple[int, int]


@dataclass(frozen=True)
class NoticeRules:
    """The defaults of domain notes §4.8, in working days."""

    overdue_every: int = 2
    head_from_alert: int = 2
    escalate_after: int = 5
    max_overdue_alerts: int = 10

    @property
    def last_chased_day(self) -> int:
        """The last working day overdue on which a notice may still be due."""
        return max(self.max_overdue_alerts * self.overdue_every, self.escalate_after)


DEFAULT_RULES = NoticeRules()


@dataclass(frozen=True)
class ReportFacts:
    report_id: int
    task_label: str
    period_label: str
    unit_id: int
    unit_name: str
    parent_unit_id: int | None
    outside_command: bool
    status: str
    ever_submitted: bool
    due_date: datetime.date
    # Units told after 5 working days overdue besides Sở Nội vụ: the task's lead units.
    escalation_unit_ids: tuple[int, ...] = ()

    @property
    def title(self) -> str:
        return f"nhiệm vụ {self.task_label} ({self.period_label})"

    @property
    def awaiting_submission(self) -> bool:
        """Never submitted and still open. A returned report is chased by its return notice;
        its timeliness was judged on the first submission."""
        return self.status in EDITABLE_STATUSES and not self.ever_submitted


@dataclass(frozen=True)
class People:
    """Who can be told: officers (unit reporters, lead reviewers, coordinators) per unit."""

    officers_by_unit: Mapping[int, Sequence[int]] = field(default_factory=dict)
    coordinator_ids: Sequence[int] = ()

    def officers_of(self, unit_id: int | None) -> Sequence[int]:
        return self.officers_by_unit.get(unit_id, ()) if unit_id is not None else ()


@dataclass(frozen=True)
class TransitionFacts:
    transition_id: int
    action: str
    report: ReportFacts
    actor_id: int
    actor_name: str
    at_local: datetime.datetime
    comment: str
    # Empty: nobody below Sở Nội vụ reviews the report, so the coordinators do.
    reviewer_unit_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class PlannedNotice:
    recipient_id: int
    report_id: int
    kind: str
    audience: str
    stage: int
    message: str
    transition_id: int | None = None


def _format(template: str, report: ReportFacts, **values: object) -> str:
    return template.format(
        title=report.title,
        unit=report.unit_name,
        due=report.due_date.strftime(DATE_FORMAT),
        **values,
    )


def _wording(report: ReportFacts, order: str, request: str) -> str:
    return request if report.outside_command else order


def reminder_stage(remaining: int, reminder_days: Sequence[int]) -> int | None:
    """The reminder due with `remaining` working days left: the smallest lead time that is
    at least `remaining` (3 days left with leads 5 and 1 → the 5-day reminder)."""
    leads = [days for days in reminder_days if days >= remaining]
    return min(leads) if leads else None


def overdue_alert_number(days_overdue: int, rules: NoticeRules) -> int:
    """1 on the 1st and 2nd working day overdue, 2 on the 3rd and 4th, … (every 2 days)."""
    return (days_overdue - 1) // rules.overdue_every + 1


def earliest_due_date_chased(
    today: datetime.date,
    calendar: WorkingCalendar,
    rules: NoticeRules = DEFAULT_RULES,
) -> datetime.date:
    """The earliest due date for which a notice may still be due today.

    Reports due before it are past their last overdue alert and their escalation; leaving
    them out keeps the daily work bounded however long a report stays missing.
    """
    day = today
    counted = 0
    while counted <= rules.last_chased_day:
        if calendar.is_working_day(day):
            counted += 1
        day -= datetime.timedelta(days=1)
    return day + datetime.timedelta(days=1)


class _Collector:
    """Adds notices once per key, skipping those that already exist."""

    def __init__(self, existing: AbstractSet[ScheduleKey]) -> None:
        self.existing = existing
        self.added: set[ScheduleKey] = set()
        self.notices: list[PlannedNotice] = []

    def add(self, notice: PlannedNotice) -> None:
        key = (notice.recipient_id, notice.report_id, notice.kind, notice.stage)
        if key in self.existing or key in self.added:
            return
        self.added.add(key)
        self.notices.append(notice)


def plan_schedule_notices(
    *,
    today: datetime.date,
    calendar: WorkingCalendar,
    reports: Iterable[ReportFacts],
    people: People,
    reminder_days: Mapping[int, Sequence[int]],
    existing: AbstractSet[ScheduleKey],
    rules: NoticeRules = DEFAULT_RULES,
) -> list[PlannedNotice]:
    """Reminders, due-today notices, overdue alerts and escalations to create today.

    `reminder_days` maps a user to their lead times (users absent from it get 5 and 1).
    Nothing at all on a day off.
    """
    if not calendar.is_working_day(today):
        return []
    collector = _Collector(existing)
    remaining_by_due: dict[datetime.date, int] = {}
    for report in reports:
        if not report.awaiting_submission:
            continue
        if report.due_date not in remaining_by_due:
            remaining_by_due[report.due_date] = calendar.working_days_between(
                today, report.due_date
            )
        remaining = remaining_by_due[report.due_date]
        officers = people.officers_of(report.unit_id)
        if remaining > 0:
            _plan_reminders(collector, report, remaining, officers, reminder_days)
        elif remaining == 0:
            message = _format(_wording(report, DUE_TODAY_ORDER, DUE_TODAY_REQUEST), report)
            for user_id in officers:
                collector.add(
                    PlannedNotice(
                        user_id,
                        report.report_id,
                        NoticeKind.DUE_TODAY,
                        Audience.REPORTING_UNIT,
                        0,
                        message,
                    )
                )
        else:
            _plan_overdue(collector, report, -remaining, officers, people, rules)
    return collector.notices


def _plan_reminders(
    collector: _Collector,
    report: ReportFacts,
    remaining: int,
    officers: Sequence[int],
    reminder_days: Mapping[int, Sequence[int]],
) -> None:
    message = _format(_wording(report, REMINDER_ORDER, REMINDER_REQUEST), report, days=remaining)
    for user_id in officers:
        stage = reminder_stage(remaining, reminder_days.get(user_id, DEFAULT_REMINDER_DAYS))
        if stage is not None:
            collector.add(
                PlannedNotice(
                    user_id,
                    report.report_id,
                    NoticeKind.REMINDER,
                    Audience.REPORTING_UNIT,
                    stage,
                    message,
                )
            )


def _plan_overdue(
    collector: _Collector,
    report: ReportFacts,
    days_overdue: int,
    officers: Sequence[int],
    people: People,
    rules: NoticeRules,
) -> None:
    if days_overdue > rules.last_chased_day:
        return
    alert = overdue_alert_number(days_overdue, rules)
    if alert <= rules.max_overdue_alerts:
        _plan_overdue_alert(collector, report, days_overdue, alert, officers, people, rules)
    if days_overdue >= rules.escalate_after:
        _plan_escalation(collector, report, days_overdue, officers, people)


def _plan_overdue_alert(
    collector: _Collector,
    report: ReportFacts,
    days_overdue: int,
    alert: int,
    officers: Sequence[int],
    people: People,
    rules: NoticeRules,
) -> None:
    message = _format(_wording(report, OVERDUE_ORDER, OVERDUE_REQUEST), report, days=days_overdue)
    for user_id in officers:
        collector.add(
            PlannedNotice(
                user_id,
                report.report_id,
                NoticeKind.OVERDUE,
                Audience.REPORTING_UNIT,
                alert,
                message,
            )
        )
    if alert >= rules.head_from_alert:
        head_message = _format(
            _wording(report, OVERDUE_HEAD_ORDER, OVERDUE_HEAD_REQUEST), report, days=days_overdue
        )
        for user_id in people.officers_of(report.parent_unit_id):
            collector.add(
                PlannedNotice(
                    user_id,
                    report.report_id,
                    NoticeKind.OVERDUE,
                    Audience.HEAD,
                    alert,
                    head_message,
                )
            )


def _plan_escalation(
    collector: _Collector,
    report: ReportFacts,
    days_overdue: int,
    officers: Sequence[int],
    people: People,
) -> None:
    message = _format(
        _wording(report, ESCALATION_ORDER, ESCALATION_REQUEST), report, days=days_overdue
    )
    own = set(officers)
    recipients = [
        (user_id, Audience.LEAD_AGENCY)
        for unit_id in report.escalation_unit_ids
        for user_id in people.officers_of(unit_id)
    ] + [(user_id, Audience.DOHA) for user_id in people.coordinator_ids]
    for user_id, audience in recipients:
        if user_id not in own:  # the unit's own officers already have the overdue alert
            collector.add(
                PlannedNotice(
                    user_id, report.report_id, NoticeKind.ESCALATION, audience, 1, message
                )
            )


def plan_workflow_notices(
    *,
    transitions: Iterable[TransitionFacts],
    people: People,
    existing: AbstractSet[WorkflowKey],
) -> list[PlannedNotice]:
    """Notices of submissions (to reviewers), returns and approvals (to the unit)."""
    notices: list[PlannedNotice] = []
    added: set[WorkflowKey] = set()
    for transition in transitions:
        if transition.action not in WORKFLOW_NOTICE:
            continue
        kind, audience = WORKFLOW_NOTICE[transition.action]
        report = transition.report
        if kind == NoticeKind.SUBMITTED:
            recipients: Sequence[int] = [
                user_id
                for unit_id in transition.reviewer_unit_ids
                for user_id in people.officers_of(unit_id)
            ] or people.coordinator_ids
        else:
            recipients = people.officers_of(report.unit_id)
        message = _workflow_message(transition)
        for user_id in recipients:
            key = (user_id, transition.transition_id)
            if user_id == transition.actor_id or key in existing or key in added:
                continue
            added.add(key)
            notices.append(
                PlannedNotice(
                    user_id,
                    report.report_id,
                    kind,
                    audience,
                    0,
                    message,
                    transition_id=transition.transition_id,
                )
            )
    return notices


def _workflow_message(transition: TransitionFacts) -> str:
    report = transition.report
    values = {
        "at": transition.at_local.strftime(TIME_FORMAT),
        "actor": transition.actor_name,
        "comment": transition.comment,
    }
    if transition.action == ReportAction.SUBMIT:
        return _format(SUBMITTED, report, **values)
    if transition.action == ReportAction.RETURN:
        return _format(_wording(report, RETURNED_ORDER, RETURNED_REQUEST), report, **values)
    if transition.action == ReportAction.REOPEN:
        return _format(_wording(report, REOPENED_ORDER, REOPENED_REQUEST), report, **values)
    return _format(APPROVED, report, **values)
