"""``immunospine csv export|import``: records in the documented CSV format.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record is row 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from immunospine.cli import app
from immunospine.cli.db import ActorOption, DbOption
from immunospine.cli.fhir import SHOWN_PROBLEMS, AllOption, flag_named, progress_bar
from immunospine.errors import InputError

csv_app = typer.Typer(
    help="Export and import records as CSV (docs/reference/csv-format.md).", no_args_is_help=True
)
app.add_typer(csv_app, name="csv")


@csv_app.command(
    "export", help="Write records as CSV: one file per record type in DIR, or one FILE.csv."
)
def export(
    out: Annotated[
        Path,
        typer.Option(
            "-o",
            "--out",
            help="a file ending in .csv (every record type), or a folder (one file per type; "
            "created if its parent exists); existing files are replaced",
        ),
    ],
    db: DbOption = None,
    patient: Annotated[
        list[str] | None,
        typer.Option("--patient", metavar="ID", help="patient id (repeatable; default: all)"),
    ] = None,
    actor: ActorOption = "cli",
) -> None:
    from immunospine.services import csv_interchange, database

    try:
        with database.opened(db) as handle, progress_bar() as report:
            summary = csv_interchange.export_csv(
                handle, out, patient or None, actor=actor, on_progress=report
            )
    except InputError as exc:
        raise flag_named(exc, {"out": "-o/--out", "patient": "--patient"}) from None
    where = str(out) if len(summary.files) == 1 else f"{len(summary.files)} files in {out}"
    typer.echo(
        f"wrote {summary.rows:,} records of {summary.patients:,} patient(s) to {where} "
        "(row 1 is the header, records from row 2)"
    )


@csv_app.command(
    "import", help="Import CSV files: all or nothing, every problem listed (header = row 1)."
)
def import_(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...", help="CSV files", exists=True, dir_okay=False, readable=True
        ),
    ],
    db: DbOption = None,
    actor: ActorOption = "cli",
    all_: AllOption = False,
) -> None:
    from immunospine.services import csv_interchange, database

    texts = []
    for f in files:
        try:
            texts.append((f.name, f.read_text(encoding="utf-8-sig")))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError.single(("FILE",), f"cannot be read: {exc}", str(f)) from None
    try:
        with database.opened(db) as handle:
            summary = csv_interchange.import_csv(handle, texts, actor=actor)
    except InputError as exc:
        if not exc.problems or len(exc.problems[0].loc) != 3:
            raise
        limit = None if all_ else SHOWN_PROBLEMS
        text = csv_interchange.problem_report(exc.problems, limit=limit)
        if limit is not None and len(exc.problems) > limit:
            text += "\n  (--all lists them all)"
        typer.echo(f"Error: {text}", err=True)
        raise typer.Exit(exc.exit_code) from None
    detail = ", ".join(f"{n:,} {kind}" for kind, n in sorted(summary.records.items()))
    typer.echo(f"imported {summary.patients:,} new patient(s): {detail or 'no other records'}")
