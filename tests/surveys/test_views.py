"""Survey pages: the right persona, anonymous users, outsiders, bad input, CSRF, query count."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from papitrack.accounts.enums import Role
from papitrack.surveys.models import Survey

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.surveys.urls")]

SAMPLE = Path(settings.DATA_DIR) / "surveys" / "samples" / "quang-nam-2024-synthetic.csv"


@pytest.fixture
def coordinator(province_admin):
    province_admin.role = Role.COORDINATOR
    province_admin.save(update_fields=["role"])
    return province_admin


def test_survey_list_and_detail_show_estimates_by_district(client, outsider, demo_survey):
    client.force_login(outsider)
    listing = client.get(reverse("web:survey_list"))
    assert listing.status_code == 200
    assert demo_survey.name in listing.content.decode()
    page = client.get(reverse("web:survey_detail", args=[demo_survey.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Không phải điểm PAPI" in html
    assert "Duy Xuyên" in html
    assert "Nam Trà My" in html
    report = page.context["report"]
    overall = report.province_scores[0]
    assert overall.code == "overall"
    assert f"{overall.ci_low:.2f}".replace(".", ",") in html
    assert len(report.districts) == 18
    assert report.comparisons[0].target.reference == 46.5
    assert page.context["district_chart"]["categories"][0] == "Tam Kỳ"


def test_survey_detail_query_count_is_fixed(client, outsider, demo_survey):
    client.force_login(outsider)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("web:survey_detail", args=[demo_survey.pk]))
    assert len(queries) <= 16


def test_anonymous_users_are_sent_to_login(client, demo_survey):
    for url in (
        reverse("web:survey_list"),
        reverse("web:survey_detail", args=[demo_survey.pk]),
        reverse("web:survey_import"),
        reverse("web:survey_codebook", args=["papi-aligned-v1"]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_unknown_survey_is_404(client, outsider, demo_survey):
    client.force_login(outsider)
    assert client.get(reverse("web:survey_detail", args=[999999])).status_code == 404
    assert client.get(reverse("web:survey_codebook", args=["nope"])).status_code == 404


def test_outsider_cannot_import(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("web:survey_import")).status_code == 403


def test_coordinator_imports_a_file_and_lands_on_the_survey(client, coordinator, demo_survey):
    client.force_login(coordinator)
    assert client.get(reverse("web:survey_import")).status_code == 200
    content = SAMPLE.read_bytes()
    lines = content.split(b"\n")
    small = b"\n".join(lines[:60]) + b"\n"
    with open(SAMPLE.parent.parent / "population" / "quang-nam-2024-synthetic.csv", "rb") as pop:
        population = pop.read()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("web:survey_import"),
        {
            "province": "49",
            "year": "2025",
            "name": "Khảo sát thử",
            "questionnaire": "papi-aligned-v1",
            "responses": SimpleUploadedFile("small.csv", small, "text/csv"),
            "replicates": "100",
            "seed": "1",
        },
    )
    survey = Survey.objects.get(name="Khảo sát thử")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:survey_detail", args=[survey.pk])
    assert survey.respondent_count == 59
    assert population  # the table exists; this import runs unweighted on purpose


def test_import_errors_are_listed_row_by_row(client, coordinator, demo_survey):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordinator)
    bad = SAMPLE.read_bytes().replace(b"\nR00003,502,", b"\nR00003,999,", 1)
    response = client.post(
        reverse("web:survey_import"),
        {
            "province": "49",
            "year": "2025",
            "name": "Khảo sát lỗi",
            "questionnaire": "papi-aligned-v1",
            "responses": SimpleUploadedFile("bad.csv", bad, "text/csv"),
            "replicates": "100",
            "seed": "1",
        },
    )
    assert response.status_code == 400
    assert response.context["errors"] == ["Dòng 4: mã huyện «999» không thuộc tỉnh 49."]
    assert not Survey.objects.filter(name="Khảo sát lỗi").exists()


def test_import_form_rejects_missing_fields(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("web:survey_import"), {"province": "49"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"year", "name", "responses"}


def test_import_needs_a_csrf_token(coordinator):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    assert client.post(reverse("web:survey_import"), {"province": "49"}).status_code == 403


def test_codebook_and_template_downloads(client, outsider, demo_survey):
    client.force_login(outsider)
    codebook = client.get(reverse("web:survey_codebook", args=["papi-aligned-v1"]))
    text = codebook.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert codebook["Content-Type"] == "text/csv; charset=utf-8"
    assert lines[0] == (
        "item_code,ref,dimension,subdimension,kind,scale,reverse,asked_if,text_vi,"
        "answer_code,answer_label_vi,score"
    )
    assert any(line.startswith("q2_2_b,2.2-b,transparency,2.2,opinion,yes_no,1,,") and
               line.endswith(",1,Có,0") for line in lines)  # fmt: skip
    assert any(line.startswith("q1_1_a,") and line.endswith(",98,Không biết,0") for line in lines)
    assert any(
        line.startswith("q1_2_a,") and line.endswith(",98,Không biết,thiếu") for line in lines
    )
    template = client.get(reverse("web:survey_template", args=["papi-aligned-v1"]))
    header = template.content.decode("utf-8-sig").strip().split(",")
    assert header[:10] == [
        "respondent_id", "district", "commune", "village", "stratum", "sex", "age_group",
        "urban_rural", "design_weight", "q1_1_a",
    ]  # fmt: skip
    assert len(header) == 9 + 84
