"""Benchmark: ``cohort screen`` on a Spark standalone cluster (two workers) against Spark local[2].

    .venv/bin/python benchmarks/bench_spark_cluster.py --patients 1000000
    .venv/bin/python benchmarks/bench_spark_cluster.py --data DIR --repeat 2

Reads ``benchmarks/data/omop_realistic_<N>/`` (``immunospine cohort generate --density
realistic``), else ``omop_<N>/`` (light), or ``--data``. Starts one master and two workers on
127.0.0.1 from the pyspark distribution (``tests/cohort/spark_cluster.py``; 1 core and
``--worker-memory`` each, executors of ``--executor-memory``), then times the whole command as a
user runs it, one fresh process per run, interleaved so both see the same load on a shared box:

* **cluster**: ``immunospine cohort screen --backend spark --spark-master spark://…`` (driver JVM
  start, two executor JVMs launched by the workers, the screen, the worklist collected and written);
* **local**: the same with ``--spark-master local[2]`` (one JVM, two task threads, 2 GiB heap);
* **duckdb**: the same with ``--backend duckdb`` (the reference the worklists must equal).

The cluster's own start (master and workers) is not timed: a site's cluster is already running.
All three worklists must be equal (same persons, ranks and order; probabilities to 1e-12). The
rows read per table are reported, so the figures give a per-row cost (docs/spark.md sizing).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.cohort.spark_cluster: the same launcher as the tests

from tests.cohort.spark_cluster import standalone_cluster  # noqa: E402

CLI = Path(sys.executable).with_name("immunospine")


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def rows_per_table(data: Path) -> dict[str, int]:
    """Rows of each table (Parquet footers only), single-file or partitioned layout."""
    import pyarrow.parquet as pq

    from immunospine.cohort.omop_schema import parquet_parts, parquet_sources

    return {
        name: sum(pq.read_metadata(p).num_rows for p in parquet_parts(path))
        for name, path in parquet_sources(data).items()
    }


def _become_subreaper() -> None:
    """Orphans of our children become ours (Linux ``PR_SET_CHILD_SUBREAPER``).

    pyspark does not wait for its driver JVM: the JVM exits after the CLI and is reparented. As a
    subreaper this process reaps it, so its CPU time is counted in ``RUSAGE_CHILDREN``.
    """
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def _reap_orphans(keep: set[int], timeout_s: float = 30.0) -> None:
    """Wait for every child of this process except ``keep`` (the cluster's daemons)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        mine = [
            int(p.name)
            for p in Path("/proc").iterdir()
            if p.name.isdigit() and _ppid(p) == os.getpid() and int(p.name) not in keep
        ]
        if not mine:
            return
        for pid in mine:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
        time.sleep(0.2)


def _ppid(proc: Path) -> int:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the CLI and its driver JVM)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _reaped_cpu(pids: list[int]) -> float:
    """CPU seconds of the finished children of ``pids`` (the workers' executor JVMs)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[13]) + int(fields[14])) / tick  # cutime, cstime
    return total


def screen(
    argv: list[str],
    out: Path,
    env: dict[str, str],
    workers: list[int] | None = None,
    keep: tuple[int, ...] = (),
) -> dict[str, Any]:
    """One ``cohort screen`` in a fresh process: wall and CPU seconds, and the summary.

    CPU: the command and its driver JVM (reaped here: :func:`_become_subreaper`), plus
    (``workers``) the executors the workers ran and reaped. On a shared box the CPU time is the
    figure to scale from, not the wall time.
    """
    cpu0, exec0 = _children_cpu(), _reaped_cpu(workers or [])
    start = time.perf_counter()
    done = subprocess.run(
        [str(CLI), "cohort", "screen", *argv, "-o", str(out), "--json", "--quiet"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{argv} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    _reap_orphans(set(keep))  # the driver JVM, reparented to us
    if workers:  # the workers reap their executors when the application ends
        time.sleep(3)
    driver = _children_cpu() - cpu0
    executors = _reaped_cpu(workers or []) - exec0
    return {
        "seconds": seconds,
        "cpu_driver": driver,
        "cpu_executors": executors,
        "summary": json.loads(done.stdout),
    }


def same_rows(a: Path, b: Path) -> bool:
    """Same columns and rows in the same order; probabilities and log-odds to 1e-12."""
    import pyarrow.parquet as pq

    ta, tb = pq.read_table(a), pq.read_table(b)
    if ta.column_names != tb.column_names or ta.num_rows != tb.num_rows:
        return False
    for name in ta.column_names:
        x, y = ta.column(name).to_pylist(), tb.column(name).to_pylist()
        if name.startswith("probability") or name == "log_odds":
            if not all(
                math.isclose(p, q, rel_tol=0, abs_tol=1e-12) for p, q in zip(x, y, strict=True)
            ):
                return False
        elif x != y:
            return False
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--patients", type=int, default=1_000_000)
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--worker-memory", default="1536m", help="memory each worker offers")
    ap.add_argument("--executor-memory", default="1g", help="heap of each executor JVM")
    args, _unknown = ap.parse_known_args()  # run.py passes its arguments to every benchmark
    base = ROOT / "benchmarks" / "data"
    candidates = [base / f"omop_realistic_{args.patients}", base / f"omop_{args.patients}"]
    data = args.data or next((d for d in candidates if d.is_dir()), candidates[-1])
    if not data.is_dir():
        print(f"no data at {data}: run immunospine cohort generate --density realistic")
        return 1
    rows = rows_per_table(data)
    _become_subreaper()
    load_before = _loadavg()
    driver_defaults = {
        "spark.executor.memory": args.executor_memory,
        "spark.cores.max": "2",
        "spark.scheduler.minRegisteredResourcesRatio": "1.0",
        "spark.scheduler.maxRegisteredResourcesWaitingTime": "60s",
    }
    runs: dict[str, list[dict[str, Any]]] = {"cluster": [], "local": [], "duckdb": []}
    with tempfile.TemporaryDirectory(prefix="bench-spark-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        with standalone_cluster(
            root / "cluster", memory=args.worker_memory, driver_defaults=driver_defaults
        ) as cluster:
            cluster_start = time.perf_counter() - started
            env = {**os.environ, "SPARK_CONF_DIR": str(cluster.conf_dir)}
            env.pop("PYSPARK_PYTHON", None)
            local_env = {k: v for k, v in env.items() if k != "SPARK_CONF_DIR"}
            spark = ["--backend", "spark", "--data", str(data)]
            outs = {name: root / f"{name}.parquet" for name in runs}
            summaries: dict[str, Any] = {}
            for _ in range(args.repeat):
                for name, argv, e in (
                    ("cluster", [*spark, "--spark-master", cluster.url], env),
                    ("local", [*spark, "--spark-master", "local[2]"], local_env),
                    ("duckdb", ["--backend", "duckdb", "--data", str(data)], local_env),
                ):
                    pids = [p.pid for p in cluster.procs[1:]] if name == "cluster" else None
                    daemons = tuple(p.pid for p in cluster.procs)
                    result = screen(argv, outs[name], e, pids, daemons)
                    summaries[name] = result.pop("summary")
                    runs[name].append(result)
            executors = len(cluster.executor_logs())
        equal = {
            "cluster_equals_duckdb": same_rows(outs["duckdb"], outs["cluster"]),
            "local_equals_duckdb": same_rows(outs["duckdb"], outs["local"]),
        }
    best = {name: min(r["seconds"] for r in rs) for name, rs in runs.items()}
    cpu = {name: min(r["cpu_driver"] + r["cpu_executors"] for r in rs) for name, rs in runs.items()}
    measured_rows = sum(rows.values())
    report = {
        "data": str(data),
        "persons": rows.get("person"),
        "rows_per_table": rows,
        "rows_all_tables": measured_rows,
        "cluster": "1 master + 2 workers x 1 core, 127.0.0.1",
        "worker_memory": args.worker_memory,
        "executor_memory": args.executor_memory,
        "cluster_start_seconds": round(cluster_start, 1),
        "executors_launched": executors // max(args.repeat, 1),
        "wall_seconds_best": {k: round(v, 1) for k, v in best.items()},
        "cpu_seconds_best": {k: round(v, 1) for k, v in cpu.items()},
        "runs": {k: [{m: round(x, 1) for m, x in r.items()} for r in rs] for k, rs in runs.items()},
        "cluster_over_local_wall": round(best["cluster"] / best["local"], 2),
        "cluster_over_local_cpu": round(cpu["cluster"] / cpu["local"], 2),
        "cpu_us_per_row": {k: round(v / measured_rows * 1e6, 3) for k, v in cpu.items()},
        "screened": summaries["duckdb"]["screened"],
        **equal,
        "loadavg_before": load_before,
        "loadavg_after": _loadavg(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    print(json.dumps(report, indent=2))
    return 0 if all(equal.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
