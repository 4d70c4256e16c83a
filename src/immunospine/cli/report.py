"""``immunospine patient report ID -o report.pdf``: the one-page pre-visit report (PDF, HTML)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from immunospine.cli.db import ActorOption, DbOption
from immunospine.cli.patient import patient_app, with_flags
from immunospine.errors import InputError

FLAGS = {"out": "--out", "html": "--html", "since": "--since"}


@patient_app.command(
    "report",
    help="Write the one-page pre-visit report (A4 PDF): scores against targets, trend charts "
    "with medication and flares, the diary, medication changes, questionnaires due and room for "
    "the patient's questions. --html also writes the same report as one HTML page.",
)
def report(
    patient_id: Annotated[str, typer.Argument(metavar="ID", help="pseudonymous patient id")],
    out: Annotated[Path, typer.Option("--out", "-o", help="the PDF file to write")],
    since: Annotated[
        datetime | None,
        typer.Option(
            "--since",
            formats=["%Y-%m-%d"],
            metavar="YYYY-MM-DD",
            help="start of the period (default: the first record)",
        ),
    ] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="also write the report as this HTML file")
    ] = None,
    db: DbOption = None,
    actor: ActorOption = "cli",
) -> None:
    from rich.console import Console

    from immunospine.reports import previsit as rendering
    from immunospine.services import database, interop, previsit

    try:
        interop.check_output_file(out, field="out")
        if html is not None:
            interop.check_output_file(html, field="html")
        rendering.warm_up()  # the chart renderer starts while the record is read
        with (
            Console(stderr=True).status("preparing the pre-visit report"),
            database.opened(db) as handle,
        ):
            data = previsit.gather_previsit(
                handle, patient_id, actor=actor, since=since.date() if since else None
            )
            previsit.write_previsit(data, out, html)
    except InputError as exc:
        raise with_flags(exc, FLAGS) from None
    typer.echo(f"wrote {out}" + (f" and {html}" if html else ""))
