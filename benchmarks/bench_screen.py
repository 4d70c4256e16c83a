"""Benchmark: ``cohort screen`` on DuckDB against a hand-written SQL floor and a Python loop.

    .venv/bin/python benchmarks/bench_screen.py --patients 1000000
    .venv/bin/python benchmarks/bench_screen.py --patients 10000000 --memory-limit 4GB
    .venv/bin/python benchmarks/bench_screen.py --patients 1000000 --spark     # adds Spark local

Reads benchmarks/data/omop_<N>/ (``benchmarks/bench_generate.py`` writes it; git-ignored). In one
process it measures (a) the full screen (connect, check, concept resolution, counts, worklist
written as Parquet, summary), (b) the floor: one hand-written DuckDB join over the same Parquet
that only counts back-pain persons with a CRP and an HLA-B27 result (same concept ids, same DuckDB
settings; timed from connect to close, as (a)), (c) the naive per-person pipeline on a random
10,000-person slice of the screened persons, extrapolated to all of them: per person, fetch that
person's rows of the five clinical tables, derive the findings in Python, call
``calculate("axspa_probability")``; the loop's probabilities must equal the worklist's. Two naive
ways to fetch are piloted on ``--pilot-sample`` persons and the cheaper runs the slice: a
``pyarrow.compute`` filter on ``person_id`` over tables loaded once (untimed), or five
``WHERE person_id = ?`` DuckDB queries.
(a) and (b) run ``--repeat`` times, interleaved, and the best is reported. Peak memory is the
process's ru_maxrss after (a) and (b), with DuckDB's memory_limit as set. The load average before
and after is reported (the box is shared).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from immunospine.cohort.backends.duckdb import DuckDBBackend
from immunospine.cohort.concepts import CRP_RULE, ESR_RULE, RaisedRule
from immunospine.cohort.features import CONDITION_FINDINGS
from immunospine.cohort.params import ScreenConcepts, ScreenParams
from immunospine.cohort.plan import INPUT_COLUMNS
from immunospine.cohort.runner import resolve_concepts, run_screen
from immunospine.knowledge import calculate
from immunospine.knowledge.probability.axspa import FINDINGS


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def floor_query(
    data: Path, concepts: ScreenConcepts, memory_limit: str, threads: int | None
) -> tuple[float, int]:
    """(b): back-pain persons with a CRP and an HLA-B27 result, one hand-written join.

    Same Parquet, same concept ids as the screen (after ``concept_ancestor`` expansion), same
    DuckDB settings, and timed the same way as (a): from opening the connection to closing it.
    """
    import duckdb

    def ids(values: frozenset[int]) -> str:
        return ", ".join(str(i) for i in sorted(values))

    start = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    cond, meas = data / "condition_occurrence.parquet", data / "measurement.parquet"
    sql = f"""
        WITH bp AS (SELECT DISTINCT person_id FROM read_parquet('{cond}')
                    WHERE condition_concept_id IN ({ids(concepts.back_pain)})),
             crp AS (SELECT DISTINCT person_id FROM read_parquet('{meas}')
                     WHERE measurement_concept_id IN ({ids(concepts.crp)})),
             hla AS (SELECT DISTINCT person_id FROM read_parquet('{meas}')
                     WHERE measurement_concept_id IN ({ids(concepts.hla_b27)}))
        SELECT count(*) FROM bp JOIN crp USING (person_id) JOIN hla USING (person_id)
    """  # noqa: S608 - paths and ids come from this repository, not from users
    row = con.execute(sql).fetchone()
    con.close()
    seconds = time.perf_counter() - start
    return seconds, int(row[0]) if row else 0


def screen_once(data: Path, out: Path, memory_limit: str, threads: int | None) -> dict[str, Any]:
    """(a): the full screen, as ``immunospine cohort screen`` runs it."""
    marks: list[tuple[str, float]] = []
    start = time.perf_counter()
    backend = DuckDBBackend(data, memory_limit=memory_limit, threads=threads)
    marks.append(("connect", time.perf_counter()))
    try:
        summary = run_screen(
            backend, out, on_step=lambda msg: marks.append((msg.split()[0], time.perf_counter()))
        )
        marks.append(("close", time.perf_counter()))
        limit = backend.setting("memory_limit")
    finally:
        backend.close()
    end = time.perf_counter()
    # seconds spent in each step (announced by ``run_screen``), ending at the next announcement
    bounds = [("connect", start), *marks, ("end", end)]
    phases = {a[0]: round(b[1] - a[1], 3) for a, b in itertools.pairwise(bounds)}
    phases["connect"] = round(marks[0][1] - start, 3)
    return {
        "seconds": end - start,
        "phases": phases,
        "screened": summary.screened,
        "chronic_back_pain": summary.chronic_back_pain,
        "diagnosed": summary.diagnosed,
        "back_pain": summary.back_pain,
        "categories": summary.categories,
        "duckdb_memory_limit": limit,
    }


# --- (c): the per-person Python loop ------------------------------------------------------------

#: What the loop reads of each table (the columns the engine reads, ``plan.INPUT_COLUMNS``).
LOOP_TABLES = (
    "condition_occurrence",
    "drug_exposure",
    "measurement",
    "observation",
    "procedure_occurrence",
)


def _raised_judged(rule: RaisedRule, row: dict[str, Any]) -> tuple[bool, bool]:
    number, high = row["value_as_number"], row["range_high"]
    factor = rule.unit_factors.get(row["unit_concept_id"])
    if number is None:
        return False, False
    if high is not None:
        return number > high, True
    if factor is None:
        return False, False
    return number * factor > rule.default_limit, True


def person_findings(
    rows: dict[str, list[dict[str, Any]]], c: ScreenConcepts, p: ScreenParams
) -> dict[str, bool | None] | None:
    """One person's findings from their rows, as an analyst would write it (``None``: not screened).

    The same rules as ``cohort.features`` (its module docstring), written as plain Python.
    """
    wanted = c.back_pain | c.axspa_diagnosis | c.uveitis | c.psoriasis | c.ibd
    wanted |= c.enthesitis | c.dactylitis
    codes = [r for r in rows["condition_occurrence"] if r["condition_concept_id"] in wanted]
    bp_dates = [
        r["condition_start_date"] for r in codes if r["condition_concept_id"] in c.back_pain
    ]
    if not bp_dates:
        return None
    ids = {r["condition_concept_id"] for r in codes}
    span = (max(bp_dates) - min(bp_dates)).days
    if (
        not (ids & c.chronic_back_pain_coded or span >= p.chronic_min_days)
        or ids & c.axspa_diagnosis
    ):
        return None
    f: dict[str, bool | None] = {name: None for name in FINDINGS}
    for finding, field in CONDITION_FINDINGS.items():
        f[finding] = True if ids & getattr(c, field) else None
    raised = judged = hla_pos = hla_neg = mri_pos = mri_neg = False
    for r in rows["measurement"]:
        cid, number, answer = (
            r["measurement_concept_id"],
            r["value_as_number"],
            r["value_as_concept_id"],
        )
        positive = answer in c.positive_result or (number is not None and number > 0)
        negative = answer in c.negative_result or (number is not None and number == 0)
        if cid in c.crp:
            ra, ju = _raised_judged(CRP_RULE, r)
            raised, judged = raised or ra, judged or ju
        if cid in c.esr:
            ra, ju = _raised_judged(ESR_RULE, r)
            raised, judged = raised or ra, judged or ju
        if cid in c.hla_b27:
            hla_pos, hla_neg = hla_pos or positive, hla_neg or negative
        if cid in c.sij_imaging:
            mri_pos, mri_neg = mri_pos or positive, mri_neg or negative
    f["elevated_crp_or_esr"] = True if raised else (False if judged else None)
    f["hla_b27"] = True if hla_pos else (False if hla_neg else None)
    f["mri_sacroiliitis"] = True if mri_pos else (False if mri_neg else None)
    dates = {
        r["drug_exposure_start_date"]
        for r in rows["drug_exposure"]
        if r["drug_concept_id"] in c.nsaids
    }
    f["nsaid_response"] = True if len(dates) >= p.nsaid_min_exposures else None
    fh = [r for r in rows["observation"] if r["observation_concept_id"] in c.family_history]
    neg = [r["value_as_concept_id"] in c.negative_result for r in fh]
    f["family_history"] = True if not all(neg) else (False if neg else None)
    return f


def _slice(worklist: Path, sample: int, seed: int = 2026) -> dict[int, float]:
    """``sample`` screened persons, drawn at random: person_id → the engine's probability."""
    import random

    import pyarrow.parquet as pq

    t = pq.read_table(worklist, columns=["person_id", "probability_literature"]).to_pydict()
    pairs = list(zip(t["person_id"], t["probability_literature"], strict=True))
    return dict(random.Random(seed).sample(pairs, min(sample, len(pairs))))


Rows = dict[str, list[dict[str, Any]]]


def arrow_fetcher(data: Path) -> Callable[[int], Rows]:
    """Naive variant 1: tables loaded once (untimed), a ``pyarrow.compute`` filter per person."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    tables = {
        t: pq.read_table(data / f"{t}.parquet", columns=list(INPUT_COLUMNS[t])) for t in LOOP_TABLES
    }

    def fetch(pid: int) -> Rows:
        return {n: t.filter(pc.equal(t["person_id"], pid)).to_pylist() for n, t in tables.items()}

    return fetch


def duckdb_fetcher(data: Path) -> Callable[[int], Rows]:
    """Naive variant 2: five ``SELECT … WHERE person_id = ?`` DuckDB queries per person."""
    import duckdb

    con = duckdb.connect()
    for name in LOOP_TABLES:
        cols = ", ".join(INPUT_COLUMNS[name])
        path = data / f"{name}.parquet"
        con.execute(f"CREATE VIEW {name} AS SELECT {cols} FROM read_parquet('{path}')")  # noqa: S608

    def fetch(pid: int) -> Rows:
        rows = {}
        for name in LOOP_TABLES:
            cur = con.execute(f"SELECT * FROM {name} WHERE person_id = ?", [pid])  # noqa: S608
            cols = [d[0] for d in cur.description]
            rows[name] = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
        return rows

    return fetch


def python_loop(
    fetch: Callable[[int], Rows], expected: dict[int, float], concepts: ScreenConcepts
) -> dict[str, Any]:
    """(c): per person, fetch their rows, derive findings in Python, call ``calculate``.

    Every probability must equal the engine's (the worklist's) for the same person.
    """
    params = ScreenParams()
    worst = 0.0
    start = time.perf_counter()
    for pid, probability in expected.items():
        findings = person_findings(fetch(pid), concepts, params)
        if findings is None:
            raise AssertionError(f"person {pid} is in the worklist but not screened by the loop")
        score = calculate("axspa_probability", findings=findings).score
        if score is None:
            raise AssertionError(f"calculate gave no probability for person {pid}")
        worst = max(worst, abs(float(score) - probability))
    seconds = time.perf_counter() - start
    if worst > 1e-9:
        raise AssertionError(f"loop and engine disagree by {worst:g}")
    return {
        "per_person": seconds / max(len(expected), 1),
        "sample": len(expected),
        "max_diff": worst,
    }


def loop_benchmark(
    data: Path, worklist: Path, concepts: ScreenConcepts, sample: int, pilot: int
) -> dict[str, Any]:
    """Pilot both naive variants on ``pilot`` persons, run the cheaper on ``sample`` persons."""
    fetchers = {"pyarrow": arrow_fetcher(data), "duckdb": duckdb_fetcher(data)}
    pilots = {
        name: python_loop(f, _slice(worklist, pilot, seed=1), concepts)["per_person"]
        for name, f in fetchers.items()
    }
    chosen = min(pilots, key=lambda n: pilots[n])
    result = python_loop(fetchers[chosen], _slice(worklist, sample), concepts)
    return {**result, "variant": chosen, "pilot_ms_per_person": pilots}


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
    ap.add_argument("--pilot-sample", type=int, default=300, help="persons per loop variant")
    ap.add_argument("--spark", action="store_true", help="also time Spark local mode")
    args, _unknown = ap.parse_known_args()  # run.py passes its arguments to every benchmark
    data = args.data or Path(__file__).parent / "data" / f"omop_{args.patients}"
    if not (data / "person.parquet").is_file():
        print(f"no data at {data}: run benchmarks/bench_generate.py --patients {args.patients}")
        return 1

    load_before = _loadavg()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "worklist.parquet"
        probe = DuckDBBackend(data)
        try:
            concepts = resolve_concepts(probe).concepts  # the ids the screen uses, for the floor
        finally:
            probe.close()
        runs, floors = [], []
        for _ in range(args.repeat):  # interleaved, so both see the same load on a shared box
            runs.append(screen_once(data, out, args.memory_limit, args.threads))
            floors.append(floor_query(data, concepts, args.memory_limit, args.threads))
        screen = min(runs, key=lambda r: r["seconds"])
        floor_s, floor_n = min(floors)
        peak = _peak_mib()
        loop = loop_benchmark(data, out, concepts, args.loop_sample, args.pilot_sample)
        spark_s = spark_once(data, Path(tmp) / "spark.parquet") if args.spark else None

    per_person = loop["per_person"]
    loop_s = per_person * screen["screened"]
    report = {
        "data": str(data),
        "persons": args.patients,
        "screen_seconds": round(screen["seconds"], 3),
        "screen_seconds_all": [round(r["seconds"], 3) for r in runs],
        "floor_seconds": round(floor_s, 3),
        "floor_seconds_all": [round(f[0], 3) for f in floors],
        "floor_count": floor_n,
        "screen_over_floor": round(screen["seconds"] / floor_s, 2),
        "python_loop_variant": loop["variant"],
        "python_loop_pilot_ms_per_person": {
            k: round(v * 1e3, 3) for k, v in loop["pilot_ms_per_person"].items()
        },
        "python_loop_pilot_sample": min(args.pilot_sample, screen["screened"]),
        "python_loop_ms_per_person": round(per_person * 1e3, 3),
        "python_loop_sample": loop["sample"],
        "python_loop_max_abs_diff_vs_engine": loop["max_diff"],
        "python_loop_extrapolated_seconds": round(loop_s, 1),
        "speedup_vs_loop": round(loop_s / screen["seconds"], 1),
        "peak_rss_mib": round(peak, 1),
        "spark_seconds": None if spark_s is None else round(spark_s, 1),
        **{k: v for k, v in screen.items() if k != "seconds"},
        "loadavg_before": load_before,
        "loadavg_after": _loadavg(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
