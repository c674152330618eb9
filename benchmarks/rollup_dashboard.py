"""Benchmark P4 and P2: the national KPI roll-up and the dashboard, on SQLite and PostgreSQL.

Data: a seeded national-scale tree (63 provinces: 57 small, 4 medium, 2 large; about 700
districts, 10,600 communes, 20 departments per province), one plan of 39 tasks shaped like
plan 4055 (8 dimensions with 1/7/5/6/6/8/2/4 tasks, KPI kinds as in domain.md §3.1),
expected reports for every quarter of 5 years (units as 4055 assigns them), values drawn
per kind (ratios binomial on a Poisson denominator, yes/no, Poisson counts, milestones),
about 5% of reports missing, 10% late, 5% returned, 16% waiting for review, and districts
answering for their communes that did not report. Built in a throwaway database (a SQLite
file under /tmp; with --postgres a throwaway cluster, or DATABASE_URL's server in a test_
database), then ANALYZE, as production would after a bulk load (quality.md §5.1 rule 8).

Jobs, each with one warm-up and the median of --repeats runs:

- P4 as quality.md defines it, "a one-period roll-up of all values to 63 provinces × all
  KPIs, computed on the fly": one quarter's values rolled up to the provinces × every KPI
  (monitoring.queries `member_rows` + `compute_tallies` with source=FACTS: the members
  counted from the period's ~250,000 report rows of the fact tables, monitoring/facts.py,
  its ~205,000 approved values read family by family, the district answers, then the
  pure roll-up rules), goal ≤ 0.5 s;
- the whole national roll-up the dashboard needs (`report_rows` + `compute_rollup`: the
  same values plus completeness, timeliness and the four task states), held against the
  same line and checked equal; the same from the reports and values themselves
  (source=LIVE: joins, no facts), checked equal; then the same as the pages get it, from the
  stored roll-ups (monitoring/stored_rollups.py, built with the facts after the load),
  checked equal; and the cost of refreshing after one report's workflow move (its facts
  rewritten, its (task, period) slice's stored rows regrouped), which each approval adds
  to its transaction;
- peer, in the same run on the same data: the row-by-row roll-up in Python over the ORM's
  rows (the same rules, so the answers must be equal; it also gives the mean of
  percentages, to show how far the wrong method is);
- the coordinator's dashboard of one province as P2 sets it up (served_page.py): gunicorn
  with 2 sync workers on loopback, DEBUG off, this process as the load generator; p50 with
  1 connection, p95 and requests/s with --clients connections, each the median of
  --page-runs runs of --page-seconds, after a discarded warm-up; goals ≤ 50 ms, ≤ 300 ms,
  ≥ 100 requests/s and no non-2xx answer;
- the same page through the Django test client in this process (1 client, then --clients
  threads sharing its GIL), as served from the cache and with the cache off (what each
  worker pays once after a workflow move).

Run:
    .venv/bin/python benchmarks/rollup_dashboard.py                  # SQLite
    .venv/bin/python benchmarks/rollup_dashboard.py --postgres       # SQLite, then PostgreSQL
    DATABASE_URL=postgres://u:p@host/db .venv/bin/python benchmarks/rollup_dashboard.py
    (options: --seed 42 --years 5 --repeats 5 --requests 20 --clients 8
     --uncached-requests 5 --page-seconds 10 --page-runs 3)

The last lines, one per engine:
    engine=<sqlite|postgresql> rollup_seconds=<median> dashboard_median_ms=<p50, 1 client>
    dashboard_p95_ms=<p95, N clients> speedup_vs_row_peer=<peer seconds / ours>
    dashboard_uncached_median_ms=<p50, cache off> dashboard_uncached_p95_ms=<p95, cache off>
    stored_rollup_ms=<national roll-up from the stored roll-ups> refresh_slice_ms=<one report moved>
    served_p50_ms=<gunicorn, 1 connection> served_p95_ms=<gunicorn, N connections>
    served_requests_per_second=<gunicorn, N connections> served_non_2xx=<count>
    rollup_from_reports_seconds=<the on-the-fly roll-up from the reports, no facts>
    values_rollup_seconds=<P4: the period's values alone rolled up on the fly, from the facts>
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
from load_deadline_rush import server_environment
from served_page import WORKERS, ServedFigures, measure_served_page

ROOT = Path(__file__).resolve().parent.parent
RESULT_PREFIX = "engine="
GOAL_ROLLUP_SECONDS = 0.5
GOAL_MEDIAN_MS = 50.0
GOAL_P95_MS = 300.0
GOAL_REQUESTS_PER_SECOND = 100.0
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# Plan 4055's KPI kinds per task (domain.md §3.1), dimension by dimension.
KINDS = [
    ["S"],
    ["S"], ["S"], ["S"], ["S"], ["S"], ["R"], ["C"],
    ["R", "R"], ["R"], ["V"], ["R"], ["S"],
    ["V"], ["V"], ["S"], ["S"], ["R"], ["R"],
    ["X"], ["R"], ["Q"], ["S"], ["R"], ["R", "R"],
    ["X"], ["X"], ["X"], ["C"], ["Q"], ["X"], ["X"], ["X"],
    ["R"], ["X"],
    ["X"], ["R"], ["Q", "R"], ["Q"],
]  # fmt: skip
TASKS_PER_DIMENSION = [1, 7, 5, 6, 6, 8, 2, 4]
KIND_NAMES = {
    "S": "share_of_units",
    "R": "ratio",
    "C": "count",
    "Q": "milestone",
    "X": "external",
    "V": "vague",
}


def log(message: str) -> None:
    print(message, flush=True)


def summary(times: list[float]) -> tuple[float, float, float]:
    return statistics.median(times), min(times), max(times)


# --- the parent: one child process per engine ------------------------------------------------


def parent(args: argparse.Namespace) -> int:
    forwarded = [
        f"--seed={args.seed}",
        f"--years={args.years}",
        f"--repeats={args.repeats}",
        f"--requests={args.requests}",
        f"--clients={args.clients}",
        f"--uncached-requests={args.uncached_requests}",
        f"--page-seconds={args.page_seconds}",
        f"--page-runs={args.page_runs}",
        *([f"--keep={args.keep}"] if args.keep else []),
    ]
    script = str(Path(__file__).resolve())
    results = []
    with tempfile.TemporaryDirectory(prefix="papitrack-bench-") as folder:
        sqlite_env = {**os.environ, "PAPITRACK_VAR_DIR": folder}
        sqlite_env.pop("DATABASE_URL", None)
        runs = [("sqlite", [sys.executable, script, "--child", *forwarded], sqlite_env)]
        if os.environ.get("DATABASE_URL"):
            runs.append(("postgresql", [sys.executable, script, "--child", *forwarded], None))
        elif args.postgres:
            wrapper = str(ROOT / "scripts" / "with_postgres.sh")
            runs.append(
                (
                    "postgresql",
                    ["bash", wrapper, sys.executable, script, "--child", *forwarded],
                    None,
                )
            )
        for engine, command, env in runs:
            log(f"\n=== {engine} ===")
            # Our own interpreter and script, with our own arguments.
            process = subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
            )
            assert process.stdout is not None
            for line in process.stdout:
                print(line, end="", flush=True)
                if line.startswith(RESULT_PREFIX):
                    results.append(line.strip())
            if process.wait() != 0:
                log(f"{engine}: the benchmark failed (exit {process.returncode}).")
                return 1
    log("")
    for line in results:
        print(line)
    return 0


# --- the child: build, measure, report -------------------------------------------------------


def child(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "papitrack.settings")
    os.environ["PAPITRACK_ALLOW_DEV_SECRET"] = "1"  # noqa: S105 - a switch, not a secret
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    import django  # noqa: PLC0415 - after the environment is set

    django.setup()
    from django.conf import settings  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    settings.ALLOWED_HOSTS = ["testserver"]
    engine = connection.vendor
    if engine == "sqlite":
        folder = Path(os.environ["PAPITRACK_VAR_DIR"])
        connection.settings_dict["TEST"]["NAME"] = str(folder / "benchmark.sqlite3")
    started = time.perf_counter()
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        log(f"database: {engine} {test_name}, migrated in {time.perf_counter() - started:.1f} s")
        return measure(args, engine)
    finally:
        if args.keep and engine == "sqlite":
            connection.close()
            Path(test_name).rename(args.keep)
        elif args.keep:
            log(f"kept: the test database {test_name} on {engine}")
        else:
            connection.creation.destroy_test_db(test_name, verbosity=0)


def machine(engine: str) -> None:
    import django  # noqa: PLC0415
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
        cursor.execute("select sqlite_version()" if engine == "sqlite" else "show server_version")
        version = cursor.fetchone()[0]
    load = os.getloadavg()
    log(
        f"machine: {cpu}, {os.cpu_count()} cores, load average {load[0]:.1f}; "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"numpy {np.__version__}, {engine} {version}; DEBUG=False"
    )


def measure(args: argparse.Namespace, engine: str) -> int:
    from django.db import transaction  # noqa: PLC0415
    from django.test import override_settings  # noqa: PLC0415

    from papitrack.monitoring.queries.rollups import (  # noqa: PLC0415
        compute_rollup,
        compute_tallies,
        member_rows,
        plan_tasks,
        report_rows,
    )
    from papitrack.monitoring.queries.scope import plan_periods  # noqa: PLC0415
    from papitrack.monitoring.queries.stored import AUTO, FACTS, LIVE  # noqa: PLC0415
    from papitrack.plans.versions import bump_data_version  # noqa: PLC0415

    machine(engine)
    started = time.perf_counter()
    data = build_dataset(seed=args.seed, years=args.years, engine=engine)
    log(
        f"data (seed {args.seed}): {data['units']:,} units ({data['communes']:,} communes, "
        f"{data['districts']:,} districts, 63 provinces), 39 tasks, {data['kpis']} KPIs, "
        f"{data['periods']} quarters; {data['reports']:,} expected reports, "
        f"{data['values']:,} KPI values, {data['child_answers']:,} district answers; "
        f"built and analysed in {time.perf_counter() - started:.1f} s"
    )
    plan = data["plan"]
    tasks = plan_tasks(plan=plan)
    periods = plan_periods(plan.pk)
    period = periods[len(periods) // 2]
    today = periods[-1].end + datetime.timedelta(days=60)

    # The stored roll-ups, as a bulk load leaves them: one change of the plan's data with
    # no slice named regroups everything (monitoring/stored_rollups.py).
    begin = time.perf_counter()
    with transaction.atomic():
        bump_data_version(plan_id=plan.pk)
    log(
        f"fact tables and stored roll-ups (levels 1 and 2) built in "
        f"{time.perf_counter() - begin:.1f} s"
    )

    def national(source: str) -> Any:
        rows = report_rows(plan=plan, root=None, today=today, period_ids=[period.id], source=source)
        return compute_rollup(
            tasks=tasks,
            period=period,
            rows=rows,
            root=None,
            include_submitted=False,
            today=today,
            source=source,
        )

    def values_only(source: str) -> Any:
        members = member_rows(plan=plan, root=None, period_ids=[period.id], source=source)
        return compute_tallies(
            tasks=tasks,
            period=period,
            rows=members,
            root=None,
            include_submitted=False,
            source=source,
        )

    def timed(source: str, job: Any = national) -> tuple[Any, list[float]]:
        job(source)
        times = []
        for _ in range(args.repeats):
            begin = time.perf_counter()
            result = job(source)
            times.append(time.perf_counter() - begin)
        return result, times

    kpi_count = sum(len(task.kpis.all()) for task in tasks)
    values, values_times = timed(FACTS, values_only)
    values_seconds, values_low, values_high = summary(values_times)
    log(
        f"P4: the period's values rolled up on the fly to the provinces × KPIs, from the fact "
        f"tables ({period.code}, {len({group for _, group in values})} provinces × "
        f"{kpi_count} KPIs, {len(values)} cells, members and values of every unit): median "
        f"{values_seconds:.3f} s (min {values_low:.3f}, max {values_high:.3f}); goal ≤ "
        f"{GOAL_ROLLUP_SECONDS} s: {verdict(values_seconds <= GOAL_ROLLUP_SECONDS)}"
    )
    rollup, times = timed(FACTS)
    ours, low, high = summary(times)
    log(
        f"the whole national roll-up the dashboard needs, on the fly from the fact tables "
        f"(the same values, plus completeness, timeliness and the four task states of the "
        f"period's ~250,000 expected reports): median {ours:.3f} s (min {low:.3f}, max "
        f"{high:.3f}); against the same 0.5 s: {verdict(ours <= GOAL_ROLLUP_SECONDS)}"
    )
    from_reports, report_times = timed(LIVE)
    reports_seconds, reports_low, reports_high = summary(report_times)
    log(
        f"the same from the reports and values themselves (joins, no facts): median "
        f"{reports_seconds:.3f} s (min {reports_low:.3f}, max {reports_high:.3f})"
    )
    stored_rollup, stored_times = timed(AUTO)
    stored_ms = statistics.median(stored_times) * 1000
    figures = (rollup.tallies, rollup.states)
    stored_equal = (stored_rollup.tallies, stored_rollup.states) == figures
    facts_equal = (from_reports.tallies, from_reports.states) == figures
    values_equal = values == rollup.tallies
    log(
        f"figures from the facts equal to those from the reports: {facts_equal}; the values "
        f"alone equal to the whole roll-up's: {values_equal}"
    )
    # What a national page computes from the stored roll-ups once per data version (its
    # figures are then cached under that version): not itself a goal line; P4's "dashboards
    # read stored roll-ups in ≤ 50 ms" is the served dashboard's p50 below.
    log(
        f"national roll-up from the stored roll-ups (the rules in Python over their rows, once "
        f"per data version before the figures are cached): median {stored_ms:.1f} ms (min "
        f"{min(stored_times) * 1000:.1f}); equal to the live figures: {stored_equal}"
    )
    refresh_ms = refresh_cost(plan=plan, tasks=tasks, period_id=period.id)
    log(
        f"refresh after one report's workflow move (its facts rewritten, its (task, period) "
        f"slice regrouped), as in each approval's transaction: median "
        f"{refresh_ms:.1f} ms"
    )
    peer_times = []
    for _ in range(max(2, args.repeats // 2)):
        begin = time.perf_counter()
        peer, means = row_peer(plan=plan, tasks=tasks, period_id=period.id)
        peer_times.append(time.perf_counter() - begin)
    peer_median, peer_low, peer_high = summary(peer_times)
    ours_cells = {key: tally for key, tally in rollup.tallies.items() if tally.expected}
    equal = ours_cells == peer
    log(
        f"peer (row-by-row in Python over the ORM's rows, same rules): median "
        f"{peer_median:.3f} s (min {peer_low:.3f}, max {peer_high:.3f}); ratio "
        f"{peer_median / ours:.1f}×; answers equal: {equal}"
    )
    gaps = [abs(value - mean) for value, mean in means if value is not None]
    if gaps:
        log(
            "mean of unit percentages vs ratio of sums (ratio KPIs, per province): "
            f"differ by up to {max(gaps):.1f} points (median {statistics.median(gaps):.2f})"
        )
    if not equal or not stored_equal or not facts_equal or not values_equal:
        log("CHECK FAILED: the roll-ups (facts, reports, stored) and the peer disagree.")
        return 1
    # Between two workflow moves the dashboard is served from the cache (docs/ARCHITECTURE.md,
    # "Caching"); right after one, each worker recomputes it once. Both are measured: the
    # cached figures are the goal lines, the uncached ones the worst case.
    median_ms, p95_ms, throughput = dashboard(args, data)
    with override_settings(CACHES=NO_CACHE):
        uncached_median_ms, uncached_p95_ms, _ = dashboard(
            args, data, requests=args.uncached_requests
        )
    served = served_dashboard(args, data)
    log(
        f"dashboard /dashboard/ under gunicorn ({WORKERS} workers, DEBUG off, loopback; median "
        f"of {served.runs} runs of {served.seconds:.0f} s): p50 {served.single.p50_ms:.1f} ms "
        f"with 1 connection (goal ≤ {GOAL_MEDIAN_MS:.0f}: "
        f"{verdict(served.single.p50_ms <= GOAL_MEDIAN_MS)}); p95 {served.loaded.p95_ms:.1f} ms "
        f"with {served.connections} connections (goal ≤ {GOAL_P95_MS:.0f}: "
        f"{verdict(served.loaded.p95_ms <= GOAL_P95_MS)}); "
        f"{served.loaded.requests_per_second:.1f} requests/s (goal ≥ "
        f"{GOAL_REQUESTS_PER_SECOND:.0f}: "
        f"{verdict(served.loaded.requests_per_second >= GOAL_REQUESTS_PER_SECOND)}); "
        f"non-2xx {served.single.failures + served.loaded.failures} (goal 0); P4, dashboards "
        f"read the stored roll-ups (through the figure cache) in ≤ {GOAL_MEDIAN_MS:.0f} ms: "
        f"{verdict(served.single.p50_ms <= GOAL_MEDIAN_MS)}"
    )
    log(
        f"dashboard /dashboard/ in this process (coordinator, province {plan.issuer.code}): p50 "
        f"{median_ms:.1f} ms with 1 client (goal ≤ {GOAL_MEDIAN_MS:.0f}: "
        f"{'pass' if median_ms <= GOAL_MEDIAN_MS else 'FAIL'}); p95 {p95_ms:.1f} ms with "
        f"{args.clients} clients (goal ≤ {GOAL_P95_MS:.0f}: "
        f"{'pass' if p95_ms <= GOAL_P95_MS else 'FAIL'}); {throughput:.1f} requests/s; "
        f"with the cache off (every request recomputes): p50 {uncached_median_ms:.1f} ms, "
        f"p95 {uncached_p95_ms:.1f} ms"
    )
    print(
        f"{RESULT_PREFIX}{engine} rollup_seconds={ours:.3f} dashboard_median_ms={median_ms:.1f} "
        f"dashboard_p95_ms={p95_ms:.1f} speedup_vs_row_peer={peer_median / ours:.1f} "
        f"dashboard_uncached_median_ms={uncached_median_ms:.1f} "
        f"dashboard_uncached_p95_ms={uncached_p95_ms:.1f} stored_rollup_ms={stored_ms:.1f} "
        f"refresh_slice_ms={refresh_ms:.1f} served_p50_ms={served.single.p50_ms:.1f} "
        f"served_p95_ms={served.loaded.p95_ms:.1f} "
        f"served_requests_per_second={served.loaded.requests_per_second:.1f} "
        f"served_non_2xx={served.single.failures + served.loaded.failures} "
        f"rollup_from_reports_seconds={reports_seconds:.3f} "
        f"values_rollup_seconds={values_seconds:.3f}",
        flush=True,
    )
    return 0


def refresh_cost(*, plan: Any, tasks: list[Any], period_id: int) -> float:
    """Median time of a data-version bump naming one slice and one of its reports, as an
    approval's does (its report's facts rewritten, the slice regrouped), over the plan's
    first tasks; rolled back each time."""
    from django.db import transaction  # noqa: PLC0415

    from papitrack.plans.versions import bump_data_version  # noqa: PLC0415
    from papitrack.reports.models import Report  # noqa: PLC0415

    times = []
    for task in tasks[:9]:
        report_id = (
            Report.objects.filter(task_id=task.pk, period_id=period_id)
            .values_list("pk", flat=True)
            .first()
        )
        with transaction.atomic():
            begin = time.perf_counter()
            bump_data_version(plan_id=plan.pk, slices=[(task.pk, period_id)], reports=[report_id])
            times.append((time.perf_counter() - begin) * 1000)
            transaction.set_rollback(True)
    return statistics.median(times)


# --- the peer ---------------------------------------------------------------------------------


def row_peer(*, plan: Any, tasks: list[Any], period_id: int) -> tuple[dict, list]:
    """The same roll-up, row by row in Python: what a first implementation usually does."""
    from papitrack.monitoring.rollup import (  # noqa: PLC0415
        Family,
        Observation,
        Tally,
        family_of,
        population_kinds,
        unit_tally,
    )
    from papitrack.orgunits.models import OrgUnit  # noqa: PLC0415
    from papitrack.reports.models import ChildAnswer, KpiValue, Report  # noqa: PLC0415

    parents = dict(OrgUnit.objects.values_list("id", "parent_id"))

    def top(unit_id: int) -> int:
        while parents[unit_id] is not None:
            unit_id = parents[unit_id]
        return unit_id

    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for task_id, unit_id, kind in Report.objects.filter(
        period_id=period_id, kind="unit"
    ).values_list("task_id", "unit_id", "unit__kind"):
        members[task_id].append((unit_id, kind))
    own: dict[tuple[int, int], Observation] = {}
    for (
        kpi_id,
        unit_id,
        numerator,
        denominator,
        answer,
        count,
        milestone,
    ) in KpiValue.objects.filter(
        report__period_id=period_id, report__status="approved", report__kind="unit"
    ).values_list(
        "kpi_id",
        "report__unit_id",
        "numerator",
        "denominator",
        "answer",
        "count",
        "milestone_status",
    ):
        own[(kpi_id, unit_id)] = Observation(
            numerator=numerator,
            denominator=denominator,
            answer=answer,
            count=count,
            done=(milestone == "done") if milestone else None,
        )
    stand_in: dict[tuple[int, int], bool] = {}
    for kpi_id, child_id, answer in ChildAnswer.objects.filter(
        report__period_id=period_id,
        report__status="approved",
        report__kind="unit",
        answer__isnull=False,
    ).values_list("kpi_id", "child_id", "answer"):
        stand_in[(kpi_id, child_id)] = answer
    result: dict[tuple[int, int], Tally] = {}
    means: list[tuple[Decimal | None, Decimal | None]] = []
    for task in tasks:
        for kpi in task.kpis.all():
            family = family_of(kpi.kind)
            kinds = population_kinds(kpi.population) if family is not Family.RATIO else None
            percents: dict[int, list[Decimal]] = defaultdict(list)
            for unit_id, kind in members[task.pk]:
                if kinds is not None and kind not in kinds:
                    continue
                observation = own.get((kpi.pk, unit_id))
                if family is Family.ANSWER and (observation is None or observation.answer is None):
                    answer = stand_in.get((kpi.pk, unit_id))
                    observation = Observation(answer=answer) if answer is not None else observation
                tally = unit_tally(
                    kind=kpi.kind,
                    observation=observation,
                    comparator=kpi.comparator,
                    threshold=kpi.value,
                )
                province = top(unit_id)
                result[(kpi.pk, province)] = result.get((kpi.pk, province), Tally()) + tally
                if family is Family.RATIO and tally.reported and tally.denominator:
                    percents[province].append(tally.numerator * 100 / tally.denominator)
            for province, values in percents.items():
                total = result[(kpi.pk, province)]
                means.append((total.percent, sum(values) / len(values)))
    return result, means


# --- the dashboard under load -----------------------------------------------------------------


def verdict(passed: bool) -> str:
    return "pass" if passed else "FAIL"


def served_dashboard(args: argparse.Namespace, data: dict[str, Any]) -> ServedFigures:
    """The coordinator's dashboard under gunicorn (quality.md P2's set-up), on this database."""
    from django.conf import settings  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    browser = Client()
    browser.force_login(data["coordinator"])  # a session row the workers read back
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in browser.cookies.items())
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        database_url = f"sqlite:///{database['NAME']}"
    else:
        credentials = quote(database["USER"]) + (
            f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
        )
        database_url = (
            f"postgres://{credentials}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        )
    with tempfile.TemporaryDirectory(prefix="papitrack-served-") as work:
        environment = server_environment(database_url, Path(work))
        # The session was signed with this process's key; the workers must check it.
        environment["SECRET_KEY"] = settings.SECRET_KEY
        return measure_served_page(
            environment=environment,
            path="/dashboard/",
            cookie=cookie,
            connections=args.clients,
            seconds=args.page_seconds,
            runs=args.page_runs,
            log=Path(work) / "gunicorn.log",
        )


def dashboard(
    args: argparse.Namespace, data: dict[str, Any], *, requests: int | None = None
) -> tuple[float, float, float]:
    from django.db import connections  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    user = data["coordinator"]
    url = "/dashboard/"
    requests = requests or args.requests

    def client() -> Client:
        browser = Client()
        browser.force_login(user)
        return browser

    single = client()
    for _ in range(3):
        assert single.get(url).status_code == 200
    alone = []
    for _ in range(requests):
        begin = time.perf_counter()
        response = single.get(url)
        alone.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(args.clients)

    def work() -> None:
        browser = client()
        browser.get(url)
        barrier.wait()
        mine = []
        for _ in range(requests):
            begin = time.perf_counter()
            status = browser.get(url).status_code
            mine.append((time.perf_counter() - begin) * 1000)
            if status != 200:
                failures.append(status)
        with lock:
            latencies.extend(mine)
        connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(args.clients)]
    begin = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - begin
    if failures:
        raise RuntimeError(f"non-2xx answers under load: {failures[:5]}")
    p95 = float(np.percentile(latencies, 95))
    return statistics.median(alone), p95, len(latencies) / elapsed


# --- the data ---------------------------------------------------------------------------------


def build_dataset(*, seed: int, years: int, engine: str) -> dict[str, Any]:
    """Seeded national tree, plan, periods, expected reports, values; returns what was made.

    Units, the plan, tasks, KPIs and periods go through bulk_create; reports, values and
    district answers (millions of rows) are written with executemany (SQLite) or COPY
    (PostgreSQL) with their secondary indexes dropped and rebuilt, as a bulk import would.
    """
    from django.conf import settings  # noqa: PLC0415
    from django.db import transaction  # noqa: PLC0415

    from papitrack.accounts.enums import Role  # noqa: PLC0415
    from papitrack.accounts.models import User  # noqa: PLC0415
    from papitrack.calendars.periods import quarter  # noqa: PLC0415
    from papitrack.indices.models import PublishedScore  # noqa: PLC0415
    from papitrack.indices.services import load_index_framework  # noqa: PLC0415
    from papitrack.orgunits.enums import UnitKind, UnitLevel  # noqa: PLC0415
    from papitrack.orgunits.models import OrgUnit  # noqa: PLC0415
    from papitrack.orgunits.tree import refresh_tree  # noqa: PLC0415
    from papitrack.plans.models import Plan, PlanTarget  # noqa: PLC0415
    from papitrack.reports.models import ReportingPeriod  # noqa: PLC0415
    from papitrack.tasks.models import Kpi, Task  # noqa: PLC0415

    rng = np.random.default_rng(seed)
    index = load_index_framework(path=Path(settings.DATA_DIR) / "indices" / "papi.yaml")
    dimensions = list(index.dimensions.order_by("number"))
    sizes = np.array(["small"] * 57 + ["medium"] * 4 + ["large"] * 2)
    rng.shuffle(sizes)
    provinces = OrgUnit.objects.bulk_create(
        OrgUnit(code=f"{number:02d}", kind=UnitKind.PROVINCE, name=f"Tỉnh {number:02d}")
        for number in range(1, 64)
    )
    district_counts = {
        "small": lambda: int(rng.integers(9, 13)),
        "medium": lambda: 16,
        "large": lambda: 20,
    }
    departments, districts = [], []
    for province, size in zip(provinces, sizes, strict=True):
        departments += [
            OrgUnit(
                code=f"{province.code}-S{number:02d}",
                kind=UnitKind.DEPARTMENT,
                name=f"Sở {number:02d} tỉnh {province.code}",
                parent=province,
            )
            for number in range(1, 21)
        ]
        districts += [
            OrgUnit(
                code=f"{len(districts) + number:03d}",
                kind=UnitKind.DISTRICT,
                level=UnitLevel.DISTRICT,
                name=f"Huyện {len(districts) + number:03d}",
                parent=province,
            )
            for number in range(1, district_counts[str(size)]() + 1)
        ]
    departments = OrgUnit.objects.bulk_create(departments, batch_size=2000)
    districts = OrgUnit.objects.bulk_create(districts, batch_size=2000)
    communes = []
    for district in districts:
        for _ in range(int(rng.integers(12, 19))):
            communes.append(
                OrgUnit(
                    code=f"{len(communes) + 1:05d}",
                    kind=UnitKind.COMMUNE,
                    level=UnitLevel.COMMUNE,
                    name=f"Xã {len(communes) + 1:05d}",
                    parent=district,
                )
            )
    communes = OrgUnit.objects.bulk_create(communes, batch_size=2000)
    refresh_tree()  # the tree columns that save() keeps, for units written in bulk
    issuer = provinces[0]
    plan = Plan.objects.create(
        code="BENCH",
        number="1/KH-BENCH",
        title="Kế hoạch thử tải quy mô quốc gia",
        issued_on=datetime.date(2020, 1, 2),
        place="Thử",
        issuer=issuer,
        signer_name="Người ký",
        signer_title="Chủ tịch",
        index=index,
        baseline_year=2019,
        target_year=2020,
    )
    PlanTarget.objects.bulk_create(
        PlanTarget(
            plan=plan,
            dimension=dimension,
            label=dimension.name_vi,
            score=Decimal(str(round(float(rng.uniform(5, 7)), 2)))
            * (7 if dimension.is_aggregate else 1),
            increment=Decimal("0.2"),
            target_group=2,
        )
        for dimension in dimensions
    )
    PublishedScore.objects.bulk_create(
        PublishedScore(
            index=index,
            province=issuer,
            year=year,
            dimension=dimension,
            score=Decimal(str(round(float(rng.uniform(4.5, 7.5)), 4)))
            * (7 if dimension.is_aggregate else 1),
        )
        for year in range(2018, 2025)
        for dimension in dimensions
    )
    User.objects.create_user(
        username="bench-coordinator", password=None, unit=issuer, role=Role.COORDINATOR
    )
    by_dimension = [d for d in dimensions if not d.is_aggregate]
    tasks, kpis = [], []
    position = 0
    for dimension, count in zip(by_dimension, TASKS_PER_DIMENSION, strict=True):
        for number in range(1, count + 1):
            tasks.append(
                Task(
                    plan=plan,
                    key=f"D{dimension.number}-T{number}",
                    position=position + 1,
                    dimension=dimension,
                    printed_block=str(dimension.number),
                    printed_number=str(number),
                    title=f"Nhiệm vụ {number} của chỉ số {dimension.number}",
                    timeline_kind="every_months",
                    timeline_months=3,
                )
            )
            position += 1
    tasks = Task.objects.bulk_create(tasks)
    for task, kinds in zip(tasks, KINDS, strict=True):
        for number, kind in enumerate(kinds, start=1):
            kpis.append(
                Kpi(
                    task=task,
                    code=f"{task.key}-K{number}",
                    position=number,
                    kind=KIND_NAMES[kind],
                    comparator={"Q": "", "X": ""}.get(kind, ">="),
                    value={
                        "S": Decimal(100),
                        "R": Decimal(95),
                        "C": Decimal(1),
                        "V": Decimal(100),
                    }.get(kind),
                    unit={"C": "times_per_year"}.get(kind, "percent" if kind in "SRV" else ""),
                    population="commune" if kind in "SC" else "",
                )
            )
    kpis = Kpi.objects.bulk_create(kpis)
    quarters = [
        quarter(year, number) for year in range(2020, 2020 + years) for number in (1, 2, 3, 4)
    ]
    periods = ReportingPeriod.objects.bulk_create(
        ReportingPeriod(
            code=spec.code,
            kind=spec.kind,
            year=spec.year,
            start=spec.start,
            end=spec.end,
            cutoff_start=spec.cutoff_start,
            cutoff_end=spec.cutoff_end,
            label=spec.label_vi,
        )
        for spec in quarters
    )
    commune_ids = np.array([unit.pk for unit in communes])
    district_of = np.array([unit.parent_id for unit in communes])
    district_ids = np.array([unit.pk for unit in districts])
    department_ids = np.array([unit.pk for unit in departments])
    kpis_of: dict[int, list[Any]] = defaultdict(list)
    for kpi in kpis:
        kpis_of[kpi.task_id].append(kpi)
    counts = {"reports": 0, "values": 0, "child_answers": 0}
    writer = BulkWriter(engine)
    writer.fast_writes()
    with transaction.atomic():
        writer.drop_indexes()
        for period in periods:
            for position, task in enumerate(tasks):
                kind = KINDS[position][0]
                units: list[tuple[np.ndarray, int]] = []  # (unit ids, due offset days)
                if kind in "SC":
                    units.append((commune_ids, 12))
                    if kind == "S" and position % 2 == 0:
                        units.append((district_ids, 14))
                elif kind == "R":
                    units += [(district_ids, 14), (department_ids, 16)]
                    if position % 2 == 0:
                        units.append((commune_ids, 12))
                else:
                    units += [(district_ids, 14), (department_ids, 16)]
                district_reports: dict[int, int] = {}
                for unit_ids, offset in units:
                    made, values, first_id = writer.add_reports(
                        rng=rng,
                        task=task,
                        period=period,
                        unit_ids=unit_ids,
                        due=period.end + datetime.timedelta(days=offset),
                        kpis=kpis_of[task.pk],
                    )
                    counts["reports"] += made
                    counts["values"] += values
                    if unit_ids is district_ids:
                        district_reports = {
                            int(unit): first_id + position
                            for position, unit in enumerate(unit_ids.tolist())
                        }
                if district_reports and kind == "S":
                    counts["child_answers"] += writer.add_district_answers(
                        rng=rng,
                        task=task,
                        period=period,
                        commune_ids=commune_ids,
                        district_of=district_of,
                        district_reports=district_reports,
                        kpi=kpis_of[task.pk][0],
                    )
            writer.flush()
        writer.restore_indexes()
    writer.analyse()
    return {
        "plan": Plan.objects.select_related("issuer", "index").get(pk=plan.pk),
        "coordinator": User.objects.get(username="bench-coordinator"),
        "units": 63 + len(departments) + len(districts) + len(communes),
        "communes": len(communes),
        "districts": len(districts),
        "kpis": len(kpis),
        "periods": len(periods),
        **counts,
    }


class BulkWriter:
    """Rows of reports, values and district answers, written in large batches."""

    TABLES = ("reports_report", "reports_kpivalue", "reports_childanswer")

    def __init__(self, engine: str) -> None:
        from django.db import connection  # noqa: PLC0415

        from papitrack.reports.models import ChildAnswer, KpiValue, Report  # noqa: PLC0415

        self.engine = engine
        self.connection = connection
        self.columns = {
            "reports_report": [field.column for field in Report._meta.concrete_fields],
            "reports_kpivalue": [field.column for field in KpiValue._meta.concrete_fields],
            "reports_childanswer": [field.column for field in ChildAnswer._meta.concrete_fields],
        }
        # Rows are built as plain tuples in the models' column order, checked here once.
        assert tuple(self.columns["reports_report"]) == self.REPORT_COLUMNS
        assert tuple(self.columns["reports_kpivalue"]) == self.VALUE_COLUMNS
        self.rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in self.TABLES}
        self.next_id = dict.fromkeys(self.TABLES, 1)
        self.indexes: list[str] = []
        self.now = self.moment(datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
        self.statuses: dict[int, tuple[int, str]] = {}  # report id -> (unit id, status)
        self.missing: dict[tuple[int, int], set[int]] = {}

    def moment(self, value: datetime.datetime) -> str:
        text = value.strftime("%Y-%m-%d %H:%M:%S")
        return text + "+00" if self.engine == "postgresql" else text

    def fast_writes(self) -> None:
        """A throwaway database: SQLite need not wait for the disk (outside a transaction)."""
        if self.engine == "sqlite":
            with self.connection.cursor() as cursor:
                cursor.execute("pragma synchronous = off")

    def drop_indexes(self) -> None:
        with self.connection.cursor() as cursor:
            for table in self.TABLES:
                if self.engine == "sqlite":
                    cursor.execute(
                        "select name, sql from sqlite_master where type = 'index' "
                        "and tbl_name = %s and sql is not null",
                        [table],
                    )
                else:
                    cursor.execute(
                        "select indexname, indexdef from pg_indexes where tablename = %s and "
                        "indexname not in (select conname from pg_constraint)",
                        [table],
                    )
                for name, definition in cursor.fetchall():
                    self.indexes.append(definition)
                    cursor.execute(f'drop index "{name}"')

    def restore_indexes(self) -> None:
        with self.connection.cursor() as cursor:
            if self.engine == "postgresql":
                # Django's foreign keys are checked at commit; PostgreSQL builds no index on a
                # table with checks pending, so they run now.
                cursor.execute("set constraints all immediate")
            for definition in self.indexes:
                cursor.execute(definition)
            if self.engine == "postgresql":
                for table in self.TABLES:
                    # Table names come from TABLES above, never from input.
                    cursor.execute(
                        f"select setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(select coalesce(max(id), 1) from {table}))"
                    )

    def analyse(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("analyze")
            if self.engine == "sqlite":
                # The load went to the write-ahead log (WAL mode, settings.py); move it into
                # the database file, as SQLite's automatic checkpoints would over time, so
                # that reads do not search a gigabyte of log.
                cursor.execute("pragma wal_checkpoint(truncate)")

    REPORT_COLUMNS = (
        "id",
        "task_id",
        "unit_id",
        "period_id",
        "kind",
        "status",
        "version",
        "due_date",
        "first_submitted_at",
        "submitted_at",
        "submit_count",
        "approved_at",
        "approved_by_id",
        "signer_name",
        "results",
        "shortcomings",
        "causes",
        "proposals",
        "updated_at",
    )
    VALUE_COLUMNS = (
        "id",
        "report_id",
        "kpi_id",
        "numerator",
        "denominator",
        "count",
        "answer",
        "reason",
        "milestone_status",
        "completed_on",
        "document_number",
        "document_date",
        "note",
    )

    def add_reports(
        self,
        *,
        rng: np.random.Generator,
        task: Any,
        period: Any,
        unit_ids: np.ndarray,
        due: datetime.date,
        kpis: list[Any],
    ) -> tuple[int, int, int]:
        """Expected reports of some units; returns (reports, values, first report id)."""
        count = len(unit_ids)
        draw = rng.random(count).tolist()
        late = (rng.random(count) < 0.10).tolist()
        early = rng.integers(0, 5, count).tolist()
        delay = rng.integers(1, 15, count).tolist()
        base = datetime.datetime.combine(due, datetime.time(2), tzinfo=datetime.UTC)
        moments = {
            days: (
                self.moment(base + datetime.timedelta(days=days)),
                self.moment(base + datetime.timedelta(days=days + 3)),
            )
            for days in range(-5, 16)
        }
        due_text = due.isoformat()
        reports = self.rows["reports_report"]
        first_id = self.next_id["reports_report"]
        counting = []
        missing = self.missing.setdefault((task.pk, period.pk), set())
        task_id, period_id, now = task.pk, period.pk, self.now
        for position, unit_id in enumerate(unit_ids.tolist()):
            report_id = first_id + position
            roll = draw[position]
            submitted = approved = None
            if roll < 0.05:
                status = "draft"
                missing.add(unit_id)
            else:
                days = delay[position] if late[position] else -early[position]
                submitted, approved_at = moments[days]
                if roll < 0.10:
                    status = "returned"
                elif roll < 0.26:
                    status = "submitted"
                else:
                    status, approved = "approved", approved_at
                counting.append(report_id)
            reports.append(
                (
                    report_id,
                    task_id,
                    unit_id,
                    period_id,
                    "unit",
                    status,
                    1,
                    due_text,
                    submitted,
                    submitted,
                    0 if submitted is None else 1,
                    approved,
                    None,
                    "",
                    "",
                    "",
                    "",
                    "",
                    now,
                )
            )
        self.next_id["reports_report"] += count
        values = sum(self.add_values(rng=rng, kpi=kpi, report_ids=counting) for kpi in kpis)
        return count, values, first_id

    def add_values(self, *, rng: np.random.Generator, kpi: Any, report_ids: list[int]) -> int:
        count = len(report_ids)
        if not count:
            return 0
        kind = kpi.kind
        nothing = [None] * count
        numerators = denominators = answers = counts = nothing
        statuses = [""] * count
        if kind in {"ratio", "external"}:
            drawn = rng.poisson(60, count) + 1
            denominators = drawn.tolist()
            numerators = rng.binomial(drawn, rng.beta(18, 1.5, count)).tolist()
        elif kind == "share_of_units":
            answers = (rng.random(count) < 0.85).tolist()
        elif kind == "count":
            counts = rng.poisson(1.5, count).tolist()
        else:
            statuses = np.where(rng.random(count) < 0.7, "done", "in_progress").tolist()
        first_id = self.next_id["reports_kpivalue"]
        kpi_id = kpi.pk
        self.rows["reports_kpivalue"].extend(
            (
                first_id + position,
                report_id,
                kpi_id,
                numerators[position],
                denominators[position],
                counts[position],
                answers[position],
                "",
                statuses[position],
                None,
                "",
                None,
                "",
            )
            for position, report_id in enumerate(report_ids)
        )
        self.next_id["reports_kpivalue"] += count
        return count

    def add_district_answers(
        self,
        *,
        rng: np.random.Generator,
        task: Any,
        period: Any,
        commune_ids: np.ndarray,
        district_of: np.ndarray,
        district_reports: dict[int, int],
        kpi: Any,
    ) -> int:
        """Districts answer for their communes that sent nothing (in the district's report)."""
        missing = self.missing.get((task.pk, period.pk), set())
        rows = self.rows["reports_childanswer"]
        made = 0
        for commune, district in zip(commune_ids.tolist(), district_of.tolist(), strict=True):
            if commune not in missing or district not in district_reports:
                continue
            fields = {
                "id": self.next_id["reports_childanswer"],
                "report_id": district_reports[district],
                "kpi_id": kpi.pk,
                "child_id": commune,
                "answer": bool(rng.random() < 0.8),
                "reason": "",
            }
            rows.append(tuple(fields[column] for column in self.columns["reports_childanswer"]))
            self.next_id["reports_childanswer"] += 1
            made += 1
        return made

    def flush(self) -> None:
        for table in self.TABLES:
            rows = self.rows[table]
            if not rows:
                continue
            columns = self.columns[table]
            if self.engine == "sqlite":
                raw = self.connection.connection
                marks = ", ".join("?" for _ in columns)
                insert = f"insert into {table} ({', '.join(columns)}) values ({marks})"  # noqa: S608
                raw.executemany(insert, rows)
            else:
                with self.connection.cursor() as cursor:
                    copy_sql = f"copy {table} ({', '.join(columns)}) from stdin"
                    with cursor.cursor.copy(copy_sql) as copy:
                        for row in rows:
                            copy.write_row(row)
            rows.clear()
        self.missing.clear()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--clients", type=int, default=8)
    # Each uncached national dashboard takes seconds: fewer requests for the worst case.
    parser.add_argument("--uncached-requests", type=int, default=5)
    parser.add_argument("--page-seconds", type=float, default=10.0)
    parser.add_argument("--page-runs", type=int, default=3)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--keep", help=argparse.SUPPRESS)  # development: keep the database
    args = parser.parse_args()
    return child(args) if args.child else parent(args)


if __name__ == "__main__":
    sys.exit(main())
