"""Permission matrix (quality R1, R5): every URL and API operation × every role.

Each URL pattern of papitrack.urls (web pages, accounts pages, the health probe) and each
operation of the OpenAPI schema has one or more `Case`s below: the URL's arguments, taken from
objects of one unit (demo-commune's Duy Phú) so that users outside it must get 404, and the
outcome expected for each role on GET (or on the operation's own method for the API).

Besides the table:
- every web URL refuses a POST without a CSRF token (403), anonymous or signed in;
- every unsafe API operation refuses a browser session without a CSRF token (403);
- every admin URL sends everyone but the administrator to the sign-in page;
- `test_every_url_has_an_entry` fails when a URL or API operation has no case, and says what
  to add. When you add a URL: add a `Case` to WEB_CASES or API_CASES in the same change.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.surveys.conftest import demo_survey_id  # noqa: F401 - fixture used by `targets`

pytestmark = pytest.mark.django_db

PASSWORD = "papitrack-demo"
ACCOUNTS = {
    "coordinator": "demo-coordinator",  # Sở Nội vụ: the whole province, reviews, reopens
    "lead_reviewer": "demo-lead",  # Sở LĐ-TB&XH: leads tasks D2-T1..T3 only
    "commune": "demo-commune",  # UBND xã Duy Phú (20605), unit reporter
    "district": "demo-district",  # UBND huyện Duy Xuyên (508), over Duy Phú
    "leader": "demo-leader",  # UBND tỉnh: reads everything, changes nothing
    "administrator": "demo-admin",  # Django admin, reads everything
    "outsider": "demo-outsider",  # old Đà Nẵng: no part in the plan
}
ROLES = ("anonymous", *ACCOUNTS)
SIGNED_IN = tuple(ACCOUNTS)

# Outcomes. A number is the status code; LOGIN is a redirect to the sign-in page with ?next=.
OK = 200
LOGIN = "302 → sign-in"
REDIRECT = 302
BAD_REQUEST = 400
UNAUTHORIZED = 401
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405
CONFLICT = 409
INVALID = 422
CREATED = 201
ACCEPTED = 202

Expected = dict[str, int | str]


def everyone(outcome: int | str = OK) -> Expected:
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome: int | str = OK, **by_role: int | str) -> Expected:
    """Anonymous users go to the sign-in page; every account gets `outcome` unless named."""
    return {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, outcome), **by_role}


def api_user(outcome: int | str = OK, **by_role: int | str) -> Expected:
    """The API answers 401 without a token; every account gets `outcome` unless named."""
    return {"anonymous": UNAUTHORIZED, **dict.fromkeys(SIGNED_IN, outcome), **by_role}


def only(roles: tuple[str, ...], *, denied: int | str = FORBIDDEN) -> Expected:
    return signed_in(denied, **dict.fromkeys(roles, OK))


# Who sees a Duy Phú report: the province-wide roles, the commune and its district; a lead
# agency only on the tasks it leads; the outsider never (404, not 403: ids do not leak).
DUY_PHU_REPORT = signed_in(OK, lead_reviewer=NOT_FOUND, outsider=NOT_FOUND)
DUY_PHU_REPORT_API = api_user(OK, lead_reviewer=NOT_FOUND, outsider=NOT_FOUND)
COORDINATION = ("coordinator", "administrator")
# Figures scoped to Duy Xuyên (508): its own officers and the province-wide roles.
DUY_XUYEN_SCOPE = signed_in(OK, lead_reviewer=NOT_FOUND, commune=NOT_FOUND, outsider=NOT_FOUND)


@dataclass(frozen=True)
class Targets:
    """Ids of real demo objects, most of them belonging to Duy Phú (20605)."""

    plan_id: int
    task_id: int
    report_id: int  # Duy Phú, task D2-T4 (not led by Sở LĐ-TB&XH), 2020Q3, submitted
    report_version: int
    led_report_id: int  # Duy Phú, task D2-T2 (led by Sở LĐ-TB&XH), 2020Q3
    evidence_id: int  # a stored file on the first report
    unit_plan_id: int  # Duy Xuyên's (508) implementation plan: communes make none
    survey_id: int
    notification_id: int  # one of demo-commune's own notices
    document_job_id: int = 0  # demo-commune's own drafted document (done, with a DOCX)
    district_report_id: int = 0  # Duy Xuyên (508), task D2-T1, 2020S2: answered per commune
    spreadsheet_import_id: int = 0  # demo-district's checked (rejected) upload for it


@dataclass(frozen=True)
class Case:
    """One URL (a URL name, or "METHOD /api/v1/path" for the API) with its expectations."""

    name: str
    expected: Expected
    kwargs: Callable[[Targets], dict[str, Any]] = lambda targets: {}
    variant: str = ""
    # Web pages that accept POST: the outcome of a POST with a valid CSRF token and no data.
    post: Expected | None = None
    # API operations with a body: the JSON (or form) they are called with.
    body: Callable[[Targets], dict[str, Any]] | None = None
    multipart: bool = False
    # A query string for pages whose object is named there ("unit=508").
    query: str = ""

    @property
    def id(self) -> str:
        return f"{self.name} [{self.variant}]" if self.variant else self.name


def report(targets: Targets) -> dict[str, Any]:
    return {"report_id": targets.report_id}


WEB_CASES = [
    # Public: the health probe, the sign-in pages, Django's password-reset pages.
    Case("healthz", everyone(OK)),
    Case("admin_login_redirect", everyone(REDIRECT), post=everyone(REDIRECT)),
    Case("login", everyone(OK), post=everyone(OK)),
    # Without a password step in progress the code page sends everyone back to sign-in.
    Case("two_factor_verify", everyone(REDIRECT), post=everyone(REDIRECT)),
    Case("two_factor_setup", signed_in(OK), post=signed_in(BAD_REQUEST)),
    Case("logout", everyone(NOT_ALLOWED), post=everyone(REDIRECT)),
    Case("password_change", signed_in(OK), post=signed_in(OK)),
    Case("password_change_done", signed_in(OK)),
    Case("password_reset", everyone(OK), post=everyone(OK)),
    Case("password_reset_done", everyone(OK)),
    Case(
        "password_reset_confirm",
        everyone(OK),
        kwargs=lambda targets: {"uidb64": "MQ", "token": "set-password"},
        post=everyone(OK),
    ),
    Case("password_reset_complete", everyone(OK)),
    # The plan, its tasks, units and published scores are public documents for every official.
    Case("web:plan_list", signed_in(OK)),
    Case("web:plan_overview", signed_in(OK), kwargs=lambda t: {"plan_id": t.plan_id}),
    Case(
        "web:dimension_detail",
        signed_in(OK),
        kwargs=lambda t: {"plan_id": t.plan_id, "code": "egovernance"},
    ),
    Case("web:task_list", signed_in(OK), kwargs=lambda t: {"plan_id": t.plan_id}),
    Case("web:latest_task_list", signed_in(REDIRECT), variant="to the latest plan's tasks"),
    Case("web:task_detail", signed_in(OK), kwargs=lambda t: {"task_id": t.task_id}),
    Case("web:unit_list", signed_in(OK)),
    Case("web:unit_detail", signed_in(OK), kwargs=lambda t: {"code": "20605"}),
    Case("web:papi_explorer", signed_in(OK)),
    Case("web:province_history", signed_in(OK), kwargs=lambda t: {"code": "49"}),
    # Surveys: estimates for every official (each view is audited); import for coordination.
    Case("web:survey_list", signed_in(OK)),
    Case("web:survey_detail", signed_in(OK), kwargs=lambda t: {"survey_id": t.survey_id}),
    Case(
        "web:survey_import",
        only(COORDINATION),
        post=signed_in(FORBIDDEN, coordinator=BAD_REQUEST, administrator=BAD_REQUEST),
    ),
    Case(
        "web:survey_codebook",
        signed_in(OK),
        kwargs=lambda t: {"version": "papi-aligned-v1"},
    ),
    Case(
        "web:survey_template",
        signed_in(OK),
        kwargs=lambda t: {"version": "papi-aligned-v1"},
    ),
    # Reports: the list is scoped (an outsider sees an empty list); objects are 404 outside.
    Case("web:report_list", signed_in(OK)),
    Case(
        "web:report_detail",
        DUY_PHU_REPORT,
        kwargs=report,
        variant="Duy Phú, task not led by the lead reviewer",
        post=signed_in(BAD_REQUEST, lead_reviewer=NOT_FOUND, outsider=NOT_FOUND),
    ),
    Case(
        "web:report_detail",
        signed_in(OK, outsider=NOT_FOUND),
        kwargs=lambda t: {"report_id": t.led_report_id},
        variant="Duy Phú, task led by the lead reviewer",
    ),
    Case(
        "web:evidence_download",
        DUY_PHU_REPORT,
        kwargs=lambda t: {"evidence_id": t.evidence_id},
    ),
    # Units' own plans: the round overview for province-wide roles; a unit with a plan of its
    # own is sent to it, one without (a commune, the outsider) reads a notice.
    Case(
        "web:unitplan_round",
        signed_in(OK, lead_reviewer=REDIRECT, district=REDIRECT),
        post=signed_in(FORBIDDEN, coordinator=REDIRECT),
    ),
    # Duy Xuyên's plan: its own officers and the province-wide roles; not its communes.
    Case(
        "web:unitplan_detail",
        signed_in(OK, lead_reviewer=NOT_FOUND, commune=NOT_FOUND, outsider=NOT_FOUND),
        kwargs=lambda t: {"unit_plan_id": t.unit_plan_id},
        post=signed_in(BAD_REQUEST, lead_reviewer=NOT_FOUND, commune=NOT_FOUND, outsider=NOT_FOUND),
    ),
    Case(
        "web:unitplan_document",
        signed_in(NOT_FOUND),
        kwargs=lambda t: {"unit_plan_id": t.unit_plan_id},
        variant="no document attached: 404 for all",
    ),
    Case("web:audit_list", only(COORDINATION)),
    # Notifications are the user's own.
    Case("web:notification_list", signed_in(OK), post=signed_in(REDIRECT)),
    Case("web:notification_preferences", signed_in(OK), post=signed_in(BAD_REQUEST)),
    # Monitoring: the dashboard picks its view by role; drill-downs start at the province for
    # the province-wide roles and at the user's own unit for everyone else (empty outside).
    Case("web:dashboard", signed_in(OK)),
    Case("web:plan_status", signed_in(OK)),
    Case("web:completeness", signed_in(OK)),
    Case("web:overdue", signed_in(OK)),
    Case("web:league", signed_in(OK)),
    Case("web:task_rollup", signed_in(OK), kwargs=lambda t: {"task_id": t.task_id}),
    # The same pages on Duy Xuyên (?unit=508): its officers and the province-wide roles only;
    # its communes, other units and the outsider get 404 as for a unit that does not exist.
    *(
        Case(name, DUY_XUYEN_SCOPE, kwargs=kwargs, query="unit=508", variant="?unit=508")
        for name, kwargs in (
            ("web:completeness", lambda t: {}),
            ("web:overdue", lambda t: {}),
            ("web:league", lambda t: {}),
            ("web:task_rollup", lambda t: {"task_id": t.task_id}),
        )
    ),
    # The citizens' page: approved figures only, no login.
    Case("web:public_progress", everyone(OK)),
    # Documents: the province's report for Sở Nội vụ and the leaders; a unit's documents for
    # whoever may read the unit (checked on submit: the forms themselves are open); jobs and
    # uploads are their owner's only; spreadsheets for the reporting unit and Sở Nội vụ.
    Case("web:documents", signed_in(OK)),
    Case(
        "web:document_consolidated",
        only(("coordinator", "leader")),
        post=signed_in(FORBIDDEN, coordinator=BAD_REQUEST, leader=BAD_REQUEST),
    ),
    Case("web:document_unit_report", signed_in(OK), post=signed_in(BAD_REQUEST)),
    Case("web:document_unit_plan", signed_in(OK), post=signed_in(BAD_REQUEST)),
    Case(
        "web:document_job",
        signed_in(NOT_FOUND, commune=OK),
        kwargs=lambda t: {"job_id": t.document_job_id},
    ),
    Case(
        "web:document_job_status",
        signed_in(NOT_FOUND, commune=OK),
        kwargs=lambda t: {"job_id": t.document_job_id},
    ),
    Case(
        "web:document_job_download",
        signed_in(NOT_FOUND, commune=OK),
        kwargs=lambda t: {"job_id": t.document_job_id, "file_format": "docx"},
    ),
    Case("web:spreadsheet_reports", signed_in(OK)),
    Case(
        "web:spreadsheet_report",
        signed_in(NOT_FOUND, district=OK, coordinator=OK),
        kwargs=lambda t: {"report_id": t.district_report_id},
        post=signed_in(NOT_FOUND, district=BAD_REQUEST, coordinator=BAD_REQUEST),
    ),
    Case(
        "web:spreadsheet_import",
        signed_in(NOT_FOUND, district=OK),
        kwargs=lambda t: {"import_id": t.spreadsheet_import_id},
        post=signed_in(NOT_FOUND, district=BAD_REQUEST),
        variant="a file with errors: it cannot be committed",
    ),
    Case("web:dhis2", only(("coordinator",)), post=signed_in(FORBIDDEN, coordinator=BAD_REQUEST)),
    Case("web:dhis2_export", only(("coordinator",))),
    Case("web:dhis2_mapping", only(("coordinator",))),
    Case("web:table_export", signed_in(OK), kwargs=lambda t: {"name": "tasks"}),
    Case(
        "web:table_export",
        only(COORDINATION),
        kwargs=lambda t: {"name": "audit"},
        variant="audit",
    ),
]


def _upload(name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


API_CASES = [
    Case(
        "POST /api/v1/documents/consolidated-report",
        api_user(FORBIDDEN, coordinator=ACCEPTED, leader=ACCEPTED),
        body=lambda t: {"period": "2020S2", "with_pdf": False},
    ),
    Case(
        "POST /api/v1/documents/unit-report",
        api_user(ACCEPTED, outsider=FORBIDDEN),
        body=lambda t: {"unit": "20605", "period": "2020S2", "with_pdf": False},
        variant="Duy Phú: itself, its district, its lead agency and the province-wide roles",
    ),
    Case(
        "POST /api/v1/documents/unit-plan-template",
        api_user(
            FORBIDDEN,
            commune=ACCEPTED,
            coordinator=ACCEPTED,
            leader=ACCEPTED,
            administrator=ACCEPTED,
        ),
        body=lambda t: {"unit": "20605", "with_pdf": False},
    ),
    Case(
        "GET /api/v1/documents/jobs/{job_id}",
        api_user(NOT_FOUND, commune=OK),
        kwargs=lambda t: {"job_id": t.document_job_id},
    ),
    Case(
        "GET /api/v1/documents/jobs/{job_id}/download",
        api_user(NOT_FOUND, commune=OK),
        kwargs=lambda t: {"job_id": t.document_job_id},
    ),
    Case(
        "GET /api/v1/reports/{report_id}/spreadsheet-template",
        api_user(NOT_FOUND, district=OK, coordinator=OK),
        kwargs=lambda t: {"report_id": t.district_report_id},
    ),
    Case(
        "POST /api/v1/reports/{report_id}/spreadsheet-imports",
        api_user(NOT_FOUND, district=INVALID, coordinator=INVALID),
        kwargs=lambda t: {"report_id": t.district_report_id},
        body=lambda t: {"file": _upload("mau.xlsx", b"%PDF-1.4 not a workbook")},
        multipart=True,
        variant="a PDF renamed .xlsx: refused with its reason",
    ),
    Case(
        "POST /api/v1/spreadsheet-imports/{import_id}/commit",
        api_user(NOT_FOUND, district=INVALID),
        kwargs=lambda t: {"import_id": t.spreadsheet_import_id},
        variant="a file with errors: it cannot be committed",
    ),
    Case("GET /api/v1/dhis2/mapping", api_user(FORBIDDEN, coordinator=OK)),
    Case("GET /api/v1/dhis2/data-values", api_user(FORBIDDEN, coordinator=OK)),
    Case(
        "POST /api/v1/dhis2/data-values",
        api_user(FORBIDDEN, coordinator=OK),
        body=lambda t: {"file": _upload("data.json", b'{"dataValues": []}')},
        multipart=True,
        variant="an empty data value set, dry run",
    ),
    Case("GET /api/v1/exports/{name}", api_user(OK), kwargs=lambda t: {"name": "tasks"}),
    Case("GET /api/v1/openapi.json", everyone(OK)),
    Case("GET /api/v1/", everyone(NOT_FOUND), variant="no interactive docs (CDN)"),
    Case(
        "POST /api/v1/auth/token",
        everyone(OK),
        body=lambda t: {},  # filled per role with that role's credentials
        variant="each role's own credentials; anonymous: a wrong password → 401",
    ),
    Case("GET /api/v1/provinces", everyone(OK)),
    Case("GET /api/v1/provinces/{code}/scores", everyone(OK), kwargs=lambda t: {"code": "49"}),
    Case("GET /api/v1/plans", everyone(OK)),
    Case("GET /api/v1/plans/{plan_id}", everyone(OK), kwargs=lambda t: {"plan_id": t.plan_id}),
    Case(
        "GET /api/v1/plans/{plan_id}/evaluation",
        everyone(OK),
        kwargs=lambda t: {"plan_id": t.plan_id},
    ),
    Case("GET /api/v1/reports", api_user(OK)),
    Case("GET /api/v1/reports/{report_id}", DUY_PHU_REPORT_API, kwargs=report),
    # Unsafe moves are sent with a stale version, so nothing changes: the reviewers get 409,
    # the reporting unit 422 where the state forbids the move, the others 403, outsiders 404.
    Case(
        "PATCH /api/v1/reports/{report_id}",
        api_user(FORBIDDEN, commune=INVALID, lead_reviewer=NOT_FOUND, outsider=NOT_FOUND),
        kwargs=report,
        body=lambda t: {"version": 0},
        variant="submitted report: nobody edits it",
    ),
    Case(
        "POST /api/v1/reports/{report_id}/submit",
        api_user(FORBIDDEN, commune=INVALID, lead_reviewer=NOT_FOUND, outsider=NOT_FOUND),
        kwargs=report,
        body=lambda t: {"version": 0},
        variant="already submitted",
    ),
    Case(
        "POST /api/v1/reports/{report_id}/return",
        api_user(
            FORBIDDEN,
            coordinator=CONFLICT,
            district=CONFLICT,
            lead_reviewer=NOT_FOUND,
            outsider=NOT_FOUND,
        ),
        kwargs=report,
        body=lambda t: {"version": 0, "comment": "Bổ sung minh chứng."},
    ),
    Case(
        "POST /api/v1/reports/{report_id}/approve",
        api_user(
            FORBIDDEN,
            coordinator=CONFLICT,
            district=CONFLICT,
            lead_reviewer=NOT_FOUND,
            outsider=NOT_FOUND,
        ),
        kwargs=report,
        body=lambda t: {"version": 0},
    ),
    Case(
        "POST /api/v1/reports/{report_id}/reopen",
        api_user(FORBIDDEN, coordinator=INVALID, lead_reviewer=NOT_FOUND, outsider=NOT_FOUND),
        kwargs=report,
        body=lambda t: {"version": 0, "reason": "Mở lại để sửa số liệu."},
        variant="not approved: nobody reopens it",
    ),
    Case(
        "POST /api/v1/reports/{report_id}/evidence",
        api_user(FORBIDDEN, commune=INVALID, lead_reviewer=NOT_FOUND, outsider=NOT_FOUND),
        kwargs=report,
        body=lambda t: {"link": "https://quangnam.gov.vn/bien-ban", "description": "Biên bản"},
        multipart=True,
        variant="submitted report: evidence is locked",
    ),
    Case(
        "GET /api/v1/evidence/{evidence_id}/download",
        DUY_PHU_REPORT_API,
        kwargs=lambda t: {"evidence_id": t.evidence_id},
    ),
    Case("GET /api/v1/surveys/questionnaires", everyone(OK)),
    Case(
        "GET /api/v1/surveys/questionnaires/{version}/codebook",
        everyone(OK),
        kwargs=lambda t: {"version": "papi-aligned-v1"},
    ),
    Case("GET /api/v1/surveys", api_user(OK)),
    Case(
        "GET /api/v1/surveys/{survey_id}",
        api_user(OK),
        kwargs=lambda t: {"survey_id": t.survey_id},
    ),
    Case("GET /api/v1/notifications", api_user(OK)),
    Case(
        "POST /api/v1/notifications/{notification_id}/read",
        api_user(NOT_FOUND, commune=OK),
        kwargs=lambda t: {"notification_id": t.notification_id},
        variant="demo-commune's own notice",
    ),
    # Monitoring: the same scopes as the pages; a unit without reports on the task is 404.
    Case(
        "GET /api/v1/tasks/{task_id}/rollup",
        api_user(OK, lead_reviewer=NOT_FOUND, outsider=NOT_FOUND),
        kwargs=lambda t: {"task_id": t.task_id},
    ),
    Case("GET /api/v1/completeness", api_user(OK)),
    Case(
        "GET /api/v1/completeness",
        api_user(OK, lead_reviewer=NOT_FOUND, commune=NOT_FOUND, outsider=NOT_FOUND),
        query="unit=508",
        variant="?unit=508",
    ),
    Case(
        "GET /api/v1/tasks/{task_id}/rollup",
        api_user(OK, lead_reviewer=NOT_FOUND, commune=NOT_FOUND, outsider=NOT_FOUND),
        kwargs=lambda t: {"task_id": t.task_id},
        query="unit=508",
        variant="?unit=508",
    ),
    Case(
        "GET /api/v1/plans/{plan_id}/status",
        api_user(OK),
        kwargs=lambda t: {"plan_id": t.plan_id},
    ),
]


# --- what exists -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    path: str  # the pattern as written, with converters
    namespace: str


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[Route]:
    routes: list[Route] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            routes += _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            routes.append(Route(name=name, path=prefix + str(pattern.pattern), namespace=namespace))
    return routes


def all_routes() -> list[Route]:
    return _walk(get_resolver().url_patterns)


def openapi_operations(client: Client) -> list[str]:
    schema = client.get("/api/v1/openapi.json").json()
    return [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    ]


# Routes of the API namespace are checked per OpenAPI operation (below), except these two.
API_ROUTES_OUTSIDE_THE_SCHEMA = {
    "api:openapi-json": "GET /api/v1/openapi.json",
    "api:api-root": "GET /api/v1/",
}


def test_every_url_has_an_entry(client):
    web_names = {case.name for case in WEB_CASES}
    api_names = {case.name for case in API_CASES}
    missing_web = sorted(
        {
            f"{route.name}  (/{route.path})"
            for route in all_routes()
            if route.namespace != "admin"
            and not route.namespace.startswith("api")
            and route.name not in web_names
        }
    )
    missing_api = sorted(set(openapi_operations(client)) - api_names)
    missing_api += sorted(
        operation
        for name, operation in API_ROUTES_OUTSIDE_THE_SCHEMA.items()
        if operation not in api_names
    )

    assert (missing_web, missing_api) == ([], []), (
        "URLs without an entry in the permission matrix (tests/test_permission_matrix.py).\n"
        + "".join(
            f'  web: {entry}\n    → add Case("{entry.split()[0]}", <expected per role>, '
            "kwargs=lambda t: {...}) to WEB_CASES\n"
            for entry in missing_web
        )
        + "".join(
            f'  api: {operation}\n    → add Case("{operation}", api_user(...) or everyone(...)'
            ") to API_CASES\n"
            for operation in missing_api
        )
        + "Expected outcomes: signed_in(OK, outsider=NOT_FOUND, …), only((roles…)), "
        "everyone(OK), api_user(…); object URLs take ids of Duy Phú's objects from Targets."
    )


def test_no_entry_names_a_url_that_is_gone(client):
    names = {route.name for route in all_routes()}
    operations = set(openapi_operations(client)) | set(API_ROUTES_OUTSIDE_THE_SCHEMA.values())

    assert [case.id for case in WEB_CASES if case.name not in names] == []
    assert [case.id for case in API_CASES if case.name not in operations] == []


# --- running the cases -----------------------------------------------------------------------


@pytest.fixture
def targets(db: None, demo_survey_id: int) -> Targets:  # noqa: F811 - the imported fixture
    from papitrack.accounts.models import User
    from papitrack.notifications.enums import Audience, NoticeKind
    from papitrack.notifications.models import Notification
    from papitrack.plans.models import Plan
    from papitrack.reports.models import Evidence, Report
    from papitrack.unitplans.models import UnitPlan

    plan = Plan.objects.get(code="QNA-4055-2020")
    duy_phu = Report.objects.filter(unit__code="20605", period__code="2020Q3")
    submitted = duy_phu.get(task__key="D2-T4")
    commune = User.objects.get(username="demo-commune")
    notice = Notification.objects.create(
        recipient=commune,
        kind=NoticeKind.RETURNED,
        audience=Audience.REPORTING_UNIT,
        report=submitted,
        message="Báo cáo bị trả lại.",
        created_for_day=submitted.due_date,
        created_at=timezone.now(),
    )
    return Targets(
        plan_id=plan.pk,
        task_id=submitted.task_id,
        report_id=submitted.pk,
        report_version=submitted.version,
        led_report_id=duy_phu.get(task__key="D2-T2").pk,
        evidence_id=Evidence.objects.filter(report=submitted).exclude(stored_name="").first().pk,
        unit_plan_id=UnitPlan.objects.filter(unit__code="508").latest("pk").pk,
        survey_id=demo_survey_id,
        notification_id=notice.pk,
        **document_targets(commune),
    )


def document_targets(commune: Any) -> dict[str, int]:
    from papitrack.accounts.models import User
    from papitrack.exports.models import DocumentJob, SpreadsheetImport
    from papitrack.reports.models import Report

    job = DocumentJob.objects.create(
        kind="unit_plan_template",
        parameters={},
        title="Mẫu kế hoạch",
        file_stem="ke-hoach-20605",
        status="done",
        progress=100,
        docx=b"PK\x03\x04 test",
        with_pdf=False,
        requested_by=commune,
    )
    district_report = Report.objects.get(task__key="D2-T1", unit__code="508", period__code="2020S2")
    upload = SpreadsheetImport.objects.create(
        report=district_report,
        file_name="mau.xlsx",
        sha256="0" * 64,
        content=b"not a workbook",
        report_version=district_report.version,
        status="rejected",
        summary={"errors": [{"row": 6, "column": "C", "message": "x", "is_error": True}]},
        uploaded_by=User.objects.get(username="demo-district"),
    )
    return {
        "document_job_id": job.pk,
        "district_report_id": district_report.pk,
        "spreadsheet_import_id": upload.pk,
    }


def outcome(response: Any) -> int | str:
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="):
        return LOGIN
    return int(response.status_code)


def signed_in_client(role: str, *, enforce_csrf: bool = False) -> Client:
    from papitrack.accounts.models import User

    client = Client(enforce_csrf_checks=enforce_csrf)
    if role != "anonymous":
        client.force_login(User.objects.get(username=ACCOUNTS[role]))
    return client


def web_url(case: Case, targets: Targets) -> str:
    url = reverse(case.name, kwargs=case.kwargs(targets))
    return f"{url}?{case.query}" if case.query else url


def mismatches(expected: Expected, actual: Expected) -> list[str]:
    return [
        f"{role}: expected {expected[role]}, got {actual[role]}"
        for role in ROLES
        if expected[role] != actual[role]
    ]


@pytest.mark.parametrize("case", WEB_CASES, ids=lambda case: case.id)
def test_web_get(case: Case, targets: Targets) -> None:
    url = web_url(case, targets)
    actual = {role: outcome(signed_in_client(role).get(url)) for role in ROLES}

    assert mismatches(case.expected, actual) == [], url


@pytest.mark.parametrize("case", [case for case in WEB_CASES if case.post], ids=lambda c: c.id)
def test_web_post_with_csrf_token_and_no_data(case: Case, targets: Targets) -> None:
    url = web_url(case, targets)
    assert case.post is not None
    actual = {role: outcome(signed_in_client(role).post(url)) for role in ROLES}

    assert mismatches(case.post, actual) == [], url


@pytest.mark.parametrize("case", WEB_CASES, ids=lambda case: case.id)
def test_web_post_without_csrf_token_is_refused(case: Case, targets: Targets) -> None:
    url = web_url(case, targets)
    for role in ("anonymous", "coordinator"):
        response = signed_in_client(role, enforce_csrf=True).post(url)

        assert response.status_code == FORBIDDEN, (role, url)


def test_web_pages_that_only_read_refuse_post(targets: Targets) -> None:
    client = signed_in_client("coordinator")
    writers = {case.name for case in WEB_CASES if case.post is not None}
    readers = [case for case in WEB_CASES if case.name not in writers]
    refused = {case.id: client.post(web_url(case, targets)).status_code for case in readers}

    assert refused == dict.fromkeys((case.id for case in readers), NOT_ALLOWED)


# --- the API ---------------------------------------------------------------------------------


def api_path(case: Case, targets: Targets) -> tuple[str, str]:
    method, path = case.name.split(" ", 1)
    path = path.format(**case.kwargs(targets))
    return method, f"{path}?{case.query}" if case.query else path


def token_for(role: str) -> dict[str, str]:
    """A bearer token as POST /auth/token issues it, minus the slow password check."""
    from papitrack.accounts.models import ApiToken, User
    from papitrack.accounts.services import API_TOKEN_LIFETIME, hash_token

    if role == "anonymous":
        return {}
    key = f"matrix-{role}"
    ApiToken.objects.get_or_create(
        key_hash=hash_token(key),
        defaults={
            "user": User.objects.get(username=ACCOUNTS[role]),
            "expires_at": timezone.now() + API_TOKEN_LIFETIME,
        },
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def call(client: Client, case: Case, targets: Targets, headers: dict[str, str]) -> Any:
    method, path = api_path(case, targets)
    body = case.body(targets) if case.body else None
    if case.multipart:
        return client.post(path, body or {}, **headers)
    if body is None:
        return client.generic(method, path, **headers)
    return client.generic(
        method, path, json.dumps(body), content_type="application/json", **headers
    )


@pytest.mark.parametrize("case", API_CASES, ids=lambda case: case.id)
def test_api(case: Case, targets: Targets) -> None:
    client = Client()
    actual: Expected = {}
    for role in ROLES:
        if case.name == "POST /api/v1/auth/token":
            username = ACCOUNTS.get(role, "demo-commune")
            password = PASSWORD if role != "anonymous" else "sai-mat-khau"
            response = client.post(
                "/api/v1/auth/token",
                json.dumps({"username": username, "password": password}),
                content_type="application/json",
            )
            actual[role] = response.status_code
            continue
        actual[role] = outcome(call(client, case, targets, token_for(role)))
    expected = dict(case.expected)
    if case.name == "POST /api/v1/auth/token":
        expected["anonymous"] = UNAUTHORIZED

    assert mismatches(expected, actual) == [], case.id


@pytest.mark.parametrize(
    "case",
    [
        case
        for case in API_CASES
        if not case.name.startswith("GET ") and "auth/token" not in case.name
    ],
    ids=lambda case: case.id,
)
def test_api_session_without_csrf_token_is_refused(case: Case, targets: Targets) -> None:
    client = signed_in_client("commune", enforce_csrf=True)

    response = call(client, case, targets, {})

    assert response.status_code == FORBIDDEN, response.content


# --- the admin -------------------------------------------------------------------------------

ADMIN_PLACEHOLDERS = {"object_id": "1", "app_label": "accounts", "content_type_id": "1", "url": "x"}


def admin_urls() -> list[str]:
    urls = []
    for route in all_routes():
        if route.namespace != "admin":
            continue
        name = route.name
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            # The pattern takes arguments: fill in placeholders.
            kwargs = {
                key: value
                for key, value in ADMIN_PLACEHOLDERS.items()
                if f"<{key}>" in route.path
                or f":{key}>" in route.path
                or f"(?P<{key}>" in route.path
            }
            try:
                urls.append(reverse(name, kwargs=kwargs))
            except NoReverseMatch:
                continue
    return sorted(set(urls))


SIGN_IN_PAGES = ("/admin/login/", "/accounts/login/")


def test_admin_is_for_the_administrator_only(db: None) -> None:
    urls = admin_urls()
    administrator = signed_in_client("administrator")
    others = {role: signed_in_client(role) for role in ("anonymous", "coordinator", "outsider")}
    wrong: list[str] = []
    for url in urls:
        if url == reverse("admin:logout"):
            continue  # POST only, and not a page
        for role, client in others.items():
            response = client.get(url)
            location = response.get("Location", "")
            if response.status_code != 302 or not location.startswith(SIGN_IN_PAGES):
                wrong.append(f"{role} GET {url}: {response.status_code} {location}")
        # Read-only admin pages answer 403 to add/delete; unknown ids redirect; never 5xx.
        status = administrator.get(url).status_code
        if status >= 500:
            wrong.append(f"administrator GET {url}: {status}")

    assert len(urls) > 20
    assert wrong == []
