"""``GET /api/v1/patients/{id}/analysis``: the CLI's ``analyze patient --json``, access rules,
problems located under ``query``, the request in the audit log."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from immunospine.analysis.simulate import PersonSpec, simulate_timeline
from immunospine.cli import main
from immunospine.services import database
from immunospine.services.interop import store_timelines
from tests.api.conftest import call
from tests.api.record_clinic import A, Clinic, close_clinic, open_clinic


@pytest.fixture
def clinic(tmp_path: Path) -> Iterator[Clinic]:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    opened = open_clinic(url, tmp_path)
    db = database.open_database(url, opened.settings)
    try:
        with db.transaction() as uow:
            spec = PersonSpec(patient_id="SIM-1", n_days=200)
            store_timelines(uow, [simulate_timeline(spec, seed=1)], actor="setup", source="t")
    finally:
        db.dispose()
    yield opened
    close_clinic(opened)


def _get(c: Clinic, caller: str, path: str) -> object:
    return call(c.app, "GET", path, headers=c.headers(caller))


def test_answer_is_the_cli_json(clinic: Clinic, capsys: pytest.CaptureFixture[str]) -> None:
    answer = call(
        clinic.app,
        "GET",
        f"/api/v1/patients/{A}/analysis?max_lag=1",
        headers=clinic.headers("clin-a"),
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["patient_id"] == A and body["associations"] == []  # two visits, no diary
    assert body["not_enough_data"][0]["reason"].startswith("not enough data")
    capsys.readouterr()
    assert main(["analyze", "patient", A, "--db", clinic.url, "--json", "--max-lag", "1"]) == 0
    assert json.loads(capsys.readouterr().out) == body


def test_access_and_bad_query(clinic: Clinic) -> None:
    path = f"/api/v1/patients/{A}/analysis"
    assert call(clinic.app, "GET", path).status_code == 401
    assert call(clinic.app, "GET", path, headers=clinic.headers("patient-b")).status_code == 404
    assert call(clinic.app, "GET", path, headers=clinic.headers("admin")).status_code == 403
    bad = call(clinic.app, "GET", path + "?max_lag=99", headers=clinic.headers("patient-a"))
    assert bad.status_code == 422
    assert bad.json()["error"]["problems"][0]["loc"][:2] == ["query", "max_lag"]


def test_a_simulated_patient_has_associations(clinic: Clinic) -> None:
    from immunospine.services import accounts

    db = database.open_database(clinic.url, clinic.settings)
    try:
        accounts.assign(db, "clin-a", "SIM-1", actor="setup")
    finally:
        db.dispose()
    answer = call(
        clinic.app, "GET", "/api/v1/patients/SIM-1/analysis", headers=clinic.headers("clin-a")
    )
    assert answer.status_code == 200, answer.text
    rows = answer.json()["associations"]
    assert {r["factor"] for r in rows} >= {"stress_nrs", "sleep_hours"}
    assert all(r["q_value"] is not None for r in rows)
