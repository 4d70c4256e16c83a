"""``immunospine analyze patient|cohort`` and the service behind them, on a small database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from immunospine.analysis.simulate import PersonSpec, simulate_timeline
from immunospine.cli import main
from immunospine.services import analysis, database
from immunospine.services.interop import store_timelines


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'analysis.db'}"
    assert main(["db", "upgrade", "--db", url]) == 0
    db = database.open_database(url)
    timelines = [
        simulate_timeline(PersonSpec(patient_id=f"sim-{i}", n_days=120), seed=i) for i in range(3)
    ]
    with db.transaction() as uow:
        store_timelines(uow, timelines, actor="test", source="test")
    db.dispose()
    return url


def test_analyze_patient_json(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["analyze", "patient", "sim-0", "--db", url, "--json", "--max-lag", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["patient_id"] == "sim-0" and out["n_days"] > 0
    assert {a["lag_days"] for a in out["associations"]} == {0, 1}
    assert "not a diagnosis" in out["disclaimer"]


def test_analyze_patient_text_and_errors(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "patient", "sim-1", "--db", url, "--since", "2026-10-01"]) == 0
    text = capsys.readouterr().out
    assert "not proof" in text and "Not enough data" in text
    assert main(["analyze", "patient", "nobody", "--db", url]) == 1
    assert main(["analyze", "patient", "sim-1", "--db", url, "--max-lag", "15"]) == 2
    assert "--max-lag" in capsys.readouterr().err


def test_analyze_cohort(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["analyze", "cohort", "--db", url, "--json", "--condition", "axspa"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n_patients"] == 3
    assert out["cross_lagged"] is None  # three patients: not enough for the RI-CLPM
    assert any("not enough data" in m["reason"] for m in out["not_enough_data"])
    assert main(["analyze", "cohort", "--db", url, "--condition", "flu"]) == 2


def test_service_checks_max_lag(url: str) -> None:
    db = database.open_database(url)
    try:
        with pytest.raises(Exception, match="max_lag"):
            analysis.analyze_patient(db, "sim-0", actor="t", max_lag=-1)
    finally:
        db.dispose()
