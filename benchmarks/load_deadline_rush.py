"""Benchmark P6: the deadline rush, against gunicorn + PostgreSQL on loopback.

The last days before the 2020 Q4 reports fall due in the demo province: unit officers (communes,
districts, departments) fill in and submit their reports through the API, district officers
and the coordinator approve or return them, and leaders watch the dashboards; everyone opens
dashboards and downloads Excel exports now and then. Mix (quality.md P6): about 70 %
dashboards, 20 % data entry and approval, 10 % exports.

What it does, all on 127.0.0.1:

1. starts a throwaway PostgreSQL cluster (initdb as the `postgres` user, like
   scripts/with_postgres.sh, but with PostgreSQL's default durability: fsync stays on);
2. migrates, loads the demo (`seed_demo`), creates the load-test accounts through
   papitrack.accounts.services.create_or_update_user (in this database only), precomputes
   each reporter's values, checks every page and export once, and runs ANALYZE;
3. per run: copies that database (CREATE DATABASE ... TEMPLATE), starts gunicorn with
   DEBUG off, lets every simulated user log in once (bearer token for the API, session for
   the pages; logins are timed apart and excluded from the figures, quality.md P6), then runs
   the closed-loop scenario for the given minutes, each user waiting a random think time
   between actions.

It prints p50/p95/max latency and counts per request type, throughput, errors (5xx, timeouts,
refused connections and unexpected statuses; business refusals such as 409 stale version or
422 "children not approved" are counted apart as refusals), the CPU used by gunicorn,
PostgreSQL and the load generator, worker memory, and a last line

    p50_ms=<median over runs> p95_ms=<median over runs> rps=<median> errors=<total>

Run:  .venv/bin/python benchmarks/load_deadline_rush.py               # 50 users, 2 min, 1 run
      .venv/bin/python benchmarks/load_deadline_rush.py --minutes 10 --runs 3   # the P6 goal
Needs PostgreSQL's server binaries (Debian package postgresql) and root or the postgres user.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from load_scenario import ROOT, Sample, http_request, percentile, prepare, run_once

PYTHON = sys.executable
GOAL_P95_MS = 1000.0


# --- PostgreSQL and gunicorn ----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, check=True, text=True, **options)  # noqa: S603


class Cluster:
    """A PostgreSQL cluster in a temporary folder, on 127.0.0.1 only, trust authentication."""

    def __init__(self, root: Path) -> None:
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)
        if not versions:
            sys.exit("PostgreSQL is not installed (make system-packages).")
        self.bin = versions[-1]
        self.root = root
        self.port = _free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}"

    def _as_postgres(self, command: str) -> None:
        if os.geteuid() == 0:
            _run(["su", "postgres", "-s", "/bin/bash", "-c", command], stdout=subprocess.DEVNULL)
        else:
            _run(["bash", "-c", command], stdout=subprocess.DEVNULL)

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        data = self.root / "data"
        self._as_postgres(
            f"{self.bin}/initdb -D {data} -U postgres -E UTF8 --locale=C.UTF-8 --auth=trust"
        )
        self._as_postgres(
            f"{self.bin}/pg_ctl -D {data} -l {self.root}/log -w start "
            f"-o '-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1'"
        )

    def stop(self) -> None:
        self._as_postgres(f"{self.bin}/pg_ctl -D {self.root}/data stop -m fast")

    def sql(self, statement: str, database: str = "postgres") -> str:
        return _run(
            [
                str(self.bin / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-Atqc",
                statement,
            ],
            capture_output=True,
        ).stdout.strip()

    def postmaster_pid(self) -> int:
        return int((self.root / "data" / "postmaster.pid").read_text().split()[0])


def server_environment(database_url: str, work: Path) -> dict[str, str]:
    """For gunicorn and the management commands on `database_url`: DEBUG off, a fresh
    secret key, files under `work` (also used by rollup_dashboard.py)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "PAPITRACK_ALLOW_DEV_SECRET", "DEBUG"}
    }
    environment.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        PAPITRACK_VAR_DIR=str(work / "var"),
        PAPITRACK_EVIDENCE_ROOT=str(work / "evidence"),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="papitrack.settings",
    )
    return environment


class Server:
    """gunicorn with sync workers on 127.0.0.1, as docs/deployment.md runs it."""

    def __init__(self, environment: dict[str, str], workers: int, log: Path) -> None:
        self.port = _free_port()
        self.log = log.open("w")
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "papitrack.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if http_request(self.port, "GET", "/accounts/login/").status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start; see {log}")

    def worker_pids(self) -> list[int]:
        return _children(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _cpu_seconds(pids: list[int]) -> float:
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all processes, all CPUs)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def summarise(samples: list[Sample], elapsed: float) -> dict[str, Any]:
    measured = [s for s in samples if s.category != "login"]
    latencies = [s.milliseconds for s in measured]
    errors = [s for s in measured if s.outcome.startswith("error")]
    categories = {
        c: sum(1 for s in measured if s.category == c) for c in ("dashboard", "entry", "export")
    }
    return {
        "requests": len(measured),
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "max_ms": max(latencies, default=0.0),
        "rps": len(measured) / elapsed,
        "errors": len(errors),
        "refused": sum(1 for s in measured if s.outcome == "refused"),
        "mix": {c: round(100 * n / max(1, len(measured)), 1) for c, n in categories.items()},
        "error_kinds": sorted({f"{s.name}: {s.outcome}" for s in errors}),
    }


def print_table(samples: list[Sample]) -> None:
    names = sorted({(s.category, s.name) for s in samples})
    print(
        f"{'request':<52} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
        f"{'refused':>7} {'errors':>6}"
    )
    for category, name in names:
        rows = [s for s in samples if s.name == name and s.category == category]
        times = [s.milliseconds for s in rows]
        print(
            f"{category[:5] + ' ' + name:<52.52} {len(rows):>6} {percentile(times, 0.5):>8.0f} "
            f"{percentile(times, 0.95):>8.0f} {max(times):>8.0f} "
            f"{sum(1 for s in rows if s.outcome == 'refused'):>7} "
            f"{sum(1 for s in rows if s.outcome.startswith('error')):>6}"
        )


# --- main ---------------------------------------------------------------------------------


def _versions(cluster: Cluster) -> str:
    import django  # noqa: PLC0415

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    gunicorn = _run(
        [str(Path(PYTHON).parent / "gunicorn"), "--version"], capture_output=True
    ).stdout.strip()
    return (
        f"machine: {cpu}, {os.cpu_count()} CPUs; Python {platform.python_version()}, "
        f"Django {django.get_version()}, {gunicorn}, {cluster.sql('SHOW server_version')}"
    )


def measure_run(
    run: int, cluster: Cluster, scenario: dict[str, Any], work: Path, arguments: Any
) -> dict[str, Any]:
    """One run on a fresh copy of the prepared database; prints its report, returns its summary."""
    database = f"run{run}"
    cluster.sql(f"CREATE DATABASE {database} TEMPLATE bench")
    environment = server_environment(f"{cluster.url}/{database}", work / database)
    server = Server(environment, arguments.workers, work / f"gunicorn-{database}.log")
    workers = server.worker_pids()
    postmaster = cluster.postmaster_pid()

    def snapshot() -> dict[str, Any]:
        cpu = {
            "gunicorn": _cpu_seconds(workers),
            "PostgreSQL": _cpu_seconds(_children(postmaster)),
            "load generator": time.process_time(),
            "machine": _machine_busy_seconds(),
        }
        return {"cpu": cpu, "rss": [_rss_mb(pid) for pid in server.worker_pids()]}

    try:
        samples, elapsed, extra = run_once(
            scenario,
            server.port,
            arguments.minutes,
            arguments.think,
            arguments.seed + run,
            snapshot,
            login_concurrency=arguments.workers,
        )
        end = snapshot()
    finally:
        server.stop()
        cluster.sql(f"DROP DATABASE {database} WITH (FORCE)")
    start = extra["window_start"]
    used = {name: end["cpu"][name] - start["cpu"][name] for name in end["cpu"]}
    used["other processes"] = used.pop("machine") - sum(used.values())
    summary = summarise(samples, elapsed)
    logins = [s.milliseconds for s in samples if s.category == "login"]
    print(f"\n--- run {run}: {elapsed:.0f} s window ---")
    print_table(samples)
    print(
        f"logins: {len(logins)} in {extra['login_seconds']:.1f} s before the window "
        f"(p50 {percentile(logins, 0.5):.0f} ms, excluded); mix {summary['mix']} %; "
        f"refused {summary['refused']}; error kinds {summary['error_kinds']}"
    )
    print(
        f"CPU seconds in the window ({os.cpu_count()} CPUs x {elapsed:.0f} s = "
        f"{(os.cpu_count() or 1) * elapsed:.0f}): "
        + ", ".join(f"{name} {seconds:.0f}" for name, seconds in used.items())
        + f"; gunicorn worker RSS {statistics.mean(start['rss']):.0f} -> "
        f"{statistics.mean(end['rss']):.0f} MB (mean)"
    )
    print(
        f"run {run}: requests={summary['requests']} p50_ms={summary['p50_ms']:.0f} "
        f"p95_ms={summary['p95_ms']:.0f} max_ms={summary['max_ms']:.0f} "
        f"rps={summary['rps']:.1f} errors={summary['errors']}",
        flush=True,
    )
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--think", default="1-5", help="think time range in seconds, e.g. 1-5")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.prepare:
        prepare(arguments.prepare, arguments.users, arguments.seed)
        return
    arguments.think = tuple(float(part) for part in arguments.think.split("-"))
    if len(arguments.think) != 2 or arguments.think[0] > arguments.think[1]:
        parser.error("--think takes min-max in seconds, e.g. 1-5")

    work = Path(tempfile.mkdtemp(prefix="papitrack-load-"))
    # The cluster's folder is its own (owned by postgres), not inside the private work folder.
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="papitrack-load-pg-")))
    cluster.start()
    try:
        print(_versions(cluster))
        print(
            f"scenario: {arguments.users} users, {arguments.minutes:g} min x {arguments.runs} "
            f"run(s), think {arguments.think[0]:g}-{arguments.think[1]:g} s, "
            f"{arguments.workers} gunicorn sync workers, DEBUG off, PostgreSQL defaults (fsync "
            f"on), load generator on the same CPUs, seed {arguments.seed}",
            flush=True,
        )
        cluster.sql("CREATE DATABASE bench")
        scenario_file = work / "scenario.json"
        command = [PYTHON, __file__, "--prepare", str(scenario_file)]
        command += ["--users", str(arguments.users), "--seed", str(arguments.seed)]
        _run(command, cwd=ROOT, env=server_environment(f"{cluster.url}/bench", work))
        scenario = json.loads(scenario_file.read_text())
        print(f"reports to fill in: {scenario['reports']}; pages left out: {scenario['dropped']}")
        results = [
            measure_run(run, cluster, scenario, work, arguments)
            for run in range(1, arguments.runs + 1)
        ]
        p50 = statistics.median(r["p50_ms"] for r in results)
        p95 = statistics.median(r["p95_ms"] for r in results)
        rps = statistics.median(r["rps"] for r in results)
        errors = sum(r["errors"] for r in results)
        verdict = "pass" if p95 <= GOAL_P95_MS and errors == 0 else "fail"
        print(f"\ngoal P6 (p95 <= {GOAL_P95_MS:.0f} ms, 0 errors): {verdict}")
        print(f"p50_ms={p50:.0f} p95_ms={p95:.0f} rps={rps:.1f} errors={errors}")
    finally:
        cluster.stop()
        shutil.rmtree(cluster.root, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
