"""Benchmark: ``cohort screen`` on DuckDB against a hand-written SQL floor and a Python loop.

    .venv/bin/python benchmarks/bench_screen.py --patients 1000000
    .venv/bin/python benchmarks/bench_screen.py --patients 10000000 --memory-limit 4GB
    .venv/bin/python benchmarks/bench_screen.py --patients 1000000 --spark     # adds Spark local

Reads benchmarks/data/omop_<N>/ (``benchmarks/bench_generate.py`` writes it; git-ignored). In one
process it measures (a) the full screen (check, concept resolution, counts, worklist written as
Parquet, summary), (b) the floor: one hand-written DuckDB join over the same Parquet that only
counts back-pain persons with a CRP and an HLA-B27 result, (c) a per-person Python loop calling
``calculate("axspa_probability")`` on a 10,000-person slice of the worklist's features, extrapolated
to every screened person (it leaves out reading the data: a generous lower bound for a loop).
(a) and (b) run ``--repeat`` times each and the best is reported. Peak memory is the process's
ru_maxrss after (a) and (b), with DuckDB's memory_limit as set.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from immunospine.cohort.backends.duckdb import DuckDBBackend
from immunospine.cohort.concepts import concept_set
from immunospine.cohort.runner import run_screen
from immunospine.knowledge import calculate
from immunospine.knowledge.probability.axspa import FINDINGS


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _ids(name: str) -> str:
    return ", ".join(str(i) for i in sorted(concept_set(name).ids))


def floor_query(data: Path, memory_limit: str, threads: int | None) -> tuple[float, int]:
    """(b): back-pain persons with a CRP and an HLA-B27 result, one hand-written join."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    cond, meas = data / "condition_occurrence.parquet", data / "measurement.parquet"
    sql = f"""
        WITH bp AS (SELECT DISTINCT person_id FROM read_parquet('{cond}')
                    WHERE condition_concept_id IN ({_ids("chronic_back_pain")})),
             crp AS (SELECT DISTINCT person_id FROM read_parquet('{meas}')
                     WHERE measurement_concept_id IN ({_ids("crp")})),
             hla AS (SELECT DISTINCT person_id FROM read_parquet('{meas}')
                     WHERE measurement_concept_id IN ({_ids("hla_b27")}))
        SELECT count(*) FROM bp JOIN crp USING (person_id) JOIN hla USING (person_id)
    """  # noqa: S608 - paths and ids come from this repository, not from users
    start = time.perf_counter()
    row = con.execute(sql).fetchone()
    seconds = time.perf_counter() - start
    con.close()
    return seconds, int(row[0]) if row else 0


def screen_once(data: Path, out: Path, memory_limit: str, threads: int | None) -> dict[str, Any]:
    """(a): the full screen, as ``immunospine cohort screen`` runs it."""
    start = time.perf_counter()
    backend = DuckDBBackend(data, memory_limit=memory_limit, threads=threads)
    try:
        summary = run_screen(backend, out)
        limit = backend.setting("memory_limit")
    finally:
        backend.close()
    return {
        "seconds": time.perf_counter() - start,
        "screened": summary.screened,
        "chronic_back_pain": summary.chronic_back_pain,
        "diagnosed": summary.diagnosed,
        "back_pain": summary.back_pain,
        "categories": summary.categories,
        "duckdb_memory_limit": limit,
    }


def python_loop(worklist: Path, sample: int) -> tuple[float, int]:
    """(c): seconds per person for ``calculate`` over ``sample`` worklist rows."""
    import pyarrow.parquet as pq

    rows = pq.read_table(worklist, columns=list(FINDINGS)).slice(0, sample).to_pylist()
    start = time.perf_counter()
    for row in rows:
        calculate("axspa_probability", findings=row)
    return (time.perf_counter() - start) / max(len(rows), 1), len(rows)


def spark_once(data: Path, out: Path) -> float:
    from immunospine.cohort.backends.spark import SparkBackend

    start = time.perf_counter()
    backend = SparkBackend(data)
    try:
        run_screen(backend, out)
    finally:
        backend.close()
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--patients", type=int, default=1_000_000)
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--memory-limit", default="4GB")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--loop-sample", type=int, default=10_000)
    ap.add_argument("--spark", action="store_true", help="also time Spark local mode")
    args, _unknown = ap.parse_known_args()  # run.py passes its arguments to every benchmark
    data = args.data or Path(__file__).parent / "data" / f"omop_{args.patients}"
    if not (data / "person.parquet").is_file():
        print(f"no data at {data}: run benchmarks/bench_generate.py --patients {args.patients}")
        return 1

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "worklist.parquet"
        runs = [screen_once(data, out, args.memory_limit, args.threads) for _ in range(args.repeat)]
        screen = min(runs, key=lambda r: r["seconds"])
        floors = [floor_query(data, args.memory_limit, args.threads) for _ in range(args.repeat)]
        floor_s, floor_n = min(floors)
        peak = _peak_mib()
        per_person, sampled = python_loop(out, args.loop_sample)
        spark_s = spark_once(data, Path(tmp) / "spark.parquet") if args.spark else None

    loop_s = per_person * screen["screened"]
    report = {
        "data": str(data),
        "persons": args.patients,
        "screen_seconds": round(screen["seconds"], 2),
        "screen_seconds_all": [round(r["seconds"], 2) for r in runs],
        "floor_seconds": round(floor_s, 2),
        "floor_seconds_all": [round(f[0], 2) for f in floors],
        "floor_count": floor_n,
        "screen_over_floor": round(screen["seconds"] / floor_s, 2),
        "python_loop_us_per_person": round(per_person * 1e6, 1),
        "python_loop_sample": sampled,
        "python_loop_extrapolated_seconds": round(loop_s, 1),
        "speedup_vs_loop": round(loop_s / screen["seconds"], 1),
        "peak_rss_mib": round(peak, 1),
        "spark_seconds": None if spark_s is None else round(spark_s, 1),
        **{k: v for k, v in screen.items() if k != "seconds"},
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
