"""The pure planner: which notices a day brings, at the boundaries of every rule."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest

from papitrack.calendars.sources import calendar_from_special_days, vietnam_special_days
from papitrack.notifications.enums import Audience, NoticeKind
from papitrack.notifications.planning import (
    People,
    PlannedNotice,
    ReportFacts,
    TransitionFacts,
    earliest_due_date_chased,
    plan_schedule_notices,
    plan_workflow_notices,
    reminder_stage,
)
from papitrack.reports.enums import ReportAction, ReportStatus

CALENDAR = calendar_from_special_days(vietnam_special_days([2020, 2021]))
UNIT, DISTRICT, LEAD, SNV = 10, 20, 30, 40
OFFICER, DISTRICT_OFFICER, LEAD_OFFICER, COORDINATOR = 1, 2, 3, 4
PEOPLE = People(
    officers_by_unit={
        UNIT: (OFFICER,),
        DISTRICT: (DISTRICT_OFFICER,),
        LEAD: (LEAD_OFFICER,),
        SNV: (COORDINATOR,),
    },
    coordinator_ids=(COORDINATOR,),
)
# Wednesday 16/9/2020, the Q3 due date of communes (domain notes §4.3).
DUE = datetime.date(2020, 9, 16)
REPORT = ReportFacts(
    report_id=7,
    task_label="II.2",
    period_label="Quý III/2020",
    unit_id=UNIT,
    unit_name="Xã Duy Phú",
    parent_unit_id=DISTRICT,
    outside_command=False,
    status=ReportStatus.DRAFT,
    ever_submitted=False,
    due_date=DUE,
    escalation_unit_ids=(LEAD,),
)


def plan(
    today: datetime.date,
    report: ReportFacts = REPORT,
    *,
    existing: frozenset[tuple[int, int, str, int]] = frozenset(),
    reminder_days: dict[int, tuple[int, ...]] | None = None,
) -> list[PlannedNotice]:
    return plan_schedule_notices(
        today=today,
        calendar=CALENDAR,
        reports=[report],
        people=PEOPLE,
        reminder_days=reminder_days or {},
        existing=existing,
    )


def summary(notices: list[PlannedNotice]) -> list[tuple[int, str, str, int]]:
    return sorted(
        (notice.recipient_id, notice.kind, notice.audience, notice.stage) for notice in notices
    )


def keys(notices: list[PlannedNotice]) -> frozenset[tuple[int, int, str, int]]:
    return frozenset((n.recipient_id, n.report_id, n.kind, n.stage) for n in notices)


def run_days(first: datetime.date, last: datetime.date, report: ReportFacts = REPORT):
    """Run the planner every calendar day like the daily job; return the notices per day."""
    existing: frozenset[tuple[int, int, str, int]] = frozenset()
    created: dict[datetime.date, list[tuple[int, str, str, int]]] = {}
    day = first
    while day <= last:
        notices = plan(day, report, existing=existing)
        if notices:
            created[day] = summary(notices)
        existing |= keys(notices)
        day += datetime.timedelta(days=1)
    return created


def test_a_reminder_comes_5_and_1_working_days_before_the_due_date() -> None:
    created = run_days(datetime.date(2020, 9, 1), DUE - datetime.timedelta(days=1))

    # 9/9 is 5 working days before 16/9 (10, 11, 14, 15, 16); 2/9 is National Day.
    assert created == {
        datetime.date(2020, 9, 9): [(OFFICER, NoticeKind.REMINDER, Audience.REPORTING_UNIT, 5)],
        datetime.date(2020, 9, 15): [(OFFICER, NoticeKind.REMINDER, Audience.REPORTING_UNIT, 1)],
    }


def test_the_reminder_message_counts_working_days_left() -> None:
    (notice,) = plan(datetime.date(2020, 9, 9))

    assert notice.message == (
        "Báo cáo nhiệm vụ II.2 (Quý III/2020) của Xã Duy Phú đến hạn gửi ngày 16/09/2020 "
        "(còn 5 ngày làm việc). Yêu cầu đơn vị hoàn thành và gửi báo cáo đúng hạn."
    )


def test_six_working_days_before_is_too_early() -> None:
    assert plan(datetime.date(2020, 9, 8)) == []


def test_the_due_date_brings_a_due_today_notice() -> None:
    (notice,) = plan(DUE)

    assert (notice.kind, notice.stage) == (NoticeKind.DUE_TODAY, 0)
    assert notice.message.startswith("Hôm nay (16/09/2020) là hạn gửi báo cáo nhiệm vụ II.2")


def test_overdue_alerts_every_2_working_days_with_the_head_from_the_2nd_and_escalation_after_5():
    created = run_days(DUE + datetime.timedelta(days=1), datetime.date(2020, 9, 30))

    overdue = (NoticeKind.OVERDUE, Audience.REPORTING_UNIT)
    head = (NoticeKind.OVERDUE, Audience.HEAD)
    assert created == {
        # Thursday 17/9: 1 working day overdue, the 1st alert.
        datetime.date(2020, 9, 17): [(OFFICER, *overdue, 1)],
        # Monday 21/9: 3 working days overdue (18, 21 … the weekend does not count).
        datetime.date(2020, 9, 21): [(OFFICER, *overdue, 2), (DISTRICT_OFFICER, *head, 2)],
        # Wednesday 23/9: 5 working days overdue: 3rd alert and escalation.
        datetime.date(2020, 9, 23): [
            (OFFICER, *overdue, 3),
            (DISTRICT_OFFICER, *head, 3),
            (LEAD_OFFICER, NoticeKind.ESCALATION, Audience.LEAD_AGENCY, 1),
            (COORDINATOR, NoticeKind.ESCALATION, Audience.DOHA, 1),
        ],
        datetime.date(2020, 9, 25): [(OFFICER, *overdue, 4), (DISTRICT_OFFICER, *head, 4)],
        datetime.date(2020, 9, 29): [(OFFICER, *overdue, 5), (DISTRICT_OFFICER, *head, 5)],
    }


def test_overdue_alerts_stop_after_the_10th() -> None:
    # 16/9 + 20 working days = 14/10 (the 10th alert was on day 19); day 21 brings nothing.
    day_20 = CALENDAR.add_working_days(DUE, 20)
    day_21 = CALENDAR.add_working_days(DUE, 21)

    assert {n.stage for n in plan(day_20) if n.kind == NoticeKind.OVERDUE} == {10}
    assert plan(day_21) == []
    assert earliest_due_date_chased(day_21, CALENDAR) == DUE + datetime.timedelta(days=1)


def test_nothing_on_a_sunday() -> None:
    assert plan(datetime.date(2020, 9, 13)) == []


def test_nothing_during_tet_2021_and_the_day_after_counts_across_it() -> None:
    # Tết 2021: 10–16 February. A report due Thursday 18/2/2021.
    report = replace(REPORT, due_date=datetime.date(2021, 2, 18))
    created = run_days(datetime.date(2021, 2, 1), datetime.date(2021, 2, 18), report)

    assert {day: [stage for *_, stage in rows] for day, rows in created.items()} == {
        # 5 working days before: 5/2, 8/2, 9/2, (Tết), 17/2, 18/2.
        datetime.date(2021, 2, 4): [5],
        datetime.date(2021, 2, 17): [1],
        datetime.date(2021, 2, 18): [0],
    }
    assert plan(datetime.date(2021, 2, 15), report) == []


def test_a_missed_day_is_caught_up_the_next_working_day() -> None:
    # The job did not run on 9/9; on 10/9 the 5-day reminder still comes, with 4 days left.
    (notice,) = plan(datetime.date(2020, 9, 10))

    assert (notice.kind, notice.stage) == (NoticeKind.REMINDER, 5)
    assert "còn 4 ngày làm việc" in notice.message


def test_existing_notices_are_not_planned_again() -> None:
    first = plan(datetime.date(2020, 9, 23))

    assert plan(datetime.date(2020, 9, 23), existing=keys(first)) == []
    assert plan(datetime.date(2020, 9, 24), existing=keys(first)) == []


@pytest.mark.parametrize(
    ("status", "ever_submitted"),
    [
        (ReportStatus.SUBMITTED, True),
        (ReportStatus.APPROVED, True),
        (ReportStatus.RETURNED, True),
    ],
)
def test_submitted_reports_are_not_chased(status: str, ever_submitted: bool) -> None:
    report = replace(REPORT, status=status, ever_submitted=ever_submitted)

    assert plan(datetime.date(2020, 9, 15), report) == []
    assert plan(datetime.date(2020, 9, 23), report) == []


def test_a_user_s_own_lead_times_replace_the_defaults() -> None:
    preferences = {OFFICER: (3,)}

    assert plan(datetime.date(2020, 9, 9), reminder_days=preferences) == []
    (notice,) = plan(datetime.date(2020, 9, 11), reminder_days=preferences)
    assert notice.stage == 3


@pytest.mark.parametrize(
    ("remaining", "expected"), [(6, None), (5, 5), (3, 5), (2, 5), (1, 1), (0, None)]
)
def test_reminder_stage(remaining: int, expected: int | None) -> None:
    assert reminder_stage(remaining, (5, 1)) == (expected if remaining else 1)


def test_units_outside_the_ppc_s_command_get_requests_not_orders() -> None:
    report = replace(REPORT, unit_name="Điện lực tỉnh", outside_command=True)
    messages = [
        notice.message
        for day in (datetime.date(2020, 9, 9), DUE, datetime.date(2020, 9, 23))
        for notice in plan(day, report)
    ]

    assert all("đề nghị" in message.lower() for message in messages), messages
    assert not any("Yêu cầu" in message for message in messages)
    assert any("ngoài quyền chỉ đạo của UBND tỉnh" in message for message in messages)


def test_workflow_moves_go_to_reviewers_and_back_to_the_unit() -> None:
    at = datetime.datetime(2020, 9, 15, 10, 0)  # noqa: DTZ001 - already local time

    def move(transition_id: int, action: str, actor: int, reviewers=(DISTRICT,), comment=""):
        return TransitionFacts(
            transition_id=transition_id,
            action=action,
            report=REPORT,
            actor_id=actor,
            actor_name="Lê Văn Huyện",
            at_local=at,
            comment=comment,
            reviewer_unit_ids=reviewers,
        )

    notices = plan_workflow_notices(
        transitions=[
            move(1, ReportAction.SUBMIT, OFFICER),
            move(2, ReportAction.RETURN, DISTRICT_OFFICER, comment="Thiếu minh chứng."),
            move(3, ReportAction.SUBMIT, OFFICER, reviewers=()),
            move(4, ReportAction.APPROVE, COORDINATOR),
            move(5, ReportAction.REOPEN, COORDINATOR, comment="Sai số liệu."),
            move(6, ReportAction.SAVE, OFFICER),
            move(7, ReportAction.APPROVE, OFFICER),  # the actor is never told of their own move
        ],
        people=PEOPLE,
        existing={(OFFICER, 4)},
    )

    assert [(n.transition_id, n.recipient_id, n.kind, n.audience) for n in notices] == [
        (1, DISTRICT_OFFICER, NoticeKind.SUBMITTED, Audience.REVIEWER),
        (2, OFFICER, NoticeKind.RETURNED, Audience.REPORTING_UNIT),
        (3, COORDINATOR, NoticeKind.SUBMITTED, Audience.REVIEWER),
        (5, OFFICER, NoticeKind.RETURNED, Audience.REPORTING_UNIT),
    ]
    assert notices[1].message == (
        "Báo cáo nhiệm vụ II.2 (Quý III/2020) của Xã Duy Phú đã bị Lê Văn Huyện trả lại lúc "
        "10:00 15/09/2020, ý kiến: «Thiếu minh chứng.». Yêu cầu đơn vị chỉnh sửa và gửi lại."
    )
    assert "mở lại" in notices[3].message
