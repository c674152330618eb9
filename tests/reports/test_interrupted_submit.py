"""A worker killed in the middle of a submission leaves no partial write (quality.md R8).

A child process submits a report through the service, with record_audit wrapped (in the child
only) to stop after the last write of the transaction: the report row, the transition and the
audit entry are written but not committed. The test checks that the child really holds the
row, kills it with SIGKILL (as the kernel or a supervisor kills a gunicorn worker), and checks
that nothing of the submission remains and that a normal submission then goes through.

PostgreSQL only (the child needs to reach the test database); it runs in the shared suite of
`make test-pg`: the child commits nothing, and the test's own writes are rolled back.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from papitrack.accounts.models import User
from papitrack.audit.models import AuditEntry
from papitrack.reports import services
from papitrack.reports.enums import ReportStatus
from papitrack.reports.models import Report, ReportTransition
from papitrack.reports.rules import REPORTING_ROLES

pytestmark = pytest.mark.django_db

HOLDING = "writes done, transaction open"
SUBMIT_THEN_HANG = f"""
import sys, time
import django

django.setup()
from papitrack.accounts.models import User
from papitrack.reports import services

report_id, actor_id, version = map(int, sys.argv[1:4])
record_audit = services.record_audit


def record_then_hang(**fields):
    entry = record_audit(**fields)
    print({HOLDING!r}, flush=True)
    time.sleep(600)  # killed by the test long before
    return entry


services.record_audit = record_then_hang
services.submit_report(report_id=report_id, actor=User.objects.get(pk=actor_id), version=version)
"""
STARTUP_SECONDS = 60


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"], safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for_line(child: subprocess.Popen[str]) -> str:
    assert child.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=STARTUP_SECONDS):
            return ""
    return child.stdout.readline().strip()


def _state(report: Report) -> dict[str, object]:
    report = Report.objects.get(pk=report.pk)
    return {
        "status": report.status,
        "version": report.version,
        "submit_count": report.submit_count,
        "submitted_at": report.submitted_at,
        "transitions": ReportTransition.objects.filter(report=report).count(),
        "audit_entries": AuditEntry.objects.filter(
            object_type="reports.report", object_id=str(report.pk)
        ).count(),
    }


@pytest.fixture
def returned_report():
    """A returned demo report (values complete) and an officer of its unit."""
    if connection.vendor != "postgresql":
        pytest.skip("the child process needs a database server: run by make test-pg")
    for report in Report.objects.filter(status=ReportStatus.RETURNED).order_by("pk"):
        officer = User.objects.filter(unit=report.unit, role__in=REPORTING_ROLES).first()
        if officer is not None and not services.completeness_errors(report):
            return report, officer
    raise AssertionError("the demo cycle has no complete returned report")


def test_worker_killed_mid_submit_leaves_no_partial_write(returned_report):
    report, officer = returned_report
    before = _state(report)
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [
            sys.executable,
            "-c",
            SUBMIT_THEN_HANG,
            str(report.pk),
            str(officer.pk),
            str(report.version),
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": _database_url()},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = _wait_for_line(child)
        assert line == HOLDING, child.stderr.read() if child.poll() is not None else line
        # The child holds the report row: its writes are real, only not committed.
        with pytest.raises(DatabaseError), transaction.atomic():
            Report.objects.select_for_update(nowait=True).get(pk=report.pk)
        assert _state(report) == before
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -9

    assert _state(report) == before
    with connection.cursor() as cursor:  # fail rather than hang if the row stayed locked
        cursor.execute("SET LOCAL lock_timeout = '10s'")
    submitted = services.submit_report(report_id=report.pk, actor=officer, version=report.version)
    assert (submitted.status, submitted.version) == (ReportStatus.SUBMITTED, report.version + 1)
    assert _state(report)["transitions"] == before["transitions"] + 1
