"""PostgreSQL backend: an OMOP CDM in one schema of a site database (``omop_url``, ``schema``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from immunospine.cohort.backends.base import compile_sql, map_backend_errors, write_arrow
from immunospine.errors import MissingExtraError

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa


def _modules() -> tuple[Any, tuple[type[BaseException], ...]]:
    try:
        import ibis
        import psycopg
        from ibis.common.exceptions import IbisError
    except ImportError as exc:  # pragma: no cover - the cohort extra is installed in CI
        raise MissingExtraError("cohort", feature="the PostgreSQL cohort backend") from exc
    return ibis, (psycopg.Error, IbisError)


class PostgresBackend:
    """A connection to PostgreSQL; OMOP tables are read from ``schema`` (default ``public``)."""

    name = "postgres"
    dialect = "postgres"

    def __init__(self, url: str, *, schema: str | None = None) -> None:
        ibis, self._errors = _modules()
        self.schema = schema or "public"
        self._temp_tables = 0
        with map_backend_errors(self.name, self._errors):
            self._con = ibis.connect(url.replace("postgresql+psycopg://", "postgresql://", 1))
            names = self._con.list_tables(database=self.schema)
        self._tables = {str(n).lower(): str(n) for n in names}

    def list_tables(self) -> frozenset[str]:
        return frozenset(self._tables)

    def table(self, name: str) -> ir.Table:
        with map_backend_errors(self.name, self._errors):
            return self._con.table(self._tables[name], database=self.schema)

    def fetch(self, expr: ir.Table) -> pa.Table:
        with map_backend_errors(
            self.name, self._errors, sql=lambda: compile_sql(expr, self.dialect)
        ):
            return self._con.to_pyarrow(expr)

    def write(self, expr: ir.Table, path: Path) -> None:
        write_arrow(self.fetch(expr), path)

    def materialize(self, expr: ir.Table) -> ir.Table:
        """A ``TEMPORARY`` table of this session (PostgreSQL drops it when we disconnect)."""
        self._temp_tables += 1
        name = f"_immunospine_{self._temp_tables}"
        sql = compile_sql(expr, self.dialect)
        with map_backend_errors(self.name, self._errors, sql=sql):
            with self._con.raw_sql(f'CREATE TEMPORARY TABLE "{name}" AS {sql}'):
                pass
            return self._con.table(name)

    def close(self) -> None:
        self._con.disconnect()
