"""Batch scoring of a CSV or Parquet file into a CSV or Parquet file (the CLI's ``calc-batch``).

The output holds every input column, then ``score`` and ``category`` (and ``verdict`` for criteria
and response definitions); invalid rows are written too, with those left empty, and reported in
the returned ``BatchResult``. Columns named in
``carry`` (a patient id, a visit date …) are copied to the output without being scored; any other
column that is not an input of the calculator is an error, as in ``calculate_batch``.

CSV text is not JSON: a CSV cell that does not parse as a number makes its whole column text in
Arrow, so such columns are read again cell by cell (numbers where they parse, the text otherwise)
and each unparseable cell is reported on its row instead of failing the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from immunospine.errors import InputError
from immunospine.services.batch import BatchResult, calculate_batch, table_calculators

__all__ = [
    "FORMATS",
    "read_table_file",
    "score_file",
    "table_calculators",
    "write_table_file",
]

FORMATS = (".csv", ".parquet")


def _format(path: Path, what: str) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError.single(
            (what,), f"must end in {' or '.join(FORMATS)}", str(path), code="file_format"
        )
    return suffix


def read_table_file(path: Path) -> pa.Table:
    """A CSV (header row, comma-separated) or Parquet file as an Arrow table."""
    suffix = _format(path, "input")
    try:
        if suffix == ".csv":
            import pyarrow.csv as pacsv

            return pacsv.read_csv(path)
        import pyarrow.parquet as pq

        return pq.read_table(path)
    except FileNotFoundError:
        raise InputError.single(("input",), "does not exist", str(path)) from None
    except (OSError, pa.ArrowInvalid) as exc:
        msg = f"cannot be read as {suffix[1:]} ({exc})"
        raise InputError.single(("input",), msg, str(path)) from None


def write_table_file(table: pa.Table, path: Path) -> None:
    """Write ``table`` as CSV or Parquet, by the file name's suffix."""
    suffix = _format(path, "output")
    try:
        if suffix == ".csv":
            import pyarrow.csv as pacsv

            plain = [
                pc.cast(c, pa.string()) if pa.types.is_dictionary(c.type) else c
                for c in table.columns
            ]
            pacsv.write_csv(pa.table(plain, names=table.column_names), path)
        else:
            import pyarrow.parquet as pq

            pq.write_table(table, path)
    except OSError as exc:
        raise InputError.single(("output",), f"cannot be written ({exc})", str(path)) from None


_BOOLEANS = {"true": True, "false": False}


def _cell(text: str | None) -> Any:
    """A CSV cell of a text column: null when blank, a number or true/false where it is one."""
    if text is None or not text.strip():
        return None
    if text.strip().lower() in _BOOLEANS:
        return _BOOLEANS[text.strip().lower()]
    try:
        return float(text)
    except ValueError:
        return text


def scorable_columns(table: pa.Table, carry: Iterable[str]) -> dict[str, Any]:
    """The columns to score: all but ``carry``; text columns parsed cell by cell."""
    skip = set(carry)
    missing = sorted(skip - set(table.column_names))
    if missing:
        raise InputError.single(
            ("carry",), f"names no column of the input: {', '.join(missing)}", missing
        )
    out: dict[str, Any] = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        if name in skip:
            continue
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            out[name] = [_cell(v) for v in column.to_pylist()]
        else:
            out[name] = column
    return out


def score_file(
    name: str, source: Path, target: Path, *, carry: Sequence[str] = (), **options: Any
) -> BatchResult:
    """Score every row of ``source`` with calculator ``name`` and write ``target``."""
    _format(target, "output")
    table = read_table_file(source)
    result = calculate_batch(name, scorable_columns(table, carry), **options)
    scores: pa.Table = result.scores
    out = table.append_column("score", scores.column("score"))
    out = out.append_column("category", scores.column("category"))
    if "verdict" in scores.column_names:
        out = out.append_column("verdict", scores.column("verdict"))
    write_table_file(out, target)
    return result
