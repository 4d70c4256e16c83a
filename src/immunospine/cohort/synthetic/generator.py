"""Synthetic OMOP CDM 5.4 population for case-finding: seeded, vectorised, written in chunks.

Every person gets a latent state — no back pain, mechanical chronic back pain (CBP) or axSpA
(always with CBP) — drawn from the calibration table (``synthetic.calibration``), and the OMOP
rows that state would leave in an EHR: back-pain codes, labs (CRP, ESR, HLA-B27 for the few who
are tested), NSAID courses, extra-musculoskeletal manifestations, imaging, family history, visits
and, for the diagnosed share of axSpA, AS/axSpA codes and biologics. ``DIR/truth.parquet`` holds
the hidden state per person.

Density: ``light`` (the default) writes only what case-finding looks at (about 0.6 measurement
rows per person); ``realistic`` adds the background of a real EHR (``_background``: visits with
vital signs and routine labs, unrelated conditions and drugs; about 100 measurement rows per
person), drawn from its own random stream so the clinical rows are those of ``light``.

Layout (what the engine reads): ``single`` (the default for light) writes ``DIR/<table>.parquet``,
one file per table, one row group per chunk of persons; ``partitioned`` (the default for
realistic) writes ``DIR/<table>/part-00042.parquet``, one file per chunk of contiguous person ids,
so readers can parallelise; each chunk's files are written on their own (``workers`` processes),
so its row ids start at ``chunk * 2**32 + 1`` (unique, not contiguous). ``truth`` is laid out like
the tables. Within a chunk the clinical rows come first, sorted by person, then the background
rows, sorted by person.
``DIR/concept.parquet``, ``concept_ancestor.parquet`` and ``concept_relationship.parquet`` are the
vocabulary subset of ``synthetic.vocabulary`` (every set concept and every concept id written), so
the concept sets resolve by code as at a site;
``DIR/generation.json`` how the run was made.

Determinism: chunk ``i`` draws from ``numpy.random.default_rng([seed, i])`` (the background from
``default_rng([seed, i, 1])``), so the same ``(n_persons, seed, chunk_size, density, overrides)``
gives identical rows. Memory is bounded by one chunk.

THIS IS SYNTHETIC DATA. It shows the mechanics of case-finding; it says nothing about real accuracy.
"""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from immunospine.cohort.omop_schema import CLINICAL_TABLES, arrow_schema
from immunospine.cohort.synthetic import _background, _chunk
from immunospine.cohort.synthetic.calibration import with_overrides
from immunospine.cohort.synthetic.vocabulary import VOCABULARY_TABLES, vocabulary_tables
from immunospine.errors import InputError
from immunospine.version import __version__

__all__ = [
    "DEFAULT_CHUNK",
    "DENSITIES",
    "LAYOUTS",
    "MAX_PERSONS",
    "OUTPUT_TABLES",
    "REALISTIC_CHUNK",
    "RUN_FILE",
    "SYNTHETIC_NOTE",
    "GenerationResult",
    "generate",
]

SYNTHETIC_NOTE = "Synthetic data: no real patients; it shows mechanics, not real-world accuracy."
DEFAULT_CHUNK = 200_000
#: Realistic chunks are smaller: ~100 measurement rows per person, memory bounded by one chunk.
REALISTIC_CHUNK = 50_000
DENSITIES: tuple[str, ...] = ("light", "realistic")
LAYOUTS: tuple[str, ...] = ("single", "partitioned")
MAX_WORKERS = 64
#: Partitioned layout: chunk ``i``'s row ids are ``i * ROW_ID_STRIDE + 1 …``, so every chunk is
#: written on its own (in parallel) and ids stay unique.
ROW_ID_STRIDE = 1 << 32
MAX_PERSONS = 50_000_000
OUTPUT_TABLES: tuple[str, ...] = (*CLINICAL_TABLES, *VOCABULARY_TABLES)
#: How a run was made (persons, seed, density, overrides, version), so it can be repeated.
RUN_FILE = "generation.json"


@dataclass(frozen=True, slots=True)
class GenerationResult:
    """What ``generate`` wrote: rows per OMOP table (``truth.parquet`` has one row per person)."""

    out_dir: Path
    persons: int
    seed: int
    chunk_size: int
    rows: dict[str, int] = field(default_factory=dict)
    overrides: dict[str, float] = field(default_factory=dict)
    density: str = "light"
    layout: str = "single"
    disclaimer: str = SYNTHETIC_NOTE

    @property
    def files(self) -> tuple[Path, ...]:
        """Per table its file (single layout) or its folder of parts (partitioned)."""

        def where(t: str) -> Path:
            part = self.layout == "partitioned" and t not in VOCABULARY_TABLES
            return self.out_dir / t if part else self.out_dir / f"{t}.parquet"

        return tuple(where(t) for t in (*self.rows, "truth"))


def generate(
    out_dir: Path | str,
    n_persons: int,
    seed: int,
    *,
    chunk_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    overrides: Mapping[str, float] | None = None,
    density: str = "light",
    layout: str | None = None,
    workers: int = 1,
) -> GenerationResult:
    """Write a synthetic OMOP CDM of ``n_persons`` adults into ``out_dir``.

    ``progress`` is called with the number of persons done after each chunk. ``overrides``
    replaces named entries of the calibration table ``P`` for this run (e.g. a site's coding
    habits); unknown names and out-of-range values raise ``InputError``. The run's parameters
    are written to ``DIR/generation.json``. ``density`` is ``light`` or ``realistic``;
    ``chunk_size`` defaults to ``DEFAULT_CHUNK`` (light) or ``REALISTIC_CHUNK`` (realistic) and
    ``layout`` to ``single`` (light) or ``partitioned`` (realistic). ``workers`` > 1 writes the
    partitioned layout's chunks in that many processes (same files as one process).
    """
    if not 1 <= workers <= MAX_WORKERS:
        raise InputError.single(("workers",), f"must be between 1 and {MAX_WORKERS}", workers)
    if density not in DENSITIES:
        raise InputError.single(("density",), f"must be one of {', '.join(DENSITIES)}", density)
    if layout is None:
        layout = "partitioned" if density == "realistic" else "single"
    if layout not in LAYOUTS:
        raise InputError.single(("layout",), f"must be one of {', '.join(LAYOUTS)}", layout)
    if workers > 1 and layout != "partitioned":
        msg = "more than 1 needs --layout partitioned (a single file is written in order)"
        raise InputError.single(("workers",), msg, workers)
    if chunk_size is None:
        chunk_size = REALISTIC_CHUNK if density == "realistic" else DEFAULT_CHUNK
    params = with_overrides(overrides)
    changed = {k: params[k] for k in (overrides or {})}
    if not 1 <= n_persons <= MAX_PERSONS:
        raise InputError.single(("patients",), f"must be between 1 and {MAX_PERSONS:,}", n_persons)
    if chunk_size < 1:
        raise InputError.single(("chunk_size",), "must be at least 1", chunk_size)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError.single(("out",), f"cannot be created ({exc.strerror})", str(out)) from None

    schemas = {t: arrow_schema(t) for t in CLINICAL_TABLES}
    schemas["truth"] = _chunk.TRUTH_SCHEMA
    sink = _Sink(out, layout, schemas)
    rows = dict.fromkeys(CLINICAL_TABLES, 0)
    concepts: set[int] = set()
    jobs = [
        _Job(out, seed, chunk_no, start, min(chunk_size, n_persons - start), params, density)
        for chunk_no, start in enumerate(range(0, n_persons, chunk_size))
    ]
    try:
        done = 0
        if layout == "single":
            next_id = dict.fromkeys(CLINICAL_TABLES, 1)
            for job in jobs:
                for name, table in job.tables().items():
                    if name in next_id:
                        table = _with_row_ids(name, table, next_id[name])
                        next_id[name] += table.num_rows
                        rows[name] += table.num_rows
                        concepts.update(_concept_ids(table))
                    sink.write(name, job.chunk_no, table)
                done += job.n
                if progress is not None:
                    progress(done)
        else:
            for n, counts, found in _run_parts(jobs, workers):
                for name, count in counts.items():
                    rows[name] += count
                concepts |= found
                done += n
                if progress is not None:
                    progress(done)
    finally:
        sink.close()
    for name, vocab_table in vocabulary_tables(concepts).items():
        pq.write_table(vocab_table, out / f"{name}.parquet")
        rows[name] = vocab_table.num_rows
    result = GenerationResult(out, n_persons, seed, chunk_size, rows, changed, density, layout)
    _write_run_file(result)
    return result


def _write_run_file(result: GenerationResult) -> None:
    run = {
        "persons": result.persons,
        "seed": result.seed,
        "chunk_size": result.chunk_size,
        "density": result.density,
        "layout": result.layout,
        "overrides": dict(sorted(result.overrides.items())),
        "version": __version__,
        "note": result.disclaimer,
    }
    text = json.dumps(run, indent=2) + "\n"
    (result.out_dir / RUN_FILE).write_text(text, encoding="utf-8")


class _Sink:
    """The output files: open writers (``single``) or empty part folders (``partitioned``)."""

    def __init__(self, out: Path, layout: str, schemas: Mapping[str, pa.Schema]) -> None:
        self.out, self.layout = out, layout
        self.writers: dict[str, pq.ParquetWriter] = {}
        for name, schema in schemas.items():
            single, folder = out / f"{name}.parquet", out / name
            if layout == "single":
                for old in sorted(folder.glob("part-*.parquet")):
                    old.unlink()  # a previous partitioned run in the same folder
                self.writers[name] = pq.ParquetWriter(single, schema)
            else:
                single.unlink(missing_ok=True)  # a previous single-file run
                folder.mkdir(exist_ok=True)
                for old in sorted(folder.glob("part-*.parquet")):
                    old.unlink()

    def write(self, name: str, chunk_no: int, table: pa.Table) -> None:
        """Single layout only (partitioned chunks write their own parts: ``_Job``)."""
        self.writers[name].write_table(table, row_group_size=max(table.num_rows, 1))

    def close(self) -> None:
        for w in self.writers.values():
            w.close()


@dataclass(frozen=True, slots=True)
class _Job:
    """One chunk of persons: its random streams and, for the partitioned layout, its files."""

    out: Path
    seed: int
    chunk_no: int
    start: int
    n: int
    params: Mapping[str, float]
    density: str

    def tables(self) -> dict[str, pa.Table]:
        rng = np.random.default_rng([self.seed, self.chunk_no])
        tables = _chunk.make_chunk(rng, self.params, first_person_id=self.start + 1, n=self.n)
        if self.density == "realistic":
            bg_rng = np.random.default_rng([self.seed, self.chunk_no, 1])
            _add_background(tables, self.params, bg_rng)
        return tables

    def write_parts(self) -> tuple[int, dict[str, int], set[int]]:
        """Write ``DIR/<table>/part-<chunk>.parquet``; return persons, rows and concept ids."""
        counts: dict[str, int] = {}
        ids: set[int] = set()
        for name, table in self.tables().items():
            if name in CLINICAL_TABLES:
                table = _with_row_ids(name, table, self.chunk_no * ROW_ID_STRIDE + 1)
                counts[name] = table.num_rows
                ids |= _concept_ids(table)
            path = self.out / name / f"part-{self.chunk_no:05d}.parquet"
            pq.write_table(table, path, row_group_size=max(table.num_rows, 1))
        return self.n, counts, ids


def _write_parts(job: _Job) -> tuple[int, dict[str, int], set[int]]:
    return job.write_parts()


def _run_parts(jobs: list[_Job], workers: int) -> Iterator[tuple[int, dict[str, int], set[int]]]:
    """Each chunk's (persons, rows, concepts) as it is written: in order, or by a process pool."""
    if workers <= 1 or len(jobs) <= 1:
        yield from (job.write_parts() for job in jobs)
        return
    ctx = multiprocessing.get_context("spawn")  # no fork of a process holding Arrow threads
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = [pool.submit(_write_parts, job) for job in jobs]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BaseException:
            for f in futures:
                f.cancel()
            raise


def _add_background(
    tables: dict[str, pa.Table], p: Mapping[str, float], rng: np.random.Generator
) -> None:
    """Append the realistic background (visits, labs, other conditions and drugs) in place."""
    op = tables["observation_period"]
    start = op.column("observation_period_start_date").to_numpy().astype(np.int64)
    end = op.column("observation_period_end_date").to_numpy().astype(np.int64)
    pid = op.column("person_id").to_numpy().astype(np.int64)
    for name, extra in _background.background(rng, p, pid, start, end).items():
        tables[name] = pa.concat_tables([tables[name], extra])


def _with_row_ids(name: str, table: pa.Table, first: int) -> pa.Table:
    id_col = f"{name}_id" if name != "person" else "person_id"
    if name == "person":
        return table
    ids = pa.array(np.arange(first, first + table.num_rows, dtype=np.int64))
    return table.set_column(table.schema.get_field_index(id_col), id_col, ids)


def _concept_ids(table: pa.Table) -> set[int]:
    out: set[int] = set()
    for name in table.column_names:
        if name.endswith("_concept_id") and table.num_rows:
            out.update(int(v) for v in pc.unique(table.column(name)).to_pylist() if v is not None)
    return out
