"""The report workflow, table-driven over every (state, action, persona)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from papitrack.audit.models import AuditEntry
from papitrack.reports import services
from papitrack.reports.enums import ReportStatus
from papitrack.reports.models import Report
from tests.reports.helpers import fill, report_for, submit

pytestmark = pytest.mark.django_db

TASK, COMMUNE, DISTRICT = "D2-T2", "20605", "508"
STATES = ("draft", "submitted", "returned", "approved")
ACTIONS = ("save", "submit", "return", "approve", "reopen")
PERSONAS = (
    "demo-commune",  # the reporting unit
    "demo-district",  # its district: the reviewer of commune reports
    "demo-lead",  # DOLISA leads II.2 but reviews districts, not communes
    "demo-coordinator",  # Sở Nội vụ
    "demo-leader",  # read-only
    "demo-outsider",  # no part in the plan
)


def expected(state: str, action: str, persona: str) -> str:
    editable = state in {"draft", "returned"}
    if action in {"save", "submit"}:
        if persona != "demo-commune":
            return "forbidden"
        return "ok" if editable else "invalid"
    if action in {"return", "approve"}:
        if persona not in {"demo-district", "demo-coordinator"}:
            return "forbidden"
        return "ok" if state == "submitted" else "invalid"
    if persona != "demo-coordinator":
        return "forbidden"
    return "ok" if state == "approved" else "invalid"


def bring_to(state: str, user_named) -> Report:
    report = report_for(TASK, COMMUNE)
    commune, district = user_named("demo-commune"), user_named("demo-district")
    if state == "draft":
        return fill(report, commune)
    report = submit(report, commune)
    if state == "returned":
        report = services.return_report(
            report_id=report.pk, actor=district, version=report.version, comment="Bổ sung."
        )
    elif state == "approved":
        report = services.approve_report(
            report_id=report.pk, actor=district, version=report.version
        )
    return report


def act(action: str, report: Report, user) -> Report:
    if action == "save":
        return services.save_report(
            report_id=report.pk,
            actor=user,
            version=report.version,
            edit=services.ReportEdit(narrative={"results": "Sửa lại."}),
        )
    if action == "submit":
        return services.submit_report(report_id=report.pk, actor=user, version=report.version)
    if action == "return":
        return services.return_report(
            report_id=report.pk, actor=user, version=report.version, comment="Chưa đủ minh chứng."
        )
    if action == "approve":
        return services.approve_report(report_id=report.pk, actor=user, version=report.version)
    return services.reopen_report(
        report_id=report.pk, actor=user, version=report.version, reason="Số liệu sai."
    )


NEXT_STATE = {
    "save": None,
    "submit": "submitted",
    "return": "returned",
    "approve": "approved",
    "reopen": "returned",
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
def test_workflow_table(state, action, persona, user_named):
    report = bring_to(state, user_named)
    outcome = expected(state, action, persona)
    audits_before = AuditEntry.objects.count()
    if outcome == "forbidden":
        with pytest.raises(PermissionDenied):
            act(action, report, user_named(persona))
    elif outcome == "invalid":
        with pytest.raises(ValidationError):
            act(action, report, user_named(persona))
    else:
        result = act(action, report, user_named(persona))
        assert result.status == (NEXT_STATE[action] or state)
        assert result.version > report.version
        assert AuditEntry.objects.count() > audits_before
        return
    unchanged = Report.objects.get(pk=report.pk)
    assert (unchanged.status, unchanged.version) == (report.status, report.version)
    assert AuditEntry.objects.count() == audits_before


def test_every_transition_is_recorded_with_actor_and_comment(user_named):
    report = bring_to("returned", user_named)
    thread = [
        (t.action, t.actor.username, t.comment) for t in report.transitions.order_by("at", "id")
    ]
    assert thread == [("submit", "demo-commune", ""), ("return", "demo-district", "Bổ sung.")]


def test_resubmission_keeps_first_submission_time(user_named):
    report = bring_to("returned", user_named)
    first = report.first_submitted_at
    commune = user_named("demo-commune")
    report = services.submit_report(report_id=report.pk, actor=commune, version=report.version)
    assert report.first_submitted_at == first
    assert report.submit_count == 2
    assert report.status == ReportStatus.SUBMITTED


def test_stale_version_is_refused_and_nothing_is_lost(user_named):
    report = bring_to("draft", user_named)
    commune = user_named("demo-commune")
    services.save_report(
        report_id=report.pk,
        actor=commune,
        version=report.version,
        edit=services.ReportEdit(narrative={"results": "Bản của người thứ nhất."}),
    )
    with pytest.raises(services.StaleVersionError, match="phiên bản"):
        services.save_report(
            report_id=report.pk,
            actor=commune,
            version=report.version,
            edit=services.ReportEdit(narrative={"results": "Bản cũ của người thứ hai."}),
        )
    assert Report.objects.get(pk=report.pk).results == "Bản của người thứ nhất."


def test_approved_report_is_locked_for_its_unit(user_named):
    report = bring_to("approved", user_named)
    with pytest.raises(ValidationError, match="đã khóa"):
        act("save", report, user_named("demo-commune"))


def test_reopen_needs_a_reason_and_unapproves_the_parent(user_named):
    coordinator = user_named("demo-coordinator")
    report = bring_to("approved", user_named)
    with pytest.raises(ValidationError, match="lý do"):
        services.reopen_report(
            report_id=report.pk, actor=coordinator, version=report.version, reason=" "
        )
    district_report = report_for(TASK, DISTRICT)
    Report.objects.filter(pk=district_report.pk).update(status=ReportStatus.APPROVED)
    services.reopen_report(
        report_id=report.pk, actor=coordinator, version=report.version, reason="Sai số."
    )
    district_report.refresh_from_db()
    assert district_report.status == ReportStatus.RETURNED
    assert "Sai số." in district_report.transitions.get().comment


def test_return_needs_a_comment(user_named):
    report = bring_to("submitted", user_named)
    with pytest.raises(ValidationError, match="ý kiến"):
        services.return_report(
            report_id=report.pk,
            actor=user_named("demo-district"),
            version=report.version,
            comment="",
        )


def test_district_report_waits_for_its_communes(user_named):
    district_report = report_for(TASK, DISTRICT)
    district_officer = user_named("demo-district")
    district_report = submit(district_report, district_officer)
    with pytest.raises(ValidationError, match="đơn vị trực thuộc"):
        services.approve_report(
            report_id=district_report.pk,
            actor=user_named("demo-lead"),
            version=district_report.version,
        )
