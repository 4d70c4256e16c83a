"""The small Protocol every cohort backend implements, and what the backends share.

A backend owns one connection to an OMOP CDM and knows three things: which tables exist, how to
hand out an Ibis table for one of them, and how to run an expression (fetch it as Arrow, write it
to a file, or materialise it as a temporary table that later expressions read). Everything clinical
lives in the plan (``cohort.plan``); a backend never sees a concept id. Driver errors leave a
backend only as :class:`~immunospine.errors.CohortError` carrying the SQL that failed
(``map_backend_errors``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from immunospine.errors import CohortError, ImmunospineError, InputError

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

OUTPUT_FORMATS = (".parquet", ".csv")


@runtime_checkable
class CohortBackend(Protocol):
    """One OMOP CDM behind Ibis. ``dialect`` is the name ``ibis.to_sql`` takes."""

    name: str
    dialect: str

    def list_tables(self) -> frozenset[str]:
        """The tables present, lower-case."""
        ...

    def table(self, name: str) -> ir.Table:
        """The table ``name`` as stored (column names as the source spells them)."""
        ...

    def fetch(self, expr: ir.Table) -> pa.Table:
        """Run ``expr`` and return all rows."""
        ...

    def write(self, expr: ir.Table, path: Path) -> None:
        """Run ``expr`` and write the rows to ``path`` (Parquet or CSV by extension)."""
        ...

    def materialize(self, expr: ir.Table) -> ir.Table:
        """Run ``expr`` once into a temporary table of this connection and return that table."""
        ...

    def close(self) -> None: ...


def output_format(path: Path) -> str:
    """``parquet`` or ``csv`` from the file name; anything else is an input error."""
    suffix = path.suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise InputError.single(
            ("out",),
            "the output file must end in .parquet or .csv",
            str(path),
            context="cohort screen",
        )
    return suffix.lstrip(".")


def write_arrow(table: pa.Table, path: Path) -> None:
    """Write an Arrow table as Parquet or CSV (the format comes from the extension)."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if output_format(path) == "parquet":
        pq.write_table(table, path)
    else:
        pacsv.write_csv(table, path)


def compile_sql(expr: ir.Table, dialect: str) -> str:
    """``expr`` as SQL in ``dialect`` (``duckdb``, ``postgres`` or ``pyspark``)."""
    import ibis

    if dialect == "pyspark":
        _ = ibis.pyspark  # registers ``ibis.options.pyspark``, which the compiler reads
    return str(ibis.to_sql(expr, dialect=dialect))


@contextmanager
def map_backend_errors(
    backend: str,
    errors: tuple[type[BaseException], ...],
    *,
    sql: str | Callable[[], str] | None = None,
) -> Iterator[None]:
    """Re-raise a driver error as ``CohortError`` carrying the SQL; our own errors pass through.

    ``sql`` may be a callable: the statement is then compiled only when there is an error.
    """
    try:
        yield
    except ImmunospineError:
        raise
    except errors as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        text = sql() if callable(sql) else sql
        raise CohortError(f"the {backend} backend failed: {first}", sql=text) from exc
