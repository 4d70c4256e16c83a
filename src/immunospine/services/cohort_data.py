"""Use-cases behind ``immunospine cohort generate`` and ``cohort evaluate``: values, no text.

Rendering for people is in ``immunospine.reports.cohort``. Errors name the parameters
(``patients``, ``out``, ``worklist``, ``truth``, ``flag_categories``, ``top_k``), never a
command-line flag.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from immunospine.cohort.evaluation import (
    DEFAULT_FLAG_CATEGORIES,
    DEFAULT_TOP_K,
    FLAG_CATEGORIES,
    TRUTH_COLUMNS,
    WORKLIST_COLUMNS,
    Evaluation,
    evaluate,
    read_table,
)
from immunospine.cohort.synthetic import DEFAULT_CHUNK, GenerationResult, generate

__all__ = [
    "DEFAULT_FLAG_CATEGORIES",
    "DEFAULT_TOP_K",
    "FLAG_CATEGORIES",
    "Evaluation",
    "GenerationResult",
    "evaluate_worklist",
    "generate_population",
    "generation_summary",
]


def generate_population(
    out_dir: Path | str,
    patients: int,
    seed: int,
    *,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[int], None] | None = None,
) -> GenerationResult:
    """Write a synthetic OMOP CDM (Parquet per table) plus ``truth.parquet`` into ``out_dir``."""
    return generate(out_dir, patients, seed, chunk_size=chunk_size, progress=progress)


def generation_summary(result: GenerationResult) -> dict[str, Any]:
    """The generation result as JSON-ready values."""
    return {
        "out": str(result.out_dir),
        "persons": result.persons,
        "seed": result.seed,
        "chunk_size": result.chunk_size,
        "rows": dict(result.rows),
        "note": result.disclaimer,
    }


def evaluate_worklist(
    worklist: Path | str,
    truth: Path | str,
    *,
    flag_categories: Iterable[str] | None = None,
    top_k: Sequence[int] | None = None,
) -> Evaluation:
    """Read a worklist (Parquet/CSV) and ``truth.parquet`` (or its directory) and evaluate.

    Defaults: flagged = category probable or definite; top-k = 100, 1,000 and 10,000 by rank.
    The worklist must come from the truth's population (else ``InputError`` on ``person_id``).
    """
    truth_path = Path(truth)
    if truth_path.is_dir():
        truth_path = truth_path / "truth.parquet"
    w = read_table(worklist, WORKLIST_COLUMNS, what="worklist")
    t = read_table(truth_path, TRUTH_COLUMNS, what="truth")
    return evaluate(
        w,
        t,
        flag_categories=DEFAULT_FLAG_CATEGORIES if flag_categories is None else flag_categories,
        top_k=DEFAULT_TOP_K if top_k is None else top_k,
        worklist_label=str(worklist),
    )
