"""Use-cases behind ``immunospine cohort generate`` and ``cohort evaluate``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from immunospine.cohort import evaluation, generator
from immunospine.cohort.evaluation import Evaluation
from immunospine.cohort.generator import GenerationResult

SYNTHETIC_NOTE = "Synthetic data: no real patients; it shows mechanics, not real-world accuracy."


def generate_population(
    out_dir: Path | str,
    patients: int,
    seed: int,
    *,
    chunk_size: int = generator.DEFAULT_CHUNK,
    progress: Callable[[int], None] | None = None,
) -> GenerationResult:
    """Write a synthetic OMOP CDM (Parquet per table) plus ``truth.parquet`` into ``out_dir``."""
    return generator.generate(out_dir, patients, seed, chunk_size=chunk_size, progress=progress)


def generation_summary(result: GenerationResult) -> dict[str, Any]:
    return {
        "out": str(result.out_dir),
        "persons": result.persons,
        "seed": result.seed,
        "chunk_size": result.chunk_size,
        "rows": dict(result.rows),
        "note": SYNTHETIC_NOTE,
    }


def render_generation(result: GenerationResult) -> str:
    width = max(len(t) for t in result.rows)
    lines = [f"Wrote a synthetic OMOP CDM 5.4 of {result.persons:,} persons to {result.out_dir}"]
    lines += [f"  {t:<{width}}  {n:>13,} rows" for t, n in result.rows.items()]
    lines += [f"  {'truth':<{width}}  {result.persons:>13,} rows", "", SYNTHETIC_NOTE]
    return "\n".join(lines)


def evaluate_worklist(
    worklist: Path | str,
    truth: Path | str,
    *,
    flag_categories: Iterable[str] | None = None,
    top_k: Sequence[int] | None = None,
) -> Evaluation:
    """Read a worklist (Parquet/CSV) and ``truth.parquet`` (or its directory) and evaluate.

    Defaults: flagged = category probable or definite; top-k = 100, 1,000 and 10,000 by rank.
    """
    truth_path = Path(truth)
    if truth_path.is_dir():
        truth_path = truth_path / "truth.parquet"
    w = evaluation.read_table(worklist, evaluation.WORKLIST_COLUMNS, what="worklist")
    t = evaluation.read_table(truth_path, evaluation.TRUTH_COLUMNS, what="truth")
    return evaluation.evaluate(
        w,
        t,
        flag_categories=flag_categories or evaluation.DEFAULT_FLAG_CATEGORIES,
        top_k=top_k or evaluation.DEFAULT_TOP_K,
        worklist_label=str(worklist),
    )


def _f(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def render_evaluation(ev: Evaluation) -> str:
    """A plain-text report: population, thresholds, AUC, calibration and the published anchors."""
    lines = [
        "Worklist evaluation (undiagnosed persons only)",
        "==============================================",
        f"Population {ev.population:,}; axSpA {ev.positives:,} (prevalence {_f(ev.prevalence, 4)})",
        f"Listed {ev.listed:,}, of whom axSpA {ev.listed_positives:,}; "
        f"already-diagnosed rows dropped {ev.diagnosed_dropped:,}",
        f"AUC (population, unlisted ranked lowest) {_f(ev.auc)}; AUC (listed only) "
        f"{_f(ev.auc_listed)}",
        "",
        f"{'threshold':<34} {'flagged':>9} {'TP':>7} {'FP':>8} {'FN':>7} "
        f"{'sens':>6} {'spec':>6} {'PPV':>6}",
    ]
    for m in ev.thresholds:
        lines.append(
            f"{m.label:<34} {m.flagged:>9,} {m.tp:>7,} {m.fp:>8,} {m.fn:>7,} "
            f"{_f(m.sensitivity):>6} {_f(m.specificity):>6} {_f(m.ppv):>6}"
        )
    if ev.calibration:
        lines += ["", "Calibration (listed persons)", f"{'probability':<12} {'n':>9} "
                  f"{'mean p':>7} {'observed':>8}"]  # fmt: skip
        for b in ev.calibration:
            lines.append(
                f"{b.lower:.1f}-{b.upper:.1f}      {b.count:>9,} {_f(b.mean_predicted):>7} "
                f"{_f(b.observed_rate):>8}"
            )
    lines += ["", "Published anchors (real data; omop-and-data.md §3)"]
    for a in ev.anchors:
        lines.append(
            f"  {a.study}: AUC {a.auc}, sens {a.sensitivity}, spec {a.specificity}, PPV {a.ppv}"
            f" [{a.setting}]"
        )
    lines += ["", ev.disclaimer]
    return "\n".join(lines)
