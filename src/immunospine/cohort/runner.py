"""Run a screening plan on a backend: check inputs, resolve concepts, write the worklist, count.

``run_screen`` is the only executor of a :class:`~immunospine.cohort.plan.ScreenPlan`. Steps, each
announced through ``on_step`` (the CLI shows them as progress):

1. **check** the tables and columns the plan reads (``plan.check_inputs``; errors name them);
2. **resolve** the concept sets' codes against the CDM's ``concept`` table (``cohort.resolve``;
   the shipped ids when it has none), expanded through ``concept_ancestor``; codes that do not
   resolve are reported in the summary, not errors;
3. **count** persons with back pain, chronic back pain and a known axSpA diagnosis: the per-person
   back-pain table (``plan.back_pain``, one pass over ``condition_occurrence``) is materialised
   once in the backend, and the counts and the worklist both read it;
4. **screen**: run the worklist query and write it (Parquet or CSV) in the backend;
5. **summarise** categories from the written file.

An empty population is not an error: the file is written with its columns and no rows, and the
summary has ``screened == 0``. The summary holds values only; ``immunospine.reports.cohort``
renders it for people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from immunospine.cohort.backends.base import CohortBackend, output_format
from immunospine.cohort.calibration import (
    DEFAULT_HOLDOUT_SHARE,
    DEFAULT_LOOKBACK_YEARS,
    DEFAULT_PSEUDO_OBSERVATIONS,
    DEFAULT_WORKUP_DAYS,
    MIN_HISTORY_DAYS,
    PUBLISHED_PREVALENCE,
    SiteCalibration,
    check_settings,
    fit,
    index_dates,
    states_of,
)
from immunospine.cohort.params import ScreenConcepts, ScreenParams
from immunospine.cohort.plan import EVENT_DATES, INPUT_COLUMNS, ScreenPlan, check_inputs
from immunospine.cohort.scoring import ranking_column
from immunospine.errors import OmopSchemaError
from immunospine.knowledge.probability.axspa import CATEGORIES, FINDINGS

if TYPE_CHECKING:
    import pyarrow as pa

Step = Callable[[str], None]


WORKLIST_NOTE = (
    "A worklist for clinical review, ranked by the axSpA likelihood-ratio model "
    "(knowledge: axspa_probability); it supports decisions and is not a diagnosis. "
    "nsaid_response is a proxy (at least 2 NSAID exposures), not a recorded response. "
    "How to read it: docs/case-finding.md."
)

#: The note of a calibrated worklist: what ranks it and what ``contributions`` still shows.
CALIBRATED_WORKLIST_NOTE = (
    "A worklist for clinical review, ranked by probability_site: the axSpA likelihood-ratio model "
    "with this site's likelihood ratios and recalibration (cohort calibrate); "
    "probability_literature is the uncalibrated model and contributions shows its published "
    "ratios. It supports decisions and is not a diagnosis. nsaid_response is a proxy (at least 2 "
    "NSAID exposures), not a recorded response. How to read it: docs/case-finding.md."
)


@dataclass(frozen=True)
class ScreenSummary:
    """What a screening run found, as counts (persons) and facts a reader needs to trust them.

    ``missing_concept_ids``: shipped standard ids of concepts that did not resolve in this CDM
    (their rows cannot be matched); ``concepts_expanded``: whether the concept sets were expanded
    to descendants through ``concept_ancestor``; ``concept_source``: whether the codes were resolved
    through the CDM's vocabulary or, lacking one, the shipped ids were used. An empty worklist
    (``screened == 0``) is not an error.
    """

    backend: str
    out: Path
    back_pain: int
    chronic_back_pain: int
    diagnosed: int
    screened: int
    categories: dict[str, int]
    concepts_expanded: bool = False
    missing_concept_ids: tuple[int, ...] = ()
    disclaimer: str = WORKLIST_NOTE
    #: ``vocabulary``: concept codes resolved through the CDM's ``concept`` table; ``shipped``:
    #: no ``concept`` table, the shipped standard ids were used (codes without an id unmatched).
    concept_source: str = "vocabulary"
    #: included concepts that did not resolve here, ``set: VOCABULARY code (why)``
    unresolved_codes: tuple[str, ...] = ()
    #: The probability column the worklist is ranked and categorised by.
    ranked_by: str = "probability_literature"
    #: The site.toml applied (None: literature probabilities only).
    calibration: Path | None = None


@dataclass(frozen=True)
class ResolvedConcepts:
    """The shipped concept sets as this CDM knows them (see :func:`resolve_concepts`)."""

    concepts: ScreenConcepts
    expanded: bool
    missing_ids: tuple[int, ...]
    #: ``vocabulary`` (codes resolved through ``concept``) or ``shipped`` (no ``concept`` table)
    source: str = "vocabulary"
    #: included concepts that did not resolve, as ``set: VOCABULARY code (why)``
    unresolved: tuple[str, ...] = ()


def resolve_concepts(backend: CohortBackend) -> ResolvedConcepts:
    """The shipped concept sets resolved against the CDM's vocabulary (``cohort.resolve``).

    With a ``concept`` table the codes are resolved there ('Maps to' for non-standard codes when
    ``concept_relationship`` exists); without one the shipped standard ids are used. Either way
    ``concept_ancestor``, when present, adds descendants.
    """
    from immunospine.cohort.resolve import STATUS_TEXT, resolve_backend

    resolution = resolve_backend(backend)
    unresolved = tuple(
        f"{name}: {c.concept.label} ({STATUS_TEXT[c.status]})"
        for name, s in resolution.sets.items()
        for c in s.included
        if not c.resolved
    )
    return ResolvedConcepts(
        ScreenConcepts.from_resolution(resolution),
        resolution.expanded,
        resolution.missing_shipped_ids(),
        resolution.source,
        unresolved,
    )


def _category_counts(path: Path) -> dict[str, int]:
    import pyarrow.compute as pc

    if output_format(path) == "parquet":
        import pyarrow.parquet as pq

        col = pq.read_table(path, columns=["category"]).column("category")
    else:
        import pyarrow.csv as pacsv

        opts = pacsv.ConvertOptions(include_columns=["category"])
        col = pacsv.read_csv(path, convert_options=opts).column("category")
    counts = {label: 0 for label in CATEGORIES.labels}
    for item in pc.value_counts(col).to_pylist():
        if item["values"] is not None:
            counts[str(item["values"])] = int(item["counts"])
    return counts


def run_screen(
    backend: CohortBackend,
    out: Path,
    *,
    params: ScreenParams | None = None,
    on_step: Step | None = None,
    calibration: SiteCalibration | None = None,
    calibration_path: Path | None = None,
) -> ScreenSummary:
    """Screen the CDM behind ``backend`` and write the worklist to ``out``.

    With ``calibration`` (a loaded ``site.toml``) the worklist adds ``probability_site`` and is
    ranked and categorised by it.
    """
    step = on_step or (lambda _msg: None)
    output_format(out)
    step("checking OMOP tables and columns")
    available = backend.list_tables()
    schemas = {t: backend.table(t).schema() for t in INPUT_COLUMNS if t in available}
    check_inputs(available, schemas)
    tables = {t: backend.table(t) for t in INPUT_COLUMNS}

    step("resolving concept sets")
    resolved = resolve_concepts(backend)
    plan = ScreenPlan(resolved.concepts, params or ScreenParams(), calibration)

    step("counting the back-pain population")
    bp = backend.materialize(plan.back_pain(tables))
    counts = backend.fetch(plan.counts(tables, back_pain=bp)).to_pylist()[0]
    back_pain = int(counts["back_pain"] or 0)
    chronic = int(counts["chronic_back_pain"] or 0)
    diagnosed = int(counts["diagnosed"] or 0)

    step(f"screening {chronic - diagnosed:,} persons and writing {out.name}")
    out.parent.mkdir(parents=True, exist_ok=True)
    backend.write(plan.worklist(tables, back_pain=bp), out)

    step("summarising")
    categories = _category_counts(out)
    return ScreenSummary(
        backend=backend.name,
        out=out,
        back_pain=back_pain,
        chronic_back_pain=chronic,
        diagnosed=diagnosed,
        screened=sum(categories.values()),
        categories=categories,
        concepts_expanded=resolved.expanded,
        missing_concept_ids=resolved.missing_ids,
        concept_source=resolved.source,
        unresolved_codes=resolved.unresolved,
        ranked_by=ranking_column(calibration),
        calibration=calibration_path,
        disclaimer=WORKLIST_NOTE if calibration is None else CALIBRATED_WORKLIST_NOTE,
    )


_EPOCH = dt.date(1970, 1, 1)


def _days(col: Any) -> Any:
    """Days since 1970 of a date column (NaN where NULL)."""
    import numpy as np

    return np.array(
        [np.nan if d is None else float((d - _EPOCH).days) for d in col.to_pylist()], dtype=float
    )


def _align(rows: pa.Table, pid: Any) -> dict[str, Any]:
    """Finding states of ``rows`` in the order of ``pid`` (a person without rows: all unknown)."""
    import numpy as np

    got = np.asarray(rows.column("person_id").to_pylist(), dtype=np.int64)
    order = np.argsort(got)
    at = np.searchsorted(got[order], pid)
    at = np.minimum(at, max(got.size - 1, 0))
    found = got.size > 0 and True
    out = {}
    for name in FINDINGS:
        st = states_of(rows.column(name).to_pylist())[order] if got.size else np.zeros(0, np.int8)
        col = np.full(pid.size, 2, dtype=np.int8)
        if found:
            hit = got[order][at] == pid
            col[hit] = st[at[hit]]
        out[name] = col
    return out


def run_calibrate(
    backend: CohortBackend,
    *,
    params: ScreenParams | None = None,
    lookback_years: float = DEFAULT_LOOKBACK_YEARS,
    pseudo_observations: int = DEFAULT_PSEUDO_OBSERVATIONS,
    holdout_share: float = DEFAULT_HOLDOUT_SHARE,
    workup_days: int = DEFAULT_WORKUP_DAYS,
    min_history_days: int = MIN_HISTORY_DAYS,
    prevalence: float = PUBLISHED_PREVALENCE,
    seed: int = 0,
    on_step: Step | None = None,
) -> SiteCalibration:
    """Estimate the site calibration of the CDM behind ``backend`` (``cohort.calibration``)."""
    import ibis
    import numpy as np
    import pyarrow as pa

    step = on_step or (lambda _msg: None)
    check_settings(
        lookback_years=lookback_years,
        prevalence=prevalence,
        pseudo_observations=pseudo_observations,
        holdout_share=holdout_share,
        workup_days=workup_days,
        min_history_days=min_history_days,
    )
    step("checking OMOP tables and columns")
    available = backend.list_tables()
    schemas = {t: backend.table(t).schema() for t in INPUT_COLUMNS if t in available}
    check_inputs(available, schemas)
    problems = [
        f"OMOP table {t!r}: column {c!r} is missing (calibration windows records by date)"
        for t, c in EVENT_DATES.items()
        if c not in {n.lower() for n in schemas[t]}
    ]
    if problems:
        raise OmopSchemaError("; ".join(problems))
    tables = {t: backend.table(t) for t in INPUT_COLUMNS}

    step("resolving concept sets")
    plan = ScreenPlan(resolve_concepts(backend).concepts, params or ScreenParams())

    step("counting the back-pain population")
    bp = backend.materialize(plan.back_pain(tables))
    counts = backend.fetch(plan.counts(tables, back_pain=bp)).to_pylist()[0]
    chronic = int(counts["chronic_back_pain"] or 0)
    diagnosed = int(counts["diagnosed"] or 0)
    dates = backend.fetch(plan.date_range(tables)).to_pylist()[0]
    person = tables["person"]
    yob = person[{c.lower(): c for c in person.columns}["year_of_birth"]]
    last_year = dates["last_date"].year if dates["last_date"] is not None else 9999
    adults = int(backend.fetch(person.aggregate(n=(yob <= last_year - 18).sum()))["n"][0].as_py())
    dx_any = plan._first_diagnosis(tables)
    diagnosed_all = int(backend.fetch(dx_any.aggregate(n=dx_any.count()))["n"][0].as_py())

    step("finding index dates: first diagnosis for cases, a matched date for the others")
    pop = backend.fetch(plan.calibration_population(tables, bp)).sort_by("person_id")
    pid = np.asarray(pop.column("person_id").to_pylist(), dtype=np.int64)
    last_day = dates["last_date"]
    first_dx = _days(pop.column("first_diagnosis_date"))
    index_day, kept = index_dates(
        _days(pop.column("first_back_pain_date")),
        first_dx,
        last_day=(last_day - _EPOCH).days if last_day is not None else 0,
        seed=seed,
        min_delay_days=workup_days + min_history_days,
    )
    pid, index_day, is_case = pid[kept], index_day[kept], ~np.isnan(first_dx[kept])
    index = ibis.memtable(
        pa.table(
            {
                "person_id": pa.array(pid, pa.int64()),
                "index_date": pa.array(index_day.astype("datetime64[D]"), pa.date32()),
            }
        )
    )
    lookback_days = round(lookback_years * 365.25)
    step(f"reading findings of {pid.size:,} persons before their index date")
    before = backend.fetch(plan.calibration_features(tables, index, lookback_days, workup_days))
    before_states = _align(before, pid)
    step("reading the worklist's findings (the population the probabilities are for)")
    now = backend.fetch(plan.features(tables, back_pain=bp).select("person_id", *FINDINGS))
    now = now.sort_by("person_id")  # the same sums in the same order on every backend
    step("estimating site likelihood ratios and the recalibration")
    return fit(
        before_states,
        is_case,
        pid,
        worklist_states={n: states_of(now.column(n).to_pylist()) for n in FINDINGS},
        adults=adults,
        diagnosed_all=diagnosed_all,
        first_date=str(dates["first_date"]),
        last_date=str(dates["last_date"]),
        chronic_back_pain=chronic,
        diagnosed=diagnosed,
        lookback_years=lookback_years,
        prevalence=prevalence,
        pseudo_observations=pseudo_observations,
        holdout_share=holdout_share,
        workup_days=workup_days,
        min_history_days=min_history_days,
        seed=seed,
    )
