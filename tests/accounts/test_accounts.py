"""Accounts: Argon2id hashes, password and username rules, patient links, care teams, sign-in
with one message for unknown users and wrong passwords, rate limiting, audit without passwords."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from immunospine.errors import Conflict, InputError, NotFound, RateLimited, Unauthorized
from immunospine.services import accounts
from immunospine.services.audit import audit_trail
from immunospine.settings import Settings
from immunospine.storage.tables import UserRow
from immunospine.storage.uow import Database
from tests.accounts.fixtures import PASSWORD, clinic, fast_settings, settings  # noqa: F401
from tests.storage.dbfixtures import db, db_url  # noqa: F401


def _hash_of(db: Database, username: str) -> str:  # noqa: F811
    with db.engine.connect() as conn:
        return str(
            conn.execute(
                select(UserRow.password_hash).where(UserRow.username == username)
            ).scalar_one()
        )


def test_password_is_hashed_with_argon2id(clinic: Database) -> None:  # noqa: F811
    stored = _hash_of(clinic, "clin-a")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_short_password_is_refused_without_echo(db: Database, settings: Settings) -> None:  # noqa: F811
    with pytest.raises(InputError) as exc:
        accounts.add_user(db, "alice", "short pw 11", "admin", actor="t", settings=settings)
    assert exc.value.problems[0].loc == ("password",)
    assert "12 characters" in str(exc.value) and "short pw 11" not in str(exc.value)
    assert accounts.list_users(db, actor="t") == []


@pytest.mark.parametrize("name", ["Al", "ab", "alice smith", "x" * 65, "ÿves"])
def test_username_rules(db: Database, settings: Settings, name: str) -> None:  # noqa: F811
    with pytest.raises(InputError) as exc:
        accounts.add_user(db, name, PASSWORD, "admin", actor="t", settings=settings)
    assert exc.value.problems[0].loc == ("username",) and "3–64" in str(exc.value)


def test_duplicate_username_is_a_conflict(clinic: Database, settings: Settings) -> None:  # noqa: F811
    with pytest.raises(Conflict) as exc:
        accounts.add_user(clinic, "admin", PASSWORD, "admin", actor="t", settings=settings)
    assert exc.value.http_status == 409
    assert exc.value.problems[0].loc == ("username",) and '"admin"' in str(exc.value)


def test_patient_user_links_exactly_one_existing_patient(
    clinic: Database,  # noqa: F811
    settings: Settings,  # noqa: F811
) -> None:
    def add(role: str, pid: str | None) -> InputError:
        with pytest.raises(InputError) as exc:
            accounts.add_user(clinic, "newbie", PASSWORD, role, pid, actor="t", settings=settings)
        return exc.value

    assert add("patient", None).problems[0].loc == ("patient_id",)
    unknown = add("patient", "NOPE")
    assert unknown.problems[0].loc == ("patient_id",) and '"NOPE"' in str(unknown)
    assert "only for a patient" in str(add("clinician", "A"))
    assert add("nurse", None).problems[0].loc == ("role",)
    users = {u.username: u for u in accounts.list_users(clinic, actor="t")}
    assert users["patient-a"].patient_id == "A" and users["clin-a"].care_team == ("A",)
    assert "newbie" not in users
    # The database refuses an unlinked patient user as well (check constraint).
    with pytest.raises(IntegrityError), clinic.engine.begin() as conn:
        conn.execute(text("UPDATE users SET patient_id = NULL WHERE username = 'patient-a'"))


def test_assign_rules(clinic: Database) -> None:  # noqa: F811
    assert accounts.assign(clinic, "clin-a", "A", actor="t") is False  # already in the team
    assert accounts.assign(clinic, "clin-none", "B", actor="t") is True
    with pytest.raises(InputError, match="only clinicians"):
        accounts.assign(clinic, "patient-a", "B", actor="t")
    with pytest.raises(NotFound, match="ghost"):
        accounts.assign(clinic, "ghost", "B", actor="t")
    with pytest.raises(NotFound, match="'ZZ' not found"):
        accounts.assign(clinic, "clin-a", "ZZ", actor="t")


def test_authenticate_one_message_for_unknown_user_and_wrong_password(
    clinic: Database,  # noqa: F811
    settings: Settings,  # noqa: F811
) -> None:
    ok = accounts.authenticate(clinic, "patient-a", PASSWORD, "10.0.0.1", settings=settings)
    assert ok == accounts.Principal("patient-a", "patient", "A")
    messages = set()
    for name, password in [("patient-a", "wrong password!!"), ("nobody", PASSWORD)]:
        with pytest.raises(Unauthorized) as exc:
            accounts.authenticate(clinic, name, password, "10.0.0.1", settings=settings)
        messages.add(str(exc.value))
    accounts.set_disabled(clinic, "clin-a", True, actor="t")
    with pytest.raises(Unauthorized) as exc:
        accounts.authenticate(clinic, "clin-a", PASSWORD, "10.0.0.1", settings=settings)
    messages.add(str(exc.value))
    assert messages == {accounts.SIGN_IN_FAILED}


def test_failed_login_is_audited_without_the_password(
    clinic: Database,  # noqa: F811
    settings: Settings,  # noqa: F811
) -> None:
    secret = "my-secret-guess-123"  # noqa: S105 - a test guess
    with pytest.raises(Unauthorized):
        accounts.authenticate(clinic, "patient-b", secret, "192.0.2.7", settings=settings)
    logins = [e for e in audit_trail(clinic, actor="t") if e.action == "login"]
    assert [(e.actor, e.detail) for e in logins] == [("patient-b", "failed from 192.0.2.7")]
    with clinic.engine.connect() as conn:
        dump = " ".join(
            str(row)
            for table in ("audit_log", "login_attempts", "users")
            for row in conn.execute(text(f"SELECT * FROM {table}"))  # noqa: S608
        )
    assert secret not in dump and PASSWORD not in dump


def test_rate_limit_per_username_slows_then_refuses(
    clinic: Database,  # noqa: F811
    tmp_path: Path,
) -> None:
    s = fast_settings(
        tmp_path,
        login_slow_after_failures=2,
        login_slow_delay_ms=50,
        login_max_failures_per_username=3,
        login_window_seconds=600,
    )
    for i in range(3):  # three failures from three addresses
        with pytest.raises(Unauthorized):
            accounts.authenticate(clinic, "clin-a", "wrong password!!", f"10.0.0.{i}", settings=s)
    with pytest.raises(RateLimited) as exc:  # even the right password is refused now
        accounts.authenticate(clinic, "clin-a", PASSWORD, "10.0.0.9", settings=s)
    assert exc.value.http_status == 429 and 1 <= exc.value.retry_after_seconds <= 600
    # Another user from the same address is not affected; nor is this user with a higher limit.
    accounts.authenticate(clinic, "clin-none", PASSWORD, "10.0.0.9", settings=s)
    relaxed = fast_settings(tmp_path, login_max_failures_per_username=4)
    assert accounts.authenticate(clinic, "clin-a", PASSWORD, "10.0.0.9", settings=relaxed)


def test_slowed_attempt_waits(clinic: Database, tmp_path: Path) -> None:  # noqa: F811
    import time

    s = fast_settings(tmp_path, login_slow_after_failures=1, login_slow_delay_ms=300)
    with pytest.raises(Unauthorized):
        accounts.authenticate(clinic, "admin", "wrong password!!", "10.1.1.1", settings=s)
    started = time.monotonic()
    accounts.authenticate(clinic, "admin", PASSWORD, "10.1.1.2", settings=s)
    assert time.monotonic() - started >= 0.3
    # A success clears the username's count: the next attempt is not slowed.
    started = time.monotonic()
    accounts.authenticate(clinic, "admin", PASSWORD, "10.1.1.3", settings=s)
    assert time.monotonic() - started < 0.3


def test_rate_limit_per_address(clinic: Database, tmp_path: Path) -> None:  # noqa: F811
    s = fast_settings(tmp_path, login_max_failures_per_address=2)
    for name in ("ghost-1", "ghost-2"):
        with pytest.raises(Unauthorized):
            accounts.authenticate(clinic, name, PASSWORD, "203.0.113.5", settings=s)
    with pytest.raises(RateLimited):
        accounts.authenticate(clinic, "admin", PASSWORD, "203.0.113.5", settings=s)
    accounts.authenticate(clinic, "admin", PASSWORD, "203.0.113.6", settings=s)
    refused = [e for e in audit_trail(clinic, actor="t") if (e.detail or "").startswith("refused")]
    assert len(refused) == 1


def test_hash_is_renewed_when_the_cost_changes(
    clinic: Database,  # noqa: F811
    tmp_path: Path,
) -> None:
    before = _hash_of(clinic, "clin-none")
    stronger = fast_settings(tmp_path, argon2_time_cost=2)
    accounts.authenticate(clinic, "clin-none", PASSWORD, "10.0.0.1", settings=stronger)
    after = _hash_of(clinic, "clin-none")
    assert after != before and "t=2" in after and "t=1" in before
    accounts.authenticate(clinic, "clin-none", PASSWORD, "10.0.0.1", settings=stronger)
    assert _hash_of(clinic, "clin-none") == after
