"""``POST /api/v1/auth/token`` and the bearer token on record routes (web-contract.md
"Authentication"), in-process over httpx on a SQLite clinic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from immunospine.services import accounts, database
from immunospine.services.audit import audit_trail
from tests.accounts.fixtures import PASSWORD
from tests.api.conftest import call
from tests.api.record_clinic import A, Clinic, close_clinic, open_clinic

SIGN_IN = "/api/v1/auth/token"


@pytest.fixture
def clinic(tmp_path: Path) -> Iterator[Clinic]:
    opened = open_clinic(
        f"sqlite:///{tmp_path / 'clinic.db'}", tmp_path, login_max_failures_per_username=3
    )
    yield opened
    close_clinic(opened)


def _sign_in(c: Clinic, username: str, password: str) -> httpx.Response:
    return call(c.app, "POST", SIGN_IN, data={"username": username, "password": password})


def test_a_token_for_the_right_password(clinic: Clinic) -> None:
    answer = _sign_in(clinic, "clin-a", PASSWORD)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer"  # noqa: S105 - the OAuth2 type
    assert body["expires_in"] == clinic.settings.token_lifetime_seconds
    assert answer.headers["cache-control"] == "no-store"
    me = call(
        clinic.app,
        "GET",
        f"/api/v1/patients/{A}",
        headers={"Authorization": f"Bearer {body['access_token']}"},
    )
    assert me.status_code == 200


def test_unknown_user_and_wrong_password_get_the_same_401(clinic: Clinic) -> None:
    wrong = _sign_in(clinic, "clin-a", "not the password at all")
    unknown = _sign_in(clinic, "nobody-here", PASSWORD)
    for answer in (wrong, unknown):
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"] == "Bearer"
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"] == {
        "type": "unauthorized",
        "message": accounts.SIGN_IN_FAILED,
        "problems": [],
    }
    assert PASSWORD not in wrong.text


def test_repeated_failures_are_refused_with_retry_after(clinic: Clinic) -> None:
    statuses = [_sign_in(clinic, "clin-a", "wrong password!").status_code for _ in range(3)]
    assert statuses == [401, 401, 401]
    refused = _sign_in(clinic, "clin-a", PASSWORD)  # even the right password, now
    assert refused.status_code == 429
    assert refused.json()["error"]["type"] == "rate_limited"
    assert int(refused.headers["retry-after"]) > 0


def test_a_missing_form_field_is_named(clinic: Clinic) -> None:
    answer = call(clinic.app, "POST", SIGN_IN, data={"username": "clin-a"})
    assert answer.status_code == 422
    assert [p["loc"] for p in answer.json()["error"]["problems"]] == [["body", "password"]]


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer not-a-token",
        "Basic Y2xpbi1hOnBhc3N3b3Jk",
        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.",
    ],
    ids=["missing", "garbage", "basic", "alg-none"],
)
def test_no_valid_token_is_401_in_the_envelope(clinic: Clinic, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    answer = call(clinic.app, "GET", "/api/v1/patients", headers=headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.json()["error"]["type"] == "unauthorized"


def test_a_tampered_token_is_refused(clinic: Clinic) -> None:
    head, claims, signature = clinic.tokens["patient-a"].split(".")
    forged = f"{head}.{claims}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    answer = call(
        clinic.app, "GET", "/api/v1/patients", headers={"Authorization": f"Bearer {forged}"}
    )
    assert answer.status_code == 401


def test_a_disabled_users_token_stops_at_once(clinic: Clinic) -> None:
    db = database.open_database(clinic.url, clinic.settings)
    try:
        accounts.set_disabled(db, "clin-a", True, actor="admin")
    finally:
        db.dispose()
    answer = call(clinic.app, "GET", "/api/v1/patients", headers=clinic.headers("clin-a"))
    assert answer.status_code == 401


def test_sign_ins_are_audited_without_the_password(clinic: Clinic) -> None:
    _sign_in(clinic, "clin-a", "a wrong password!")
    db = database.open_database(clinic.url, clinic.settings)
    try:
        entries = [e for e in audit_trail(db, actor="test") if e.action == "login"]
    finally:
        db.dispose()
    assert any(e.actor == "clin-a" and (e.detail or "").startswith("failed") for e in entries)
    assert all("a wrong password!" not in (e.detail or "") for e in entries)
