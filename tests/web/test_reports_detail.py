"""One report's page: entry by KPI kind, read-only views, errors, conflicts, evidence files."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from papitrack.reports import services
from papitrack.reports.models import Report
from papitrack.web.forms_reports import DECIMAL_AMBIGUOUS
from papitrack.web.views.reports import STALE_ALERT
from tests.reports.helpers import PNG, report_for
from tests.web.helpers import LOGIN_URL

pytestmark = pytest.mark.django_db

RATIO_TASK, COMMUNE, DISTRICT = "D2-T6", "20605", "508"


@pytest.fixture(autouse=True)
def _evidence_root(settings: Any, tmp_path: Any) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"


def _url(report: Report) -> str:
    return reverse("web:report_detail", args=[report.pk])


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _entry(report: Report, **fields: str) -> dict[str, str]:
    return {"version": str(report.version), "action": "save", **fields}


def test_commune_gets_ratio_entry_with_last_periods_value(client: Client, user_named: Any) -> None:
    report = report_for(RATIO_TASK, COMMUNE)
    previous = report_for(RATIO_TASK, COMMUNE, "2020Q3").values.get()

    response = _login(client, user_named("demo-commune")).get(_url(report))

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["permissions"].can_edit is True
    assert 'name="D2-T6-K1-numerator"' in html
    assert 'data-ratio-part="denominator"' in html
    assert "≥ 100%" in html
    [block] = response.context["blocks"]
    expected = f"{previous.numerator:.0f} / {previous.denominator:.0f} = "
    assert block.previous.startswith(expected)
    assert "Trước đó (Quý III/2020, đã phê duyệt)" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_district_reads_a_commune_draft_without_inputs(client: Client, unit_officer: Any) -> None:
    report = report_for(RATIO_TASK, COMMUNE)

    response = _login(client, unit_officer).get(_url(report))

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["permissions"].can_edit is False
    assert 'name="D2-T6-K1-numerator"' not in html
    assert 'value="save"' not in html


def test_district_report_has_one_row_per_commune(client: Client, unit_officer: Any) -> None:
    report = report_for("D2-T2", DISTRICT)
    children = services.child_units_for(report, report.task.kpis.get())

    response = _login(client, unit_officer).get(_url(report))

    [block] = response.context["blocks"]
    assert [row.child.code for row in block.children] == [child.code for child in children]
    assert len(children) > 5
    html = response.content.decode()
    assert html.count('type="radio"') == 3 * len(children)
    assert "Chưa báo cáo" in html


def test_invalid_number_rerenders_with_the_message_and_keeps_the_input(
    client: Client, user_named: Any
) -> None:
    report = report_for(RATIO_TASK, COMMUNE)

    response = _login(client, user_named("demo-commune")).post(
        _url(report),
        _entry(
            report,
            **{
                "D2-T6-K1-numerator": "12,5x",
                "D2-T6-K1-denominator": "20",
                "results": "Đã niêm yết công khai tại trụ sở.",
            },
        ),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert response.context["errors"] == [
        "Chỉ tiêu D2-T6-K1: tử số: «12,5x» không phải là số (ví dụ 12,5 hoặc 1250)."
    ]
    assert 'value="12,5x"' in html
    assert "Đã niêm yết công khai tại trụ sở.</textarea>" in html
    unchanged = Report.objects.get(pk=report.pk)
    assert (unchanged.version, unchanged.results, unchanged.values.count()) == (
        report.version,
        "",
        0,
    )


def test_a_thousands_dot_is_refused_rather_than_guessed(client: Client, user_named: Any) -> None:
    report = report_for(RATIO_TASK, COMMUNE)

    response = _login(client, user_named("demo-commune")).post(
        _url(report),
        _entry(report, **{"D2-T6-K1-numerator": "1.250", "D2-T6-K1-denominator": "1300"}),
    )

    assert response.status_code == 400
    assert response.context["errors"] == [
        DECIMAL_AMBIGUOUS.format(subject="Chỉ tiêu D2-T6-K1: tử số", text="1.250")
    ]
    assert Report.objects.get(pk=report.pk).values.count() == 0


def test_post_without_csrf_token_is_refused(user_named: Any) -> None:
    report = report_for(RATIO_TASK, COMMUNE)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_named("demo-commune"))

    response = client.post(_url(report), _entry(report, results="Không có token."))

    assert response.status_code == 403
    assert Report.objects.get(pk=report.pk).version == report.version


def test_stale_version_shows_the_conflict_and_keeps_the_first_edit(
    client: Client, user_named: Any
) -> None:
    report = report_for(RATIO_TASK, COMMUNE)
    commune = user_named("demo-commune")
    services.save_report(
        report_id=report.pk,
        actor=commune,
        version=report.version,
        edit=services.ReportEdit(narrative={"results": "Bản của người thứ nhất."}),
    )

    response = _login(client, commune).post(
        _url(report), _entry(report, results="Bản cũ của người thứ hai.")
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert STALE_ALERT in html
    assert "Bản của người thứ nhất.</textarea>" in html
    assert response.context["typed"] == [("Kết quả đạt được", "Bản cũ của người thứ hai.")]
    assert Report.objects.get(pk=report.pk).results == "Bản của người thứ nhất."


def test_someone_elses_unit_cannot_save(client: Client, unit_officer: Any) -> None:
    report = report_for(RATIO_TASK, COMMUNE)

    response = _login(client, unit_officer).post(_url(report), _entry(report, results="X"))

    assert response.status_code == 403
    assert Report.objects.get(pk=report.pk).version == report.version


def test_read_only_leader_cannot_approve(client: Client, user_named: Any) -> None:
    report = report_for("D2-T4", COMMUNE, "2020Q3")

    response = _login(client, user_named("demo-leader")).post(
        _url(report), {"version": str(report.version), "action": "approve"}
    )

    assert response.status_code == 403
    assert Report.objects.get(pk=report.pk).status == "submitted"


def test_outsider_gets_404_for_another_units_report(client: Client, outsider: Any) -> None:
    report = report_for(RATIO_TASK, COMMUNE)
    _login(client, outsider)

    assert client.get(_url(report)).status_code == 404
    assert client.post(_url(report), _entry(report, results="X")).status_code == 404


def test_anonymous_user_is_sent_to_login(client: Client) -> None:
    url = _url(report_for(RATIO_TASK, COMMUNE))

    response = client.get(url)

    assert (response.status_code, response["Location"]) == (302, f"{LOGIN_URL}?next={url}")


def test_evidence_downloads_as_an_attachment_for_the_unit_and_its_district(
    client: Client, user_named: Any, unit_officer: Any, outsider: Any
) -> None:
    report = report_for(RATIO_TASK, COMMUNE)
    evidence = services.add_evidence(
        report_id=report.pk,
        actor=user_named("demo-commune"),
        kpi_code="D2-T6-K1",
        file_name="ảnh niêm yết.png",
        content=PNG,
    )
    url = reverse("web:evidence_download", args=[evidence.pk])

    response = _login(client, unit_officer).get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert _login(client, outsider).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_removed_evidence_is_no_longer_served(client: Client, user_named: Any) -> None:
    report = report_for(RATIO_TASK, COMMUNE)
    commune = user_named("demo-commune")
    evidence = services.add_evidence(
        report_id=report.pk, actor=commune, kpi_code="D2-T6-K1", file_name="a.png", content=PNG
    )
    report.refresh_from_db()

    response = _login(client, commune).post(
        _url(report), _entry(report, remove_evidence=str(evidence.pk))
    )

    assert response.status_code == 302
    assert client.get(reverse("web:evidence_download", args=[evidence.pk])).status_code == 404


def test_query_count_of_a_commune_report(
    client: Client, user_named: Any, django_assert_max_num_queries: Any
) -> None:
    report = report_for(RATIO_TASK, COMMUNE)
    _login(client, user_named("demo-commune"))
    # The first request of a session writes its last-seen time; measure a later one.
    client.get(_url(report))

    with django_assert_max_num_queries(15):
        client.get(_url(report))


def test_query_count_of_a_district_report_does_not_grow_with_its_communes(
    client: Client, unit_officer: Any, django_assert_max_num_queries: Any
) -> None:
    report = report_for("D2-T2", DISTRICT, "2020Q3")
    _login(client, unit_officer)
    # The first request of a session writes its last-seen time; measure a later one.
    client.get(_url(report))

    with django_assert_max_num_queries(17):
        client.get(_url(report))


def test_decimal_values_are_shown_with_a_decimal_comma(client: Client, user_named: Any) -> None:
    report = report_for(RATIO_TASK, COMMUNE)
    commune = user_named("demo-commune")
    services.save_report(
        report_id=report.pk,
        actor=commune,
        version=report.version,
        edit=services.ReportEdit(
            values=[
                services.KpiValueInput(
                    kpi_code="D2-T6-K1", numerator=Decimal("1234.5"), denominator=Decimal(2000)
                )
            ]
        ),
    )

    html = _login(client, commune).get(_url(report)).content.decode()

    assert 'value="1234,5"' in html
    assert 'value="2000"' in html
    assert "61,7%" in html
