"""Benchmark: ``cohort screen`` at realistic volume against the same-work floor and a count join.

    .venv/bin/python benchmarks/bench_scale.py --patients 1000000            # realistic data
    .venv/bin/python benchmarks/bench_scale.py --patients 10000000 --repeat 2
    .venv/bin/python benchmarks/bench_scale.py --data benchmarks/data/omop_1000000   # any CDM dir

Reads ``benchmarks/data/omop_realistic_<N>/`` (``immunospine cohort generate --density realistic``;
git-ignored) unless ``--data`` is given; tables may be ``DIR/<table>.parquet`` or partitioned
``DIR/<table>/*.parquet``. Three measurements, each in its own process (so ``ru_maxrss`` is its
own peak), interleaved ``--repeat`` times because the box is shared; the best run of each is
reported with the load average before it:

* **(a)** the full screen as ``immunospine cohort screen`` runs it (``runner.run_screen`` on the
  DuckDB backend: schema check, concept resolution, counts, the worklist written as Parquet);
* **(b)** the same-work floor: ``benchmarks/floor_screen.sql``, one hand-written DuckDB query that
  writes the same worklist (same persons, findings, log-odds, probabilities, categories,
  contributions, ranks) with ``COPY … TO``. The concept ids are the screen's own resolution
  (``runner.resolve_concepts``); the ln LR terms, labels, category bounds and lab rules are filled
  in from the knowledge module and ``cohort.concepts`` (no number is typed in the SQL). After the
  runs the two worklists are compared column by column and must be equal;
* **(c)** the bare count join of ``bench_screen.py``: back-pain persons with a CRP and an HLA-B27
  result (three filtered ``DISTINCT person_id`` scans, joined, counted).

All three use DuckDB ``memory_limit`` (default 4GB), the default thread count,
``preserve_insertion_order`` on, and are timed from opening the connection to closing it. DuckDB
memory is the largest ``SUM(memory_usage_bytes)`` of ``duckdb_memory()`` sampled every 50 ms.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FLOOR_SQL = HERE / "floor_screen.sql"
TABLES = (
    "person",
    "condition_occurrence",
    "measurement",
    "drug_exposure",
    "observation",
    "procedure_occurrence",
)
#: Findings the floor treats as condition codes (present or unknown) → ``ScreenConcepts`` field.
FLOOR_CONDITION_FIELDS = ("uveitis", "psoriasis", "ibd", "enthesitis", "dactylitis")


def _cpu() -> float:
    """User + system CPU seconds of this process (all its threads) so far."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def table_source(data: Path, table: str) -> str:
    """``read_parquet(...)`` of one OMOP table: ``DIR/<table>.parquet`` or ``DIR/<table>/*``."""
    single = data / f"{table}.parquet"
    if single.is_file():
        return f"read_parquet('{single}')"
    if (data / table).is_dir():
        return f"read_parquet('{data / table}/*.parquet')"
    raise FileNotFoundError(f"no {table} table in {data}")


# --- rendering the floor ------------------------------------------------------------------------


def _ids(values: frozenset[int]) -> str:
    return ", ".join(str(i) for i in sorted(values)) if values else "NULL"


def _dec(x: float) -> str:
    """A ln LR as the screen adds it: rounded once to 16 decimals, as DECIMAL(18, 16)."""
    return f"CAST('{Decimal(x).quantize(Decimal('1e-16'))}' AS DECIMAL(18, 16))"


def _text(s: str | None) -> str:
    return "NULL" if s is None else "'" + s.replace("'", "''") + "'"


def _units(rule: Any) -> str:
    return " ".join(
        f"WHEN {uid} THEN CAST({float(f)!r} AS DOUBLE)"
        for uid, f in sorted(rule.unit_factors.items())
    )


def floor_values(data: Path, concepts: Any, params: Any) -> dict[str, str]:
    """The values the hand-written floor leaves in braces, from the screen's own sources."""
    from immunospine.cohort.concepts import CRP_RULE, ESR_RULE
    from immunospine.cohort.scoring import rules_for
    from immunospine.knowledge.probability.axspa import CATEGORIES, FINDINGS

    v: dict[str, str] = {t: table_source(data, t) for t in TABLES}
    c = concepts
    for field in (
        "back_pain",
        "chronic_back_pain_coded",
        "axspa_diagnosis",
        *FLOOR_CONDITION_FIELDS,
        "crp",
        "esr",
        "hla_b27",
        "sij_imaging",
        "positive_result",
        "negative_result",
        "nsaids",
        "family_history",
    ):
        v[field] = _ids(getattr(c, field))
    wanted = c.back_pain | c.axspa_diagnosis
    for field in FLOOR_CONDITION_FIELDS:
        wanted |= getattr(c, field)
    v["condition_wanted"] = _ids(wanted)
    v["chronic_back_pain_coded"] = _ids(c.chronic_back_pain_coded & wanted)
    v["measurement_wanted"] = _ids(c.crp | c.esr | c.hla_b27 | c.sij_imaging)
    v["crp_units"], v["crp_limit"] = _units(CRP_RULE), f"{CRP_RULE.default_limit!r}"
    v["esr_units"], v["esr_limit"] = _units(ESR_RULE), f"{ESR_RULE.default_limit!r}"
    v["chronic_min_days"] = str(int(params.chronic_min_days))
    v["nsaid_min_exposures"] = str(int(params.nsaid_min_exposures))
    v["ln_pretest"], v["zero"] = _dec(params.pretest_log_odds), _dec(0.0)

    def put(suffix: str, finding: str, row: Any) -> None:
        v[f"ln_pos_{suffix}"] = _dec(math.log(row.lr_positive))
        v[f"lab_pos_{suffix}"] = _text(f"{finding}+ (LR {row.ratio(True):g})")
        v[f"ln_neg_{suffix}"] = _dec(math.log(row.lr_negative) if row.use_negative else 0.0)
        v[f"lab_neg_{suffix}"] = _text(
            f"{finding}- (LR {row.ratio(False):g})" if row.use_negative else None
        )

    for finding in FINDINGS:
        rules = rules_for(finding)
        if finding == "hla_b27":
            # the floor writes this context by hand: check the knowledge still says exactly it
            shape = [r.when for r in rules]
            if shape != [("psoriasis", "ibd"), ()]:
                raise AssertionError(f"the floor's HLA-B27 context is out of date: {shape}")
            put("hla_b27_ctx", finding, rules[0].row)
        elif len(rules) != 1:
            raise AssertionError(f"the floor has no context rule for {finding}: {rules}")
        put(finding, finding, rules[-1].row)
    bands = CATEGORIES.bands
    if len(bands) != 4 or any(b.hi_inclusive for b in bands):
        raise AssertionError(f"the floor writes four half-open bands, the knowledge has {bands}")
    for i, band in enumerate(bands, start=1):
        v[f"label_{i}"] = _text(band.label)
        if i < len(bands):
            v[f"band_{i}"] = f"{float(band.hi)!r}"
    return v


def render_floor(data: Path, concepts: Any, params: Any) -> str:
    """The floor's SQL with its values filled in (the header comment, which names them, dropped)."""
    lines = FLOOR_SQL.read_text().splitlines()
    body = "\n".join(line for line in lines if not line.startswith("--"))
    return body.format(**floor_values(data, concepts, params))


# --- the three measurements, each run in a child process ----------------------------------------


class MemorySampler:
    """Largest ``SUM(memory_usage_bytes)`` of ``duckdb_memory()``, polled on its own cursor."""

    def __init__(self, con: Any, every: float = 0.05) -> None:
        self._cur, self._every, self.peak = con.cursor(), every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            row = self._cur.execute(
                "SELECT sum(memory_usage_bytes) FROM duckdb_memory()"
            ).fetchone()
            self.peak = max(self.peak, int(row[0] or 0) if row else 0)
            self._stop.wait(self._every)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        self._cur.close()
        return self.peak


def _settings(con: Any, memory_limit: str) -> None:
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")


def run_screen_child(data: Path, out: Path, memory_limit: str) -> dict[str, Any]:
    """(a): ``run_screen`` on the DuckDB backend, from connect to close."""
    from immunospine.cohort.backends.duckdb import DuckDBBackend
    from immunospine.cohort.runner import run_screen

    marks: list[tuple[str, float]] = []
    start = time.perf_counter()
    backend = DuckDBBackend(data, memory_limit=memory_limit)
    sampler = MemorySampler(backend._con.con)
    try:
        summary = run_screen(
            backend, out, on_step=lambda m: marks.append((m.split()[0], time.perf_counter()))
        )
        limit = backend.setting("memory_limit")
    finally:
        duck_peak = sampler.stop()
        backend.close()
    end = time.perf_counter()
    bounds = [("connect", start), *marks, ("end", end)]
    phases = {a[0]: round(b[1] - a[1], 3) for a, b in itertools.pairwise(bounds)}
    return {
        "seconds": end - start,
        "phases": phases,
        "screened": summary.screened,
        "categories": summary.categories,
        "duckdb_memory_limit": limit,
        "duckdb_peak_mib": duck_peak / 2**20,
    }


def run_floor_child(data: Path, out: Path, memory_limit: str, sql: str) -> dict[str, Any]:
    """(b): the hand-written query written with ``COPY … TO``, from connect to close."""
    import duckdb

    start = time.perf_counter()
    con = duckdb.connect()
    _settings(con, memory_limit)
    sampler = MemorySampler(con)
    try:
        con.execute(f"COPY ({sql}) TO '{out}' (FORMAT parquet)")
    finally:
        duck_peak = sampler.stop()
        con.close()
    return {"seconds": time.perf_counter() - start, "duckdb_peak_mib": duck_peak / 2**20}


def run_count_child(data: Path, memory_limit: str, concepts: Any) -> dict[str, Any]:
    """(c): the bare count join of ``bench_screen.py`` (same SQL, table sources of this data)."""
    import duckdb

    start = time.perf_counter()
    con = duckdb.connect()
    _settings(con, memory_limit)
    sampler = MemorySampler(con)
    cond, meas = table_source(data, "condition_occurrence"), table_source(data, "measurement")
    sql = f"""
        WITH bp AS (SELECT DISTINCT person_id FROM {cond}
                    WHERE condition_concept_id IN ({_ids(concepts.back_pain)})),
             crp AS (SELECT DISTINCT person_id FROM {meas}
                     WHERE measurement_concept_id IN ({_ids(concepts.crp)})),
             hla AS (SELECT DISTINCT person_id FROM {meas}
                     WHERE measurement_concept_id IN ({_ids(concepts.hla_b27)}))
        SELECT count(*) FROM bp JOIN crp USING (person_id) JOIN hla USING (person_id)
    """  # noqa: S608 - paths and ids come from this repository
    try:
        row = con.execute(sql).fetchone()
    finally:
        duck_peak = sampler.stop()
        con.close()
    return {
        "seconds": time.perf_counter() - start,
        "count": int(row[0]) if row else 0,
        "duckdb_peak_mib": duck_peak / 2**20,
    }


def resolved(data: Path) -> Any:
    """The concept ids the screen uses on this data (its own resolution)."""
    from immunospine.cohort.backends.duckdb import DuckDBBackend
    from immunospine.cohort.runner import resolve_concepts

    probe = DuckDBBackend(data)
    try:
        return resolve_concepts(probe).concepts
    finally:
        probe.close()


def child(kind: str, data: Path, out: Path, memory_limit: str) -> int:
    import duckdb  # imports are not timed, for any of the three (a CLI pays them once)
    import ibis
    import pandas  # noqa: F401 - Ibis and the concept sets import it on first use
    import pyarrow.compute  # noqa: F401

    from immunospine.cohort.params import ScreenParams

    _ = ibis.duckdb, duckdb.connect

    if kind == "screen":
        cpu = _cpu()
        result = run_screen_child(data, out, memory_limit)
    else:
        concepts = resolved(data)  # untimed: the ids are an input of (b) and (c)
        if kind == "floor":
            sql = render_floor(data, concepts, ScreenParams())
            cpu = _cpu()
            result = run_floor_child(data, out, memory_limit, sql)
        else:
            cpu = _cpu()
            result = run_count_child(data, memory_limit, concepts)
    result["cpu_seconds"] = _cpu() - cpu
    result["peak_rss_mib"] = _peak_mib()
    print(json.dumps(result))
    return 0


def spawn(kind: str, data: Path, out: Path, memory_limit: str) -> dict[str, Any]:
    load = _loadavg()
    cmd = [sys.executable, __file__, "--child", kind, "--data", str(data), "--out", str(out)]
    cmd += ["--memory-limit", memory_limit]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{kind} failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["loadavg_before"] = load
    return result


# --- equality of the two worklists --------------------------------------------------------------


def compare(screen: Path, floor: Path) -> dict[str, Any]:
    """Every column of the screen's worklist against the floor's (the floor names probability
    ``probability``; the screen may call it ``probability_literature``)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    a, b = pq.read_table(screen), pq.read_table(floor)
    if "probability" not in a.column_names and "probability_literature" in a.column_names:
        b = b.rename_columns(
            ["probability_literature" if n == "probability" else n for n in b.column_names]
        )
    out: dict[str, Any] = {"rows": [a.num_rows, b.num_rows], "columns": {}}
    if a.num_rows != b.num_rows:
        out["equal"] = False
        return out
    equal = True
    for name in a.column_names:
        if name not in b.column_names:
            out["columns"][name] = "not in the floor"
            continue
        x, y = a.column(name), b.column(name)
        if x.type != y.type:
            y = y.cast(x.type)
        same = x.equals(y)
        entry: dict[str, Any] = {"identical": same}
        if not same and x.type in ("double", "float"):
            diff = pc.max(pc.abs(pc.subtract(x, y))).as_py()
            entry["max_abs_diff"] = diff
            same = diff is not None and diff <= 1e-12
        equal = equal and same
        out["columns"][name] = entry
    out["extra_in_floor"] = [n for n in b.column_names if n not in a.column_names]
    out["equal"] = equal
    return out


def table_rows(data: Path) -> dict[str, int]:
    import pyarrow.parquet as pq

    rows = {}
    for t in TABLES:
        single = data / f"{t}.parquet"
        files = [single] if single.is_file() else sorted((data / t).glob("*.parquet"))
        rows[t] = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    return rows


def generate_realistic(out: Path, patients: int, seed: int) -> dict[str, Any]:
    """Generate ``--density realistic`` data (default layout) and report time, memory and size."""
    from immunospine.cohort import synthetic

    load = _loadavg()
    start = time.perf_counter()
    result = synthetic.generate(out, patients, seed, density="realistic")
    seconds = time.perf_counter() - start
    files = [p for p in out.rglob("*") if p.is_file()]
    return {
        "patients": patients,
        "seed": seed,
        "seconds": round(seconds, 1),
        "peak_rss_mib": round(_peak_mib(), 1),
        "bytes_on_disk": sum(p.stat().st_size for p in files),
        "files": len(files),
        "rows": dict(getattr(result, "rows", {}) or {}),
        "loadavg_before": load,
        "loadavg_after": _loadavg(),
    }


def replicate(source: Path, out: Path, copies: int) -> dict[str, Any]:
    """``copies`` copies of a generated population, person and record ids shifted per copy.

    A stand-in for a larger generation when the box cannot generate it in time: copy ``k`` adds
    ``k × (largest person_id)`` to every person id and ``k × 10^10`` to every record id
    (``*_id`` except concept ids), so ids stay unique and each part file holds one copy.
    Concept and vocabulary tables are copied once.
    """
    import duckdb

    con = duckdb.connect()
    persons = con.execute(
        f"SELECT max(person_id) FROM {table_source(source, 'person')}"  # noqa: S608
    ).fetchone()
    shift = int(persons[0]) if persons else 0
    start = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    for entry in sorted(source.iterdir()):
        name = entry.name.removesuffix(".parquet")
        if entry.is_file() and entry.suffix != ".parquet":
            continue
        src = table_source(source, name)
        described = con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()  # noqa: S608
        cols = [r[0] for r in described]
        if "person_id" not in cols:
            copy = f"COPY (SELECT * FROM {src}) TO '{out / entry.name}' (FORMAT parquet)"  # noqa: S608
            con.execute(copy)
            continue
        (out / name).mkdir(exist_ok=True)
        for k in range(copies):
            shifted = [
                f"person_id + {k * shift} AS person_id"
                if c == "person_id"
                else f"{c} + {k * 10**10} AS {c}"
                for c in cols
                if c.endswith("_id") and not c.endswith("concept_id")
            ]
            select = f"* REPLACE ({', '.join(shifted)})"
            target = out / name / f"part-{k:05d}.parquet"
            copy = f"COPY (SELECT {select} FROM {src}) TO '{target}' (FORMAT parquet)"  # noqa: S608
            con.execute(copy)
    files = [p for p in out.rglob("*") if p.is_file()]
    return {
        "source": str(source),
        "copies": copies,
        "seconds": round(time.perf_counter() - start, 1),
        "bytes_on_disk": sum(p.stat().st_size for p in files),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--patients", type=int, default=1_000_000)
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--memory-limit", default="4GB")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--child", choices=("screen", "floor", "count"), default=None)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--show-floor", action="store_true", help="print the rendered floor SQL")
    ap.add_argument(
        "--generate",
        action="store_true",
        help="write the realistic data to --data (or the default path) and report its cost",
    )
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument(
        "--replicate-from",
        type=Path,
        default=None,
        help="write --data as --copies shifted copies of this generated population",
    )
    ap.add_argument("--copies", type=int, default=10)
    args, _unknown = ap.parse_known_args()  # run.py passes its arguments to every benchmark
    data = args.data or HERE / "data" / f"omop_realistic_{args.patients}"
    if args.child:
        return child(args.child, data, args.out, args.memory_limit)
    if args.replicate_from:
        report = replicate(args.replicate_from, data, args.copies)
        print(json.dumps(report, indent=2))
        return 0
    if args.generate:
        print(json.dumps(generate_realistic(data, args.patients, args.seed), indent=2))
        return 0
    if not data.is_dir():
        print(f"no data at {data}: immunospine cohort generate --density realistic -o {data}")
        return 1
    if args.show_floor:
        from immunospine.cohort.params import ScreenParams

        print(render_floor(data, resolved(data), ScreenParams()))
        return 0

    runs: dict[str, list[dict[str, Any]]] = {"screen": [], "floor": [], "count": []}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {k: Path(tmp) / f"{k}.parquet" for k in runs}
        for _ in range(args.repeat):  # interleaved: all three see the same load
            for kind in runs:
                runs[kind].append(spawn(kind, data, paths[kind], args.memory_limit))
        check = compare(paths["screen"], paths["floor"])
    best = {k: min(v, key=lambda r: r["seconds"]) for k, v in runs.items()}
    a, b, c = (best[k]["seconds"] for k in ("screen", "floor", "count"))
    cpu = {k: min(r["cpu_seconds"] for r in v) for k, v in runs.items()}
    report = {
        "data": str(data),
        "rows": table_rows(data),
        "screen_seconds": round(a, 3),
        "floor_seconds": round(b, 3),
        "count_seconds": round(c, 3),
        "screen_over_floor": round(a / b, 2),
        "screen_over_count": round(a / c, 2),
        "goal_screen_within_1_3x_floor": a <= 1.3 * b,
        "cpu_seconds": {k: round(v, 2) for k, v in cpu.items()},
        "cpu_screen_over_floor": round(cpu["screen"] / cpu["floor"], 2),
        "worklists_equal": check["equal"],
        "comparison": check,
        "runs": {
            k: [{kk: vv for kk, vv in r.items() if kk != "categories"} for r in v]
            for k, v in runs.items()
        },
        "screened": best["screen"]["screened"],
        "categories": best["screen"]["categories"],
        "peak_rss_mib": {k: round(max(r["peak_rss_mib"] for r in v), 1) for k, v in runs.items()},
        "duckdb_peak_mib": {
            k: round(max(r["duckdb_peak_mib"] for r in v), 1) for k, v in runs.items()
        },
        "loadavg_after": _loadavg(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    print(json.dumps(report, indent=2))
    return 0 if check["equal"] else 2


if __name__ == "__main__":
    sys.exit(main())
