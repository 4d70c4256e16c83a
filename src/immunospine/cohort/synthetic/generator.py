"""Synthetic OMOP CDM 5.4 population for case-finding: seeded, vectorised, written in chunks.

Every person gets a latent state — no back pain, mechanical chronic back pain (CBP) or axSpA
(always with CBP) — drawn from the calibration table (``synthetic.calibration``), and the OMOP
rows that state would leave in an EHR: back-pain codes, labs (CRP, ESR, HLA-B27 for the few who
are tested), NSAID courses, extra-musculoskeletal manifestations, imaging, family history, visits
and, for the diagnosed share of axSpA, AS/axSpA codes and biologics. ``DIR/truth.parquet`` holds
the hidden state per person.

Output layout (what the engine reads): ``DIR/<table>.parquet``, one file per table, one row group
per chunk of persons, rows sorted by person within a chunk; ``DIR/truth.parquet`` likewise;
``DIR/concept_ancestor.parquet`` holds the self-rows (level 0) of every concept id written.

Determinism: chunk ``i`` draws from ``numpy.random.default_rng([seed, i])``, so the same
``(n_persons, seed, chunk_size)`` gives identical files. Memory is bounded by one chunk.

THIS IS SYNTHETIC DATA. It shows the mechanics of case-finding; it says nothing about real accuracy.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from immunospine.cohort.omop_schema import CLINICAL_TABLES, arrow_schema
from immunospine.cohort.synthetic import _chunk
from immunospine.cohort.synthetic.calibration import with_overrides
from immunospine.errors import InputError
from immunospine.version import __version__

__all__ = [
    "DEFAULT_CHUNK",
    "MAX_PERSONS",
    "OUTPUT_TABLES",
    "RUN_FILE",
    "SYNTHETIC_NOTE",
    "GenerationResult",
    "generate",
]

SYNTHETIC_NOTE = "Synthetic data: no real patients; it shows mechanics, not real-world accuracy."
DEFAULT_CHUNK = 200_000
MAX_PERSONS = 50_000_000
OUTPUT_TABLES: tuple[str, ...] = (*CLINICAL_TABLES, "concept_ancestor")
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
    disclaimer: str = SYNTHETIC_NOTE

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(self.out_dir / f"{t}.parquet" for t in (*self.rows, "truth"))


def generate(
    out_dir: Path | str,
    n_persons: int,
    seed: int,
    *,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[int], None] | None = None,
    overrides: Mapping[str, float] | None = None,
) -> GenerationResult:
    """Write a synthetic OMOP CDM of ``n_persons`` adults into ``out_dir``.

    ``progress`` is called with the number of persons done after each chunk. ``overrides``
    replaces named entries of the calibration table ``P`` for this run (e.g. a site's coding
    habits); unknown names and out-of-range values raise ``InputError``. The run's parameters
    are written to ``DIR/generation.json``.
    """
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
    writers = {t: pq.ParquetWriter(out / f"{t}.parquet", s) for t, s in schemas.items()}
    next_id = dict.fromkeys(CLINICAL_TABLES, 1)
    rows = dict.fromkeys(CLINICAL_TABLES, 0)
    concepts: set[int] = set()
    try:
        done = 0
        for chunk_no, start in enumerate(range(0, n_persons, chunk_size)):
            n = min(chunk_size, n_persons - start)
            rng = np.random.default_rng([seed, chunk_no])
            tables = _chunk.make_chunk(rng, params, first_person_id=start + 1, n=n)
            for name, table in tables.items():
                if name in next_id:
                    table = _with_row_ids(name, table, next_id[name])
                    next_id[name] += table.num_rows
                    rows[name] += table.num_rows
                    concepts.update(_concept_ids(table))
                writers[name].write_table(table, row_group_size=max(table.num_rows, 1))
            done += n
            if progress is not None:
                progress(done)
    finally:
        for w in writers.values():
            w.close()
    ids = np.array(sorted(c for c in concepts if c > 0), dtype=np.int32)
    zeros = np.zeros(ids.size, dtype=np.int32)
    ancestor = pa.table([ids, ids, zeros, zeros], schema=arrow_schema("concept_ancestor"))
    pq.write_table(ancestor, out / "concept_ancestor.parquet")
    rows["concept_ancestor"] = ancestor.num_rows
    result = GenerationResult(out, n_persons, seed, chunk_size, rows, changed)
    _write_run_file(result)
    return result


def _write_run_file(result: GenerationResult) -> None:
    run = {
        "persons": result.persons,
        "seed": result.seed,
        "chunk_size": result.chunk_size,
        "density": "light",
        "overrides": dict(sorted(result.overrides.items())),
        "version": __version__,
        "note": result.disclaimer,
    }
    text = json.dumps(run, indent=2) + "\n"
    (result.out_dir / RUN_FILE).write_text(text, encoding="utf-8")


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
            col = table.column(name).combine_chunks()
            out.update(int(v) for v in np.unique(col.to_numpy(zero_copy_only=False)))
    return out
