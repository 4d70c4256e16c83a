"""``immunospine cohort``: synthetic OMOP populations and worklist evaluation.

``cohort_app`` is the sub-app; other modules (``cli/cohort_screen.py``) add commands to it. The
services name their parameters (``out``, ``flag_categories``, …); ``flags_for_fields`` turns those
names into this command line's flags when an error is printed. Services and the dataframe
libraries are imported inside the commands, so ``immunospine --help`` stays fast.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from immunospine.cli import app
from immunospine.errors import FieldProblem, InputError

cohort_app = typer.Typer(
    name="cohort",
    help="Population case-finding over OMOP CDM data: synthetic data, screening, evaluation. "
    "How to read the results: docs/case-finding.md.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(cohort_app, name="cohort")


def _with_flag(problem: FieldProblem, flags: Mapping[str, str]) -> FieldProblem | None:
    head = problem.loc[0] if problem.loc else None
    if not isinstance(head, str) or head not in flags:
        return None
    return FieldProblem(
        (flags[head], *problem.loc[1:]),
        problem.msg,
        problem.code,
        problem.value,
        problem.has_value,
    )


@contextmanager
def flags_for_fields(command: str, flags: Mapping[str, str]) -> Iterator[None]:
    """Re-raise an ``InputError`` about a service field as one about the flag that set it."""
    try:
        yield
    except InputError as exc:
        renamed = [_with_flag(p, flags) for p in exc.problems]
        if len(exc.problems) != 1 or renamed[0] is None:
            raise
        p = renamed[0]
        raise InputError.single(
            p.loc, p.msg, p.value, code=p.code, has_value=p.has_value, context=command
        ) from None


@cohort_app.command(
    "generate",
    help="Write a synthetic OMOP CDM 5.4 population (Parquet per table) and truth.parquet into "
    "the --out folder, with generation.json (how it was made). --density light (default) writes "
    "only what case-finding reads (~0.6 measurement rows per person); realistic adds a real "
    "EHR's background (visits, vital signs, routine labs, other conditions and drugs: ~100 "
    "measurement rows per person) without changing the clinical rows or the worklist. --layout "
    "single writes DIR/<table>.parquet; partitioned writes DIR/<table>/part-NNNNN.parquet, one "
    "file per chunk of persons, for parallel readers. --set/--profile replace calibration "
    "parameters (e.g. a site's coding habits). Synthetic data: no real patients.",
)
def generate(
    patients: Annotated[int, typer.Option("--patients", "-n", help="number of persons")],
    out: Annotated[Path, typer.Option("--out", "-o", help="output folder")],
    seed: Annotated[int, typer.Option("--seed", help="random seed")] = 0,
    density: Annotated[
        str,
        typer.Option(
            "--density",
            help="light (default: what case-finding reads) or realistic (plus a real EHR's "
            "background, ~100 measurement rows per person)",
        ),
    ] = "light",
    layout: Annotated[
        str | None,
        typer.Option(
            "--layout",
            help="single (DIR/<table>.parquet; default for light) or partitioned "
            "(DIR/<table>/part-NNNNN.parquet per chunk; default for realistic)",
        ),
    ] = None,
    chunk_size: Annotated[
        int | None,
        typer.Option(
            "--chunk-size",
            help="persons per chunk (memory bound; default 200,000 light, 50,000 realistic)",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            help="processes writing chunks in parallel (partitioned layout only; each holds "
            "one chunk in memory)",
        ),
    ] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="print a JSON summary")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")] = False,
    assignments: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="NAME=VALUE",
            help="replace one calibration parameter for this run, e.g. uveitis_axspa=0.3 "
            "(repeatable; names and sources: immunospine.cohort.synthetic.calibration); "
            "wins over --profile",
        ),
    ] = None,
    profile: Annotated[
        Path | None,
        typer.Option(
            "--profile",
            help="TOML file of calibration overrides (name = value lines), e.g. a site's "
            "coding habits",
        ),
    ] = None,
) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from immunospine.reports.cohort import generation_text
    from immunospine.services import cohort_data

    flags = {
        "patients": "--patients",
        "out": "--out",
        "seed": "--seed",
        "set": "--set",
        "profile": "--profile",
        "overrides": "--set",
        "density": "--density",
        "layout": "--layout",
        "chunk_size": "--chunk-size",
        "workers": "--workers",
    }
    with flags_for_fields("cohort generate", flags):
        overrides = cohort_data.generator_overrides(assignments or (), profile)
        run = partial(
            cohort_data.generate_population,
            out,
            patients,
            seed,
            overrides=overrides,
            density=density,
            layout=layout,
            chunk_size=chunk_size,
            workers=workers,
        )
        if quiet:
            result = run()
        else:
            columns = (
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
            )
            with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
                task = bar.add_task("persons", total=patients)
                result = run(progress=lambda done: bar.update(task, completed=done))
    if as_json:
        typer.echo(json.dumps(cohort_data.generation_summary(result), indent=2))
    else:
        typer.echo(generation_text(result))


@cohort_app.command(
    "evaluate",
    help="Score a worklist (Parquet/CSV: person_id, probability_literature, category, rank) "
    "against truth.parquet of the same synthetic population: sensitivity, specificity, PPV, AUC "
    "and calibration (expected calibration error, calibration intercept and slope, Brier score, "
    "reliability table), on undiagnosed persons, for the literature probability and the site "
    "probability (a calibrated worklist's probability_site, or --calibration). A worklist of "
    "another population is refused. How to read it: docs/case-finding.md.",
)
def evaluate(
    worklist: Annotated[Path, typer.Option("--worklist", "-w", help="worklist Parquet or CSV")],
    truth: Annotated[Path, typer.Option("--truth", "-t", help="truth.parquet (or its folder)")],
    category: Annotated[
        list[str] | None,
        typer.Option(
            "--flag",
            help="a category counted as flagged: unlikely, possible, probable or definite "
            "(repeatable; default probable and definite)",
        ),
    ] = None,
    top_k: Annotated[
        list[int] | None,
        typer.Option("--top-k", help="also score the top K by rank, K ≥ 1 (repeatable)"),
    ] = None,
    calibration: Annotated[
        Path | None,
        typer.Option(
            "--calibration",
            help="site.toml: also evaluate the site probability computed from the worklist's "
            "findings (before and after calibration)",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    from immunospine.reports.cohort import evaluation_text
    from immunospine.services import cohort_data

    flags = {
        "worklist": "--worklist",
        "truth": "--truth",
        "flag_categories": "--flag",
        "top_k": "--top-k",
        "calibration": "--calibration",
    }
    with flags_for_fields("cohort evaluate", flags):
        ev = cohort_data.evaluate_worklist(
            worklist,
            truth,
            flag_categories=tuple(category) if category else None,
            top_k=tuple(top_k) if top_k else None,
            calibration=calibration,
        )
    if as_json:
        typer.echo(json.dumps(ev.to_dict(), indent=2))
    else:
        typer.echo(evaluation_text(ev))
