"""Use-cases behind ``immunospine cohort generate`` and ``cohort evaluate``: values, no text.

Rendering for people is in ``immunospine.reports.cohort``. Errors name the parameters
(``patients``, ``out``, ``worklist``, ``truth``, ``flag_categories``, ``top_k``), never a
command-line flag.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
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
from immunospine.cohort.synthetic import GenerationResult, generate
from immunospine.errors import InputError

__all__ = [
    "DEFAULT_FLAG_CATEGORIES",
    "DEFAULT_TOP_K",
    "FLAG_CATEGORIES",
    "Evaluation",
    "GenerationResult",
    "evaluate_worklist",
    "generate_population",
    "generation_summary",
    "generator_overrides",
]


def generate_population(
    out_dir: Path | str,
    patients: int,
    seed: int,
    *,
    chunk_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    overrides: Mapping[str, float] | None = None,
    density: str = "light",
    layout: str | None = None,
    workers: int = 1,
) -> GenerationResult:
    """Write a synthetic OMOP CDM (Parquet per table) plus ``truth.parquet`` into ``out_dir``.

    ``overrides`` replaces named calibration parameters (``generator_overrides`` builds it);
    ``density`` is light or realistic; ``layout`` single or partitioned (default: single for
    light, partitioned for realistic); ``chunk_size`` defaults by density; ``workers``
    processes write a partitioned layout's chunks.
    """
    return generate(
        out_dir,
        patients,
        seed,
        chunk_size=chunk_size,
        progress=progress,
        overrides=overrides,
        density=density,
        layout=layout,
        workers=workers,
    )


def generator_overrides(
    assignments: Sequence[str] = (), profile: Path | str | None = None
) -> dict[str, float]:
    """Calibration overrides from a profile TOML (``name = value`` lines) then ``NAME=VALUE``s.

    The ``NAME=VALUE`` assignments win over the profile. Names and ranges are checked by the
    generator; here only the syntax (errors name ``profile`` or ``set``).
    """
    out: dict[str, float] = {}
    if profile is not None:
        path = Path(profile)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise InputError.single(
                "profile", f"cannot be read ({exc.strerror})", str(path)
            ) from None
        except tomllib.TOMLDecodeError as exc:
            raise InputError.single("profile", f"is not valid TOML ({exc})", str(path)) from None
        for name, value in raw.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                msg = f"{name} must be a number, not a {type(value).__name__}"
                raise InputError.single("profile", msg, str(path))
            out[name] = float(value)
    for item in assignments:
        name, sep, text = item.partition("=")
        try:
            value = float(text) if sep and name.strip() else math.nan
        except ValueError:
            value = math.nan
        if math.isnan(value):
            raise InputError.single(
                "set", "must be NAME=VALUE with a number, e.g. uveitis_axspa=0.3", item
            )
        out[name.strip()] = value
    return out


def generation_summary(result: GenerationResult) -> dict[str, Any]:
    """The generation result as JSON-ready values."""
    return {
        "out": str(result.out_dir),
        "persons": result.persons,
        "seed": result.seed,
        "chunk_size": result.chunk_size,
        "density": result.density,
        "layout": result.layout,
        "rows": dict(result.rows),
        "overrides": dict(result.overrides),
        "note": result.disclaimer,
    }


def evaluate_worklist(
    worklist: Path | str,
    truth: Path | str,
    *,
    flag_categories: Iterable[str] | None = None,
    top_k: Sequence[int] | None = None,
    calibration: Path | str | None = None,
) -> Evaluation:
    """Read a worklist (Parquet/CSV) and ``truth.parquet`` (or its directory) and evaluate.

    Defaults: flagged = category probable or definite; top-k = 100, 1,000 and 10,000 by rank.
    The worklist must come from the truth's population (else ``InputError`` on ``person_id``).
    With ``calibration`` (a site.toml) the site probability is computed from the worklist's
    finding columns and evaluated beside the literature one (before and after).
    """
    truth_path = Path(truth)
    if truth_path.is_dir():
        # the generator's folder: truth.parquet (single layout) or truth/ (partitioned);
        # else the folder is itself the truth's part files
        single, parts = truth_path / "truth.parquet", truth_path / "truth"
        truth_path = single if single.is_file() else parts if parts.is_dir() else truth_path
    w = read_table(worklist, WORKLIST_COLUMNS, what="worklist")
    t = read_table(truth_path, TRUTH_COLUMNS, what="truth")
    site = None
    if calibration is not None:
        from immunospine.cohort.calibration import load, site_probability

        cal = load(calibration)
        cols = {n: w.column(n).to_pylist() for n in w.column_names}
        site = site_probability(cal, cols)
    return evaluate(
        w,
        t,
        flag_categories=DEFAULT_FLAG_CATEGORIES if flag_categories is None else flag_categories,
        top_k=DEFAULT_TOP_K if top_k is None else top_k,
        worklist_label=str(worklist),
        site_probability=site,
    )
