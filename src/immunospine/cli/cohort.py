"""``immunospine cohort``: synthetic OMOP populations and worklist evaluation.

``cohort_app`` is the sub-app; other modules (``cli/cohort_screen.py``) add commands to it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from immunospine.cli import app
from immunospine.services import cohort_data

cohort_app = typer.Typer(
    name="cohort",
    help="Population case-finding over OMOP CDM data: synthetic data, screening, evaluation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(cohort_app, name="cohort")


@cohort_app.command(
    "generate",
    help="Write a synthetic OMOP CDM 5.4 population (Parquet per table) and truth.parquet.",
)
def generate(
    patients: Annotated[int, typer.Option("--patients", "-n", help="number of persons")],
    out: Annotated[Path, typer.Option("--out", "-o", help="output directory")],
    seed: Annotated[int, typer.Option("--seed", help="random seed")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="print a JSON summary")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")] = False,
) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    if quiet:
        result = cohort_data.generate_population(out, patients, seed)
    else:
        columns = (
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("persons", total=patients)
            result = cohort_data.generate_population(
                out, patients, seed, progress=lambda done: bar.update(task, completed=done)
            )
    if as_json:
        typer.echo(json.dumps(cohort_data.generation_summary(result), indent=2))
    else:
        typer.echo(cohort_data.render_generation(result))


@cohort_app.command(
    "evaluate",
    help="Score a worklist (Parquet/CSV: person_id, probability, category, rank) against "
    "truth.parquet: sensitivity, specificity, PPV, AUC and calibration, on undiagnosed persons.",
)
def evaluate(
    worklist: Annotated[Path, typer.Option("--worklist", "-w", help="worklist Parquet or CSV")],
    truth: Annotated[Path, typer.Option("--truth", "-t", help="truth.parquet (or its directory)")],
    category: Annotated[
        list[str] | None,
        typer.Option("--flag", help="categories counted as flagged (default probable, definite)"),
    ] = None,
    top_k: Annotated[
        list[int] | None, typer.Option("--top-k", help="also score the top K by rank (repeatable)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    ev = cohort_data.evaluate_worklist(
        worklist,
        truth,
        flag_categories=tuple(category) if category else None,
        top_k=tuple(top_k) if top_k else None,
    )
    if as_json:
        typer.echo(json.dumps(ev.to_dict(), indent=2))
    else:
        typer.echo(cohort_data.render_evaluation(ev))
