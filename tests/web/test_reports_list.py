"""The report list: scope, default view, filters, counts, the review queue, query count."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from papitrack.reports import rules
from papitrack.reports.models import Report
from papitrack.reports.queries import reports_visible_to
from tests.reports.helpers import report_for
from tests.web.helpers import LOGIN_URL

pytestmark = pytest.mark.django_db

URL = reverse("web:report_list")


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _reports(response: Any) -> list[Report]:
    return [row.report for row in response.context["rows"]]


def test_unit_officer_lands_on_own_unit_reports_by_due_date(
    client: Client, user_named: Any
) -> None:
    response = _login(client, user_named("demo-commune")).get(URL)

    reports = _reports(response)
    assert response.status_code == 200
    assert {report.unit.code for report in reports} == {"20605"}
    assert [report.due_date for report in reports] == sorted(report.due_date for report in reports)
    assert (
        response.context["page"].paginator.count
        == Report.objects.filter(unit__code="20605").count()
    )
    assert "Đang xem báo cáo của Duy Phú" in response.content.decode()


def test_all_units_widens_to_the_districts_communes(client: Client, unit_officer: Any) -> None:
    response = _login(client, unit_officer).get(URL, {"unit": "", "period": "2020Q4"})

    units = {
        (report.unit.code, report.unit.parent.code)
        for report in response.context["page"].paginator.object_list
    }
    assert {("508", "49"), ("20605", "508")} <= units
    assert {parent for code, parent in units if code != "508"} == {"508"}


def test_filters_by_period_task_and_status(coordinator_client: Client) -> None:
    response = coordinator_client.get(
        URL, {"period": "2020Q3", "task": "D2-T4", "status": "approved", "unit": ""}
    )

    expected = Report.objects.filter(
        period__code="2020Q3", task__key="D2-T4", status="approved"
    ).count()
    reports = _reports(response)
    assert response.context["page"].paginator.count == expected > 0
    assert {(r.period.code, r.task.key, r.status) for r in reports} == {
        ("2020Q3", "D2-T4", "approved")
    }


def test_status_counts_cover_the_filtered_reports(coordinator_client: Client) -> None:
    response = coordinator_client.get(URL, {"period": "2020Q3", "dimension": "transparency"})

    counts = {status: count for status, _label, count, _url in response.context["status_counts"]}
    expected = Counter(
        Report.objects.filter(
            period__code="2020Q3", task__dimension__code="transparency"
        ).values_list("status", flat=True)
    )
    assert counts == {status: expected.get(status, 0) for status in counts}
    assert response.context["total"] == sum(expected.values())


def test_review_tab_lists_exactly_what_the_district_may_review(
    client: Client, unit_officer: Any
) -> None:
    response = _login(client, unit_officer).get(URL, {"tab": "review"})

    submitted = reports_visible_to(unit_officer).filter(status="submitted")
    expected = {report.pk for report in submitted if rules.can_review_report(unit_officer, report)}
    listed = {report.pk for report in response.context["page"].paginator.object_list}
    assert listed == expected
    assert report_for("D2-T4", "20605", "2020Q3").pk in listed
    assert response.context["review_count"] == len(expected)


def test_late_first_submission_says_how_many_days(coordinator_client: Client) -> None:
    report = report_for("D2-T4", "20617", "2020Q3")
    days = (timezone.localtime(report.first_submitted_at).date() - report.due_date).days

    response = coordinator_client.get(URL, {"period": "2020Q3", "task": "D2-T4", "unit": "20617"})

    rows = response.context["rows"]
    assert [(row.report.pk, row.days_late) for row in rows] == [(report.pk, days)]
    assert f"trễ {days} ngày" in response.content.decode()


def test_an_invalid_filter_is_reported_and_ignored(coordinator_client: Client) -> None:
    response = coordinator_client.get(URL, {"status": "bogus", "period": "2020Q3", "unit": ""})

    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    assert (
        response.context["page"].paginator.count
        == Report.objects.filter(period__code="2020Q3").count()
    )


def test_coordinator_pages_through_fifty_reports_at_a_time(coordinator_client: Client) -> None:
    response = coordinator_client.get(URL, {"page": "2"})

    assert response.context["page"].number == 2
    assert len(response.context["rows"]) == 50
    assert response.context["page"].paginator.count == Report.objects.count()


def test_outsider_sees_an_empty_list(client: Client, outsider: Any) -> None:
    response = _login(client, outsider).get(URL)

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert response.context["review_count"] == 0


def test_anonymous_user_is_sent_to_login(client: Client) -> None:
    response = client.get(URL)

    assert (response.status_code, response["Location"]) == (302, f"{LOGIN_URL}?next={URL}")


def test_post_is_not_allowed(coordinator_client: Client) -> None:
    assert coordinator_client.post(URL).status_code == 405


def test_query_count_stays_fixed_for_the_whole_province(
    coordinator_client: Client, django_assert_max_num_queries: Any
) -> None:
    # The first request of a session writes its last-seen time; measure a later one.
    coordinator_client.get(URL)

    with django_assert_max_num_queries(13):
        coordinator_client.get(URL, {"unit": ""})
    with django_assert_max_num_queries(13):
        coordinator_client.get(URL, {"tab": "review"})


def test_query_count_of_the_districts_review_queue(
    client: Client, unit_officer: Any, django_assert_max_num_queries: Any
) -> None:
    _login(client, unit_officer)
    # The first request of a session writes its last-seen time; measure a later one.
    client.get(URL)

    with django_assert_max_num_queries(13):
        client.get(URL, {"tab": "review"})
