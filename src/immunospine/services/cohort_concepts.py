"""Use-case behind ``immunospine cohort concepts``: how the shipped concept sets resolve in a CDM.

Per set and per concept: resolved or not (and why), the concept ids it resolved to, how many
descendants ``concept_ancestor`` added, and how many records each concept has in its domain table.
Returns values (:class:`ConceptsReport`); ``immunospine.reports.cohort_concepts`` renders them.
Errors name the request's fields (``backend``, ``data``, ``omop_url``), never a command-line flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from immunospine.cohort.backends import open_backend
from immunospine.cohort.concepts import DOMAIN_COLUMNS
from immunospine.cohort.omop_schema import check_schema
from immunospine.cohort.resolve import STATUS_TEXT, Resolution, record_counts, resolve_backend
from immunospine.errors import OmopSchemaError

__all__ = ["ConceptsReport", "ConceptsRequest", "concepts_dict", "resolve_concepts"]

VOCABULARY = ("concept", "concept_ancestor", "concept_relationship")


@dataclass(frozen=True)
class ConceptsRequest:
    """Which CDM to look at: a backend and its source (``data`` or ``omop_url``)."""

    data: Path | None = None
    backend: str = "duckdb"
    omop_url: str | None = None
    schema: str | None = None


@dataclass(frozen=True)
class ConceptsReport:
    """The resolution and the record counts per set (concept id → records)."""

    source: str
    resolution: Resolution
    counts: dict[str, dict[int, int]]


def _check_tables(backend: Any, source: str) -> None:
    tables = set(backend.list_tables())
    needed = sorted({table for table, _ in DOMAIN_COLUMNS.values()})
    missing = [t for t in needed if t not in tables]
    if len(missing) == len(needed):
        raise OmopSchemaError(
            f"no OMOP tables in {source}: expected {', '.join(needed)} "
            "(and, to resolve codes, concept, concept_ancestor, concept_relationship)"
        )
    if missing:
        raise OmopSchemaError(
            f"{source}: OMOP table(s) {', '.join(missing)} missing (the concept sets count "
            "records in condition_occurrence, drug_exposure, measurement, observation and "
            "procedure_occurrence)"
        )
    present = {t: backend.table(t) for t in VOCABULARY if t in tables}
    check_schema(present, required_tables=())


def resolve_concepts(req: ConceptsRequest) -> ConceptsReport:
    """Resolve every shipped set against the CDM of ``req`` and count each concept's records."""
    backend = open_backend(req.backend, data=req.data, omop_url=req.omop_url, schema=req.schema)
    source = str(req.data) if req.data is not None else "the OMOP database"
    try:
        _check_tables(backend, source)
        resolution = resolve_backend(backend)
        counts = record_counts(backend, resolution)
    finally:
        backend.close()
    return ConceptsReport(source, resolution, counts)


def concepts_dict(report: ConceptsReport) -> dict[str, Any]:
    """The report as JSON-ready values."""
    res = report.resolution
    sets = []
    for name, s in res.sets.items():
        counts = report.counts.get(name, {})
        codes = []
        for c in s.codes:
            k = c.concept
            codes.append(
                {
                    "vocabulary": k.vocabulary,
                    "code": k.code,
                    "shipped_id": k.id,
                    "name": k.name,
                    "exclude": k.exclude,
                    "verified": k.verified,
                    "status": c.status,
                    "status_text": STATUS_TEXT[c.status],
                    "resolved": c.resolved,
                    "concept_ids": list(c.ids),
                    "descendants": c.descendants,
                    "records": sum(counts.get(i, 0) for i in c.expanded) if not k.exclude else None,
                    "site_name": c.site_name,
                    "note": c.note,
                }
            )
        cs = s.concept_set
        sets.append(
            {
                "name": name,
                "title": cs.title,
                "table": cs.table,
                "column": cs.concept_column,
                "include_descendants": cs.include_descendants,
                "concepts": len(s.included),
                "resolved": s.resolved_count,
                "concept_ids": len(s.ids),
                "records": sum(counts.values()),
                "codes": codes,
            }
        )
    return {
        "data": report.source,
        "source": res.source,
        "descendants": res.expanded,
        "maps_to": res.mapping,
        "sets": sets,
    }
