"""Use-case behind ``immunospine cohort screen``: open a backend, run the screening plan, close.

Decision support: the worklist ranks persons for a clinician to review; it never diagnoses.
Returns values (``ScreenSummary``); ``immunospine.reports.cohort`` renders them. Errors name the
request's fields (``backend``, ``data``, ``omop_url``, ``out``, …), never a command-line flag.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from immunospine.cohort.backends import BACKENDS, CohortBackend, open_backend
from immunospine.cohort.backends.base import compile_sql
from immunospine.cohort.calibration import (
    DEFAULT_HOLDOUT_SHARE,
    DEFAULT_LOOKBACK_YEARS,
    DEFAULT_PSEUDO_OBSERVATIONS,
    DEFAULT_WORKUP_DAYS,
    MIN_HISTORY_DAYS,
    PUBLISHED_PREVALENCE,
    SiteCalibration,
    to_toml,
)
from immunospine.cohort.calibration import load as load_calibration
from immunospine.cohort.params import ScreenParams
from immunospine.cohort.plan import INPUT_COLUMNS, ScreenPlan, check_inputs
from immunospine.cohort.runner import ScreenSummary, resolve_concepts, run_calibrate, run_screen
from immunospine.errors import InputError

__all__ = [
    "BACKENDS",
    "CalibrateRequest",
    "ScreenRequest",
    "ScreenSummary",
    "calibrate",
    "calibration_dict",
    "screen",
    "show_sql",
    "summary_dict",
]


@dataclass(frozen=True)
class _CohortRequest:
    """A backend and its source (``data`` or ``omop_url``), where to write, the shared knobs."""

    backend: str
    out: Path
    data: Path | None = None
    omop_url: str | None = None
    schema: str | None = None
    memory_limit: str | None = None
    threads: int | None = None
    spark_master: str | None = None
    chronic_min_days: int | None = None


@dataclass(frozen=True)
class ScreenRequest(_CohortRequest):
    """``cohort screen``: where to write the worklist, the pre-test probability, a site.toml."""

    pretest_probability: float | None = None
    calibration: Path | None = None


@dataclass(frozen=True)
class CalibrateRequest(_CohortRequest):
    """``cohort calibrate``: where to write site.toml, and the calibration settings."""

    lookback_years: float = DEFAULT_LOOKBACK_YEARS
    workup_days: int = DEFAULT_WORKUP_DAYS
    min_history_days: int = MIN_HISTORY_DAYS
    pseudo_observations: int = DEFAULT_PSEUDO_OBSERVATIONS
    holdout_share: float = DEFAULT_HOLDOUT_SHARE
    prevalence: float = PUBLISHED_PREVALENCE
    seed: int = 0


def _params(req: _CohortRequest) -> ScreenParams:
    """The screen parameters a request sets; the rest keep their defaults."""
    given: dict[str, Any] = {}
    if isinstance(req, ScreenRequest) and req.pretest_probability is not None:
        given["pretest_probability"] = req.pretest_probability
    if req.chronic_min_days is not None:
        given["chronic_min_days"] = req.chronic_min_days
    return ScreenParams(**given)


def _open(req: _CohortRequest) -> CohortBackend:
    return open_backend(
        req.backend,
        data=req.data,
        omop_url=req.omop_url,
        schema=req.schema,
        memory_limit=req.memory_limit,
        threads=req.threads,
        spark_master=req.spark_master,
    )


def screen(req: ScreenRequest, *, on_step: Callable[[str], None] | None = None) -> ScreenSummary:
    """Run the screen and write the worklist to ``req.out``."""
    params = _params(req)
    cal = load_calibration(req.calibration) if req.calibration is not None else None
    backend = _open(req)
    try:
        return run_screen(
            backend,
            req.out,
            params=params,
            on_step=on_step,
            calibration=cal,
            calibration_path=req.calibration,
        )
    finally:
        backend.close()


def calibrate(
    req: CalibrateRequest, *, on_step: Callable[[str], None] | None = None
) -> SiteCalibration:
    """Estimate the site calibration and write it to ``req.out`` (site.toml)."""
    if req.out.suffix.lower() != ".toml":
        raise InputError.single(
            ("out",), "the calibration file must end in .toml", str(req.out),
            context="cohort calibrate",
        )  # fmt: skip
    params = _params(req)
    backend = _open(req)
    try:
        cal = run_calibrate(
            backend,
            params=params,
            lookback_years=req.lookback_years,
            workup_days=req.workup_days,
            min_history_days=req.min_history_days,
            pseudo_observations=req.pseudo_observations,
            holdout_share=req.holdout_share,
            prevalence=req.prevalence,
            seed=req.seed,
            on_step=on_step,
        )
    finally:
        backend.close()
    req.out.parent.mkdir(parents=True, exist_ok=True)
    req.out.write_text(to_toml(cal), encoding="utf-8")
    return cal


def calibration_dict(cal: SiteCalibration, out: Path | None = None) -> dict[str, Any]:
    """The calibration as JSON-ready values."""
    d = asdict(cal)
    if out is not None:
        d["out"] = str(out)
    return d


def show_sql(req: ScreenRequest) -> str:
    """The worklist query as the backend would run it (its dialect, its table names)."""
    params = _params(req)
    backend = _open(req)
    try:
        available = backend.list_tables()
        schemas = {t: backend.table(t).schema() for t in INPUT_COLUMNS if t in available}
        check_inputs(available, schemas)
        concepts = resolve_concepts(backend).concepts
        tables = {t: backend.table(t) for t in INPUT_COLUMNS}
        cal = load_calibration(req.calibration) if req.calibration is not None else None
        plan = ScreenPlan(concepts, params, cal)
        return compile_sql(plan.worklist(tables), backend.dialect)
    finally:
        backend.close()


def summary_dict(s: ScreenSummary) -> dict[str, Any]:
    """The screen summary as JSON-ready values."""
    return {
        "backend": s.backend,
        "out": str(s.out),
        "back_pain": s.back_pain,
        "chronic_back_pain": s.chronic_back_pain,
        "diagnosed": s.diagnosed,
        "screened": s.screened,
        "categories": dict(s.categories),
        "concepts_expanded": s.concepts_expanded,
        "missing_concept_ids": list(s.missing_concept_ids),
        "concept_source": s.concept_source,
        "unresolved_codes": list(s.unresolved_codes),
        "ranked_by": s.ranked_by,
        "calibration": None if s.calibration is None else str(s.calibration),
        "note": s.disclaimer,
    }
