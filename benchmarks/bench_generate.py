"""Benchmark: synthetic OMOP generation time, rows per second, peak memory and size on disk.

    .venv/bin/python benchmarks/bench_generate.py --patients 1000000
    .venv/bin/python benchmarks/bench_generate.py --patients 1000000 --density realistic
    .venv/bin/python benchmarks/bench_generate.py -n 10000000 --density realistic --workers 2

Writes to benchmarks/data/omop_<N>[_realistic]/ (git-ignored) unless --out is given. Run one size
per process: peak memory is the process's ru_maxrss (and its largest worker's with --workers).
``cpu_seconds`` (user + system, workers included) is reported beside wall time because a shared
machine's wall time says little; the 10 M projection scales the measured wall time and size
linearly in persons (generation is chunk by chunk, so it is linear).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

from immunospine.cohort import synthetic as generator

PROJECT_TO = 10_000_000


def _disk_bytes(out: Path) -> int:
    return sum(p.stat().st_size for p in out.rglob("*.parquet"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--patients", "-n", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--density", choices=generator.DENSITIES, default="light")
    ap.add_argument("--layout", choices=generator.LAYOUTS, default=None)
    ap.add_argument("--chunk-size", type=int, default=None)
    ap.add_argument("--workers", type=int, default=1, help="processes (partitioned layout)")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    suffix = "" if args.density == "light" else f"_{args.density}"
    out = args.out or Path(__file__).parent / "data" / f"omop_{args.patients}{suffix}"

    cpu0 = os.times()
    start = time.perf_counter()
    result = generator.generate(
        out,
        args.patients,
        args.seed,
        chunk_size=args.chunk_size,
        density=args.density,
        layout=args.layout,
        workers=args.workers,
    )
    seconds = time.perf_counter() - start
    cpu1 = os.times()
    cpu = sum(b - a for a, b in zip(cpu0[:4], cpu1[:4], strict=True))  # self + children
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    child_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # largest worker
    size = _disk_bytes(out)
    total = sum(result.rows.values()) + args.patients  # + truth
    scale = PROJECT_TO / args.patients
    report = {
        "patients": args.patients,
        "seed": args.seed,
        "density": result.density,
        "layout": result.layout,
        "chunk_size": result.chunk_size,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "rows_per_second": round(total / seconds),
        "rows_per_cpu_second": round(total / cpu),
        "persons_per_second": round(args.patients / seconds),
        "workers": args.workers,
        "peak_rss_mib": round(peak_kib / 1024),
        "peak_rss_worker_mib": round(child_kib / 1024),
        "parquet_mib": round(size / 2**20),
        "rows": result.rows,
        "rows_per_person": {t: round(n / args.patients, 2) for t, n in result.rows.items()},
        "total_rows": total,
        "projected_10m": {
            "seconds": round(seconds * scale),
            "cpu_seconds": round(cpu * scale),
            "parquet_gib": round(size * scale / 2**30, 1),
            "measurement_rows": round(result.rows["measurement"] * scale),
        },
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 1),
        "python": platform.python_version(),
        "out": str(out),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
