"""API tokens: round trip, expiry, tampering, the key file (0600, made once) and the user check."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest

from immunospine.errors import InputError, Unauthorized
from immunospine.services import accounts, tokens
from immunospine.settings import Settings
from immunospine.storage.uow import Database
from tests.accounts.fixtures import clinic, fast_settings, settings  # noqa: F401
from tests.storage.dbfixtures import db, db_url  # noqa: F401

A = accounts.Principal("patient-a", "patient", "A")


def test_round_trip(clinic: Database, settings: Settings) -> None:  # noqa: F811
    token, expires_in = tokens.issue_token(A, settings)
    assert expires_in == settings.token_lifetime_seconds == 3600
    assert tokens.verify_token(clinic, token, settings) == A


def test_expired_token_is_refused(clinic: Database, settings: Settings) -> None:  # noqa: F811
    past = datetime.now(UTC) - timedelta(hours=2)
    claims = {
        "iss": "immunospine",
        "sub": "patient-a",
        "iat": past,
        "exp": past + timedelta(hours=1),
    }
    token = jwt.encode(claims, tokens.signing_key(settings), algorithm="HS256")
    with pytest.raises(Unauthorized, match="expired"):
        tokens.verify_token(clinic, token, settings)


def test_tampered_or_foreign_tokens_are_refused(clinic: Database, settings: Settings) -> None:  # noqa: F811
    token, _ = tokens.issue_token(A, settings)
    head, body, sig = token.split(".")
    forged_body = jwt.utils.base64url_encode(
        jwt.utils.base64url_decode(body).replace(b"patient-a", b"patient-b")
    ).decode()
    other_key = "x" * 40
    forged = [
        f"{head}.{forged_body}.{sig}",  # changed claims, old signature
        f"{head}.{body}.{sig[:-2]}AA",  # changed signature
        jwt.encode(
            {
                "iss": "immunospine",
                "sub": "admin",
                "iat": datetime.now(UTC),
                "exp": datetime.now(UTC) + timedelta(hours=1),
            },
            other_key,
            algorithm="HS256",
        ),
        jwt.encode({"sub": "admin"}, tokens.signing_key(settings), algorithm="HS256"),  # no exp
        "not a token",
        "",
    ]
    for bad in forged:
        with pytest.raises(Unauthorized):
            tokens.verify_token(clinic, bad, settings)
    # "alg": "none" is never accepted.
    unsigned = jwt.encode(
        {
            "iss": "immunospine",
            "sub": "admin",
            "iat": datetime.now(UTC),
            "exp": datetime.now(UTC) + timedelta(hours=1),
        },
        None,
        algorithm="none",
    )
    with pytest.raises(Unauthorized):
        tokens.verify_token(clinic, unsigned, settings)


def test_disabled_or_unknown_user_token_stops_working(clinic: Database, settings: Settings) -> None:  # noqa: F811
    token, _ = tokens.issue_token(accounts.Principal("clin-a", "clinician"), settings)
    assert tokens.verify_token(clinic, token, settings).role == "clinician"
    accounts.set_disabled(clinic, "clin-a", True, actor="t")
    with pytest.raises(Unauthorized):
        tokens.verify_token(clinic, token, settings)
    ghost, _ = tokens.issue_token(accounts.Principal("ghost", "admin"), settings)
    with pytest.raises(Unauthorized):
        tokens.verify_token(clinic, ghost, settings)


def test_key_file_is_created_once_with_0600(tmp_path: Path) -> None:
    s = fast_settings(tmp_path)
    path = s.resolved_key_file()
    assert not path.exists()
    key = tokens.signing_key(s)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(key) >= 32
    assert tokens.signing_key(s) == key == path.read_text().strip()
    assert [p.name for p in path.parent.iterdir()] == ["secret.key"]  # no temporary file left
    token, _ = tokens.issue_token(A, s)
    assert jwt.decode(token, key, algorithms=["HS256"])["sub"] == "patient-a"


def test_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    s = fast_settings(tmp_path)
    tokens.signing_key(s)
    s.resolved_key_file().chmod(0o644)
    with pytest.raises(InputError) as exc:
        tokens.signing_key(s)
    assert exc.value.problems[0].loc == ("IMMUNOSPINE_KEY_FILE",) and "0644" in str(exc.value)


def test_secret_key_setting_wins_and_no_file_is_made(tmp_path: Path) -> None:
    s = fast_settings(tmp_path, secret_key="k" * 32)
    assert tokens.signing_key(s) == "k" * 32
    assert not s.resolved_key_file().exists()
    with pytest.raises(ValueError, match="at least 32 characters"):
        fast_settings(tmp_path, secret_key="short")  # noqa: S106
