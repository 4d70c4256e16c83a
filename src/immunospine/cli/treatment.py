"""``immunospine treatment options --input FILE``: treatment options by disease and severity
(issue 12), to discuss with the clinician. ``immunospine patient options ID`` is in
``cli.patient_options`` (so that loading this command never loads the patient group alone)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from immunospine.cli import app
from immunospine.cli._io import dumps_json, read_json_text

treatment_app = typer.Typer(
    help="Treatment options by disease and severity, from published guidelines: options to "
    "discuss with your clinician, never a prescription.",
    no_args_is_help=True,
)
app.add_typer(treatment_app, name="treatment")

__all__ = ["JsonOption", "print_options", "treatment_app"]

JsonOption = Annotated[bool, typer.Option("--json", help="print JSON (for programs)")]


def print_options(answer: dict[str, object], as_json: bool, patient_id: str | None = None) -> None:
    if as_json:
        typer.echo(dumps_json(answer))
        return
    from immunospine.reports.treatment_text import render_options_text

    typer.echo(render_options_text(answer, patient_id=patient_id), nl=False)


@treatment_app.command(
    "options",
    help="Where a person stands on their guideline pathway: options recommended, to consider, "
    "advised against, or depending on what is not known yet; who decides; what would change "
    "them; when to look again. The state is a JSON object from --input FILE ('-' or nothing: "
    "standard input); see docs/reference/treatment.md.",
)
def options(
    input_file: Annotated[
        Path | None,
        typer.Option("--input", "-i", help="JSON file with the state ('-': standard input)"),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from immunospine.services.treatment import options_for_state

    path = None if input_file is None or str(input_file) == "-" else input_file
    text = read_json_text(path, context="treatment options", what="state")
    print_options(options_for_state(text).to_dict(), as_json)
