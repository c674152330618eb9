"""Monitoring pages: the dashboard per role, drill-downs, exports, the public page, queries."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from papitrack.accounts.enums import Role
from papitrack.accounts.models import User
from papitrack.monitoring.achievement import StateCounts
from papitrack.orgunits.enums import UnitKind, UnitLevel
from papitrack.orgunits.models import OrgUnit
from papitrack.orgunits.tree import refresh_tree
from papitrack.plans.versions import bump_data_version
from papitrack.reports.models import KpiValue, Report, ReportingPeriod
from papitrack.tasks.models import Task

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("web:dashboard")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def login(client: Client, user_named: Any, username: str) -> Client:
    client.force_login(user_named(username))
    return client


def workbook(response: Any) -> Any:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="papitrack-')
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


@pytest.mark.parametrize(
    ("username", "template"),
    [
        ("demo-coordinator", "web/monitoring/dashboard_coordinator.html"),
        ("demo-admin", "web/monitoring/dashboard_coordinator.html"),
        ("demo-leader", "web/monitoring/dashboard_leader.html"),
        ("demo-lead", "web/monitoring/dashboard_lead.html"),
        ("demo-district", "web/monitoring/dashboard_unit.html"),
        ("demo-commune", "web/monitoring/dashboard_unit.html"),
        ("demo-outsider", "web/monitoring/dashboard_unit.html"),
    ],
)
def test_dashboard_picks_the_view_by_role(client, user_named, username, template):
    response = login(client, user_named, username).get(DASHBOARD)

    assert response.status_code == 200
    assert template in [used.name for used in response.templates]


def test_coordinator_dashboard_shows_the_real_state_of_the_2020_cycle(coordinator_client):
    today = timezone.localdate()

    response = coordinator_client.get(DASHBOARD)

    data = response.context["data"]
    status = data.status
    # The replayed cycle filled the third quarter: the dashboard opens on it.
    assert status.period.code == "2020Q3"
    q3 = Report.objects.filter(task__plan=status.plan, period__code="2020Q3")
    assert (status.states.expected, status.states.received) == (
        q3.count(),
        q3.filter(first_submitted_at__isnull=False).count(),
    )
    overdue = Report.objects.filter(first_submitted_at__isnull=True, due_date__lt=today)
    assert data.overdue_total == overdue.count()
    assert [row.report.due_date for row in data.overdue] == sorted(
        row.report.due_date for row in data.overdue
    )
    assert len(data.overdue) == 10
    heat_units = [row.unit.code for row in data.heatmap.rows]
    assert "508" in heat_units
    assert {row.unit.parent.code for row in data.heatmap.rows if not row.is_own} == {"49"}
    assert [period.code for period in data.heatmap.periods][:2] == ["2020-09-30D", "2020Q3"]
    assert len(status.dimensions) == 8
    radar = response.context["radar"]
    assert [series["name"] for series in radar["series"]] == [
        "Năm gốc 2019",
        "Mục tiêu 2020",
        f"Điểm PAPI {status.plan.target_year}",
    ]
    page = response.content.decode()
    assert "Mức độ đầy đủ theo đơn vị và kỳ" in page
    assert page.count("Xuất Excel") >= 3
    # Counts carry the Vietnamese thousands dot, as in the documents.
    assert status.states.expected >= 1000
    received, expected = (
        f"{count:,}".replace(",", ".") for count in (status.states.received, status.states.expected)
    )
    assert f"{received}/{expected} báo cáo phải nộp" in page


def test_dashboard_periods_and_submitted_switch(coordinator_client, client, user_named):
    approved = coordinator_client.get(DASHBOARD, {"period": "2020Q3"}).context["status"]
    submitted = coordinator_client.get(
        DASHBOARD, {"period": "2020Q3", "include_submitted": "1"}
    ).context["status"]

    def reported(status: Any) -> int:
        return sum(kpi.tally.reported for task in status.tasks for kpi in task.kpis)

    assert reported(submitted) > reported(approved)
    assert coordinator_client.get(DASHBOARD, {"period": "2019Q1"}).status_code == 404
    commune = login(client, user_named, "demo-commune")
    assert commune.get(DASHBOARD, {"include_submitted": "1"}).status_code == 403


@pytest.mark.parametrize("table", ["heatmap", "dimensions", "tasks"])
def test_coordinator_tables_export_to_xlsx(coordinator_client, table):
    page = coordinator_client.get(DASHBOARD).context

    sheet = workbook(coordinator_client.get(DASHBOARD, {"export": table}))

    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.freeze_panes == "A2"
    expected = {
        "heatmap": len(page["data"].heatmap.rows),
        "dimensions": 8,
        "tasks": sum(len(task.kpis) for task in page["status"].tasks),
    }[table]
    assert len(rows) - 1 == expected


def test_unknown_export_is_404(coordinator_client):
    assert coordinator_client.get(DASHBOARD, {"export": "nothing"}).status_code == 404


def test_leader_sees_effort_next_to_outcome(client, user_named):
    response = login(client, user_named, "demo-leader").get(DASHBOARD)

    status = response.context["status"]
    trends = response.context["trends"]
    assert len(trends) == 8
    _, _, chart = trends[1]
    assert [line["name"] for line in chart["lines"]] == ["Mục tiêu 2020", "Năm gốc 2019"]
    assert chart["years"][0] == 2018
    assert status.assessed == sum(1 for task in status.tasks if task.states.expected)
    assert workbook(login(client, user_named, "demo-leader").get(DASHBOARD, {"export": "tasks"}))


def test_lead_agency_sees_its_tasks_with_every_units_value(client, user_named):
    response = login(client, user_named, "demo-lead").get(DASHBOARD, {"period": "2020Q3"})

    data = response.context["data"]
    assert [item.total.task.key for item in data.tasks] == ["D2-T1", "D2-T2", "D2-T3"]
    second = data.tasks[1]
    assert "508" in [unit.code for unit, _ in second.rows]
    assert second.total.kpis[0].tally.expected == sum(
        result.kpis[0].tally.expected for _, result in second.rows
    )
    sheet = workbook(
        login(client, user_named, "demo-lead").get(
            DASHBOARD, {"period": "2020Q3", "export": "D2-T2"}
        )
    )
    assert sheet.cell(row=2, column=2).value.endswith("(tổng)")


def test_unit_sees_what_is_due_returned_and_overdue(client, user_named):
    today = timezone.localdate()
    response = login(client, user_named, "demo-commune").get(DASHBOARD)

    work = response.context["data"].work
    own = Report.objects.filter(unit__code="20605")
    assert {row.report.pk for row in work.overdue} == set(
        own.filter(first_submitted_at__isnull=True, due_date__lt=today)
        .exclude(status="returned")
        .values_list("pk", flat=True)
    )
    assert {report.pk for report in work.returned} == set(
        own.filter(status="returned").values_list("pk", flat=True)
    )
    for name in ("overdue", "returned", "due", "submitted"):
        sheet = workbook(login(client, user_named, "demo-commune").get(DASHBOARD, {"export": name}))
        assert sheet.cell(row=1, column=1).value


def test_district_sees_its_communes(client, user_named):
    response = login(client, user_named, "demo-district").get(DASHBOARD)

    children = response.context["data"].children
    assert {row.unit.parent_id for row in children if not row.is_own} == {
        OrgUnit.objects.get(code="508").pk
    }


def test_drill_down_from_province_to_district_to_commune(coordinator_client):
    url = reverse("web:completeness")

    province = coordinator_client.get(url, {"period": "2020Q3"}).context
    district = coordinator_client.get(url, {"period": "2020Q3", "unit": "508"}).context
    commune = coordinator_client.get(url, {"period": "2020Q3", "unit": "20605"}).context

    assert [unit.code for unit in province["path"]] == ["49"]
    assert "508" in [row.unit.code for row in province["rows"]]
    assert [unit.code for unit in district["path"]] == ["49", "508"]
    communes = [row for row in district["rows"] if row.unit.kind == UnitKind.COMMUNE]
    assert "20605" in [row.unit.code for row in communes]
    row_508 = next(row for row in province["rows"] if row.unit.code == "508")
    assert row_508.states == sum((row.states for row in district["rows"]), StateCounts())
    assert commune["is_leaf"]
    assert [unit.code for unit in commune["path"]] == ["49", "508", "20605"]
    assert {item.report.unit.code for item in commune["own_reports"]} == {"20605"}


def test_completeness_export_has_the_columns_of_the_page(coordinator_client):
    url = reverse("web:completeness")
    query = {"period": "2020Q3", "unit": "508"}

    page = coordinator_client.get(url, query).context
    sheet = workbook(coordinator_client.get(url, {**query, "export": "xlsx"}))

    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "Đã duyệt"
    assert [row[0] for row in rows[1:]] == [row.unit.code for row in page["rows"]]
    assert [row[-1] for row in rows[1:]] == [row.approved for row in page["rows"]]
    assert page["total_approved"] == sum(row.approved for row in page["rows"])


def test_scopes_of_the_drill_down(client, user_named):
    url = reverse("web:completeness")
    commune = login(client, user_named, "demo-commune")

    assert commune.get(url).context["unit"].code == "20605"
    assert commune.get(url, {"unit": "508"}).status_code == 404
    outsider = login(Client(), user_named, "demo-outsider")
    assert outsider.get(url, {"unit": "20605"}).status_code == 404
    district = login(Client(), user_named, "demo-district")
    assert district.get(url, {"unit": "20605"}).status_code == 200
    assert district.get(url, {"level": "nowhere"}).status_code == 404


def test_overdue_and_league_pages(coordinator_client):
    today = timezone.localdate()
    overdue = coordinator_client.get(reverse("web:overdue"), {"unit": "508"})
    league = coordinator_client.get(reverse("web:league"), {"level": "district"})

    expected = Report.objects.filter(
        unit__in=OrgUnit.objects.filter(code="508") | OrgUnit.objects.filter(parent__code="508"),
        first_submitted_at__isnull=True,
        due_date__lt=today,
    ).count()
    assert overdue.context["page"].paginator.count == expected
    assert all(
        row.days_late == (today - row.report.due_date).days for row in overdue.context["rows"]
    )
    ranks = [row.rank for row in league.context["rows"]]
    assert ranks == sorted(ranks)
    assert {row.code for row in league.context["rows"]} >= {"508"}
    sheet = workbook(coordinator_client.get(reverse("web:overdue"), {"unit": "508", "export": "1"}))
    assert sheet.max_row - 1 == expected


def test_task_rollup_page_and_its_export(coordinator_client):
    task = Task.objects.get(key="D2-T2")
    url = reverse("web:task_rollup", kwargs={"task_id": task.pk})

    province = coordinator_client.get(url, {"period": "2020Q3", "include_submitted": "1"})
    district = coordinator_client.get(url, {"period": "2020Q3", "unit": "508"})

    total = province.context["total"].kpis[0].tally
    assert total.expected == sum(
        result.kpis[0].tally.expected for _, _, result in province.context["group_rows"]
    )
    assert {unit.kind for unit, _, _ in district.context["group_rows"]} <= {
        UnitKind.DISTRICT,
        UnitKind.COMMUNE,
    }
    sheet = workbook(coordinator_client.get(url, {"period": "2020Q3", "export": "1"}))
    assert sheet.cell(row=1, column=3).value == "Chỉ tiêu"


def test_public_page_needs_no_login_and_shows_only_approved_figures(client, plan):
    from papitrack.monitoring.queries.dashboards import plan_status

    response = client.get(reverse("web:public_progress"))

    assert response.status_code == 200
    status = response.context["status"]
    assert not status.include_submitted
    approved = plan_status(plan=plan, period_code=status.period.code, include_submitted=False)
    assert [kpi.tally for task in status.tasks for kpi in task.kpis] == [
        kpi.tally for task in approved.tasks for kpi in task.kpis
    ]
    page = response.content.decode()
    assert "Cập nhật lần cuối" in page
    for private in ("Phạm Thị Xã", "Nguyễn Thị Điều Phối", "demo-", "canbo-", "Đăng xuất"):
        assert private not in page
    assert client.get(reverse("web:public_progress"), {"period": "1999"}).status_code == 404


def _district_with_communes(count: int, *, task: Task, period: ReportingPeriod) -> OrgUnit:
    district = OrgUnit.objects.create(
        code=f"N{count}",
        kind=UnitKind.DISTRICT,
        level=UnitLevel.DISTRICT,
        name=f"Huyện {count} xã",
        parent=OrgUnit.objects.get(code="49"),
    )
    communes = OrgUnit.objects.bulk_create(
        OrgUnit(
            code=f"N{count}-{number}",
            kind=UnitKind.COMMUNE,
            level=UnitLevel.COMMUNE,
            name=f"Xã {number}",
            parent=district,
        )
        for number in range(count)
    )
    refresh_tree()  # bulk_create skips save(), which keeps the tree columns
    reports = Report.objects.bulk_create(
        Report(
            task=task,
            unit=commune,
            period=period,
            due_date=period.end,
            status="approved" if number % 2 else "draft",
            first_submitted_at=timezone.now() if number % 2 else None,
        )
        for number, commune in enumerate(communes)
    )
    kpi = task.kpis.get()
    KpiValue.objects.bulk_create(
        KpiValue(report=report, kpi=kpi, answer=True)
        for report in reports
        if report.status == "approved"
    )
    # Written past the services, so announce the change as they would: the pages then
    # compute (not read from the cache) and their query counts are compared.
    bump_data_version(plan_id=task.plan_id)
    return district


def test_pages_use_the_same_number_of_queries_for_10_and_240_communes(
    coordinator_client, user_named, plan
):
    # D2-T2 is led by demo-lead, so the new communes appear on the lead's dashboard too.
    task = Task.objects.get(key="D2-T2")
    period = ReportingPeriod.objects.get(code="2020Q3")
    leader = login(Client(), user_named, "demo-leader")
    lead = login(Client(), user_named, "demo-lead")
    anonymous = Client()
    for browser in (coordinator_client, leader, lead):
        browser.get(reverse("web:plan_status"))  # a session's first request costs more
    counts: dict[str, list[int]] = {}
    for size in (10, 240):
        district = _district_with_communes(size, task=task, period=period)
        officer = Client()
        officer.force_login(
            User.objects.create_user(
                username=f"district-{size}", unit=district, role=Role.UNIT_REPORTER
            )
        )
        in_district = f"unit={district.code}&period=2020Q3"
        pages = {
            "completeness": (coordinator_client, f"{reverse('web:completeness')}?{in_district}"),
            "overdue": (coordinator_client, f"{reverse('web:overdue')}?unit={district.code}"),
            "league": (coordinator_client, f"{reverse('web:league')}?unit={district.code}"),
            "task": (
                coordinator_client,
                f"{reverse('web:task_rollup', kwargs={'task_id': task.pk})}?{in_district}",
            ),
            "plan status": (coordinator_client, f"{reverse('web:plan_status')}?period=2020Q3"),
            "dashboard: coordinator": (coordinator_client, DASHBOARD),
            "dashboard: leader": (leader, DASHBOARD),
            "dashboard: lead agency": (lead, f"{DASHBOARD}?period=2020Q3"),
            "dashboard: district": (officer, DASHBOARD),
            "public page": (anonymous, reverse("web:public_progress")),
            "api: completeness": (coordinator_client, f"/api/v1/completeness?{in_district}"),
            "api: rollup": (coordinator_client, f"/api/v1/tasks/{task.pk}/rollup?{in_district}"),
            "api: status": (coordinator_client, f"/api/v1/plans/{plan.pk}/status?period=2020Q3"),
        }
        for name, (browser, url) in pages.items():
            with CaptureQueriesContext(connection) as queries:
                response = browser.get(url)
            assert response.status_code == 200, url
            counts.setdefault(name, []).append(len(queries))

    assert {name: sizes[0] for name, sizes in counts.items()} == {
        name: sizes[1] for name, sizes in counts.items()
    }
    # 16: the plan status page also asks whether the stored roll-ups are current.
    assert max(max(sizes) for sizes in counts.values()) <= 16, counts


def test_percentages_are_printed_with_the_decimal_comma(coordinator_client):
    from papitrack.web.templatetags.monitoring_format import heat_class, vn_percent

    assert vn_percent(Decimal(195) / 210) == "92,9%"
    assert vn_percent(None) == "—"
    assert heat_class(None) == "heat-none"
    assert [heat_class(Decimal(x) / 100) for x in (0, 25, 50, 74, 100)] == [
        "heat-0",
        "heat-1",
        "heat-2",
        "heat-2",
        "heat-4",
    ]
