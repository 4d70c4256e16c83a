"""The record routes answer what the command line answers, validate like it, and audit the user.

In-process over httpx, on a SQLite clinic (the matrix module runs both databases).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from immunospine.api import create_app
from immunospine.cli import main
from immunospine.services import accounts, database
from tests.accounts.fixtures import PASSWORD, fast_settings
from tests.api.conftest import call
from tests.api.record_clinic import A, B, Clinic, close_clinic, open_clinic, sign_in

VISIT = {
    "labs": {"crp_mg_l": 9, "esr_mm_h": 22},
    "assessments": {
        "basdai": {"q1": 4, "q2": 5, "q3": 3, "q4": 4, "q5": 5, "q6": 4},
        "asdas_crp": {
            "back_pain": 6,
            "morning_stiffness_duration": 5,
            "patient_global": 6,
            "peripheral_pain": 2,
        },
    },
}


@pytest.fixture
def clinic(tmp_path: Path) -> Iterator[Clinic]:
    opened = open_clinic(f"sqlite:///{tmp_path / 'clinic.db'}", tmp_path)
    yield opened
    close_clinic(opened)


def _as(c: Clinic, caller: str, method: str, path: str, **kw: Any) -> Any:
    return call(c.app, method, path, headers=c.headers(caller), **kw)


def _cli_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> Any:
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


def test_visit_answers_as_visit_record_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same visit on two identical clinics: the API's 201 body is the CLI's --json."""
    api_side = open_clinic(f"sqlite:///{tmp_path / 'api.db'}", tmp_path / "api")
    cli_side = open_clinic(f"sqlite:///{tmp_path / 'cli.db'}", tmp_path / "cli")
    try:
        answer = _as(
            api_side,
            "clin-a",
            "POST",
            f"/api/v1/patients/{A}/visits",
            json={"on": "2024-09-02", **VISIT},
        )
        visit_file = tmp_path / "visit.json"
        visit_file.write_text(json.dumps(VISIT), encoding="utf-8")
        args = ["visit", "record", A, "--on", "2024-09-02", "--input", str(visit_file)]
        printed = _cli_json([*args, "--db", cli_side.url, "--json", "--actor", "clin-a"], capsys)
    finally:
        close_clinic(api_side)
        close_clinic(cli_side)
    assert answer.status_code == 201
    assert answer.json() == printed
    assert printed["change"] is not None  # compared with the seeded visit before it


@pytest.mark.parametrize(
    ("path", "cli"),
    [
        (
            f"/api/v1/patients/{A}/timeline?since=2023-06-01&kind=assessment,lab_result",
            ["patient", "timeline", A, "--since", "2023-06-01", "--kind", "assessment,lab_result"],
        ),
        (
            f"/api/v1/patients/{A}/response?from=2023-03-01&to=2023-09-01",
            ["patient", "response", A, "--from", "2023-03-01", "--to", "2023-09-01"],
        ),
        (f"/api/v1/patients/{A}/flares", ["patient", "flares", A]),
        (
            f"/api/v1/patients/{A}/due?today=2024-06-01",
            ["patient", "due", A, "--today", "2024-06-01"],
        ),
    ],
    ids=["timeline", "response", "flares", "due"],
)
def test_reads_answer_as_the_command_line(
    clinic: Clinic, capsys: pytest.CaptureFixture[str], path: str, cli: list[str]
) -> None:
    answer = _as(clinic, "clin-a", "GET", path)
    assert answer.status_code == 200, answer.text
    assert answer.json() == _cli_json([*cli, "--db", clinic.url, "--json"], capsys)


def test_patient_list_answers_as_patient_list_for_the_callers_patients(
    clinic: Clinic, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = _as(clinic, "clin-a", "GET", "/api/v1/patients?off_target=true").json()
    everyone = _cli_json(["patient", "list", "--off-target", "--db", clinic.url, "--json"], capsys)
    assert [p["patient_id"] for p in everyone["patients"]] == [A, B]
    assert answer["patients"] == [p for p in everyone["patients"] if p["patient_id"] == A]
    assert answer["total_patients"] == answer["matched"] == 1


def test_bad_body_lists_every_problem_under_body(clinic: Clinic) -> None:
    answer = _as(
        clinic,
        "patient-a",
        "POST",
        f"/api/v1/patients/{A}/diary",
        json={"recorded_at": "2024-05-01T07:30:00", "pain_nrs": 14, "mood": 3},
    )
    assert answer.status_code == 422
    problems = {tuple(p["loc"]): p for p in answer.json()["error"]["problems"]}
    assert set(problems) == {("body", "recorded_at"), ("body", "pain_nrs"), ("body", "mood")}
    assert problems[("body", "pain_nrs")]["value"] == 14


def test_visit_problems_are_all_listed(clinic: Clinic) -> None:
    bad = {
        "on": "2024-09-02",
        "labs": {"crp_mg_l": -3},
        "assessments": {"basdai": {"q1": 11, "q2": 5, "q3": 3, "q4": 4, "q5": 5, "q6": 4}},
    }
    answer = _as(clinic, "clin-a", "POST", f"/api/v1/patients/{A}/visits", json=bad)
    assert answer.status_code == 422
    locs = [p["loc"] for p in answer.json()["error"]["problems"]]
    assert ["body", "labs", "crp_mg_l"] in locs
    assert ["body", "assessments", "basdai", "q1"] in locs


def test_a_body_that_is_not_an_object(clinic: Clinic) -> None:
    answer = _as(clinic, "clin-a", "POST", f"/api/v1/patients/{A}/diary", json=[1, 2])
    assert answer.status_code == 422
    assert answer.json()["error"]["problems"][0]["loc"] == ["body"]


def test_a_patient_may_send_questionnaires_but_not_labs(clinic: Clinic) -> None:
    basdai = {"basdai": {"q1": 2, "q2": 2, "q3": 2, "q4": 2, "q5": 2, "q6": 2}}
    own = _as(
        clinic,
        "patient-a",
        "POST",
        f"/api/v1/patients/{A}/visits",
        json={"on": "2024-09-03", "assessments": basdai},
    )
    assert own.status_code == 201, own.text
    asdas_with_crp = {"asdas_crp": {**VISIT["assessments"]["asdas_crp"], "crp_mg_l": 4}}
    lab_inside = _as(
        clinic,
        "patient-a",
        "POST",
        f"/api/v1/patients/{A}/visits",
        json={"on": "2024-09-04", "assessments": asdas_with_crp},
    )
    assert lab_inside.status_code == 403


def test_a_body_naming_another_patient_is_refused(clinic: Clinic) -> None:
    answer = _as(
        clinic,
        "patient-a",
        "POST",
        f"/api/v1/patients/{A}/diary",
        json={"patient_id": B, "recorded_at": "2024-05-01T07:30:00+02:00"},
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["problems"][0]["loc"] == ["body", "patient_id"]


def test_stopping_another_patients_course_reads_as_a_missing_course(clinic: Clinic) -> None:
    stop = {"stopped_on": "2024-06-01"}
    other = _as(
        clinic,
        "clin-a",
        "PATCH",
        f"/api/v1/patients/{A}/medications/{clinic.courses[B]}",
        json=stop,
    )
    missing = _as(clinic, "clin-a", "PATCH", f"/api/v1/patients/{A}/medications/999999", json=stop)
    assert other.status_code == missing.status_code == 404
    assert other.json()["error"]["message"] == f"medication course {clinic.courses[B]} not found"
    early = _as(
        clinic,
        "clin-a",
        "PATCH",
        f"/api/v1/patients/{A}/medications/{clinic.courses[A]}",
        json={"stopped_on": "2020-01-01"},
    )
    assert early.status_code == 422
    assert early.json()["error"]["problems"][0]["loc"] == ["body", "stopped_on"]


def test_a_clinician_who_adds_a_patient_can_read_it(clinic: Clinic) -> None:
    made = _as(
        clinic,
        "clin-none",
        "POST",
        "/api/v1/patients",
        json={"patient_id": "C-1212", "year_of_birth": 1990, "sex": "male"},
    )
    assert made.status_code == 201
    assert made.json() == {
        "patient_id": "C-1212",
        "year_of_birth": 1990,
        "sex": "male",
        "diagnoses": [],
    }
    assert _as(clinic, "clin-none", "GET", "/api/v1/patients/C-1212").status_code == 200
    again = _as(
        clinic,
        "clin-none",
        "POST",
        "/api/v1/patients",
        json={"patient_id": "C-1212", "year_of_birth": 1990},
    )
    assert again.status_code == 422
    assert again.json()["error"]["problems"][0]["loc"] == ["body", "patient_id"]


def test_one_patient_with_latest_scores_and_targets(clinic: Clinic) -> None:
    body = _as(clinic, "patient-a", "GET", f"/api/v1/patients/{A}").json()
    assert body["patient"]["diagnoses"][0]["condition"] == "axspa"
    assert body["latest_scores"]["asdas_crp"]["assessed_on"] == "2023-09-01"
    assert [t["status"] for t in body["targets"]] == ["off_target"]


def test_fhir_export_then_import_elsewhere_all_or_nothing(clinic: Clinic, tmp_path: Path) -> None:
    bundle = _as(clinic, "clin-a", "GET", f"/api/v1/patients/{A}/fhir")
    assert bundle.status_code == 200
    assert bundle.headers["content-type"].startswith("application/fhir+json")
    other = open_clinic(f"sqlite:///{tmp_path / 'other.db'}", tmp_path / "other")
    try:
        # the other clinic already has A: refused as a whole, every problem listed
        refused = _as(other, "admin", "POST", "/api/v1/fhir", json=bundle.json())
        assert refused.status_code == 422
        assert refused.json()["error"]["problems"]
        assert all(p["loc"][0] == "body" for p in refused.json()["error"]["problems"])
        # a clinician imports it into a clinic without A: created, and in their care team
        empty = _empty_clinic(tmp_path / "empty")
        try:
            made = _as(empty, "clin-none", "POST", "/api/v1/fhir", json=bundle.json())
            assert made.status_code == 201, made.text
            assert made.json()["patient_ids"] == [A]
            again = _as(empty, "clin-none", "GET", f"/api/v1/patients/{A}/timeline")
            exported = _as(clinic, "clin-a", "GET", f"/api/v1/patients/{A}/timeline")
            assert again.status_code == 200
            assert len(again.json()["entries"]) == len(exported.json()["entries"])
        finally:
            close_clinic(empty)
    finally:
        close_clinic(other)


def _empty_clinic(tmp: Path) -> Clinic:
    """Users only (a clinician of no one), no patients."""
    tmp.mkdir()
    url = f"sqlite:///{tmp / 'empty.db'}"
    settings = fast_settings(tmp)
    db = database.open_database(url, settings)
    try:
        database.upgrade(db)
        accounts.add_user(db, "clin-none", PASSWORD, "clinician", actor="setup", settings=settings)
    finally:
        db.dispose()
    app = create_app(settings, database_url=url)
    return Clinic(app, url, settings, {"clin-none": sign_in(app, "clin-none")}, {})


def test_report_is_a_pdf(clinic: Clinic) -> None:
    answer = _as(clinic, "patient-a", "GET", f"/api/v1/patients/{A}/report.pdf")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")


def test_reads_and_writes_are_audited_with_the_user(clinic: Clinic) -> None:
    _as(clinic, "clin-a", "GET", f"/api/v1/patients/{A}/timeline")
    _as(
        clinic,
        "patient-a",
        "POST",
        f"/api/v1/patients/{A}/diary",
        json={"recorded_at": "2024-05-02T08:00:00+02:00", "pain_nrs": 3},
    )
    _as(clinic, "patient-b", "GET", f"/api/v1/patients/{A}")  # refused: audited too
    log = _as(clinic, "admin", "GET", f"/api/v1/audit?patient_id={A}").json()
    seen = {(e["actor"], e["action"], e["entity"]) for e in log}
    assert ("clin-a", "read", "timeline") in seen
    assert ("patient-a", "create", "diary_entry") in seen
    assert ("patient-b", "read", "access") in seen


def test_openapi_describes_the_record_bodies(clinic: Clinic) -> None:
    doc = clinic.app.openapi()
    schemas = doc["components"]["schemas"]
    for name in (
        "DiaryEntryBody",
        "MedicationCourseBody",
        "InterventionBody",
        "MedicationStop",
        "VisitBody",
        "NewPatientBody",
    ):
        assert name in schemas
    diary = doc["paths"]["/api/v1/patients/{patient_id}/diary"]["post"]
    ref = diary["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/DiaryEntryBody"
    assert "pain_nrs" in schemas["DiaryEntryBody"]["properties"]
    assert "patient_id" not in schemas["DiaryEntryBody"]["properties"]


@pytest.mark.parametrize(
    "query", ["flare_since=0", "flare_since=2024-05-01T00:00:00", "flare_since=20240501"]
)
def test_a_date_parameter_is_only_yyyy_mm_dd(clinic: Clinic, query: str) -> None:
    """``0`` once read as 1970-01-01 (found by schemathesis)."""
    answer = _as(clinic, "clin-a", "GET", f"/api/v1/patients?{query}")
    assert answer.status_code == 422
    problem = answer.json()["error"]["problems"][0]
    assert problem["loc"] == ["query", "flare_since"]
    assert problem["msg"].endswith("must be a date as YYYY-MM-DD")


def test_response_without_two_visits_names_the_query_parameter(clinic: Clinic) -> None:
    answer = _as(clinic, "clin-a", "GET", f"/api/v1/patients/{A}/response?to=2023-03-01")
    assert answer.status_code == 422
    assert answer.json()["error"]["problems"][0]["loc"] == ["query", "from"]


def test_every_request_is_audited_with_the_route_and_the_outcome(clinic: Clinic) -> None:
    _as(clinic, "clin-a", "GET", f"/api/v1/patients/{A}/timeline")
    _as(clinic, "patient-b", "GET", f"/api/v1/patients/{A}")
    _as(clinic, "patient-a", "POST", f"/api/v1/patients/{A}/diary", json={"pain_nrs": 99})
    _as(
        clinic,
        "patient-a",
        "POST",
        f"/api/v1/patients/{A}/visits",
        json={"on": "2024-09-09", **VISIT},
    )
    log = _as(clinic, "admin", "GET", f"/api/v1/audit?patient_id={A}").json()
    requests = {(e["actor"], e["action"], e["detail"]) for e in log if e["entity"] == "api_request"}
    assert requests >= {
        ("clin-a", "read", "GET /api/v1/patients/{patient_id}/timeline -> 200"),
        ("patient-b", "read", "GET /api/v1/patients/{patient_id} -> 404"),
        ("patient-a", "update", "POST /api/v1/patients/{patient_id}/diary -> 422"),
        ("patient-a", "update", "POST /api/v1/patients/{patient_id}/visits -> 403"),
    }
    everyone = _as(clinic, "admin", "GET", "/api/v1/audit").json()
    assert everyone[-1]["detail"] == "GET /api/v1/audit -> 200"  # the request before
