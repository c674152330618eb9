"""The notification job on the demo's 2020 cycle: reminders, idempotency, days off, the lock,
workflow notices from transitions, and the audit summary."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from papitrack.audit.models import AuditEntry
from papitrack.notifications.enums import Audience, JobName, JobOutcome, NoticeKind
from papitrack.notifications.models import JobRun, Notification
from papitrack.notifications.services import LOCKED
from papitrack.reports import services as report_services
from papitrack.reports.enums import ReportStatus
from tests.notifications.conftest import local_time
from tests.reports.helpers import fill, report_for

pytestmark = pytest.mark.django_db

SEPTEMBER_11 = datetime.date(2020, 9, 11)


def notices_of(user: Any, **filters: Any) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, **filters).order_by("id"))


def test_the_demo_commune_is_reminded_of_its_q3_report(run_job: Any, user_named: Any) -> None:
    commune = user_named("demo-commune")
    report = report_for("D2-T2", "20605", "2020Q3")

    result = run_job(SEPTEMBER_11)

    (notice,) = notices_of(commune, report=report)
    assert result.outcome == JobOutcome.DONE
    assert (notice.kind, notice.audience, notice.stage) == (
        NoticeKind.REMINDER,
        Audience.REPORTING_UNIT,
        5,
    )
    assert notice.message == (
        "Báo cáo nhiệm vụ II.2 (Quý III/2020) của Xã Duy Phú đến hạn gửi ngày 16/09/2020 "
        "(còn 3 ngày làm việc). Yêu cầu đơn vị hoàn thành và gửi báo cáo đúng hạn."
    )
    assert (notice.created_for_day, notice.read_at, notice.emailed_in) == (SEPTEMBER_11, None, None)


def test_running_twice_the_same_day_creates_nothing(run_job: Any) -> None:
    first = run_job(datetime.date(2020, 9, 23))
    count = Notification.objects.count()

    second = run_job(datetime.date(2020, 9, 23))

    assert first.created == count > 0
    assert (second.outcome, second.created, Notification.objects.count()) == (
        JobOutcome.DONE,
        0,
        count,
    )


def test_a_later_run_the_same_day_adds_only_the_moves_made_since(run_job: Any) -> None:
    run_job(datetime.date(2020, 9, 23))

    later = run_job(datetime.date(2020, 9, 23), hour=12)

    # The demo cycle submitted one report at 09:00 that morning; nothing else is new.
    assert (later.schedule_notices, later.by_kind) == (0, {NoticeKind.SUBMITTED: 1})


@pytest.mark.parametrize(
    "day",
    [
        datetime.date(2020, 9, 13),  # Sunday
        datetime.date(2020, 9, 2),  # National Day
        datetime.date(2021, 2, 15),  # Tết 2021 (Monday, mùng bốn)
    ],
)
def test_nothing_happens_on_a_day_off(run_job: Any, day: datetime.date) -> None:
    result = run_job(day)

    assert (result.outcome, result.created, Notification.objects.count()) == (
        JobOutcome.DAY_OFF,
        0,
        0,
    )


def test_a_run_in_progress_keeps_a_second_one_out(run_job: Any) -> None:
    JobRun.objects.create(job=JobName.NOTIFICATIONS, day=SEPTEMBER_11, started_at=timezone.now())

    result = run_job(SEPTEMBER_11)

    assert (result.outcome, Notification.objects.count()) == (LOCKED, 0)


def test_a_run_that_died_no_longer_holds_the_lock(run_job: Any) -> None:
    dead = JobRun.objects.create(
        job=JobName.NOTIFICATIONS,
        day=SEPTEMBER_11,
        started_at=timezone.now() - datetime.timedelta(hours=2),
    )

    result = run_job(SEPTEMBER_11)

    dead.refresh_from_db()
    assert dead.outcome == JobOutcome.ABANDONED
    assert result.outcome == JobOutcome.DONE
    assert result.created > 0


def test_each_run_is_audited_with_its_counts(run_job: Any) -> None:
    result = run_job(SEPTEMBER_11)

    run = JobRun.objects.get(job=JobName.NOTIFICATIONS)
    entry = AuditEntry.objects.get(action="notifications.run")
    assert (run.outcome, run.day, run.transitions_until) == (
        JobOutcome.DONE,
        SEPTEMBER_11,
        local_time(SEPTEMBER_11),
    )
    assert run.summary == {
        "created": result.created,
        "transitions": run.summary["transitions"],
        **result.by_kind,
    }
    assert (entry.object_id, entry.actor) == (str(run.pk), None)
    assert entry.comment.startswith(f"Hoàn thành: {result.created} thông báo mới")


def test_overdue_reports_reach_the_district_and_then_the_lead_and_doha(
    run_job: Any, user_named: Any
) -> None:
    report = report_for("D2-T2", "20605", "2020Q3")
    district, lead, coordinator = (
        user_named(name) for name in ("demo-district", "demo-lead", "demo-coordinator")
    )

    for day in (17, 21, 23):
        run_job(datetime.date(2020, 9, day))

    rows = Notification.objects.filter(report=report).values_list(
        "recipient__username", "kind", "audience", "stage", "created_for_day__day"
    )
    assert sorted(rows) == [
        # Sở LĐ-TB&XH leads D2-T2; both its officers are told.
        ("canbo-qna-sldtbxh", NoticeKind.ESCALATION, Audience.LEAD_AGENCY, 1, 23),
        ("demo-commune", NoticeKind.OVERDUE, Audience.REPORTING_UNIT, 1, 17),
        ("demo-commune", NoticeKind.OVERDUE, Audience.REPORTING_UNIT, 2, 21),
        ("demo-commune", NoticeKind.OVERDUE, Audience.REPORTING_UNIT, 3, 23),
        ("demo-coordinator", NoticeKind.ESCALATION, Audience.DOHA, 1, 23),
        ("demo-district", NoticeKind.OVERDUE, Audience.HEAD, 2, 21),
        ("demo-district", NoticeKind.OVERDUE, Audience.HEAD, 3, 23),
        ("demo-lead", NoticeKind.ESCALATION, Audience.LEAD_AGENCY, 1, 23),
    ]
    assert {district.unit.code, lead.unit.code, coordinator.unit.code} == {
        "508",
        "QNA-SLDTBXH",
        "QNA-SNV",
    }


def test_a_unit_outside_the_ppc_s_command_is_asked_not_told(run_job: Any) -> None:
    # Điện lực tỉnh (the power company) never sent its Q3 report of D6-T5, due 22/9/2020.
    report = report_for("D6-T5", "QNA-DL", "2020Q3")

    run_job(datetime.date(2020, 9, 15))

    (notice,) = Notification.objects.filter(report=report)
    assert report.unit.outside_command
    assert notice.message.endswith("Đề nghị quý cơ quan hoàn thành và gửi báo cáo đúng hạn.")


def test_a_return_in_the_demo_reaches_the_commune_the_next_working_day(
    run_job: Any, user_named: Any
) -> None:
    # The demo cycle returned Duy Phú's D2-T5 report on Tuesday 22/9/2020 at 15:00.
    report = report_for("D2-T5", "20605", "2020Q3")

    run_job(datetime.date(2020, 9, 23))

    (notice,) = notices_of(user_named("demo-commune"), report=report)
    assert (notice.kind, notice.transition.action) == (NoticeKind.RETURNED, "return")
    assert "«Đề nghị bổ sung minh chứng và làm rõ số liệu mẫu số.»" in notice.message


def test_submission_return_and_approval_notices_follow_the_transitions(
    run_job: Any, user_named: Any
) -> None:
    commune, district = user_named("demo-commune"), user_named("demo-district")
    report = fill(report_for("D2-T2", "20605", "2020Q3"), commune)
    report = report_services.submit_report(
        report_id=report.pk,
        actor=commune,
        version=report.version,
        at=local_time(datetime.date(2020, 9, 14), 10),
    )
    run_job(datetime.date(2020, 9, 15))
    report = report_services.return_report(
        report_id=report.pk,
        actor=district,
        version=report.version,
        comment="Bổ sung biên bản niêm yết.",
        at=local_time(datetime.date(2020, 9, 15), 14),
    )
    report = report_services.submit_report(
        report_id=report.pk,
        actor=commune,
        version=report.version,
        at=local_time(datetime.date(2020, 9, 15), 16),
    )
    report = report_services.approve_report(
        report_id=report.pk,
        actor=district,
        version=report.version,
        at=local_time(datetime.date(2020, 9, 15), 17),
    )

    run_job(datetime.date(2020, 9, 16))

    rows = Notification.objects.filter(report=report).values_list(
        "recipient__username", "kind", "created_for_day__day"
    )
    assert report.status == ReportStatus.APPROVED
    assert sorted(rows) == [
        ("demo-commune", NoticeKind.APPROVED, 16),
        ("demo-commune", NoticeKind.RETURNED, 16),
        ("demo-district", NoticeKind.SUBMITTED, 15),
        ("demo-district", NoticeKind.SUBMITTED, 16),
    ]


def test_the_command_runs_the_job_and_the_digests_for_a_date(
    with_email: Any, mailoutbox: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    with_email("demo-commune")

    call_command("run_notifications", "--date", "2020-09-11")

    output = capsys.readouterr().out
    assert "11/09/2020 thông báo: done" in output
    assert "11/09/2020 thư tổng hợp: done, 1 thư" in output
    assert [message.to for message in mailoutbox] == [["demo-commune@example.invalid"]]


def test_the_command_refuses_a_bad_date() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Ngày không hợp lệ: 11/9/2020"):
        call_command("run_notifications", "--date", "11/9/2020")
