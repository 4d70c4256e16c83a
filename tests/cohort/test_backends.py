"""The same plan on PostgreSQL and Spark: equal to the knowledge core and identical to DuckDB.

PostgreSQL tests load an ``OmopTestbed`` into a uniquely named schema (safe under pytest-xdist) and
drop it afterwards; they run against ``IMMUNOSPINE_TEST_POSTGRES_URL`` (default: the local test
server) and are skipped when no server answers. Spark tests are few and small: start-up is slow.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import pyarrow as pa
import pytest

from immunospine.cohort.backends import open_backend
from immunospine.cohort.backends.duckdb import DuckDBBackend
from immunospine.cohort.backends.postgres import PostgresBackend
from immunospine.cohort.backends.spark import spark_available
from immunospine.cohort.runner import run_screen
from tests.cohort.test_engine_support import (
    assert_matches_reference,
    build_testbed,
    random_population,
    run_plan,
)

# The suite-wide URL is SQLAlchemy's form (postgresql+psycopg://); libpq and Ibis take postgresql://.
PG_URL = re.sub(
    r"^postgresql\+\w+://",
    "postgresql://",
    os.environ.get("IMMUNOSPINE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
)


def _postgres_up() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3):
            return None
    except Exception as exc:  # any failure means: no server to test against
        return f"no PostgreSQL server at {PG_URL} ({type(exc).__name__})"


_PG_DOWN = _postgres_up()
needs_postgres = pytest.mark.skipif(_PG_DOWN is not None, reason=_PG_DOWN or "")
_SPARK_MISSING = spark_available()
needs_spark = pytest.mark.skipif(_SPARK_MISSING is not None, reason=_SPARK_MISSING or "")

PEOPLE = random_population(seed=7, n=120)


def _duckdb_worklist(tmp_path: Path) -> pa.Table:
    backend = DuckDBBackend(build_testbed(PEOPLE).write_parquet(tmp_path / "duck"))
    try:
        return run_plan(backend)
    finally:
        backend.close()


def assert_identical(a: pa.Table, b: pa.Table) -> None:
    """Same persons and ranks, features equal, probabilities equal within 1e-12."""
    ra = {r["person_id"]: r for r in a.to_pylist()}
    rb = {r["person_id"]: r for r in b.to_pylist()}
    assert set(ra) == set(rb)
    for pid, row in ra.items():
        other = rb[pid]
        assert math.isclose(
            row.pop("probability_literature"), other.pop("probability_literature"), abs_tol=1e-12
        )
        assert row == other


@pytest.mark.postgres
@needs_postgres
def test_postgres_matches_reference_and_duckdb(tmp_path: Path) -> None:
    with build_testbed(PEOPLE).postgres_schema(PG_URL) as schema:
        backend = PostgresBackend(PG_URL, schema=schema)
        try:
            worklist = run_plan(backend)
        finally:
            backend.close()
    assert_matches_reference(worklist, PEOPLE)
    assert_identical(_duckdb_worklist(tmp_path), worklist)


@pytest.mark.postgres
@needs_postgres
def test_postgres_screen_writes_csv(tmp_path: Path) -> None:
    with build_testbed(PEOPLE[:30]).postgres_schema(PG_URL) as schema:
        backend = open_backend("postgres", omop_url=PG_URL, schema=schema)
        try:
            summary = run_screen(backend, tmp_path / "w.csv")
        finally:
            backend.close()
    assert summary.screened == sum(p.screened() for p in PEOPLE[:30])
    assert summary.backend == "postgres"


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@needs_spark
def test_spark_matches_reference_and_duckdb(tmp_path: Path) -> None:
    from immunospine.cohort.backends.spark import SparkBackend

    backend = SparkBackend(build_testbed(PEOPLE).write_parquet(tmp_path / "spark"))
    try:
        worklist = run_plan(backend)
        summary = run_screen(backend, tmp_path / "w.parquet")
    finally:
        backend.close()
    assert_matches_reference(worklist, PEOPLE)
    assert_identical(_duckdb_worklist(tmp_path), worklist)
    assert summary.screened == worklist.num_rows
