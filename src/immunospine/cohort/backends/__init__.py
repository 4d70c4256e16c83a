"""Cohort backends behind one small Protocol (``base.CohortBackend``): DuckDB, PostgreSQL, Spark.

``open_backend`` picks one by name; the driver modules are imported only when that backend is
asked for, so a missing optional extra fails with ``MissingExtraError``. Errors name the
parameters (``backend``, ``data``, ``omop_url``), never a command-line flag.
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
    omop_url: str | None = None,
    schema: str | None = None,
    memory_limit: str | None = None,
    threads: int | None = None,
    spark_master: str | None = None,
) -> CohortBackend:
    """Connect ``backend`` to ``data`` (DuckDB, Spark) or ``omop_url`` (PostgreSQL).

    ``data`` is a directory of ``<table>.parquet`` files (or, for DuckDB, a ``.duckdb`` file);
    ``omop_url`` is a ``postgresql://`` URL of the database holding the OMOP tables;
    ``spark_master`` a ``spark://host:port`` standalone master (default: Spark local mode).
    """
    if backend not in BACKENDS:
        raise InputError.single(
            ("backend",), f"must be one of {', '.join(BACKENDS)}", backend, context="cohort"
        )
    if spark_master is not None and backend != "spark":
        raise InputError.single(
            ("spark_master",),
            f"is an option of the spark backend, not of {backend}",
            spark_master,
            context="cohort",
        )
    if threads is not None and threads < 1:
        raise InputError.single(("threads",), "must be at least 1", threads, context="cohort")
    if backend == "postgres":
        if not omop_url:
            raise InputError.single(
                ("omop_url",),
                "is required by the postgres backend (a postgresql://… URL of the OMOP database)",
                has_value=False,
                context="cohort",
            )
        from immunospine.cohort.backends.postgres import PostgresBackend

        return PostgresBackend(omop_url, schema=schema)
    if data is None:
        raise InputError.single(
            ("data",),
            f"is required by the {backend} backend (a directory of <table>.parquet files"
            + (", or a .duckdb file)" if backend == "duckdb" else ")"),
            has_value=False,
            context="cohort",
        )
    if not data.exists():
        raise InputError.single(("data",), "does not exist", str(data), context="cohort")
    if backend == "spark":
        from immunospine.cohort.backends.spark import SparkBackend

        return SparkBackend(data, master=spark_master)
    from immunospine.cohort.backends.duckdb import DuckDBBackend

    return DuckDBBackend(data, memory_limit=memory_limit, threads=threads)
