"""Shared fixtures of the accounts tests: fast Argon2id settings and a small clinic.

The clinic has patients A and B, a patient user for each, a clinician of A, a clinician of
neither and an admin, on each backend (SQLite and PostgreSQL, see tests/storage/dbfixtures).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from immunospine.records import Patient
from immunospine.services import accounts, record
from immunospine.settings import Settings
from immunospine.storage.uow import Database

PASSWORD = "correct horse battery"  # noqa: S105 - a test account
USERS = {
    "patient-a": ("patient", "A"),
    "patient-b": ("patient", "B"),
    "clin-a": ("clinician", None),
    "clin-none": ("clinician", None),
    "admin": ("admin", None),
}


def fast_settings(tmp_path: Path, **changes: object) -> Settings:
    """Cheap hashing (tests only), no slow-down wait, a key file under ``tmp_path``."""
    values: dict[str, object] = {
        "argon2_time_cost": 1,
        "argon2_memory_kib": 8,
        "argon2_parallelism": 1,
        "login_slow_delay_ms": 0,
        "key_file": tmp_path / "keys" / "secret.key",
        "secret_key": None,
    }
    values.update(changes)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return fast_settings(tmp_path)


def seed_clinic(db: Database, settings: Settings) -> None:
    for pid in ("A", "B"):
        record.add_patient(db, Patient(patient_id=pid, year_of_birth=1980), actor="setup")
    for name, (role, pid) in USERS.items():
        accounts.add_user(db, name, PASSWORD, role, pid, actor="setup", settings=settings)
    assert accounts.assign(db, "clin-a", "A", actor="setup")


@pytest.fixture
def clinic(db: Database, settings: Settings) -> Database:
    seed_clinic(db, settings)
    return db
