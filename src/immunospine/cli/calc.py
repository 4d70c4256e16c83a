"""``immunospine calc``: score any calculator from a JSON object, or list the catalogue."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from immunospine.cli import app
from immunospine.errors import InputError
from immunospine.services import calculators


@app.command(
    "calc",
    help="Score a calculator. Inputs are a JSON object from --input FILE or standard input. "
    "`calc --list` lists every calculator (`--json` adds the input schemas).",
)
def calc(
    name: Annotated[str | None, typer.Argument(help="calculator name, e.g. asdas_crp")] = None,
    input_file: Annotated[
        Path | None,
        typer.Option("--input", "-i", help="JSON file with the inputs (default: stdin)"),
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="list every calculator")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="with --list: JSON with schemas")] = False,
) -> None:
    if list_:
        entries = calculators.describe_all()
        if as_json:
            typer.echo(json.dumps(entries, indent=2, ensure_ascii=False))
        else:
            width = max(len(e["name"]) for e in entries)
            for e in entries:
                typer.echo(f"{e['name']:<{width}}  {e['kind']:<11}  {e['title']}")
        return
    if name is None:
        raise InputError.single(
            ("NAME",),
            "give a calculator name, or --list to see them all",
            context="calc",
            has_value=False,
            code="missing",
        )
    calculators.get_calculator_or_error(name)
    text = _read(input_file)
    result = calculators.score_json(name, text)
    typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))


def _read(path: Path | None) -> str:
    if path is None:
        if sys.stdin is None or sys.stdin.isatty():
            raise InputError.single(
                ("--input",),
                "no inputs: give --input FILE or pipe a JSON object to standard input",
                context="calc",
                has_value=False,
            )
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError.single(
            ("--input",), f"cannot be read ({exc.strerror})", str(path), context="calc"
        ) from None
