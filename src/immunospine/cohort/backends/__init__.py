"""Cohort backends behind one small Protocol (``base.CohortBackend``): DuckDB, PostgreSQL, Spark.

``open_backend`` picks one from the command-line style arguments; the driver modules are imported
only when that backend is asked for, so a missing optional extra fails with ``MissingExtraError``.
"""

from __future__ import annotations

from pathlib import Path

from immunospine.cohort.backends.base import CohortBackend
from immunospine.errors import InputError

BACKENDS = ("duckdb", "postgres", "spark")

__all__ = ["BACKENDS", "CohortBackend", "open_backend"]


def open_backend(
    backend: str,
    *,
    data: Path | None = None,
    db: str | None = None,
    schema: str | None = None,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> CohortBackend:
    """Connect the backend named ``backend`` to ``data`` (DuckDB, Spark) or ``db`` (PostgreSQL)."""
    if backend not in BACKENDS:
        raise InputError.single(
            ("--backend",), f"must be one of {', '.join(BACKENDS)}", backend, context="cohort"
        )
    if backend == "postgres":
        if not db:
            raise InputError.single(
                ("--db",),
                "the postgres backend needs --db postgresql://…",
                has_value=False,
                context="cohort",
            )
        from immunospine.cohort.backends.postgres import PostgresBackend

        return PostgresBackend(db, schema=schema)
    if data is None:
        raise InputError.single(
            ("--data",),
            f"the {backend} backend needs --data DIR (or a .duckdb file)",
            has_value=False,
            context="cohort",
        )
    if not data.exists():
        raise InputError.single(("--data",), "does not exist", str(data), context="cohort")
    if backend == "spark":
        from immunospine.cohort.backends.spark import SparkBackend

        return SparkBackend(data)
    from immunospine.cohort.backends.duckdb import DuckDBBackend

    return DuckDBBackend(data, memory_limit=memory_limit, threads=threads)
