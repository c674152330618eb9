"""One page under gunicorn as quality.md P2 sets it up: 2 sync workers, DEBUG off, loopback.

Used by rollup_dashboard.py for the coordinator's dashboard. The load generator is this
process: `connections` threads, each sending one request after another for `seconds` (a new
connection per request, as sync workers close them), for `runs` runs; every figure is the
median over the runs (quality.md §5.1 rule 2). A warm-up run, discarded, lets each worker
fill its own cache first (the local-memory cache is per worker).
"""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from load_deadline_rush import Server
from load_scenario import http_request, percentile

WORKERS = 2  # quality.md P2


@dataclass(frozen=True)
class RunFigures:
    p50_ms: float
    p95_ms: float
    requests_per_second: float
    failures: int  # non-2xx answers and failed connections


@dataclass(frozen=True)
class ServedFigures:
    single: RunFigures  # 1 connection: the p50 goal
    loaded: RunFigures  # `connections` connections: the p95, throughput and error goals
    connections: int
    seconds: float
    runs: int


def _run(
    *, port: int, path: str, headers: dict[str, str], connections: int, seconds: float
) -> RunFigures:
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(connections)

    def client() -> None:
        mine: list[float] = []
        failed = 0
        barrier.wait()
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            begin = time.perf_counter()
            try:
                status = http_request(port, "GET", path, headers=headers).status
            except OSError:
                status = 0
            mine.append((time.perf_counter() - begin) * 1000)
            failed += not 200 <= status < 300
        with lock:
            latencies.extend(mine)
            failures[0] += failed

    threads = [threading.Thread(target=client) for _ in range(connections)]
    begin = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - begin
    return RunFigures(
        p50_ms=statistics.median(latencies),
        p95_ms=percentile(latencies, 0.95),
        requests_per_second=len(latencies) / elapsed,
        failures=failures[0],
    )


def _median_run(runs: list[RunFigures]) -> RunFigures:
    return RunFigures(
        p50_ms=statistics.median(run.p50_ms for run in runs),
        p95_ms=statistics.median(run.p95_ms for run in runs),
        requests_per_second=statistics.median(run.requests_per_second for run in runs),
        failures=sum(run.failures for run in runs),
    )


def measure_served_page(
    *,
    environment: dict[str, str],
    path: str,
    cookie: str,
    connections: int,
    seconds: float,
    runs: int,
    log: Path,
) -> ServedFigures:
    """Start gunicorn with `environment`, measure `path` for a signed-in user, stop it."""
    server = Server(environment, WORKERS, log)
    headers = {"Cookie": cookie, "Host": "127.0.0.1"}
    try:
        _run(port=server.port, path=path, headers=headers, connections=connections, seconds=3)
        single = [
            _run(port=server.port, path=path, headers=headers, connections=1, seconds=seconds)
            for _ in range(runs)
        ]
        loaded = [
            _run(
                port=server.port,
                path=path,
                headers=headers,
                connections=connections,
                seconds=seconds,
            )
            for _ in range(runs)
        ]
    finally:
        server.stop()
    return ServedFigures(
        single=_median_run(single),
        loaded=_median_run(loaded),
        connections=connections,
        seconds=seconds,
        runs=runs,
    )
