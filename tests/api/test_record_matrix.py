"""The authorisation matrix over HTTP (issue 9): every record route × {anonymous, patient A,
patient B, clinician of A, clinician of neither, admin} → the exact status, on SQLite and
PostgreSQL; and nothing of A in any of B's answers.

Rules (web-contract.md "Who may do what"): anonymous → 401; a record the caller may not see →
404 word for word as a missing id; a role that may not do this at all → 403 whatever the id;
an admin reads records only through the audit route.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.api.conftest import call
from tests.api.record_clinic import CALLERS, A, B, Clinic, clinic  # noqa: F401

Body = Callable[[str, Clinic], Any]


def _none(caller: str, c: Clinic) -> None:
    return None


def _diary(caller: str, c: Clinic) -> dict[str, Any]:
    minute = CALLERS.index(caller)
    return {"recorded_at": f"2024-05-01T07:{minute:02d}:00+02:00", "pain_nrs": 4, "flare": False}


def _course(caller: str, c: Clinic) -> dict[str, Any]:
    return {
        "drug": "naproxen",
        "drug_class": "nsaid",
        "dose": 500,
        "dose_unit": "mg",
        "started_on": "2024-02-01",
    }


def _stop(caller: str, c: Clinic) -> dict[str, Any]:
    return {"stopped_on": "2024-06-01", "stop_reason": "remission"}


def _intervention(caller: str, c: Clinic) -> dict[str, Any]:
    return {
        "kind": "exercise",
        "performed_on": "2024-02-03",
        "activity": "swimming",
        "duration_min": 40,
    }


def _visit(caller: str, c: Clinic) -> dict[str, Any]:
    return {
        "on": "2024-09-02",
        "labs": {"crp_mg_l": 6},
        "assessments": {"basdai": {"q1": 2, "q2": 2, "q3": 2, "q4": 2, "q5": 2, "q6": 2}},
    }


def _session(caller: str, c: Clinic) -> dict[str, Any]:
    return {"session": "swimming", "on": "2024-02-03", "minutes": 30}


def _new_patient(caller: str, c: Clinic) -> dict[str, Any]:
    return {"patient_id": f"NEW-{caller}", "year_of_birth": 1991, "sex": "female"}


def _bundle(caller: str, c: Clinic) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection", "entry": []}


#                 anonymous, patient-a, patient-b, clin-a, clin-none, admin
READ_A = (401, 200, 404, 200, 404, 403)
PATIENT_WRITE_A = (401, 201, 404, 201, 404, 403)
ROUTES: dict[str, tuple[str, str, Body, tuple[int, ...]]] = {
    "list patients": ("GET", "/api/v1/patients", _none, (401, 200, 200, 200, 200, 403)),
    "list off target": (
        "GET",
        "/api/v1/patients?off_target=true",
        _none,
        (401, 200, 200, 200, 200, 403),
    ),
    "create patient": ("POST", "/api/v1/patients", _new_patient, (401, 403, 403, 201, 201, 201)),
    "one patient": ("GET", "/api/v1/patients/{A}", _none, READ_A),
    "timeline": (
        "GET",
        "/api/v1/patients/{A}/timeline?since=2023-01-01&kind=assessment",
        _none,
        READ_A,
    ),
    "visit with labs": (
        "POST",
        "/api/v1/patients/{A}/visits",
        _visit,
        (401, 403, 403, 201, 404, 403),
    ),
    "diary": ("POST", "/api/v1/patients/{A}/diary", _diary, PATIENT_WRITE_A),
    "start medication": ("POST", "/api/v1/patients/{A}/medications", _course, PATIENT_WRITE_A),
    "stop medication": (
        "PATCH",
        "/api/v1/patients/{A}/medications/{course}",
        _stop,
        (401, 200, 404, 200, 404, 403),
    ),
    "intervention": ("POST", "/api/v1/patients/{A}/interventions", _intervention, PATIENT_WRITE_A),
    "response": (
        "GET",
        "/api/v1/patients/{A}/response?from=2023-03-01&to=2023-09-01",
        _none,
        READ_A,
    ),
    "flares": ("GET", "/api/v1/patients/{A}/flares", _none, READ_A),
    "analysis": ("GET", "/api/v1/patients/{A}/analysis?max_lag=1", _none, READ_A),
    "due": ("GET", "/api/v1/patients/{A}/due", _none, READ_A),
    "fhir export": ("GET", "/api/v1/patients/{A}/fhir", _none, READ_A),
    "fhir import": ("POST", "/api/v1/fhir", _bundle, (401, 403, 403, 201, 201, 201)),
    "report": ("GET", "/api/v1/patients/{A}/report.pdf", _none, READ_A),
    "plan": ("GET", "/api/v1/patients/{A}/plan", _none, READ_A),
    "plan calendar": ("GET", "/api/v1/patients/{A}/plan.ics", _none, READ_A),
    "plan session": ("POST", "/api/v1/patients/{A}/plan/sessions", _session, PATIENT_WRITE_A),
    "today": ("GET", "/api/v1/patients/{A}/today", _none, READ_A),
    "options": ("GET", "/api/v1/patients/{A}/options", _none, READ_A),
    "audit": ("GET", "/api/v1/audit?patient_id={A}", _none, (401, 403, 403, 403, 403, 200)),
}
CASES = [
    pytest.param(route, caller, ROUTES[route][3][i], id=f"{route}-{caller}")
    for route in ROUTES
    for i, caller in enumerate(CALLERS)
]


def _send(c: Clinic, route: str, caller: str, patient: str = A) -> Any:
    method, path, body, _ = ROUTES[route]
    url = path.format(A=patient, course=c.courses[patient])
    payload = body(caller, c)
    extra = {"json": payload} if payload is not None else {}
    return call(c.app, method, url, headers=c.headers(caller), **extra)


@pytest.mark.parametrize(("route", "caller", "status"), CASES)
def test_authorisation_matrix(clinic: Clinic, route: str, caller: str, status: int) -> None:  # noqa: F811
    answer = _send(clinic, route, caller)
    assert answer.status_code == status, answer.text
    if status >= 400:
        error = answer.json()["error"]
        expected = {401: "unauthorized", 403: "forbidden", 404: "not_found"}[status]
        assert error["type"] == expected
    if status == 401:
        assert answer.headers["www-authenticate"] == "Bearer"


def test_the_matrix_covers_every_record_route(clinic: Clinic) -> None:  # noqa: F811
    """A new record route must be added to the matrix (and so given its rules)."""
    open_paths = {
        "/api/v1/health",
        "/api/v1/triage",
        "/api/v1/auth/token",
        "/api/v1/treatment/options",
        "/api/v1/knowledge/diseases",
        "/api/v1/knowledge/diseases/{name}",
        "/api/v1/knowledge/unverified",
    }
    served = {
        (method.upper(), path)
        for path, operations in clinic.app.openapi()["paths"].items()
        for method in operations
        if path.startswith("/api/v1/")
        and not path.startswith("/api/v1/calculators")
        and path not in open_paths
    }
    covered = {
        (m, p.split("?")[0].replace("{A}", "{patient_id}").replace("{course}", "{course_id}"))
        for m, p, _, _ in ROUTES.values()
    }
    assert served == covered


@pytest.mark.parametrize("caller", ["patient-b", "clin-none"])
@pytest.mark.parametrize(
    "route", [r for r, spec in ROUTES.items() if "{A}" in spec[1] and spec[3][2] == 404]
)
def test_an_invisible_record_reads_exactly_as_a_missing_one(
    clinic: Clinic,  # noqa: F811
    route: str,
    caller: str,
) -> None:
    hidden = _send(clinic, route, caller, patient=A)
    missing = call(
        clinic.app,
        ROUTES[route][0],
        ROUTES[route][1].format(A="Z-0000", course=clinic.courses[A]),
        headers=clinic.headers(caller),
        **({"json": b} if (b := ROUTES[route][2](caller, clinic)) is not None else {}),
    )
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text.replace(A, "ID") == missing.text.replace("Z-0000", "ID")


def test_nothing_of_a_in_any_answer_to_patient_b(clinic: Clinic) -> None:  # noqa: F811
    """Every route patient B may call, on B's own record: no trace of A."""
    for route, (_, path, _, _) in ROUTES.items():
        answer = _send(clinic, route, "patient-b", patient=B)
        if "{A}" in path:
            assert answer.status_code < 400 or answer.status_code == 403, (route, answer.text)
        assert A.encode() not in answer.content, route
    listing = call(clinic.app, "GET", "/api/v1/patients", headers=clinic.headers("patient-b"))
    assert [p["patient_id"] for p in listing.json()["patients"]] == [B]
    assert listing.json()["total_patients"] == 1


def test_a_clinician_sees_only_their_care_team(clinic: Clinic) -> None:  # noqa: F811
    listing = call(clinic.app, "GET", "/api/v1/patients", headers=clinic.headers("clin-a"))
    ids = [p["patient_id"] for p in listing.json()["patients"]]
    assert B not in ids and A in ids
    assert B.encode() not in listing.content
