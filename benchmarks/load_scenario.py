"""The users of the deadline-rush benchmark (load_deadline_rush.py): who they are, what they do.

`prepare` runs inside Django, in a child process, against the benchmark's own database: it
creates the load-test accounts and precomputes what each reporter enters. The rest is the load
generator: standard-library HTTP to 127.0.0.1, one thread per simulated user.
"""

from __future__ import annotations

import http.client
import json
import math
import random
import re
import secrets
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "papitrack-load-test"  # noqa: S105 - throwaway accounts in a throwaway database
PERIOD = "2020Q4"
REQUEST_TIMEOUT = 60.0
# Share of each action per role; tuned so the whole mix is about 70/20/10 (printed per run).
ROLE_ACTIONS = {
    "reporter": {"dashboard": 0.67, "entry": 0.28, "export": 0.05},
    "reviewer": {"dashboard": 0.55, "entry": 0.35, "export": 0.10},
    "leader": {"dashboard": 0.85, "entry": 0.0, "export": 0.15},
}
EVIDENCE_BYTES = 256 * 1024


def prepare(out: Path, users: int, seed: int) -> None:
    """Migrate, load the demo, create the load-test accounts and write the scenario file."""
    sys.path.insert(0, str(ROOT))
    import django  # noqa: PLC0415 - Django is set up only in this child process

    django.setup()
    from django.contrib.auth.hashers import make_password  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    from papitrack.accounts.enums import Role  # noqa: PLC0415
    from papitrack.accounts.models import User  # noqa: PLC0415
    from papitrack.accounts.services import create_or_update_user  # noqa: PLC0415
    from papitrack.orgunits.enums import UnitKind  # noqa: PLC0415
    from papitrack.orgunits.models import OrgUnit  # noqa: PLC0415
    from papitrack.plans.models import Plan  # noqa: PLC0415
    from papitrack.reports.models import Report  # noqa: PLC0415
    from papitrack.reports.services import child_units_for  # noqa: PLC0415
    from papitrack.tasks.enums import KpiKind  # noqa: PLC0415

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", seed=seed)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"demo loaded in {time.perf_counter() - started:.0f} s", flush=True)
    rng = random.Random(seed)
    plan = Plan.objects.get(code="QNA-4055-2020")

    def edit_for(report: Report) -> tuple[dict[str, Any], list[str]]:
        values: list[dict[str, Any]] = []
        children: list[dict[str, Any]] = []
        evidence: list[str] = []
        for kpi in report.task.kpis.all():
            child_units = child_units_for(report, kpi)
            if child_units:
                children += [
                    {"kpi_code": kpi.code, "child_code": child.code, "answer": True}
                    for child in child_units
                ]
            elif kpi.kind in {KpiKind.RATIO, KpiKind.EXTERNAL}:
                denominator = rng.randint(5, 400)
                values.append(
                    {
                        "kpi_code": kpi.code,
                        "numerator": str(rng.randint(0, denominator)),
                        "denominator": str(denominator),
                    }
                )
            elif kpi.kind == KpiKind.SHARE_OF_UNITS:
                values.append({"kpi_code": kpi.code, "answer": True})
                evidence.append(kpi.code)
            elif kpi.kind == KpiKind.COUNT:
                values.append({"kpi_code": kpi.code, "count": str(rng.randint(0, 12))})
            else:
                values.append(
                    {
                        "kpi_code": kpi.code,
                        "milestone_status": "done",
                        "completed_on": "2020-12-10",
                        "document_number": f"{rng.randint(1, 300)}/BC-UBND",
                    }
                )
        narrative = {"results": "Đã triển khai đầy đủ các nội dung của nhiệm vụ trong quý IV."}
        return {"values": values, "child_answers": children, "narrative": narrative}, evidence

    drafts = Report.objects.filter(period__code=PERIOD, status="draft").select_related(
        "unit__parent", "task", "period"
    )
    by_unit: dict[str, list[Report]] = {}
    for report in drafts:
        by_unit.setdefault(report.unit.code, []).append(report)
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=by_unit)}
    communes = sorted(code for code in by_unit if units[code].kind == UnitKind.COMMUNE)
    others = sorted(code for code in by_unit if units[code].kind != UnitKind.COMMUNE)
    n_reporters = max(1, round(users * 0.6))
    n_reviewers = max(1, round(users * 0.16))
    n_leaders = max(0, users - n_reporters - n_reviewers)
    # Mostly communes (they are most of the province's reporting units), some others.
    chosen = rng.sample(communes, min(len(communes), n_reporters - n_reporters // 5))
    chosen += rng.sample(others, min(len(others), n_reporters - len(chosen)))

    scenario: dict[str, Any] = {"people": []}
    usernames: list[str] = []
    for code in chosen:
        unit = units[code]
        username = f"load-reporter-{code}"
        create_or_update_user(username=username, password=None, unit=unit, full_name=username)
        usernames.append(username)
        reports = {}
        for report in by_unit[code]:
            edit, evidence = edit_for(report)
            reports[str(report.pk)] = {"edit": edit, "evidence": evidence}
        scenario["people"].append(
            {"username": username, "role": "reporter", "unit": code, "reports": reports}
        )
    districts = sorted(
        {units[code].parent.code for code in chosen if units[code].kind == UnitKind.COMMUNE}
    )
    reviewer_units = ["QNA-SNV", *districts][:n_reviewers]
    for code in reviewer_units:
        unit = OrgUnit.objects.get(code=code)
        role = Role.COORDINATOR if code == "QNA-SNV" else Role.UNIT_REPORTER
        username = f"load-reviewer-{code}"
        create_or_update_user(
            username=username, password=None, unit=unit, role=role, full_name=username
        )
        usernames.append(username)
        reviews = (
            sorted(child.code for child in unit.children.filter(kind=UnitKind.COMMUNE))
            if role != Role.COORDINATOR
            else []
        )
        scenario["people"].append(
            {"username": username, "role": "reviewer", "unit": code, "reviews": reviews}
        )
    province = User.objects.get(username="demo-leader").unit
    for number in range(n_leaders):
        username = f"load-leader-{number + 1}"
        create_or_update_user(
            username=username, password=None, unit=province, role=Role.LEADER, full_name=username
        )
        usernames.append(username)
        scenario["people"].append({"username": username, "role": "leader", "unit": province.code})
    # One hash for every load account: hashing 50 passwords would take half a minute and
    # measure nothing; each login still verifies the password at full cost.
    User.objects.filter(username__in=usernames).update(password=make_password(PASSWORD))

    # Pages and exports per role; each is checked once here so that a page that does not exist
    # (yet) is left out and listed, instead of counting as an error of the load test.
    tasks = list(plan.tasks.order_by("position").values_list("pk", flat=True))
    dimensions = list(plan.index.dimensions.exclude(code="overall").values_list("code", flat=True))
    common = ["/", f"/plans/{plan.pk}/", f"/plans/{plan.pk}/tasks/", "/dashboard/", "/reports/"]
    pages = {
        "leader": [
            *common,
            "/monitoring/status/",
            "/monitoring/completeness/",
            "/monitoring/overdue/",
            "/monitoring/league/",
            *[f"/plans/{plan.pk}/dimensions/{code}/" for code in dimensions[:4]],
            *[f"/monitoring/tasks/{task}/" for task in tasks[:3]],
            f"/units/{province.code}/",
            "/papi/",
        ],
        "reviewer": [
            *common,
            "/reports/?status=submitted",
            "/monitoring/completeness/",
            "/monitoring/overdue/",
        ],
        "reporter": [*common, f"/reports/?period={PERIOD}", "/notifications/"],
    }
    exports = {
        "leader": ["/monitoring/status/?export=dimensions", "/monitoring/status/?export=tasks"],
        "reviewer": ["/dashboard/?export=children", "/dashboard/?export=overdue"],
        "reporter": ["/dashboard/?export=overdue"],
    }
    # Checked once per kind of person (role, account role, unit level), not per person.
    dropped: set[str] = set()
    profile: list[tuple[float, int, str]] = []
    checked: dict[tuple[str, str, str], tuple[list[str], list[str]]] = {}
    for person in scenario["people"]:
        user = User.objects.select_related("unit").get(username=person["username"])
        kind = (person["role"], user.role, user.unit.kind if user.unit else "")
        if kind not in checked:
            client = Client()
            client.force_login(user)
            found: tuple[list[str], list[str]] = ([], [])
            for paths, candidates in zip(found, (pages[kind[0]], exports[kind[0]]), strict=True):
                for path in candidates:
                    status = client.get(path).status_code  # the first request warms caches
                    if status != 200:
                        dropped.add(f"{kind[0]} ({kind[1]}, {kind[2]}) {path}: {status}")
                        continue
                    paths.append(path)
                    # One unloaded request, in process: its time and its number of queries.
                    with CaptureQueriesContext(connection) as queries:
                        began = time.perf_counter()
                        client.get(path)
                        milliseconds = (time.perf_counter() - began) * 1000
                    profile.append((milliseconds, len(queries), f"{kind[0]} ({kind[1]}) {path}"))
            checked[kind] = found
        person["pages"], person["exports"] = (list(paths) for paths in checked[kind])
        if person["role"] != "leader":
            person["pages"].append(f"/units/{person['unit']}/")
    scenario["dropped"] = sorted(dropped)
    print("unloaded, one request in process (ms, queries), slowest first:")
    for milliseconds, count, label in sorted(profile, reverse=True):
        print(f"  {milliseconds:7.0f} ms {count:5d} queries  {label}")
    scenario["reports"] = sum(len(p.get("reports", {})) for p in scenario["people"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    out.write_text(json.dumps(scenario, ensure_ascii=False))
    print(f"prepared in {time.perf_counter() - started:.0f} s", flush=True)


# --- HTTP ---------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    body: bytes
    cookies: dict[str, str]
    location: str


def http_request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        cookies: dict[str, str] = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            parsed = SimpleCookie()
            parsed.load(header)
            cookies.update({name: morsel.value for name, morsel in parsed.items()})
        return Answer(response.status, data, cookies, response.headers.get("Location", ""))
    finally:
        connection.close()


@dataclass
class Sample:
    name: str
    category: str
    milliseconds: float
    outcome: str  # ok, refused (expected business refusal), error


@dataclass
class Person:
    """One simulated user: a session for the pages, a bearer token for the API."""

    spec: dict[str, Any]
    port: int
    samples: list[Sample]
    rng: random.Random
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""
    state: str = "list"
    current: int | None = None
    version: int = 0
    pending_evidence: list[str] = field(default_factory=list)
    tried: set[tuple[int, int]] = field(default_factory=set)

    def call(
        self,
        name: str,
        category: str,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        content_type: str = "",
        api: bool = False,
        expected: tuple[int, ...] = (200,),
        refusals: tuple[int, ...] = (),
    ) -> Answer | None:
        headers = {"Host": "127.0.0.1"}
        if content_type:
            headers["Content-Type"] = content_type
        if api and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        elif self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if method != "GET":
                headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        started = time.perf_counter()
        try:
            answer = http_request(self.port, method, path, body, headers)
        except OSError as error:
            self.samples.append(
                Sample(name, category, _ms(started), f"error {type(error).__name__}")
            )
            return None
        milliseconds = _ms(started)
        self.cookies.update(answer.cookies)
        if answer.status in expected:
            outcome = "ok"
        elif answer.status in refusals:
            outcome = "refused"
        else:
            outcome = f"error {answer.status}"
        self.samples.append(Sample(name, category, milliseconds, outcome))
        return answer if outcome == "ok" else None

    def login(self) -> bool:
        page = self.call("login page", "login", "GET", "/accounts/login/")
        match = re.search(
            rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body if page else b""
        )
        if match is None:
            return False
        form = urllib.parse.urlencode(
            {
                "username": self.spec["username"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": match.group(1).decode(),
                "next": "/",
            }
        ).encode()
        signed_in = self.call(
            "login (session)",
            "login",
            "POST",
            "/accounts/login/",
            body=form,
            content_type="application/x-www-form-urlencoded",
            expected=(302,),
        )
        if signed_in is None or "sessionid" not in self.cookies:
            return False
        if self.spec["role"] == "leader":
            return True
        credentials = json.dumps({"username": self.spec["username"], "password": PASSWORD})
        answer = self.call(
            "login (API token)",
            "login",
            "POST",
            "/api/v1/auth/token",
            body=credentials.encode(),
            content_type="application/json",
            api=True,
        )
        if answer is None:
            return False
        self.token = json.loads(answer.body)["access_token"]
        return True

    def act(self) -> None:
        weights = ROLE_ACTIONS[self.spec["role"]]
        action = self.rng.choices(list(weights), weights=list(weights.values()))[0]
        if action == "entry" and self._entry():
            return
        if action == "export" and self.spec["exports"]:
            path = self.rng.choice(self.spec["exports"])
            self.call(f"export {path.split('?')[0]}?{path.split('?')[1]}", "export", "GET", path)
            return
        path = self.rng.choice(self.spec["pages"])
        self.call(f"page {_page_name(path)}", "dashboard", "GET", path)

    def _entry(self) -> bool:
        if self.spec["role"] == "reporter":
            return self._report_step()
        return self._review_step()

    def _report_step(self) -> bool:
        reports = self.spec["reports"]
        if self.state == "list":
            query = urllib.parse.urlencode({"unit": self.spec["unit"], "period": PERIOD})
            answer = self.call(
                "api list own reports", "entry", "GET", f"/api/v1/reports?{query}", api=True
            )
            if answer is None:
                return True
            open_reports = [
                item["id"]
                for item in json.loads(answer.body)
                if item["status"] in {"draft", "returned"} and str(item["id"]) in reports
            ]
            if not open_reports:
                self.spec["reports"] = {}
                return True
            self.current, self.state = open_reports[0], "open"
            return True
        if not reports or self.current is None:
            return False
        path = f"/api/v1/reports/{self.current}"
        plan = reports[str(self.current)]
        if self.state == "open":
            answer = self.call("api open report", "entry", "GET", path, api=True)
            if answer is not None:
                detail = json.loads(answer.body)
                self.version = detail["version"]
                have = {item["kpi_code"] for item in detail["evidence"]}
                self.pending_evidence = [code for code in plan["evidence"] if code not in have]
            self.state = "patch" if answer is not None else "list"
            return True
        if self.state == "patch":
            body = json.dumps({"version": self.version, **plan["edit"]}).encode()
            answer = self.call(
                "api save values",
                "entry",
                "PATCH",
                path,
                body=body,
                content_type="application/json",
                api=True,
                refusals=(409, 422),
            )
            self._advance(answer, "evidence" if self.pending_evidence else "submit")
            return True
        if self.state == "evidence" and self.pending_evidence:
            code = self.pending_evidence.pop(0)
            content_type, body = _multipart(code, self.rng.randbytes(EVIDENCE_BYTES))
            answer = self.call(
                "api upload evidence",
                "entry",
                "POST",
                f"{path}/evidence",
                body=body,
                content_type=content_type,
                api=True,
                refusals=(409, 422),
            )
            self._advance(answer, "evidence" if self.pending_evidence else "submit")
            return True
        body = json.dumps({"version": self.version}).encode()
        answer = self.call(
            "api submit",
            "entry",
            "POST",
            f"{path}/submit",
            body=body,
            content_type="application/json",
            api=True,
            refusals=(409, 422),
        )
        if answer is None:  # refused (e.g. incomplete): this report is left to its unit
            reports.pop(str(self.current), None)
        self.state = "list"
        return True

    def _advance(self, answer: Answer | None, next_state: str) -> None:
        if answer is None:
            self.state = "list"
            return
        self.version = json.loads(answer.body)["version"]
        self.state = next_state

    def _review_step(self) -> bool:
        if self.state == "list":
            answer = self.call(
                "api list submitted",
                "entry",
                "GET",
                "/api/v1/reports?status=submitted&limit=200",
                api=True,
            )
            if answer is None:
                return True
            reviews = set(self.spec["reviews"])
            candidates = [
                (item["id"], item["version"])
                for item in json.loads(answer.body)
                if (item["id"], item["version"]) not in self.tried
                and (not reviews or item["unit_code"] in reviews)
                and item["unit_code"] != self.spec["unit"]
            ]
            if candidates:
                choice = self.rng.choice(candidates)
                self.tried.add(choice)
                self.current, self.state = choice[0], "open"
            return True
        path = f"/api/v1/reports/{self.current}"
        if self.state == "open":
            answer = self.call("api open report", "entry", "GET", path, api=True)
            detail = json.loads(answer.body) if answer is not None else {}
            can_review = detail.get("permissions", {}).get("can_review")
            self.version = detail.get("version", 0)
            self.state = "decide" if can_review else "list"
            return True
        self.state = "list"
        if self.rng.random() < 0.15:
            body = {"version": self.version, "comment": "Đề nghị bổ sung số liệu và minh chứng."}
            name, move = "api return", "return"
        else:
            body, name, move = {"version": self.version}, "api approve", "approve"
        self.call(
            name,
            "entry",
            "POST",
            f"{path}/{move}",
            body=json.dumps(body).encode(),
            content_type="application/json",
            api=True,
            refusals=(409, 422),
        )
        return True


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _page_name(path: str) -> str:
    """Group pages by shape: ids and codes become placeholders."""
    shape = re.sub(r"/\d+/", "/<id>/", path.split("?")[0])
    shape = re.sub(r"/(units)/[^/]+/", r"/\1/<code>/", shape)
    shape = re.sub(r"/(dimensions)/[^/]+/", r"/\1/<code>/", shape)
    return shape + ("?" + path.split("?")[1] if "?" in path else "")


def _multipart(kpi_code: str, payload: bytes) -> tuple[str, bytes]:
    boundary = secrets.token_hex(12)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="kpi_code"\r\n\r\n{kpi_code}\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="bien-ban.pdf"'
        f"\r\nContent-Type: application/pdf\r\n\r\n",
    ]
    body = "".join(parts).encode() + b"%PDF-1.4\n" + payload + f"\r\n--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", body


# --- one run ------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else 0.0


def run_once(
    scenario: dict[str, Any],
    port: int,
    minutes: float,
    think: tuple[float, float],
    seed: int,
    snapshot: Any,
    login_concurrency: int,
) -> tuple[list[Sample], float, dict[str, Any]]:
    """Log every user in, then run the window; `snapshot()` is taken as the window starts."""
    people = [
        Person(
            spec=json.loads(json.dumps(spec)), port=port, samples=[], rng=random.Random(seed + i)
        )
        for i, spec in enumerate(scenario["people"])
    ]
    # Logins first, timed apart (each is ~0.25 s or more of PBKDF2 on the server), no more at
    # once than there are workers: people arrive over minutes, not in the same second.
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=login_concurrency) as pool:
        signed_in = list(pool.map(lambda person: person.login() or person.login(), people))
    login_seconds = time.perf_counter() - started
    failed = [p.spec["username"] for p, ok in zip(people, signed_in, strict=True) if not ok]
    if failed:
        raise RuntimeError(f"login failed for {failed[:5]}")
    window = minutes * 60
    window_start = snapshot()
    start = time.perf_counter()
    deadline = start + window

    def loop(person: Person) -> None:
        # Users start spread over one think time, as people do, not all in the same second.
        time.sleep(person.rng.uniform(0, think[1]))
        while time.perf_counter() < deadline:
            person.act()
            pause = person.rng.uniform(*think)
            if time.perf_counter() + pause >= deadline:
                break
            time.sleep(pause)

    threads = [threading.Thread(target=loop, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    samples = [sample for person in people for sample in person.samples]
    return samples, elapsed, {"login_seconds": login_seconds, "window_start": window_start}
