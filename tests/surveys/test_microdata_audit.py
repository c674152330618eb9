"""Reading results computed from survey responses leaves an audit entry (quality R11, §1.9)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from papitrack.audit.models import AuditEntry
from papitrack.surveys.services import MICRODATA_ACTION

pytestmark = pytest.mark.django_db


def microdata_reads() -> list[tuple[str, str, str, str]]:
    return [
        (entry.actor.username, entry.object_type, entry.object_id, entry.comment)
        for entry in AuditEntry.objects.filter(action=MICRODATA_ACTION).select_related("actor")
    ]


def test_survey_page_view_is_audited(client, user_named, demo_survey):
    client.force_login(user_named("demo-leader"))

    response = client.get(reverse("web:survey_detail", args=[demo_survey.pk]))

    assert response.status_code == 200
    assert microdata_reads() == [
        ("demo-leader", "surveys.survey", str(demo_survey.pk), "web:survey_detail")
    ]


def test_survey_api_read_is_audited(client, user_named, demo_survey):
    from papitrack.accounts.models import ApiToken
    from papitrack.accounts.services import API_TOKEN_LIFETIME, hash_token

    ApiToken.objects.create(
        user=user_named("demo-district"),
        key_hash=hash_token("survey-reader"),
        expires_at=timezone.now() + API_TOKEN_LIFETIME,
    )

    response = client.get(
        f"/api/v1/surveys/{demo_survey.pk}", HTTP_AUTHORIZATION="Bearer survey-reader"
    )

    assert response.status_code == 200
    assert microdata_reads() == [
        ("demo-district", "surveys.survey", str(demo_survey.pk), "api:get_survey")
    ]


def test_survey_list_and_codebooks_are_not_microdata(client, user_named, demo_survey):
    client.force_login(user_named("demo-leader"))

    client.get(reverse("web:survey_list"))
    client.get(reverse("web:survey_codebook", args=[demo_survey.questionnaire.version]))

    assert microdata_reads() == []
