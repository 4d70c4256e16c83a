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

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from immunospine.cohort.backends.base import CohortBackend, output_format
from immunospine.cohort.params import ScreenConcepts, ScreenParams
from immunospine.cohort.plan import INPUT_COLUMNS, ScreenPlan, check_inputs
from immunospine.knowledge.probability.axspa import CATEGORIES

Step = Callable[[str], None]


WORKLIST_NOTE = (
    "A worklist for clinical review, ranked by the axSpA likelihood-ratio model "
    "(knowledge: axspa_probability); it supports decisions and is not a diagnosis. "
    "nsaid_response is a proxy (at least 2 NSAID exposures), not a recorded response. "
    "How to read it: docs/case-finding.md."
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
) -> ScreenSummary:
    """Screen the CDM behind ``backend`` and write the worklist to ``out``."""
    step = on_step or (lambda _msg: None)
    output_format(out)
    step("checking OMOP tables and columns")
    available = backend.list_tables()
    schemas = {t: backend.table(t).schema() for t in INPUT_COLUMNS if t in available}
    check_inputs(available, schemas)
    tables = {t: backend.table(t) for t in INPUT_COLUMNS}

    step("resolving concept sets")
    resolved = resolve_concepts(backend)
    plan = ScreenPlan(resolved.concepts, params or ScreenParams())

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
    )
