"""``immunospine csv export|import``: records in the documented CSV format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from immunospine.cli import app
from immunospine.cli.db import ActorOption, DbOption
from immunospine.errors import InputError
from immunospine.fhir import csv_format
from immunospine.services import database, interop

csv_app = typer.Typer(
    help="Export and import records as CSV (docs/reference/csv-format.md).", no_args_is_help=True
)
app.add_typer(csv_app, name="csv")


@csv_app.command(
    "export", help="Write records as CSV: one file per record type in DIR, or one FILE.csv."
)
def export(
    out: Annotated[Path, typer.Option("--out", help="a directory, or a file ending in .csv")],
    db: DbOption = None,
    patient: Annotated[
        list[str] | None, typer.Option("--patient", help="patient id (repeatable; default: all)")
    ] = None,
    actor: ActorOption = "cli",
) -> None:
    with database.opened(db) as handle, Console(stderr=True).status("exporting"):
        rows = interop.export_csv(handle, patient or None, actor=actor)
    total = sum(len(r) for r in rows.values())
    if out.suffix.lower() == ".csv":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            csv_format.write_csv([r for group in rows.values() for r in group]), encoding="utf-8"
        )
        typer.echo(f"wrote {total} rows to {out}")
        return
    out.mkdir(parents=True, exist_ok=True)
    for record_type, group in rows.items():
        path = out / f"{record_type}.csv"
        path.write_text(csv_format.write_csv(group, record_type), encoding="utf-8")
    typer.echo(f"wrote {total} rows to {len(rows)} files in {out}")


@csv_app.command("import", help="Import CSV files: all or nothing, every bad row listed.")
def import_(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="CSV files")],
    db: DbOption = None,
    actor: ActorOption = "cli",
) -> None:
    texts = []
    for f in files:
        try:
            texts.append((f.name, f.read_text(encoding="utf-8-sig")))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError.single(("FILE",), f"cannot read: {exc}", str(f)) from None
    with database.opened(db) as handle, Console(stderr=True).status("importing"):
        summary = interop.import_csv(handle, texts, actor=actor)
    detail = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.records.items()))
    typer.echo(f"imported {summary.patients} new patient(s): {detail or 'no other records'}")
