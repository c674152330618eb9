"""The round overview of units' plans: counts, filters, who sees it, opening a round."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from papitrack.unitplans.models import UnitPlan, UnitPlanRound
from papitrack.unitplans.queries import round_overview
from papitrack.web.views.unitplans import NO_OWN_PLAN, NO_ROUND
from tests.web.helpers import LOGIN_URL

pytestmark = pytest.mark.django_db

URL = reverse("web:unitplan_round")


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_coordinator_sees_counts_and_every_unit(coordinator_client: Client) -> None:
    plan_round = UnitPlanRound.objects.get()
    rows = round_overview(plan_round=plan_round, today=timezone.localdate())
    submitted = [row for row in rows if row.unit_plan.first_submitted_at is not None]

    response = coordinator_client.get(URL)

    counts = response.context["counts"]
    assert response.status_code == 200
    assert (counts.submitted, counts.on_time, counts.late, counts.missing) == (
        len(submitted),
        sum(1 for row in submitted if not row.is_late),
        sum(1 for row in submitted if row.is_late),
        sum(1 for row in rows if row.is_missing),
    )
    assert counts.incomplete == sum(
        1 for row in rows if not row.is_missing and not row.coverage.is_complete
    )
    assert len(response.context["rows"]) == len(rows) > 30
    html = response.content.decode()
    assert 'hạn gửi <span class="fw-semibold">31/07/2020</span>' in html
    assert "Chỉ tiêu thấp hơn của tỉnh" in html


@pytest.mark.parametrize(
    ("show", "check"),
    [
        ("missing", lambda row: row.is_missing),
        ("late", lambda row: row.is_late and row.unit_plan.first_submitted_at is not None),
        ("incomplete", lambda row: not row.is_missing and not row.coverage.is_complete),
    ],
)
def test_filters_keep_only_the_matching_units(
    coordinator_client: Client, show: str, check: Any
) -> None:
    response = coordinator_client.get(URL, {"show": show})

    rows = response.context["rows"]
    assert rows
    assert all(check(row) for row in rows)
    assert len(rows) == sum(
        1
        for row in round_overview(
            plan_round=UnitPlanRound.objects.get(), today=timezone.localdate()
        )
        if check(row)
    )


def test_late_plans_say_how_many_days(coordinator_client: Client) -> None:
    response = coordinator_client.get(URL, {"show": "late"})

    row = response.context["rows"][0]
    assert f"trễ {row.days_late} ngày" in response.content.decode()
    assert (
        row.days_late
        == (
            timezone.localtime(row.unit_plan.first_submitted_at).date() - datetime.date(2020, 7, 31)
        ).days
    )


def test_leader_reads_the_overview(client: Client, user_named: Any) -> None:
    response = _login(client, user_named("demo-leader")).get(URL)

    assert response.status_code == 200
    assert response.context["counts"].submitted > 0


def test_district_is_sent_to_its_own_plan(client: Client, unit_officer: Any) -> None:
    own = UnitPlan.objects.get(unit__code="508")

    response = _login(client, unit_officer).get(URL)

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("web:unitplan_detail", args=[own.pk]),
    )


def test_outsider_is_told_there_is_no_plan_to_send(client: Client, outsider: Any) -> None:
    response = _login(client, outsider).get(URL)

    assert response.status_code == 200
    assert response.context["notice"] == NO_OWN_PLAN
    assert "rows" not in response.context


def test_only_the_coordinator_opens_a_round(client: Client, unit_officer: Any) -> None:
    response = _login(client, unit_officer).post(URL, {"plan": "1", "due_date": "2020-07-31"})

    assert response.status_code == 403
    assert UnitPlanRound.objects.count() == 1


def test_coordinator_opens_a_round_when_none_exists(coordinator_client: Client, plan: Any) -> None:
    UnitPlanRound.objects.all().delete()

    page = coordinator_client.get(URL)
    missing_date = coordinator_client.post(URL, {"plan": str(plan.pk), "due_date": ""})
    opened = coordinator_client.post(URL, {"plan": str(plan.pk), "due_date": "2020-07-31"})

    assert page.context["notice"] == NO_ROUND
    assert "Mở đợt xây dựng kế hoạch của đơn vị" in page.content.decode()
    assert missing_date.status_code == 400
    assert "Chưa nhập hạn gửi." in missing_date.content.decode()
    assert (opened.status_code, opened["Location"]) == (302, URL)
    plan_round = UnitPlanRound.objects.get()
    assert (plan_round.plan_id, plan_round.due_date) == (plan.pk, datetime.date(2020, 7, 31))
    assert plan_round.unit_plans.count() > 30


def test_post_without_csrf_token_is_refused(province_admin: Any, plan: Any) -> None:
    UnitPlanRound.objects.all().delete()
    client = Client(enforce_csrf_checks=True)
    client.force_login(province_admin)

    response = client.post(URL, {"plan": str(plan.pk), "due_date": "2020-07-31"})

    assert response.status_code == 403
    assert UnitPlanRound.objects.count() == 0


def test_anonymous_user_is_sent_to_login(client: Client) -> None:
    response = client.get(URL)

    assert (response.status_code, response["Location"]) == (302, f"{LOGIN_URL}?next={URL}")


def test_query_count_does_not_grow_with_the_units(
    coordinator_client: Client, django_assert_max_num_queries: Any
) -> None:
    # The first request of a session writes its last-seen time; measure a later one.
    coordinator_client.get(URL)

    with django_assert_max_num_queries(13):
        coordinator_client.get(URL)
