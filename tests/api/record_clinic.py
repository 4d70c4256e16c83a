"""A small clinic behind the API, on SQLite and PostgreSQL, for the record route tests.

Patients A (``A-7781``) and B (``B-3302``), both with axSpA, two visits, a medication course
and a diary flare; users ``patient-a``, ``patient-b``, ``clin-a`` (care team: A), ``clin-none``
(no patients) and ``admin``, each with a bearer token from ``POST /api/v1/auth/token``. Ids are
long enough that finding one in a response means it leaked. Argon2id is run at its lowest cost.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import create_engine, text

from immunospine.api import create_app
from immunospine.records import Condition, Diagnosis, MedicationCourse, Patient
from immunospine.services import accounts, database, record
from immunospine.services import visit as visits
from immunospine.settings import Settings
from tests.accounts.fixtures import PASSWORD, fast_settings
from tests.api.conftest import call
from tests.storage.dbfixtures import BACKENDS, PG_URL, postgres_unavailable

A, B = "A-7781", "B-3302"
USERS: dict[str, tuple[str, str | None]] = {
    "patient-a": ("patient", A),
    "patient-b": ("patient", B),
    "clin-a": ("clinician", None),
    "clin-none": ("clinician", None),
    "admin": ("admin", None),
}
CALLERS = ("anonymous", *USERS)

FIRST_VISIT = {
    "labs": {"crp_mg_l": 18},
    "assessments": {
        "basdai": {"q1": 3, "q2": 3, "q3": 3, "q4": 3, "q5": 3, "q6": 3},
        "asdas_crp": {
            "back_pain": 5,
            "morning_stiffness_duration": 5,
            "patient_global": 5,
            "peripheral_pain": 2,
        },
    },
}
SECOND_VISIT = {
    "labs": {"crp_mg_l": 30},
    "assessments": {
        "basdai": {"q1": 6, "q2": 6, "q3": 5, "q4": 5, "q5": 6, "q6": 6},
        "asdas_crp": {
            "back_pain": 8,
            "morning_stiffness_duration": 7,
            "patient_global": 8,
            "peripheral_pain": 4,
        },
    },
}


@dataclass(frozen=True)
class Clinic:
    app: FastAPI
    url: str
    settings: Settings
    tokens: dict[str, str]
    courses: dict[str, int]
    """The seeded medication course of each patient."""

    def headers(self, caller: str) -> dict[str, str]:
        if caller == "anonymous":
            return {}
        return {"Authorization": f"Bearer {self.tokens[caller]}"}


def seed(url: str, settings: Settings) -> dict[str, int]:
    """The clinic's records and users (see the module docstring); the course ids."""
    db = database.open_database(url, settings)
    try:
        database.upgrade(db)
        axspa = (
            Diagnosis(condition=Condition.AXIAL_SPONDYLOARTHRITIS, diagnosed_on=date(2020, 1, 6)),
        )
        courses = {}
        for pid in (A, B):
            record.add_patient(
                db, Patient(patient_id=pid, year_of_birth=1984, diagnoses=axspa), actor="setup"
            )
            visits.record_visit(db, pid, date(2023, 3, 1), FIRST_VISIT, actor="setup")
            visits.record_visit(db, pid, date(2023, 9, 1), SECOND_VISIT, actor="setup")
            course = MedicationCourse(
                patient_id=pid,
                drug="adalimumab",
                drug_class="tnf_inhibitor",
                started_on=date(2023, 3, 2),  # type: ignore[arg-type]
            )
            courses[pid] = record.add_entry(db, course, actor="setup").id or 0
        for name, (role, pid) in USERS.items():
            accounts.add_user(db, name, PASSWORD, role, pid, actor="setup", settings=settings)
        accounts.assign(db, "clin-a", A, actor="setup")
    finally:
        db.dispose()
    return courses


def sign_in(app: FastAPI, username: str) -> str:
    answer = call(
        app, "POST", "/api/v1/auth/token", data={"username": username, "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def open_clinic(url: str, tmp: Path, **changes: object) -> Clinic:
    """Seed the clinic at ``url`` and sign everyone in; ``changes``: settings to change."""
    settings = fast_settings(tmp, **changes)
    courses = seed(url, settings)
    app = create_app(settings, database_url=url)
    tokens = {name: sign_in(app, name) for name in USERS}
    return Clinic(app, url, settings, tokens, courses)


def close_clinic(clinic: Clinic) -> None:
    db = getattr(clinic.app.state, "database", None)
    if db is not None:
        db.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def clinic(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Clinic]:
    """The clinic on each backend, shared by a test module (writes add to it)."""
    tmp = tmp_path_factory.mktemp("clinic")
    if request.param == "sqlite":
        opened = open_clinic(f"sqlite:///{tmp / 'clinic.db'}", tmp)
        yield opened
        close_clinic(opened)
        return
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason=reason)
    from sqlalchemy.engine import make_url

    schema = f"t_{uuid.uuid4().hex[:20]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    opened = open_clinic(url.render_as_string(hide_password=False), tmp)
    try:
        yield opened
    finally:
        close_clinic(opened)
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
