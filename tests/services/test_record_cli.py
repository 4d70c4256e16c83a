"""``immunospine db upgrade``, ``patient timeline`` and ``patient list --off-target``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from immunospine.cli import main
from immunospine.records import Condition, Diagnosis, Patient
from immunospine.services import database, record


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_db_upgrade_timeline_and_off_target(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade", "--db", url]) == 0
    assert f"revision {database.head_revision()}" in capsys.readouterr().out
    db = database.open_database(url)
    dx = (Diagnosis(condition=Condition.AXIAL_SPONDYLOARTHRITIS, diagnosed_on=date(2019, 1, 1)),)
    record.add_patient(db, Patient(patient_id="P7", year_of_birth=1985, diagnoses=dx), actor="t")
    inputs = {
        "back_pain": 8,
        "morning_stiffness_duration": 6,
        "patient_global": 7,
        "peripheral_pain": 3,
        "crp_mg_l": 25,
    }
    record.record_assessment(db, "P7", "asdas_crp", inputs, date(2022, 2, 1), actor="t")
    db.dispose()

    assert main(["patient", "timeline", "P7", "--db", url, "--json"]) == 0
    tl = json.loads(capsys.readouterr().out)
    assert tl["patient"]["patient_id"] == "P7"
    assert [e["kind"] for e in tl["entries"]] == ["assessment"]
    assert main(["patient", "timeline", "P7", "--db", url]) == 0
    assert "asdas_crp" in capsys.readouterr().out

    assert main(["patient", "list", "--off-target", "--db", url, "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["patients"]
    assert row["patient_id"] == "P7" and row["target"] == "ASDAS < 2.1"
    assert row["status"] == "off_target" and row["assessed_on"] == "2022-02-01"

    assert main(["patient", "timeline", "NOBODY", "--db", url]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "not found" in captured.err
    backup = url.removeprefix("sqlite:///") + ".backup"
    assert main(["db", "downgrade", "--db", url, "--to", "base", "--yes", "--backup", backup]) == 0


def test_bad_url_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade", "--db", "mysql://nope/x"]) == 2
    err = capsys.readouterr().err
    assert "mysql" in err and "not supported" in err


def test_default_url_is_in_the_data_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("IMMUNOSPINE_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert database.database_url() == f"sqlite:///{tmp_path / 'immunospine' / 'immunospine.db'}"
    monkeypatch.setenv("IMMUNOSPINE_DATABASE_URL", "sqlite:///elsewhere.db")
    assert database.database_url() == "sqlite:///elsewhere.db"
    assert database.database_url("sqlite:///flag.db") == "sqlite:///flag.db"
