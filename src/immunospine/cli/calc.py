"""``immunospine calc``: score any calculator from a JSON object, or list the catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from immunospine.cli import app
from immunospine.cli._io import dumps_json, read_json_text
from immunospine.errors import InputError
from immunospine.services import calculators


@app.command(
    "calc",
    help="Score one calculator from a JSON object, or list every calculator (--list). The "
    "inputs are a JSON object from --input FILE or standard input; `calc --list --json` adds "
    "each calculator's input schema.",
)
def calc(
    name: Annotated[
        str | None, typer.Argument(metavar="NAME", help="calculator name, e.g. asdas_crp")
    ] = None,
    input_file: Annotated[
        Path | None,
        typer.Option(
            "--input", "-i", metavar="FILE", help="JSON file with the inputs (default: stdin)"
        ),
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="list every calculator")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="with --list: JSON with schemas")] = False,
) -> None:
    if list_:
        entries = calculators.describe_all()
        if as_json:
            typer.echo(dumps_json(entries, indent=2))
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
    text = read_json_text(input_file, context="calc", what="inputs")
    result = calculators.score_json(name, text)
    typer.echo(dumps_json(calculators.result_json(result)))
