"""Browser sessions of the web pages (web-contract.md "Authentication"): start, look up, end.

A session is a random 256-bit token in an HttpOnly, SameSite=Lax cookie; the database keeps only
its SHA-256, the user, a per-session CSRF token and the times. A session ends when its user signs
out (the row is deleted), after ``web_session_idle_seconds`` without a request, after
``web_session_max_seconds`` in all, or when the account is disabled. Starting a session removes
every expired one, so the table does not grow without bound.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from immunospine.services.accounts import Principal, Role
from immunospine.settings import Settings, load_settings
from immunospine.storage.accounts import StoredWebSession
from immunospine.storage.uow import Database

__all__ = ["WebSession", "csrf_matches", "end_session", "session_of", "start_session"]

TOUCH_AFTER = timedelta(seconds=60)
"""A session's last-seen time is written at most this often (reads stay reads)."""


@dataclass(frozen=True, slots=True)
class WebSession:
    """A live session: who is signed in, and the CSRF token their forms must carry."""

    principal: Principal
    csrf_token: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def start_session(
    db: Database, principal: Principal, *, settings: Settings | None = None
) -> tuple[str, WebSession]:
    """A new session for ``principal`` (already authenticated): the cookie's token, the session."""
    s = settings or load_settings()
    now = datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    with db.transaction() as uow:
        uow.web_sessions.remove_expired(now)
        uow.web_sessions.add(
            StoredWebSession(
                token_sha256=_hash(token),
                username=principal.username,
                csrf_token=csrf,
                created_at=now,
                last_seen_at=now,
                expires_at=now + timedelta(seconds=s.web_session_max_seconds),
            )
        )
    return token, WebSession(principal, csrf)


def session_of(
    db: Database, token: str | None, *, settings: Settings | None = None
) -> WebSession | None:
    """The live session of a cookie's token, or ``None`` (no cookie, unknown, expired, idle too
    long, or the account disabled or deleted: such a session is removed)."""
    if not token or len(token) > 128:
        return None
    s = settings or load_settings()
    now = datetime.now(UTC)
    key = _hash(token)
    with db.transaction() as uow:
        row = uow.web_sessions.get(key)
        if row is None:
            return None
        idle_until = row.last_seen_at + timedelta(seconds=s.web_session_idle_seconds)
        user = uow.users.get(row.username)
        if now >= row.expires_at or now >= idle_until or user is None or user.disabled:
            uow.web_sessions.remove(key)
            return None
        if now - row.last_seen_at >= TOUCH_AFTER:
            uow.web_sessions.touch(key, now)
        principal = Principal(user.username, cast(Role, user.role), user.patient_id)
    return WebSession(principal, row.csrf_token)


def end_session(db: Database, token: str | None) -> None:
    """Sign out: delete the session (nothing happens for an unknown token)."""
    if token and len(token) <= 128:
        with db.transaction() as uow:
            uow.web_sessions.remove(_hash(token))


def csrf_matches(expected: str, given: str | None) -> bool:
    """Whether a form's CSRF token is the session's (compared in constant time)."""
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())
