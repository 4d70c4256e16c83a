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
from immunospine.errors import FieldProblem, InputError, json_text
from immunospine.services.batch import BatchResult
from immunospine.services.batch_files import score_file

SHOWN = 50  # invalid cells listed on standard error; the rest are counted


def file_row(position: int) -> int:
    """The row number a person sees in the file: the header is row 1, so data start at row 2."""
    return position + 2


@app.command(
    "calc-batch",
    help="Score every row of a CSV or Parquet file. One column per input, named as in "
    "`calc --list --json`; writes the rows with `score` and `category` added. "
    "Exit 2 when any row is invalid (valid rows are still written).",
)
def calc_batch(
    name: Annotated[str, typer.Argument(help="calculator name, e.g. asdas_crp")],
    input_file: Annotated[
        Path, typer.Option("--input", "-i", help="FILE.csv or FILE.parquet to score")
    ],
    out_file: Annotated[Path, typer.Option("--out", "-o", help="FILE.csv or FILE.parquet")],
    option: Annotated[
        list[str] | None,
        typer.Option("--option", help="calculator option KEY=VALUE, e.g. coefficients=rounded"),
    ] = None,
    carry: Annotated[
        list[str] | None,
        typer.Option("--carry", help="column copied to the output unscored (e.g. patient_id)"),
    ] = None,
) -> None:
    options = dict(_option(text) for text in option or ())
    result = score_file(name, input_file, out_file, carry=carry or (), **options)
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
