"""Use-case behind ``immunospine cohort screen``: open a backend, run the screening plan, close.

Decision support: the worklist ranks persons for a clinician to review; it never diagnoses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from immunospine.cohort.backends import open_backend
from immunospine.cohort.plan import INPUT_COLUMNS, ScreenParams, check_inputs
from immunospine.cohort.runner import ScreenSummary, resolve_concepts, run_screen

WORKLIST_NOTE = (
    "A worklist for clinical review, ranked by the axSpA likelihood-ratio model "
    "(knowledge: axspa_probability); it supports decisions and is not a diagnosis. "
    "nsaid_response is a proxy (>= 2 NSAID exposures), not a recorded response."
)


@dataclass(frozen=True)
class ScreenRequest:
    """What the command line (or any other face) asks for."""

    backend: str
    out: Path
    data: Path | None = None
    db: str | None = None
    schema: str | None = None
    memory_limit: str | None = None
    threads: int | None = None
    pretest_probability: float | None = None
    chronic_min_days: int | None = None


def _params(req: ScreenRequest) -> ScreenParams:
    given: dict[str, Any] = {}
    if req.pretest_probability is not None:
        given["pretest_probability"] = req.pretest_probability
    if req.chronic_min_days is not None:
        given["chronic_min_days"] = req.chronic_min_days
    return ScreenParams(**given)


def _open(req: ScreenRequest) -> Any:
    return open_backend(
        req.backend,
        data=req.data,
        db=req.db,
        schema=req.schema,
        memory_limit=req.memory_limit,
        threads=req.threads,
    )


def screen(req: ScreenRequest, *, on_step: Callable[[str], None] | None = None) -> ScreenSummary:
    """Run the screen and write the worklist to ``req.out``."""
    params = _params(req)
    backend = _open(req)
    try:
        return run_screen(backend, req.out, params=params, on_step=on_step)
    finally:
        backend.close()


def show_sql(req: ScreenRequest) -> str:
    """The worklist query as the backend would run it (its dialect, its table names)."""
    from immunospine.cohort.backends.base import compile_sql
    from immunospine.cohort.plan import ScreenPlan

    params = _params(req)
    backend = _open(req)
    try:
        available = backend.list_tables()
        schemas = {t: backend.table(t).schema() for t in INPUT_COLUMNS if t in available}
        check_inputs(available, schemas)
        concepts, _, _ = resolve_concepts(backend)
        tables = {t: backend.table(t) for t in INPUT_COLUMNS}
        return compile_sql(ScreenPlan(concepts, params).worklist(tables), backend.dialect)
    finally:
        backend.close()


def summary_dict(s: ScreenSummary) -> dict[str, Any]:
    return {
        "backend": s.backend,
        "out": str(s.out),
        "back_pain": s.back_pain,
        "chronic_back_pain": s.chronic_back_pain,
        "diagnosed": s.diagnosed,
        "screened": s.screened,
        "categories": dict(s.categories),
        "concepts_expanded": s.concepts_expanded,
        "notes": list(s.notes),
        "note": WORKLIST_NOTE,
    }
