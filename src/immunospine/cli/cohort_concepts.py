"""``immunospine cohort concepts``: how the shipped concept sets resolve in an OMOP CDM."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from immunospine.cli.cohort import cohort_app, flags_for_fields

#: The service's field names → this command's flags (for error messages).
FLAGS = {"data": "--data", "backend": "--backend", "omop_url": "--omop-url", "schema": "--schema"}


@cohort_app.command(
    "concepts",
    help="Resolve the shipped concept sets (standard codes: SNOMED, LOINC, RxNorm, ICD-10-CM …) "
    "against an OMOP CDM's own vocabulary tables (concept, concept_relationship 'Maps to', "
    "concept_ancestor) and show, per set, each code: resolved or not and why (absent, "
    "non-standard without a mapping, invalid), the concept ids it resolved to, how many "
    "descendants were added, and how many records each concept has in its domain table. "
    "Without vocabulary tables the shipped standard ids are used, and the report says so. "
    "What the sets are for: docs/case-finding.md.",
)
def concepts(
    data: Annotated[
        Path | None,
        typer.Option(
            "--data", help="duckdb/spark: folder of <table>.parquet files, or a .duckdb file"
        ),
    ] = None,
    backend: Annotated[str, typer.Option("--backend", help="duckdb, postgres or spark")] = "duckdb",
    omop_url: Annotated[
        str | None,
        typer.Option("--omop-url", help="postgres: URL of the OMOP database (postgresql://…)"),
    ] = None,
    schema: Annotated[
        str | None,
        typer.Option("--schema", help="postgres: schema holding the OMOP tables (default public)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    from immunospine.reports.cohort_concepts import concepts_text
    from immunospine.services import cohort_concepts

    req = cohort_concepts.ConceptsRequest(
        data=data, backend=backend, omop_url=omop_url, schema=schema
    )
    with flags_for_fields("cohort concepts", FLAGS):
        report = cohort_concepts.resolve_concepts(req)
    values = cohort_concepts.concepts_dict(report)
    if as_json:
        typer.echo(json.dumps(values, indent=2))
        return
    typer.echo(concepts_text(values))
