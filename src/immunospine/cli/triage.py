"""``immunospine triage``: assess one case of chronic back pain (``triage-contract.md``)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from immunospine.cli import app
from immunospine.cli._io import read_json_text


class Format(StrEnum):
    json = "json"
    text = "text"


@app.command(
    "triage",
    help="Triage chronic back pain: red flags, inflammatory back pain, probability of axial "
    "spondyloarthritis, referral and next tests. The case is a JSON object from --input FILE or "
    "standard input. Supports a decision, not a diagnosis.",
)
def triage(
    input_file: Annotated[
        Path | None,
        typer.Option("--input", "-i", help="JSON file with the case (default: stdin)"),
    ] = None,
    format_: Annotated[
        Format, typer.Option("--format", "-f", help="json (default) or text")
    ] = Format.json,
) -> None:
    from immunospine.services.triage import triage_json

    result = triage_json(read_json_text(input_file, context="triage", what="case"))
    if format_ is Format.text:
        from immunospine.reports.triage_text import render_triage_text

        typer.echo(render_triage_text(result), nl=False)
    else:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
