"""Benchmark P1: papitrack's survey scorer against samplics, on the same data in the same run.

Job: weighted mean and bootstrap standard error of every indicator, nationally and for each
of the 63 provinces, with 1,000 Rao–Wu bootstrap replicates built per village PSU, on the
seeded national-scale synthetic survey (13,632 respondents, 828 villages, 120 indicators).

samplics is installed only for this benchmark, in a throwaway virtual environment under
/tmp (never in requirements*.lock), and runs in a child process on the same arrays and the
same replicate weights. It handles one indicator per call and is slow, so it is timed on a
subset (printed) and scaled per indicator, as docs/quality.md P1 allows. The last line is

    speedup=<peer seconds / papitrack seconds> max_abs_diff=<largest difference>

Run:  .venv/bin/python benchmarks/survey_scoring.py [--seed 42] [--replicates 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

PEER_VENV = Path(tempfile.gettempdir()) / "papitrack-survey-peer"
PEER_PACKAGE = "samplics==0.6.1"
GOAL_SPEEDUP = 100.0
GOAL_SECONDS = 1.0
GOAL_DIFFERENCE = 1e-9


def _median(times: list[float]) -> tuple[float, float, float]:
    return statistics.median(times), min(times), max(times)


# --- the peer, run inside the throwaway environment ---------------------------------------


def peer_worker(data_path: Path, out_path: Path, national: int, domains: int, repeats: int) -> None:
    import warnings  # noqa: PLC0415 - the worker runs in another interpreter

    warnings.filterwarnings("ignore")
    from samplics.estimation import ReplicateEstimator  # noqa: PLC0415
    from samplics.utils.types import PopParam, RepMethod  # noqa: PLC0415

    data = np.load(data_path)
    values, weights, psu, multipliers = data["values"], data["weights"], data["psu"], data["m"]
    province = data["province"]
    replicate_weights = weights[:, None] * multipliers[psu]
    result: dict[str, Any] = {
        "national": {},
        "domains": {},
        "national_times": [],
        "domain_times": [],
    }
    for column in range(national):
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            estimator = ReplicateEstimator(RepMethod.bootstrap, PopParam.mean).estimate(
                y=values[:, column],
                samp_weight=weights,
                rep_weights=replicate_weights,
                remove_nan=True,
            )
            times.append(time.perf_counter() - start)
        result["national"][column] = [float(estimator.point_est), float(estimator.stderror)]
        result["national_times"].append(statistics.median(times))
    for column in range(domains):
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            estimator = ReplicateEstimator(RepMethod.bootstrap, PopParam.mean).estimate(
                y=values[:, column],
                samp_weight=weights,
                rep_weights=replicate_weights,
                domain=province,
                remove_nan=True,
            )
            times.append(time.perf_counter() - start)
        result["domains"][column] = {
            int(key): [float(estimator.point_est[key]), float(estimator.stderror[key])]
            for key in estimator.point_est
        }
        result["domain_times"].append(statistics.median(times))
    out_path.write_text(json.dumps(result))


def _succeeds(command: list[str], *, quiet: bool = True) -> bool:
    # Fixed commands built here from sys.executable and a pinned package name.
    result = subprocess.run(command, capture_output=quiet, check=False)  # noqa: S603
    return result.returncode == 0


def peer_python() -> Path | None:
    """The throwaway interpreter with samplics, created on first use; None if impossible."""
    python = PEER_VENV / "bin" / "python"
    check = [str(python), "-c", "import samplics"]
    if python.exists() and _succeeds(check):
        return python
    print(f"Installing the peer ({PEER_PACKAGE}) into {PEER_VENV} (benchmark only)…", flush=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if not _succeeds([sys.executable, "-m", "venv", str(PEER_VENV)], quiet=False):
        return None
    if not _succeeds([*pip, PEER_PACKAGE], quiet=False):
        return None
    return python if _succeeds(check) else None


# --- papitrack ------------------------------------------------------------------------------


def papitrack_job(sample: Any, replicates: int, seed: int) -> Any:
    from papitrack.surveys.bootstrap import domain_ratios, rao_wu_multipliers  # noqa: PLC0415

    multipliers = rao_wu_multipliers(sample.psu_stratum, replicates, np.random.default_rng(seed))
    ratios = domain_ratios(
        sample.values,
        sample.weights,
        sample.psu,
        sample.psu_domain,
        sample.province_count,
        multipliers,
    )
    return multipliers, ratios


def gemm_rate(size: int = 1500) -> float:
    a = np.random.default_rng(0).random((size, size))
    b = np.random.default_rng(1).random((size, size))
    a @ b
    start = time.perf_counter()
    a @ b
    return 2 * size**3 / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--indicators", type=int, default=120)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--peer-national", type=int, default=5, help="indicators timed nationally")
    parser.add_argument("--peer-domains", type=int, default=1, help="indicators timed by province")
    parser.add_argument("--peer-repeats", type=int, default=3)
    parser.add_argument("--peer-worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer_worker:
        peer_worker(*args.peer_worker, args.peer_national, args.peer_domains, args.peer_repeats)
        return 0

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from papitrack.surveys.synthetic import generate_national_sample  # noqa: PLC0415

    print("Benchmark P1 — survey scorer (docs/quality.md §1.4, P1)")
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}; numpy {np.__version__}"
    )
    sample = generate_national_sample(seed=args.seed, indicators=args.indicators)
    n, p = sample.values.shape
    print(
        f"data: seed={args.seed}, {n} respondents, {len(sample.psu_domain)} village PSUs, "
        f"{sample.province_count} provinces (strata and domains), {p} indicators "
        f"({np.isnan(sample.values).mean():.1%} missing), R={args.replicates}"
    )
    print(f"matrix-product rate in this run: {gemm_rate() / 1e9:.1f} GFLOP/s")

    papitrack_job(sample, args.replicates, args.seed)  # warm-up, discarded
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        multipliers, ratios = papitrack_job(sample, args.replicates, args.seed)
        times.append(time.perf_counter() - start)
    ours, ours_min, ours_max = _median(times)
    print(
        f"papitrack, national + {sample.province_count} provinces, all {p} indicators: "
        f"median {ours:.3f} s (min {ours_min:.3f}, max {ours_max:.3f}, {args.repeats} runs)"
    )

    python = peer_python()
    if python is None:
        print("Peer samplics could not be installed: comparison skipped.")
        print(f"speedup=nan max_abs_diff=nan papitrack_seconds={ours:.4f}")
        return 1
    with tempfile.TemporaryDirectory() as folder:
        data_path, out_path = Path(folder) / "data.npz", Path(folder) / "peer.json"
        np.savez(
            data_path,
            values=sample.values,
            weights=sample.weights,
            psu=sample.psu,
            m=multipliers,
            province=sample.province,
        )
        command = [
            str(python),
            __file__,
            "--peer-worker",
            str(data_path),
            str(out_path),
            f"--peer-national={args.peer_national}",
            f"--peer-domains={args.peer_domains}",
            f"--peer-repeats={args.peer_repeats}",
        ]
        subprocess.run(command, check=True)  # noqa: S603
        peer = json.loads(out_path.read_text())
    national_each = statistics.median(peer["national_times"])
    domains_each = statistics.median(peer["domain_times"])
    peer_total = p * (national_each + domains_each)
    print(
        f"samplics 0.6.1 ReplicateEstimator (one indicator per call, median of "
        f"{args.peer_repeats}): national {national_each:.3f} s per indicator "
        f"(timed on {args.peer_national}), by province {domains_each:.3f} s per indicator "
        f"(timed on {args.peer_domains}); scaled to {p} indicators: {peer_total:.1f} s"
    )
    differences = []
    for column, (estimate, error) in peer["national"].items():
        j = int(column)
        differences += [abs(estimate - ratios.estimate[0, j]), abs(error - ratios.std_error[0, j])]
    for column, by_domain in peer["domains"].items():
        j = int(column)
        for domain, (estimate, error) in by_domain.items():
            d = int(domain) + 1
            differences += [
                abs(estimate - ratios.estimate[d, j]),
                abs(error - ratios.std_error[d, j]),
            ]
    worst = max(differences)
    speedup = peer_total / ours
    print(f"checked {len(differences)} estimates and standard errors against samplics")
    verdicts = {
        f"speed ≥ {GOAL_SPEEDUP:.0f}× samplics": speedup >= GOAL_SPEEDUP,
        f"whole job ≤ {GOAL_SECONDS:.0f} s": ours <= GOAL_SECONDS,
        f"differences ≤ {GOAL_DIFFERENCE:g}": worst <= GOAL_DIFFERENCE,
    }
    for goal, passed in verdicts.items():
        print(f"  {'PASS' if passed else 'FAIL'}  {goal}")
    print(f"speedup={speedup:.1f} max_abs_diff={worst:.3e}")
    return 0 if all(verdicts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
