"""The programme routes: the plan (JSON, iCalendar), logging a session, today's list — each
authorised, validated like the command line and audited with the user. SQLite clinic."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from immunospine.services import database, plan
from tests.api.conftest import call
from tests.api.record_clinic import A, Clinic, close_clinic, open_clinic

TODAY = "2026-12-07"


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clinic]:
    tmp = tmp_path_factory.mktemp("plan-clinic")
    opened = open_clinic(f"sqlite:///{tmp / 'clinic.db'}", tmp)
    yield opened
    close_clinic(opened)


def _as(c: Clinic, caller: str, method: str, path: str, **kw: Any) -> Any:
    return call(c.app, method, path, headers=c.headers(caller), **kw)


def _problem(answer: Any) -> dict[str, Any]:
    body = answer.json()
    assert set(body) == {"error"}
    return dict(body["error"]["problems"][0])


def test_plan_for_the_clinician_and_the_patient(clinic: Clinic) -> None:
    for caller in ("clin-a", "patient-a"):
        answer = _as(clinic, caller, "GET", f"/api/v1/patients/{A}/plan?today={TODAY}")
        assert answer.status_code == 200, answer.text
        data = answer.json()
        assert (data["patient_id"], data["status"], data["diagnosis"]) == (A, "plan", "axspa")
        assert data["sessions"] and data["explanations"]
        assert data["not_a_diagnosis"].startswith("This supports a decision")


def test_the_answer_is_the_services(clinic: Clinic) -> None:
    query = f"today={TODAY}&week=2&minutes=200&prefer=cycling&prefer=mindfulness&fall_risk=true"
    answer = _as(clinic, "clin-a", "GET", f"/api/v1/patients/{A}/plan?{query}").json()
    db = database.open_database(clinic.url, clinic.settings)
    try:
        from datetime import date

        options = plan.Options(
            week=2, minutes_per_week=200, prefer=("cycling", "mindfulness"), fall_risk=True
        )
        direct = plan.plan_for(
            db, A, actor="t", today=date.fromisoformat(TODAY), options=options
        ).to_dict()
    finally:
        db.dispose()
    assert answer == direct


@pytest.mark.parametrize(
    ("caller", "status"),
    [("anonymous", 401), ("admin", 403), ("patient-b", 404), ("clin-none", 404)],
)
def test_refusals(clinic: Clinic, caller: str, status: int) -> None:
    for path in ("plan", "plan.ics", "today"):
        assert _as(clinic, caller, "GET", f"/api/v1/patients/{A}/{path}").status_code == status
    answer = _as(
        clinic,
        caller,
        "POST",
        f"/api/v1/patients/{A}/plan/sessions",
        json={"session": "swimming", "on": TODAY, "minutes": 30},
    )
    assert answer.status_code == status


def test_calendar(clinic: Clinic) -> None:
    answer = _as(clinic, "patient-a", "GET", f"/api/v1/patients/{A}/plan.ics?today={TODAY}")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    assert answer.content.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert max(len(line) for line in answer.content.split(b"\r\n")) <= 75
    assert A.encode() not in answer.content


def test_log_sessions_then_adherence_and_today(clinic: Clinic) -> None:
    done = _as(
        clinic,
        "patient-a",
        "POST",
        f"/api/v1/patients/{A}/plan/sessions",
        json={"session": "spinal_mobility", "on": TODAY, "minutes": 12},
    )
    assert done.status_code == 201, done.text
    assert (done.json()["activity"], done.json()["kind"]) == ("spinal_mobility", "exercise")
    missed = _as(
        clinic,
        "clin-a",
        "POST",
        f"/api/v1/patients/{A}/plan/sessions",
        json={"session": "relaxation", "on": TODAY, "missed": True, "reason": "visitors"},
    )
    assert missed.status_code == 201
    assert missed.json()["note"] == "missed: visitors"
    data = _as(clinic, "clin-a", "GET", f"/api/v1/patients/{A}/plan?today={TODAY}").json()
    assert data["adherence"]["missed_reasons"] == [{"reason": "visitors", "count": 1}]
    items = _as(clinic, "patient-a", "GET", f"/api/v1/patients/{A}/today?today={TODAY}").json()
    assert [i for i in items if i["id"] == "spinal_mobility" and i["done"]]
    assert {i["type"] for i in items} <= {"questionnaire", "session"}
    later = f"/api/v1/patients/{A}/today?today={TODAY}&start=2026-11-30&prefer=cycling"
    assert "cycling" in {i["id"] for i in _as(clinic, "clin-a", "GET", later).json()}
    bad = _as(clinic, "clin-a", "GET", f"/api/v1/patients/{A}/today?avoid=nap")
    assert bad.status_code == 422
    assert _problem(bad)["loc"] == ["query", "avoid", 0]


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"session": "yoga", "on": TODAY}, ["body", "session"]),
        ({"session": "relaxation", "on": TODAY, "missed": True}, ["body", "reason"]),
        ({"session": "relaxation", "on": TODAY, "minutes": 0}, ["body", "duration_min"]),
        ({"session": "relaxation", "on": "2099-01-01"}, ["body", "performed_on"]),
        ({"session": "relaxation", "on": TODAY, "colour": "red"}, ["body", "colour"]),
        ({"session": "relaxation"}, ["body", "on"]),
        ({"session": "relaxation", "on": TODAY, "minutes": "ten"}, ["body", "minutes"]),
    ],
)
def test_bad_session_bodies(clinic: Clinic, body: dict[str, Any], loc: list[str]) -> None:
    answer = _as(clinic, "patient-a", "POST", f"/api/v1/patients/{A}/plan/sessions", json=body)
    assert answer.status_code == 422, answer.text
    assert _problem(answer)["loc"] == loc


def test_a_body_that_is_not_an_object(clinic: Clinic) -> None:
    answer = call(
        clinic.app,
        "POST",
        f"/api/v1/patients/{A}/plan/sessions",
        content=b"[1]",
        headers={**clinic.headers("patient-a"), "content-type": "application/json"},
    )
    assert answer.status_code == 422
    assert _problem(answer)["loc"] == ["body"]


@pytest.mark.parametrize(
    ("query", "loc"),
    [
        ("prefer=yoga", ["query", "prefer", 0]),
        ("minutes=5", ["query", "minutes"]),
        ("week=0", ["query", "week"]),
        ("red_flag=ouch", ["query", "red_flag", 0]),
        ("today=0", ["query", "today"]),
    ],
)
def test_bad_query_parameters(clinic: Clinic, query: str, loc: list[Any]) -> None:
    answer = _as(clinic, "clin-a", "GET", f"/api/v1/patients/{A}/plan?{query}")
    assert answer.status_code == 422, answer.text
    assert _problem(answer)["loc"] == loc


def test_red_flag_gives_advice_not_a_plan(clinic: Clinic) -> None:
    answer = _as(
        clinic,
        "patient-a",
        "GET",
        f"/api/v1/patients/{A}/plan?red_flag=new_pain_after_fall&today={TODAY}",
    ).json()
    assert answer["status"] == "red_flag"
    assert answer["sessions"] == []
    assert "urgent care" in answer["red_flags"][0]["advice"]


def test_requests_are_audited_with_route_and_outcome(clinic: Clinic) -> None:
    _as(clinic, "clin-a", "GET", f"/api/v1/patients/{A}/plan.ics")
    _as(clinic, "patient-b", "GET", f"/api/v1/patients/{A}/today")
    log = _as(clinic, "admin", "GET", f"/api/v1/audit?patient_id={A}").json()
    seen = {(e["actor"], e["detail"]) for e in log if e["entity"] == "api_request"}
    assert ("clin-a", "GET /api/v1/patients/{patient_id}/plan.ics -> 200") in seen
    assert ("patient-b", "GET /api/v1/patients/{patient_id}/today -> 404") in seen
    assert ("clin-a", "plan") in {(e["actor"], e["entity"]) for e in log}


def test_documented_in_openapi(clinic: Clinic) -> None:
    doc = call(clinic.app, "GET", "/api/v1/openapi.json").json()
    for path in ("plan", "plan.ics", "plan/sessions", "today"):
        assert f"/api/v1/patients/{{patient_id}}/{path}" in doc["paths"]
    assert "SessionLog" in doc["components"]["schemas"]
