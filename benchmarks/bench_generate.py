"""Benchmark: synthetic OMOP generation time and peak memory.

    .venv/bin/python benchmarks/bench_generate.py --patients 1000000
    .venv/bin/python benchmarks/bench_generate.py --patients 10000000   # the engine's 10 M dataset

Writes to benchmarks/data/omop_<N>/ (git-ignored) unless --out is given. Run one size per process:
peak memory is the process's ru_maxrss.
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--patients", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--chunk-size", type=int, default=generator.DEFAULT_CHUNK)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    out = args.out or Path(__file__).parent / "data" / f"omop_{args.patients}"

    start = time.perf_counter()
    result = generator.generate(out, args.patients, args.seed, chunk_size=args.chunk_size)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    size = sum(p.stat().st_size for p in out.glob("*.parquet"))
    report = {
        "patients": args.patients,
        "seed": args.seed,
        "chunk_size": args.chunk_size,
        "seconds": round(seconds, 1),
        "persons_per_second": round(args.patients / seconds),
        "peak_rss_mib": round(peak_kib / 1024),
        "parquet_mib": round(size / 2**20),
        "rows": result.rows,
        "total_rows": sum(result.rows.values()) + args.patients,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "out": str(out),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
