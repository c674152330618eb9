"""Concurrent writers on one report: exactly one wins, nothing is lost (real transactions).

Runs in its own pytest invocation (marker `transactional`) on PostgreSQL, where
select_for_update really locks the row (`make test-pg`). SQLite's in-memory test database
locks whole tables instead of waiting, so `make test-sqlite` does not select these tests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from papitrack.reports import services
from papitrack.reports.enums import ReportStatus
from papitrack.reports.models import Report
from tests.reports.helpers import report_for, submit

pytestmark = [pytest.mark.transactional, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cycle(django_db_blocker):
    """Expected reports exist (the flush of a previous transactional test removes them)."""
    from papitrack.calendars.services import seed_calendar
    from papitrack.demo.builders import build_demo_accounts, build_foundation
    from papitrack.reports.generation import generate_expected_reports

    if connection.vendor == "sqlite":
        pytest.skip("needs a server database with row locks: run by make test-pg")
    if not Report.objects.exists():
        plan = build_foundation()
        build_demo_accounts()
        seed_calendar(years=range(2019, 2022))
        generate_expected_reports(plan=plan, years=[2020])


def race(*actions: Callable[[], object]) -> list[object]:
    """Run the actions at the same moment in separate threads (separate connections)."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[object] = [None] * len(actions)

    def run(index: int, action: Callable[[], object]) -> None:
        barrier.wait()
        try:
            outcomes[index] = action()
        except Exception as error:  # the loser's exception is the outcome under test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_editors_of_one_report_exactly_one_wins(cycle, user_named):
    report = report_for("D2-T2", "20605")
    commune = user_named("demo-commune")

    def edit(text: str) -> Callable[[], object]:
        return lambda: services.save_report(
            report_id=report.pk,
            actor=commune,
            version=report.version,
            edit=services.ReportEdit(narrative={"results": text}),
        )

    outcomes = race(edit("Bản A"), edit("Bản B"))
    winners = [o for o in outcomes if isinstance(o, Report)]
    losers = [o for o in outcomes if isinstance(o, services.StaleVersionError)]
    assert (len(winners), len(losers)) == (1, 1), outcomes
    saved = Report.objects.get(pk=report.pk)
    assert saved.results == winners[0].results
    assert saved.version == report.version + 1


def test_approve_racing_an_edit_exactly_one_wins(cycle, user_named):
    commune, district = user_named("demo-commune"), user_named("demo-district")
    report = submit(report_for("D2-T2", "20605"), commune)
    district_returned = services.return_report(
        report_id=report.pk, actor=district, version=report.version, comment="Sửa lại."
    )
    report = services.submit_report(
        report_id=report.pk, actor=commune, version=district_returned.version
    )
    outcomes = race(
        lambda: services.approve_report(
            report_id=report.pk, actor=district, version=report.version
        ),
        lambda: services.return_report(
            report_id=report.pk,
            actor=user_named("demo-coordinator"),
            version=report.version,
            comment="Trả lại cùng lúc.",
        ),
    )
    winners = [o for o in outcomes if isinstance(o, Report)]
    assert len(winners) == 1, outcomes
    final = Report.objects.get(pk=report.pk)
    assert final.status in {ReportStatus.APPROVED, ReportStatus.RETURNED}
    assert final.status == winners[0].status
    assert final.transitions.count() == 4  # submit, return, submit, and the single winner
