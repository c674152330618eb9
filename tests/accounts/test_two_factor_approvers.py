"""Two-factor sign-in is required of every approver, not only of the roles named in settings
(issue 7: "enforced for coordinators and approvers"); and user names match across Unicode
forms on the API as on the web."""

from __future__ import annotations

import json
import unicodedata

import pytest
from django.urls import reverse

from papitrack.accounts.enums import Role
from papitrack.accounts.rules import (
    APPROVING_ROLES,
    LEAD_ASSIGNMENT,
    approves_other_units,
    must_use_two_factor,
)
from papitrack.accounts.services import create_or_update_user
from papitrack.orgunits.models import OrgUnit
from papitrack.reports.rules import REPORTING_ROLES
from papitrack.tasks.enums import AssigneeRole

pytestmark = pytest.mark.django_db

PASSWORD = "papitrack-demo"


@pytest.fixture
def only_coordinators_by_role(settings):
    settings.REQUIRE_TWO_FACTOR = True
    settings.TWO_FACTOR_ROLES = ["coordinator"]


def test_approvers_are_the_officers_whose_unit_reviews_other_units(user_named):
    approvers = {
        username: approves_other_units(user_named(username))
        for username in (
            "demo-coordinator",
            "demo-lead",
            "demo-district",
            "demo-commune",
            "demo-leader",
            "demo-admin",
        )
    }

    assert approvers == {
        "demo-coordinator": True,  # Sở Nội vụ leads tasks
        "demo-lead": True,  # a lead agency reviews its implementers
        "demo-district": True,  # Duy Xuyên reviews its communes
        "demo-commune": False,
        "demo-leader": False,  # reads only
        "demo-admin": False,
    }


def test_approver_predicate_names_match_the_reports_and_tasks_apps():
    assert (APPROVING_ROLES, LEAD_ASSIGNMENT) == (REPORTING_ROLES, AssigneeRole.LEAD)


def test_district_officer_must_enrol_even_when_the_role_is_not_listed(
    client, only_coordinators_by_role, user_named
):
    response = client.post(reverse("login"), {"username": "demo-district", "password": PASSWORD})

    assert (response.status_code, response["Location"]) == (302, reverse("two_factor_setup"))
    assert "_auth_user_id" not in client.session
    assert must_use_two_factor(user_named("demo-district")) is True


def test_commune_officer_signs_in_with_the_password_alone(client, only_coordinators_by_role):
    response = client.post(reverse("login"), {"username": "demo-commune", "password": PASSWORD})

    assert (response.status_code, response["Location"]) == (302, reverse("web:plan_list"))


def test_nobody_needs_a_code_while_two_factor_is_off(user_named):
    assert must_use_two_factor(user_named("demo-district")) is False


def test_api_token_matches_a_vietnamese_user_name_typed_in_nfd(client):
    name = "nguyễn.văn.an"
    create_or_update_user(
        username=name,
        password=PASSWORD,
        unit=OrgUnit.objects.get(code="20605"),
        role=Role.UNIT_REPORTER,
    )
    typed = unicodedata.normalize("NFD", name)

    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": typed, "password": PASSWORD}),
        content_type="application/json",
    )

    assert typed != name
    assert response.status_code == 200, response.content
