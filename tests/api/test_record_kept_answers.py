"""The timeline and the clinic list over HTTP with kept answers: a write is seen at once, each
request is audited once (in the read's own transaction), a failed one as before. SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from immunospine.services import record
from tests.api.conftest import call
from tests.api.record_clinic import A, Clinic, close_clinic, open_clinic

TIMELINE = f"/api/v1/patients/{A}/timeline"


@pytest.fixture
def clinic(tmp_path: Path) -> Iterator[Clinic]:
    opened = open_clinic(f"sqlite:///{tmp_path / 'clinic.db'}", tmp_path)
    yield opened
    close_clinic(opened)


def _as(c: Clinic, caller: str, method: str, path: str, **kw: Any) -> Any:
    return call(c.app, method, path, headers=c.headers(caller), **kw)


def _log(c: Clinic, query: str = "") -> list[dict[str, Any]]:
    answer = _as(c, "admin", "GET", f"/api/v1/audit{query}")
    assert answer.status_code == 200
    return list(answer.json())


def test_the_timeline_sees_a_write_at_once(clinic: Clinic) -> None:
    first = _as(clinic, "clin-a", "GET", TIMELINE)
    assert first.status_code == 200 and first.headers["content-type"] == "application/json"
    assert _as(clinic, "clin-a", "GET", TIMELINE).content == first.content
    diary = {"recorded_at": "2024-05-02T08:00:00+02:00", "pain_nrs": 3}
    assert _as(clinic, "patient-a", "POST", f"/api/v1/patients/{A}/diary", json=diary).is_success
    after = _as(clinic, "clin-a", "GET", TIMELINE).json()
    assert len(after["entries"]) == len(first.json()["entries"]) + 1
    assert after == record.timeline(clinic.app.state.database, A, actor="t").to_dict()
    stop = {"stopped_on": "2024-06-01", "stop_reason": "inefficacy"}
    course = clinic.courses[A]
    path = f"/api/v1/patients/{A}/medications/{course}"
    assert _as(clinic, "clin-a", "PATCH", path, json=stop).is_success
    stopped = _as(clinic, "clin-a", "GET", TIMELINE).json()
    courses = [e["record"] for e in stopped["entries"] if e["kind"] == "medication_course"]
    assert [c["stopped_on"] for c in courses if c["id"] == course] == ["2024-06-01"]


def test_each_request_is_audited_once_with_its_read(clinic: Clinic) -> None:
    for _ in range(2):
        assert _as(clinic, "clin-a", "GET", TIMELINE).status_code == 200
    assert _as(clinic, "clin-a", "GET", f"{TIMELINE}?kind=nonsense").status_code == 422
    assert _as(clinic, "clin-none", "GET", TIMELINE).status_code == 404
    log = [e for e in _log(clinic, f"?patient_id={A}") if e["actor"] in ("clin-a", "clin-none")]
    assert [(e["actor"], e["entity"], e["detail"]) for e in log] == [
        ("clin-a", "timeline", None),
        ("clin-a", "api_request", "GET /api/v1/patients/{patient_id}/timeline -> 200"),
        ("clin-a", "timeline", None),
        ("clin-a", "api_request", "GET /api/v1/patients/{patient_id}/timeline -> 200"),
        ("clin-a", "api_request", "GET /api/v1/patients/{patient_id}/timeline -> 422"),
        ("clin-none", "access", "refused: not visible"),
        ("clin-none", "api_request", "GET /api/v1/patients/{patient_id}/timeline -> 404"),
    ]


def test_the_list_is_audited_per_patient_on_every_request(clinic: Clinic) -> None:
    answers = [_as(clinic, "clin-a", "GET", "/api/v1/patients").json() for _ in range(2)]
    assert answers[0] == answers[1] and [p["patient_id"] for p in answers[0]["patients"]] == [A]
    log = [e for e in _log(clinic) if e["actor"] == "clin-a" and e["entity"] != "sign_in"]
    assert [(e["patient_id"], e["entity"], e["detail"]) for e in log] == [
        (A, "patient_list", None),
        (None, "api_request", "GET /api/v1/patients -> 200"),
    ] * 2
    assert _as(clinic, "patient-a", "GET", "/api/v1/patients?limit=0").status_code == 422
    refused = [e for e in _log(clinic) if e["actor"] == "patient-a" and e["entity"] != "sign_in"]
    assert [e["detail"] for e in refused] == ["GET /api/v1/patients -> 422"]
