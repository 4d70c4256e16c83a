"""The DuckDB backend's concept-filter rewrite (``semi_join_in_lists``): same rows, other plan."""

from __future__ import annotations

import pytest

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("sqlglot")

from immunospine.cohort.backends.duckdb import semi_join_in_lists  # noqa: E402


def test_only_where_lists_of_numbers_become_semi_joins() -> None:
    sql = (
        "SELECT a IN (1, 2) AS flag FROM t "
        "WHERE c IN (3, 4, 5) AND d IN (6) AND e IN ('x', 'y') AND f IN (SELECT 1)"
    )
    out = semi_join_in_lists(sql)
    assert "c IN (SELECT UNNEST([3, 4, 5]))" in out
    assert "a IN (1, 2) AS flag" in out  # a value in the projection, not a filter
    assert "d IN (6)" in out  # one value: DuckDB pushes an equality anyway
    assert "e IN ('x', 'y')" in out  # strings are left alone
    assert "f IN (SELECT 1)" in out


def test_rewritten_query_returns_the_same_rows() -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t AS SELECT i AS id, i % 7 AS c, CASE WHEN i % 5 = 0 THEN NULL "
        "ELSE i % 3 END AS n FROM range(1000) r(i)"
    )
    sql = "SELECT id, n IN (1, 2) AS flag FROM t WHERE c IN (1, 3, 5) AND n IN (0, 2) ORDER BY id"
    assert con.execute(semi_join_in_lists(sql)).fetchall() == con.execute(sql).fetchall()
