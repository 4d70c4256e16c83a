"""``immunospine fhir export|import``: whole patient records as FHIR R4 Bundles (JSON)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from immunospine.cli import app
from immunospine.cli.db import ActorOption, DbOption
from immunospine.errors import InputError
from immunospine.services import database, interop

fhir_app = typer.Typer(help="Export and import FHIR R4 Bundles.", no_args_is_help=True)
app.add_typer(fhir_app, name="fhir")


@fhir_app.command("export", help="Write patients' whole records as one FHIR R4 Bundle.")
def export(
    out: Annotated[Path, typer.Option("--out", help="the Bundle JSON file to write")],
    db: DbOption = None,
    patient: Annotated[
        list[str] | None, typer.Option("--patient", help="patient id (repeatable; default: all)")
    ] = None,
    actor: ActorOption = "cli",
) -> None:
    with database.opened(db) as handle, Console(stderr=True).status("exporting"):
        bundle = interop.export_fhir(handle, patient or None, actor=actor)
    out.write_text(json.dumps(bundle, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    typer.echo(f"wrote {len(bundle['entry'])} resources to {out}")


@fhir_app.command("import", help="Import a FHIR R4 Bundle: all or nothing, every problem listed.")
def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Bundle JSON file")],
    db: DbOption = None,
    actor: ActorOption = "cli",
) -> None:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError.single(("FILE",), f"cannot read a JSON Bundle: {exc}", str(file)) from None
    with database.opened(db) as handle, Console(stderr=True).status("importing"):
        summary = interop.import_fhir(handle, data, actor=actor)
    detail = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.records.items()))
    typer.echo(f"imported {summary.patients} patient(s): {detail or 'no other records'}")
