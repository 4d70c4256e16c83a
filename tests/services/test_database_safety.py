"""Defects 2 and 3 of issue 8: a downgrade never drops records unasked, a read never creates a file.

- ``db downgrade`` needs an explicit target and ``--yes``; going to ``base`` while rows exist
  needs ``--backup FILE``, a SQLite copy of every table (audit log included) written first.
- ``--db`` takes a plain file path; ``sqlite:///x`` (three slashes) is relative and the error
  says so; a read-only command on a missing database creates nothing and says to run
  ``db upgrade``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect

from immunospine.cli import main
from immunospine.errors import InputError, StorageError
from immunospine.records import Condition, Diagnosis, Patient
from immunospine.services import database, record
from immunospine.storage.backup import row_counts
from immunospine.storage.uow import Database
from tests.storage.dbfixtures import db, db_url  # noqa: F401

READ_ONLY_COMMANDS = [
    ["patient", "list"],
    ["patient", "list", "--off-target"],
    ["patient", "timeline", "P1"],
    ["patient", "response", "P1"],
    ["patient", "flares", "P1"],
    ["patient", "due", "P1"],
    ["db", "current"],
    ["fhir", "export", "--out", "{tmp}/out.json"],
    ["csv", "export", "--out", "{tmp}/out.csv"],
]


def _seed(db: Database) -> None:  # noqa: F811
    dx = (Diagnosis(condition=Condition.AXIAL_SPONDYLOARTHRITIS, diagnosed_on=date(2020, 1, 1)),)
    record.add_patient(db, Patient(patient_id="P1", year_of_birth=1980, diagnoses=dx), actor="t")
    inputs = {"q1": 5, "q2": 6, "q3": 4, "q4": 3, "q5": 6, "q6": 5}
    record.record_assessment(db, "P1", "basdai", inputs, date(2023, 3, 1), actor="t")


def _file_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    assert main(["db", "upgrade", "--db", url]) == 0
    handle = database.open_database(url)
    _seed(handle)
    handle.dispose()
    return url


def test_downgrade_without_options_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _file_url(tmp_path)
    before = row_counts(database.open_database(url).engine)
    assert main(["db", "downgrade", "--db", url]) == 2  # no target: refused by the parser
    assert main(["db", "downgrade", "--db", url, "--to", "base"]) == 2
    err = capsys.readouterr().err
    assert "--backup" in err and "audit log" in err
    backup = tmp_path / "backup.db"
    assert main(["db", "downgrade", "--db", url, "--to", "base", "--backup", str(backup)]) == 2
    assert "--yes" in capsys.readouterr().err
    assert main(["db", "downgrade", "--db", url, "--to", "9999", "--yes"]) == 2  # no such revision
    assert '--to = "9999"' in capsys.readouterr().err
    assert not backup.exists()
    assert row_counts(database.open_database(url).engine) == before
    assert before["patients"] == 1 and before["audit_log"] >= 2


def test_downgrade_to_base_writes_a_full_backup_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _file_url(tmp_path)
    before = row_counts(database.open_database(url).engine)
    backup = tmp_path / "kept" / "backup.db"
    argv = ["db", "downgrade", "--db", url, "--to", "base", "--yes", "--backup", str(backup)]
    assert main(argv) == 0
    assert f"backed up {sum(before.values())} rows" in capsys.readouterr().out
    emptied = database.open_database(url)
    assert database.current_revision(emptied) is None
    assert not {"patients", "audit_log"} & set(inspect(emptied.engine).get_table_names())
    # The backup is a patient database in its own right: every row, the audit log included.
    assert row_counts(database.open_database(f"sqlite:///{backup}").engine) == before
    assert main(["patient", "timeline", "P1", "--db", str(backup), "--json"]) == 0
    assert '"basdai"' in capsys.readouterr().out
    # An existing file is never overwritten by a backup.
    assert main(["db", "upgrade", "--db", url]) == 0
    handle = database.open_database(url)
    _seed(handle)
    handle.dispose()
    assert main(argv) == 2
    assert "already exists" in capsys.readouterr().err


def test_downgrade_service_on_each_backend(db: Database, tmp_path: Path) -> None:  # noqa: F811
    _seed(db)
    with pytest.raises(InputError, match="revision"):
        database.plan_downgrade(db, "9999")
    with pytest.raises(InputError) as exc:
        database.downgrade(db, "base")
    assert exc.value.problems[0].loc == ("backup",)
    assert database.current_revision(db) == database.head_revision()
    before = row_counts(db.engine)
    plan = database.downgrade(db, "base", backup_to=tmp_path / "copy.db")
    assert plan.rows == before and plan.drops_records
    assert database.current_revision(db) is None
    copy = database.open_database(f"sqlite:///{tmp_path / 'copy.db'}")
    assert row_counts(copy.engine) == before
    copy.dispose()
    with pytest.raises(StorageError, match="already empty"):
        database.plan_downgrade(db, "base")


def test_empty_database_downgrades_without_a_backup(db: Database) -> None:  # noqa: F811
    plan = database.downgrade(db, "base")
    assert not plan.drops_records and database.current_revision(db) is None


@pytest.mark.parametrize("argv", READ_ONLY_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_read_only_command_on_missing_database_creates_nothing(
    argv: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    args = [a.format(tmp=tmp_path) for a in argv]
    assert main([*args, "--db", "missing/clinic.db"]) in (1, 2)
    err = capsys.readouterr().err
    assert "db upgrade" in err and str(tmp_path / "missing" / "clinic.db") in err
    assert list(tmp_path.iterdir()) == []


def test_relative_sqlite_url_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["patient", "list", "--db", "sqlite:///tmp/x.db"]) == 1
    err = capsys.readouterr().err
    assert "relative to the current folder" in err and "sqlite:////tmp/x.db" in err
    assert list(tmp_path.iterdir()) == []


def test_unmigrated_database_says_to_upgrade(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty.db").touch()
    assert main(["patient", "list", "--db", str(tmp_path / "empty.db")]) == 1
    assert "no patient tables" in capsys.readouterr().err


def test_plain_file_path_means_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert database.database_url("clinic.db") == f"sqlite:///{tmp_path / 'clinic.db'}"
    assert database.database_url("/srv/x.db") == "sqlite:////srv/x.db"
    assert database.database_url("sqlite:///rel.db") == "sqlite:///rel.db"
    assert main(["db", "upgrade", "--db", "clinic.db"]) == 0
    assert (tmp_path / "clinic.db").exists()
    assert main(["db", "current", "--db", str(tmp_path / "clinic.db")]) == 0
    assert database.head_revision() in capsys.readouterr().out
