"""``immunospine fhir export|import``: whole patient records as FHIR R4 Bundles (JSON).

Both stream: export writes one patient at a time, import reads the file entry by entry (twice:
check, then write), so memory stays bounded; a progress bar with counts goes to standard error.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from immunospine.cli import app
from immunospine.cli.db import ActorOption, DbOption
from immunospine.errors import FhirError, InputError

fhir_app = typer.Typer(help="Export and import FHIR R4 Bundles.", no_args_is_help=True)
app.add_typer(fhir_app, name="fhir")

SHOWN_PROBLEMS = 50
"""How many problems a refused import lists unless ``--all`` is given."""

OutOption = Annotated[
    Path,
    typer.Option(
        "-o", "--out", help="the file to write (its folder must exist); replaced if it exists"
    ),
]
AllOption = Annotated[
    bool, typer.Option("--all", help=f"list every problem (default: the first {SHOWN_PROBLEMS})")
]
_PHASES = {"exporting": "patients", "checking": "MB read", "importing": "entries"}


def _count(phase: str, done: int, total: int) -> str:
    if phase == "checking":
        return f"{done / 1e6:,.1f}/{total / 1e6:,.1f} {_PHASES[phase]}"
    return f"{done:,}/{total:,} {_PHASES.get(phase, '')}"


def _silent(phase: str, done: int, total: int) -> None:
    """No progress shown."""


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """An ``on_progress(phase, done, total)`` drawing a bar with counts on standard error."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    if not console.is_terminal:  # a log file or a pipe gets no bar (nor its blank lines)
        yield _silent
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[count]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def report(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=max(total, 1), count="")
            bar.update(
                tasks[phase], completed=done, total=max(total, 1), count=_count(phase, done, total)
            )

        yield report


def flag_named(exc: InputError, flags: dict[str, str]) -> InputError:
    """``exc`` with the service's field names given as the command's flags (``-o/--out``)."""
    problems = list(exc.problems)
    if not problems or not any(str(p.loc[0]) in flags for p in problems if p.loc):
        return exc
    lines = []
    for p in problems:
        name = flags.get(str(p.loc[0]), p.field) if p.loc else p.field
        value = f" = {json.dumps(p.value, ensure_ascii=False)}" if p.has_value else ""
        lines.append(f"{name}{value}: {p.msg}")
    return InputError("; ".join(lines), tuple(problems))


@fhir_app.command("export", help="Write patients' whole records as one FHIR R4 Bundle (JSON).")
def export(
    out: OutOption,
    db: DbOption = None,
    patient: Annotated[
        list[str] | None,
        typer.Option("--patient", metavar="ID", help="patient id (repeatable; default: all)"),
    ] = None,
    actor: ActorOption = "cli",
) -> None:
    from immunospine.services import database, interop

    try:
        interop.check_output_file(out)
        with database.opened(db) as handle, progress_bar() as report:
            summary = interop.export_fhir(
                handle, out, patient or None, actor=actor, on_progress=report
            )
    except InputError as exc:
        raise flag_named(exc, {"out": "-o/--out", "patient": "--patient"}) from None
    typer.echo(f"wrote {summary.resources:,} resources of {summary.patients:,} patient(s) to {out}")


@fhir_app.command(
    "import", help="Import a FHIR R4 Bundle JSON file: all or nothing, every problem listed."
)
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="Bundle JSON file", exists=True, dir_okay=False, readable=True
        ),
    ],
    db: DbOption = None,
    actor: ActorOption = "cli",
    all_: AllOption = False,
) -> None:
    from immunospine.services import database, interop

    try:
        with database.opened(db) as handle, progress_bar() as report:
            summary = interop.import_fhir(handle, file, actor=actor, on_progress=report)
    except FhirError as exc:
        problems = getattr(exc, "problems", None)
        if problems is None:
            raise
        limit = None if all_ else SHOWN_PROBLEMS
        text = interop.fhir_problem_report(exc, limit=limit)
        if limit is not None and len(problems) > limit:
            text += "\n  (--all lists them all)"
        typer.echo(f"Error: {text}", err=True)
        raise typer.Exit(exc.exit_code) from None
    detail = ", ".join(f"{n:,} {kind}" for kind, n in sorted(summary.records.items()))
    typer.echo(f"imported {summary.patients:,} patient(s): {detail or 'no other records'}")
