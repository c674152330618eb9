"""Reports through the API: token login, scoped lists, PATCH with versions, workflow moves."""

from __future__ import annotations

import json

import pytest

from papitrack.reports.enums import ReportStatus
from tests.reports.helpers import PNG, report_for

pytestmark = pytest.mark.django_db


def token_for(client, username: str) -> str:
    response = client.post(
        "/api/v1/auth/token",
        data=json.dumps({"username": username, "password": "papitrack-demo"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


@pytest.fixture
def api(client):
    class Api:
        def __init__(self) -> None:
            self.headers: dict[str, str] = {}

        def login(self, username: str) -> Api:
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(client, username)}"}
            return self

        def get(self, path: str):
            return client.get(path, **self.headers)

        def send(self, method: str, path: str, body: dict):
            return getattr(client, method)(
                path, data=json.dumps(body), content_type="application/json", **self.headers
            )

    return Api()


def test_token_needs_the_right_password(client):
    response = client.post(
        "/api/v1/auth/token",
        data=json.dumps({"username": "demo-commune", "password": "wrong"}),
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["detail"] == "Tên đăng nhập hoặc mật khẩu không đúng."


def test_reports_need_authentication(client):
    assert client.get("/api/v1/reports").status_code == 401
    assert client.get("/api/v1/reports", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


def test_report_list_is_scoped_to_the_caller(api):
    commune_reports = api.login("demo-commune").get("/api/v1/reports?limit=500").json()
    assert commune_reports
    assert {report["unit_code"] for report in commune_reports} == {"20605"}
    outsider = api.login("demo-outsider").get("/api/v1/reports").json()
    assert outsider == []
    district = api.login("demo-district").get("/api/v1/reports?period=2020Q4&task=D2-T2").json()
    assert {report["unit_code"] for report in district} >= {"508", "20605"}
    assert all(report["period"] == "2020Q4" for report in district)


def test_outsider_gets_404_for_another_units_report(api):
    report = report_for("D2-T2", "20605")
    assert api.login("demo-outsider").get(f"/api/v1/reports/{report.pk}").status_code == 404
    assert api.login("demo-commune").get(f"/api/v1/reports/{report.pk}").status_code == 200


def test_full_cycle_through_the_api(api):
    report = report_for("D2-T2", "20605")
    path = f"/api/v1/reports/{report.pk}"
    commune = api.login("demo-commune")
    body = commune.get(path).json()
    kpi_codes = ["D2-T2-K1"]
    patched = commune.send(
        "patch",
        path,
        {
            "version": body["version"],
            "values": [{"kpi_code": kpi_codes[0], "answer": True}],
            "narrative": {"results": "Đã niêm yết danh sách hộ nghèo tại trụ sở và các thôn."},
        },
    )
    assert patched.status_code == 200, patched.content
    stale = commune.send("patch", path, {"version": body["version"], "narrative": {"results": "x"}})
    assert stale.status_code == 409
    assert "phiên bản" in stale.json()["detail"]
    missing_evidence = commune.send(
        "post", path + "/submit", {"version": patched.json()["version"]}
    )
    assert missing_evidence.status_code == 422
    assert any("minh chứng" in error for error in missing_evidence.json()["errors"])
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    uploaded = Client().post(
        path + "/evidence",
        data={"kpi_code": kpi_codes[0], "file": SimpleUploadedFile("ảnh niêm yết.png", PNG)},
        **commune.headers,
    )
    assert uploaded.status_code == 200, uploaded.content
    evidence = uploaded.json()["evidence"][-1]
    assert evidence["name"] == "ảnh niêm yết.png"
    download = commune.get(evidence["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert api.login("demo-outsider").get(evidence["download_url"]).status_code == 404
    commune = api.login("demo-commune")
    submitted = commune.send("post", path + "/submit", {"version": uploaded.json()["version"]})
    assert submitted.json()["status"] == ReportStatus.SUBMITTED
    district = api.login("demo-district")
    returned = district.send(
        "post", path + "/return", {"version": submitted.json()["version"], "comment": "Ảnh mờ."}
    )
    assert returned.json()["status"] == ReportStatus.RETURNED
    assert returned.json()["transitions"][-1]["comment"] == "Ảnh mờ."
    commune = api.login("demo-commune")
    resubmitted = commune.send("post", path + "/submit", {"version": returned.json()["version"]})
    district = api.login("demo-district")
    forbidden = api.login("demo-lead").send(
        "post", path + "/approve", {"version": resubmitted.json()["version"]}
    )
    assert forbidden.status_code == 403
    district = api.login("demo-district")
    approved = district.send("post", path + "/approve", {"version": resubmitted.json()["version"]})
    assert approved.json()["status"] == ReportStatus.APPROVED
    commune = api.login("demo-commune")
    locked = commune.send(
        "patch", path, {"version": approved.json()["version"], "narrative": {"results": "sửa"}}
    )
    assert locked.status_code == 422
    assert "khóa" in locked.json()["errors"][0]
    coordinator = api.login("demo-coordinator")
    reopened = coordinator.send(
        "post", path + "/reopen", {"version": approved.json()["version"], "reason": "Kiểm tra lại."}
    )
    assert reopened.json()["status"] == ReportStatus.RETURNED


def test_disguised_file_is_refused(api, client):
    report = report_for("D2-T2", "20605")
    from django.core.files.uploadedfile import SimpleUploadedFile

    commune = api.login("demo-commune")
    response = client.post(
        f"/api/v1/reports/{report.pk}/evidence",
        data={"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")},
        **commune.headers,
    )
    assert response.status_code == 422
    assert "không phải loại được chấp nhận" in response.json()["errors"][0]
