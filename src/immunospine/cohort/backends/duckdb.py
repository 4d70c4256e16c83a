"""DuckDB backend: OMOP tables as ``DIR/<table>.parquet`` files, ``DIR/<table>/`` folders of
Parquet part files (read with one glob, in parallel), or inside one ``.duckdb`` file.

The default backend (measured on 10 M persons: ``docs/benchmarks.md``): a memory limit, a spill
directory and a thread count can be given; results are written with DuckDB's own ``COPY … TO`` so
a worklist of millions of rows never passes through Python.

Before DuckDB runs the plan's SQL, every concept-id filter in a ``WHERE`` clause (``col IN
(literal, …)``) becomes a semi-join to the same ids (``col IN (SELECT UNNEST([…]))``,
:func:`semi_join_in_lists`). Same rows, but DuckDB turns a literal list of more than a few values
into a MARK join *after* the Parquet scan, while a semi-join's filter is pushed *into* the scan,
so the other columns are decoded only for matching rows: 3-4x faster on 100 M measurement rows
(``docs/benchmarks.md``, "Case-finding at realistic volume"). The plan's printed SQL
(``--show-sql``, the golden files) is the portable form; this rewrite is DuckDB's alone.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from immunospine.cohort.backends.base import compile_sql, map_backend_errors, output_format
from immunospine.cohort.omop_schema import parquet_glob, parquet_sources
from immunospine.errors import InputError, MissingExtraError

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa


_MEMORY = re.compile(r"^\d+(\.\d+)?\s*[KMGT]i?B$", re.IGNORECASE)

#: Literal IN lists at least this long in a WHERE clause become semi-joins (see the docstring).
SEMI_JOIN_MIN_VALUES = 2


def semi_join_in_lists(sql: Any) -> Any:
    """``col IN (1, 2, …)`` in a ``WHERE`` clause → ``col IN (SELECT UNNEST([1, 2, …]))``.

    Takes and returns SQL text, or a sqlglot tree (rewritten in place: the backend passes Ibis's
    tree, so the SQL is neither printed nor parsed twice). Only lists of integer literals directly
    under a ``WHERE`` (not in projections, where an IN is a value, not a filter) are rewritten;
    the rows are the same either way.
    """
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read="duckdb") if isinstance(sql, str) else sql

    def rewrite(node: exp.Expression) -> exp.Expression:
        values = node.args.get("expressions") or []
        if (
            isinstance(node, exp.In)
            and len(values) >= SEMI_JOIN_MIN_VALUES
            and all(isinstance(v, exp.Literal) and not v.is_string for v in values)
            and isinstance(node.find_ancestor(exp.Where, exp.Select), exp.Where)
        ):
            unnest = exp.Unnest(expressions=[exp.Array(expressions=[v.copy() for v in values])])
            query = exp.Select(expressions=[unnest])
            return exp.In(this=node.this, query=exp.Subquery(this=query))
        return node

    out = tree.transform(rewrite, copy=False)
    return out.sql(dialect="duckdb") if isinstance(sql, str) else out


def _modules() -> tuple[Any, Any, tuple[type[BaseException], ...]]:
    try:
        import duckdb
        import ibis
        from ibis.common.exceptions import IbisError
    except ImportError as exc:  # pragma: no cover - the cohort extra is installed in CI
        raise MissingExtraError("cohort", feature="the DuckDB cohort backend") from exc
    return ibis, duckdb, (duckdb.Error, IbisError)


class DuckDBBackend:
    """An in-process DuckDB connection over Parquet files or a DuckDB database file."""

    name = "duckdb"
    dialect = "duckdb"

    def __init__(
        self,
        source: Path,
        *,
        memory_limit: str | None = None,
        threads: int | None = None,
        temp_directory: Path | None = None,
    ) -> None:
        ibis, _, self._errors = _modules()
        self.source = source
        self._temp_tables = 0
        with map_backend_errors(self.name, self._errors):
            if source.is_dir():
                self._con = ibis.duckdb.connect()
                self._tables: dict[str, Path | str] = dict(parquet_sources(source))
                for name, path in self._tables.items():
                    self._con.read_parquet(parquet_glob(path), table_name=name)
            elif source.is_file():
                self._con = ibis.duckdb.connect(str(source), read_only=True)
                rows = self._con.con.execute(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = current_schema()"
                ).fetchall()
                self._tables = {str(r[0]).lower(): str(r[0]) for r in rows}
            else:
                raise InputError.single(
                    ("data",),
                    "is neither a directory of <table>.parquet files nor a .duckdb file",
                    str(source),
                    context="cohort screen",
                )
            settings = {"preserve_insertion_order": "true", "enable_progress_bar": "false"}
            if memory_limit and not _MEMORY.match(memory_limit):
                raise InputError.single(
                    ("memory_limit",), "must look like 4GB or 512MiB", memory_limit
                )
            if memory_limit:
                settings["memory_limit"] = memory_limit
            if threads:
                settings["threads"] = str(threads)
            if temp_directory:
                settings["temp_directory"] = str(temp_directory)
            for key, value in settings.items():
                self._con.con.execute(f"SET {key} = '{value}'")

    def list_tables(self) -> frozenset[str]:
        return frozenset(self._tables)

    def table(self, name: str) -> ir.Table:
        with map_backend_errors(self.name, self._errors):
            stored = self._tables[name]
            if isinstance(stored, Path):
                return self._con.table(name)
            return self._con.table(stored)

    def fetch(self, expr: ir.Table) -> pa.Table:
        with map_backend_errors(self.name, self._errors, sql=lambda: compile_sql(expr, "duckdb")):
            return self._con.to_pyarrow(expr)

    def _sql(self, expr: ir.Table) -> str:
        """What DuckDB runs: Ibis's tree with :func:`semi_join_in_lists`, printed once, plain."""
        with map_backend_errors(self.name, self._errors, sql=lambda: compile_sql(expr, "duckdb")):
            tree = self._con.compiler.to_sqlglot(expr)
            return str(semi_join_in_lists(tree).sql(dialect=self._con.dialect, copy=False))

    def write(self, expr: ir.Table, path: Path) -> None:
        """``COPY (query) TO path``: DuckDB writes the file itself, rows in query order."""
        fmt = "FORMAT parquet" if output_format(path) == "parquet" else "FORMAT csv, HEADER true"
        sql = self._sql(expr)
        target = str(path).replace("'", "''")
        with map_backend_errors(self.name, self._errors, sql=sql):
            self._con.con.execute(f"COPY ({sql}) TO '{target}' ({fmt})")

    def materialize(self, expr: ir.Table) -> ir.Table:
        """``CREATE TEMP TABLE … AS (query)``: lives in this connection until ``close``."""
        self._temp_tables += 1
        name = f"_immunospine_{self._temp_tables}"
        sql = self._sql(expr)
        with map_backend_errors(self.name, self._errors, sql=sql):
            self._con.con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS {sql}')
            return self._con.table(name)

    def setting(self, name: str) -> str:
        """A DuckDB setting's current value (e.g. ``memory_limit``), for reports."""
        row = self._con.con.execute("SELECT current_setting(?)", [name]).fetchone()
        return str(row[0]) if row else ""

    def close(self) -> None:
        self._con.disconnect()
