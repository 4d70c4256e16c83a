"""``immunospine triage``: assess one case of chronic back pain (``triage-contract.md``)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from immunospine.cli import app
from immunospine.errors import InputError
from immunospine.services import triage as triage_service


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
    assessment = triage_service.triage_json(_read(input_file))
    if format_ is Format.text:
        typer.echo(assessment.to_text(), nl=False)
    else:
        typer.echo(json.dumps(assessment.to_dict(), ensure_ascii=False))


def _read(path: Path | None) -> str:
    if path is None:
        if sys.stdin is None or sys.stdin.isatty():
            raise InputError.single(
                ("--input",),
                "no case: give --input FILE or pipe a JSON object to standard input",
                context="triage",
                has_value=False,
            )
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError.single(
            ("--input",), f"cannot be read ({exc.strerror})", str(path), context="triage"
        ) from None
