"""Server CPU per request of the pages of the deadline rush, with and without the cache.

Data: the development database with the full demo (var/papitrack.sqlite3: Quảng Nam, plan
4055, the replayed 2020 cycle with 14,875 expected reports), or DATABASE_URL's database, or
--database FILE. Nothing is written to it: sessions are signed cookies, the last-login stamp
is not updated, and the pages measured only read.

For each of demo-coordinator, demo-district and demo-leader (signed in with the Django test
client, DEBUG off), every page of the rush that answers 200 for that user:

- the plan overview (/plans/<id>/), one dimension page (/plans/<id>/dimensions/<code>/),
  the role dashboard (/dashboard/), the plan status (/monitoring/status/) and its XLSX export
  (?export=tasks), the report list (/reports/);
- **before** (the peer, in the same run): caching off (CACHES = DummyCache), every figure
  computed on each request as before this change;
- **after**: the configured cache (LocMemCache by default); its first call after clearing
  the cache is shown apart as **cold** (computes and stores), the repeats are hits;
- CPU time of this process (time.process_time: Python, the templates and, on SQLite, the
  database engine; PostgreSQL's own CPU is not counted) and wall time, median (min–max) of
  --repeats calls, before and after interleaved so other jobs on the machine weigh on both
  alike; queries per call;
- check: the response with the cache equals the one without (HTML with the CSRF tokens
  masked; XLSX cell by cell).

Run:
    .venv/bin/python benchmarks/page_costs.py                       # var/papitrack.sqlite3
    .venv/bin/python benchmarks/page_costs.py --repeats 20 --database /tmp/copy.sqlite3
    DATABASE_URL=postgres://u:p@host/db .venv/bin/python benchmarks/page_costs.py

Last line:
    mean_cpu_ms_before=<mean of the pages' medians> mean_cpu_ms_after=<same, cache hits>
    ratio=<after / before; the goal is ≤ 0.5, half the CPU per request>
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
USERS = ("demo-coordinator", "demo-district", "demo-leader")
GOAL_RATIO = 0.5
DUMMY_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
CSRF_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def log(message: str) -> None:
    print(message, flush=True)


@dataclass
class Sample:
    cpu_ms: list[float]
    wall_ms: list[float]

    @staticmethod
    def empty() -> Sample:
        return Sample(cpu_ms=[], wall_ms=[])

    def add(self, cpu: float, wall: float) -> None:
        self.cpu_ms.append(cpu * 1000)
        self.wall_ms.append(wall * 1000)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpu_ms)

    def text(self) -> str:
        return (
            f"cpu {self.cpu:.1f} ms ({min(self.cpu_ms):.1f}–{max(self.cpu_ms):.1f}), "
            f"wall {statistics.median(self.wall_ms):.1f} ms"
        )


def setup(args: argparse.Namespace) -> None:
    if args.database:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.database).resolve()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "papitrack.settings")
    os.environ["PAPITRACK_ALLOW_DEV_SECRET"] = "1"  # noqa: S105 - a switch, not a secret
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    import django  # noqa: PLC0415 - after the environment is set

    django.setup()
    from django.conf import settings  # noqa: PLC0415
    from django.contrib.auth.models import update_last_login  # noqa: PLC0415
    from django.contrib.auth.signals import user_logged_in  # noqa: PLC0415

    settings.ALLOWED_HOSTS = ["testserver"]
    # Read only: sessions travel in the cookie, the sign-in does not stamp last_login, and
    # static files need no collected manifest.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")


def machine() -> str:
    import django  # noqa: PLC0415
    from django.conf import settings  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    with connection.cursor() as cursor:
        engine = connection.vendor
        cursor.execute("select sqlite_version()" if engine == "sqlite" else "show server_version")
        version = cursor.fetchone()[0]
    load = os.getloadavg()
    return (
        f"machine: {cpu}, {os.cpu_count()} cores, load average {load[0]:.1f}; "
        f"Python {platform.python_version()}, Django {django.get_version()}, {engine} {version} "
        f"({connection.settings_dict['NAME']}); cache {settings.CACHES['default']['BACKEND']}; "
        "DEBUG=False"
    )


def problems_with_database() -> str:
    """Why the database cannot be measured, or ''."""
    from django.db import connection  # noqa: PLC0415
    from django.db.migrations.executor import MigrationExecutor  # noqa: PLC0415

    from papitrack.accounts.models import User  # noqa: PLC0415
    from papitrack.plans.models import Plan  # noqa: PLC0415

    build = (
        "build it: DEBUG=1 .venv/bin/python manage.py migrate && "
        "DEBUG=1 .venv/bin/python manage.py seed_demo"
    )
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return f"the database has unapplied migrations; run manage.py migrate (or {build})"
    if not Plan.objects.exists():
        return f"the database has no plan; {build}"
    missing = sorted(set(USERS) - set(User.objects.values_list("username", flat=True)))
    if missing:
        return f"the demo accounts {', '.join(missing)} are missing; {build}"
    return ""


def pages() -> list[tuple[str, str]]:
    from papitrack.monitoring.queries.dashboards import latest_plan  # noqa: PLC0415
    from papitrack.plans.models import PlanTarget  # noqa: PLC0415

    plan = latest_plan()
    assert plan is not None
    dimension = (
        PlanTarget.objects.filter(plan=plan, dimension__is_aggregate=False)
        .order_by("dimension__number")
        .values_list("dimension__code", flat=True)
        .first()
    )
    return [
        ("plan overview", f"/plans/{plan.pk}/"),
        ("dimension page", f"/plans/{plan.pk}/dimensions/{dimension}/"),
        ("dashboard", "/dashboard/"),
        ("monitoring status", "/monitoring/status/"),
        ("status XLSX export", "/monitoring/status/?export=tasks"),
        ("report list", "/reports/"),
    ]


@contextmanager
def caching(enabled: bool) -> Iterator[None]:
    from django.test.utils import override_settings  # noqa: PLC0415

    if enabled:
        yield
        return
    with override_settings(CACHES=DUMMY_CACHE):
        yield


def comparable(response: Any) -> Any:
    """The response's content without what differs on every request (CSRF tokens, the
    workbook's timestamps)."""
    content = response.content
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        from openpyxl import load_workbook  # noqa: PLC0415

        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return {
            sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in workbook.worksheets
        }
    return CSRF_TOKEN.sub(rb"\1-\2", content)


def timed(call: Callable[[], Any]) -> tuple[Any, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = call()
    return result, time.process_time() - cpu, time.perf_counter() - wall


def queries_of(call: Callable[[], Any]) -> int:
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def measure(args: argparse.Namespace) -> int:
    from django.core.cache import cache  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    from papitrack.accounts.models import User  # noqa: PLC0415

    log(machine())
    problem = problems_with_database()
    if problem:
        log(f"cannot measure: {problem}")
        return 2
    log(f"repeats: {args.repeats} per page and mode (medians; min–max), first call apart")
    rows: list[tuple[float, float]] = []
    skipped: list[str] = []
    mismatches: list[str] = []
    for username in USERS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for name, url in pages():

            def get(client: Client = client, url: str = url) -> Any:
                return client.get(url)

            with caching(False):
                # Warm-up: templates compiled, URL resolvers and the session loaded.
                response = get()
            if response.status_code != 200:
                skipped.append(f"{username} {name} ({response.status_code})")
                continue
            cache.clear()
            cold = Sample.empty()
            _, cpu, wall = timed(get)
            cold.add(cpu, wall)
            before, after = Sample.empty(), Sample.empty()
            for _ in range(args.repeats):
                with caching(False):
                    plain, cpu, wall = timed(get)
                before.add(cpu, wall)
                with caching(True):
                    hit, cpu, wall = timed(get)
                after.add(cpu, wall)
            with caching(False):
                queries_before = queries_of(get)
            queries_after = queries_of(get)
            same = comparable(plain) == comparable(hit)
            if not same:
                mismatches.append(f"{username} {name}")
            rows.append((before.cpu, after.cpu))
            log(
                f"{username:16} {name:19} before: {before.text()}, {queries_before} queries | "
                f"cold: {cold.text()} | after: {after.text()}, {queries_after} queries | "
                f"x{before.cpu / after.cpu:.1f}{'' if same else ' CONTENT DIFFERS'}"
            )
    if skipped:
        log(f"left out (not 200): {', '.join(skipped)}")
    if not rows:
        log("nothing measured")
        return 1
    mean_before = statistics.fmean(before for before, _ in rows)
    mean_after = statistics.fmean(after for _, after in rows)
    ratio = mean_after / mean_before
    log(
        f"check: {'every cached response equals the uncached one' if not mismatches else ''}"
        f"{'responses differ: ' + ', '.join(mismatches) if mismatches else ''}"
    )
    log(
        f"verdict: mean CPU per request {mean_before:.1f} → {mean_after:.1f} ms; goal ratio ≤ "
        f"{GOAL_RATIO}: {'met' if ratio <= GOAL_RATIO and not mismatches else 'NOT met'}"
    )
    print(
        f"mean_cpu_ms_before={mean_before:.1f} mean_cpu_ms_after={mean_after:.1f} "
        f"ratio={ratio:.2f}",
        flush=True,
    )
    return 0 if not mismatches else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=10, help="calls per page and mode")
    parser.add_argument(
        "--database", help="a SQLite file (default: DATABASE_URL or var/papitrack.sqlite3)"
    )
    args = parser.parse_args()
    setup(args)
    return measure(args)


if __name__ == "__main__":
    sys.exit(main())
