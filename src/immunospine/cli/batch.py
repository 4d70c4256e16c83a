"""``immunospine calc-batch``: score every row of a CSV or Parquet file.

Exit status: 0 when every row was scored; 2 when any row was invalid. Valid rows are written
either way (invalid ones with an empty score and category), and a summary plus one line per
invalid cell go to standard error. A problem with the file itself (an unknown or missing column,
a bad option) is exit 2 with nothing written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from immunospine.cli import app
from immunospine.cli.db import with_flags
from immunospine.errors import FieldProblem, InputError, json_text
from immunospine.services.batch import BatchResult
from immunospine.services.batch_files import score_file, table_calculators

SHOWN = 50  # invalid cells listed on standard error; the rest are counted


def file_row(position: int) -> int:
    """The row number a person sees in the file: the header is row 1, so data start at row 2."""
    return position + 2


FLAGS = {"input": "--input", "output": "--out", "carry": "--carry"}
"""The library's field names and the flags that give them."""


def _help() -> str:
    names = ", ".join(table_calculators())
    return (
        "Score every row of a CSV or Parquet file. One column per input, named as in "
        "`calc --list --json`; the rows are written with `score` and `category` added (and "
        "`verdict` for criteria). Exit 2 when any row is invalid (valid rows are still "
        "written); invalid cells are listed by row, the header being row 1. "
        f"Calculators: {names}."
    )


@app.command("calc-batch", help=_help())
def calc_batch(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="calculator name, e.g. asdas_crp or basdai")
    ],
    input_file: Annotated[
        Path,
        typer.Option("--input", "-i", metavar="FILE", help="FILE.csv or FILE.parquet to score"),
    ],
    out_file: Annotated[
        Path, typer.Option("--out", "-o", metavar="FILE", help="FILE.csv or FILE.parquet")
    ],
    option: Annotated[
        list[str] | None,
        typer.Option(
            "--option",
            metavar="KEY=VALUE",
            help="calculator option, e.g. coefficients=rounded (repeatable)",
        ),
    ] = None,
    carry: Annotated[
        list[str] | None,
        typer.Option(
            "--carry",
            metavar="COLUMN",
            help="column copied to the output unscored, e.g. patient_id (repeatable)",
        ),
    ] = None,
) -> None:
    try:
        _score(name, input_file, out_file, option or [], carry or [])
    except InputError as exc:
        raise with_flags(exc, FLAGS) from None


def _score(
    name: str, input_file: Path, out_file: Path, option: list[str], carry: list[str]
) -> None:
    options = dict(_option(text) for text in option)
    result = score_file(name, input_file, out_file, carry=carry, **options)
    sys.stderr.write(_report(result, out_file))
    if not result.ok:  # ``main`` turns this into exit 2, after the report above
        raise InputError(
            f"{name}: {result.n_invalid} of {result.n_rows} rows are invalid (listed above); "
            f"the valid rows were written to {out_file}",
            tuple(
                FieldProblem((file_row(p.row), p.field), p.message, p.code, p.value, True)
                for p in result.invalid
            ),
        )


def _option(text: str) -> tuple[str, Any]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise InputError.single(("--option",), "must look like KEY=VALUE", text)
    try:
        return key, json.loads(value)  # numbers and true/false; anything else stays text
    except json.JSONDecodeError:
        return key, value


def _report(result: BatchResult, out_file: Path) -> str:
    lines = [
        f"{result.name} {result.version}: {result.n_rows} rows, "
        f"{result.n_rows - result.n_invalid} scored, {result.n_invalid} invalid → {out_file}"
    ]
    if result.invalid:
        lines.append("invalid cells (the header is row 1, the first data row is row 2):")
    for p in result.invalid[:SHOWN]:
        lines.append(f"  row {file_row(p.row)}: {p.field} = {json_text(p.value)}: {p.message}")
    if len(result.invalid) > SHOWN:
        lines.append(f"  … and {len(result.invalid) - SHOWN} more")
    return "\n".join(lines) + "\n"
