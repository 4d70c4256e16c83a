"""POST /api/v1/treatment/options (open) and GET /api/v1/patients/{id}/options (signed in)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from immunospine.cli import main
from tests.api.conftest import call
from tests.api.record_clinic import A, B, Clinic, close_clinic, open_clinic

STATE = {
    "diagnosis": "axspa",
    "asdas": 2.1,
    "nsaids_tried": 2,
    "nsaid_trial_weeks": 4,
    "crp_mg_l": 12,
    "current": [],
    "past": [],
    "extra_musculoskeletal": ["uveitis"],
    "contraindications": [],
}


def test_options_for_a_state_as_the_command_line(
    app: FastAPI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = call(app, "POST", "/api/v1/treatment/options", json=STATE)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    verdicts = {o["id"]: o["verdict"] for o in body["options"]}
    assert verdicts["b_tsdmard"] == "consider" and verdicts["tnf_monoclonal"] == "consider"
    path = tmp_path / "state.json"
    path.write_text(json.dumps(STATE))
    assert main(["treatment", "options", "--input", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == body


def test_a_bad_state_lists_the_field_under_body(app: FastAPI) -> None:
    bad = {**STATE, "past": [{"drug_class": "tnf_inhibitor", "stop_reason": "bored"}]}
    answer = call(app, "POST", "/api/v1/treatment/options", json=bad)
    assert answer.status_code == 422
    (problem,) = answer.json()["error"]["problems"]
    assert problem["loc"] == ["body", "past", 0, "stop_reason"]
    not_json = call(
        app,
        "POST",
        "/api/v1/treatment/options",
        content=b"{",
        headers={"Content-Type": "application/json"},
    )
    assert not_json.status_code == 422
    latin = call(
        app,
        "POST",
        "/api/v1/treatment/options",
        content=b'{"diagnosis": "\xe9"}',
        headers={"Content-Type": "application/json"},
    )
    assert latin.status_code == 422 and "UTF-8" in latin.text


def test_openapi_names_the_state_schema(app: FastAPI) -> None:
    doc = call(app, "GET", "/api/v1/openapi.json").json()
    post = doc["paths"]["/api/v1/treatment/options"]["post"]
    ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/TreatmentState"
    assert "diagnosis" in doc["components"]["schemas"]["TreatmentState"]["properties"]
    assert "/api/v1/patients/{patient_id}/options" in doc["paths"]


@pytest.fixture
def clinic(tmp_path: Path) -> Iterator[Clinic]:
    opened = open_clinic(f"sqlite:///{tmp_path / 'clinic.db'}", tmp_path)
    yield opened
    close_clinic(opened)


def test_patient_options_follow_the_record_access_rules(
    clinic: Clinic, capsys: pytest.CaptureFixture[str]
) -> None:
    path = f"/api/v1/patients/{A}/options"
    ok = call(clinic.app, "GET", path, headers=clinic.headers("clin-a"))
    assert ok.status_code == 200, ok.text
    assert ok.json()["pathway"] == "axspa"
    assert main(["patient", "options", A, "--db", clinic.url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == ok.json()
    own = call(clinic.app, "GET", path, headers=clinic.headers("patient-a"))
    assert own.status_code == 200
    for caller, status in (
        ("anonymous", 401),
        ("patient-b", 404),
        ("clin-none", 404),
        ("admin", 403),
    ):
        answer = call(clinic.app, "GET", path, headers=clinic.headers(caller))
        assert answer.status_code == status, caller
    missing = call(
        clinic.app, "GET", f"/api/v1/patients/{B}/options", headers=clinic.headers("clin-a")
    )
    assert missing.status_code == 404
    entries = json.dumps(
        call(
            clinic.app, "GET", f"/api/v1/audit?patient_id={A}", headers=clinic.headers("admin")
        ).json()
    )
    assert "treatment_options" in entries and "/options" in entries
