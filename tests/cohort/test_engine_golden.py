"""Golden SQL of the worklist query per backend (C11). ``UPDATE_GOLDENS=1 pytest …`` rewrites.

The plan is built from the shipped concept sets and the knowledge module's LR tables over unbound
OMOP tables, so a change to either shows up here as a readable SQL diff. Both sides are normalised
with sqlglot (parse, then pretty-print in the same dialect) before comparison.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlglot

from immunospine.cohort.plan import ScreenPlan

GOLDEN = Path(__file__).parent / "golden"
DIALECTS = {"duckdb": "duckdb", "postgres": "postgres", "spark": "pyspark"}
SQLGLOT = {"duckdb": "duckdb", "postgres": "postgres", "spark": "spark"}


def _normalise(sql: str, backend: str) -> str:
    return sqlglot.transpile(sql, read=SQLGLOT[backend], write=SQLGLOT[backend], pretty=True)[0]


@pytest.mark.parametrize("backend", sorted(DIALECTS))
def test_worklist_sql_matches_golden(backend: str) -> None:
    sql = _normalise(ScreenPlan().to_sql(DIALECTS[backend]), backend)
    path = GOLDEN / f"worklist.{backend}.sql"
    if os.environ.get("UPDATE_GOLDENS") == "1":
        path.write_text(sql + "\n", encoding="utf-8")
    assert path.exists(), f"{path.name} is missing: run with UPDATE_GOLDENS=1"
    assert _normalise(path.read_text(encoding="utf-8"), backend) == sql, (
        f"the {backend} SQL changed; review the diff, then UPDATE_GOLDENS=1"
    )
