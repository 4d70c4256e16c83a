"""Repositories of the accounts tables: users, care teams and login attempts.

Plain storage: no password rules and no hashing here (``services.accounts`` does that). Like the
record repositories they never commit; the ``UnitOfWork`` owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from immunospine.storage.tables import CareTeamRow, LoginAttemptRow, UserRow, WebSessionRow

__all__ = [
    "CareTeamRepo",
    "LoginAttemptRepo",
    "StoredUser",
    "StoredWebSession",
    "UserRepo",
    "WebSessionRepo",
]


@dataclass(frozen=True, slots=True)
class StoredUser:
    """One row of ``users`` (the hash included: only the accounts service reads it)."""

    id: int
    username: str
    password_hash: str
    role: str
    patient_id: str | None
    created_at: datetime
    disabled: bool


def _user(row: Any) -> StoredUser:
    return StoredUser(**dict(row))


class UserRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        *,
        username: str,
        password_hash: str,
        role: str,
        patient_id: str | None,
        created_at: datetime,
    ) -> int:
        """Insert a user; returns its id."""
        t = cast(Table, UserRow.__table__)
        values = {
            "username": username,
            "password_hash": password_hash,
            "role": role,
            "patient_id": patient_id,
            "created_at": created_at,
            "disabled": False,
        }
        return int(self.session.execute(insert(t).values(values).returning(t.c.id)).scalar_one())

    def get(self, username: str) -> StoredUser | None:
        t = UserRow.__table__
        row = self.session.execute(select(t).where(t.c.username == username)).mappings().first()
        return None if row is None else _user(row)

    def all(self) -> list[StoredUser]:
        t = UserRow.__table__
        return [_user(r) for r in self.session.execute(select(t).order_by(t.c.username)).mappings()]

    def set_hash(self, user_id: int, password_hash: str) -> None:
        self.session.execute(
            update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash)
        )

    def set_disabled(self, user_id: int, disabled: bool) -> None:
        self.session.execute(update(UserRow).where(UserRow.id == user_id).values(disabled=disabled))


class CareTeamRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, clinician_id: int, patient_id: str, added_at: datetime) -> None:
        self.session.execute(
            insert(CareTeamRow),
            [{"clinician_id": clinician_id, "patient_id": patient_id, "added_at": added_at}],
        )

    def has(self, clinician_id: int, patient_id: str) -> bool:
        stmt = select(CareTeamRow.id).where(
            CareTeamRow.clinician_id == clinician_id, CareTeamRow.patient_id == patient_id
        )
        return self.session.execute(stmt).first() is not None

    def patients_of(self, clinician_id: int) -> list[str]:
        stmt = (
            select(CareTeamRow.patient_id)
            .where(CareTeamRow.clinician_id == clinician_id)
            .order_by(CareTeamRow.patient_id)
        )
        return list(self.session.scalars(stmt))

    def teams(self) -> dict[int, list[str]]:
        """``{clinician user id: [patient ids]}`` for every care team."""
        out: dict[int, list[str]] = {}
        stmt = select(CareTeamRow.clinician_id, CareTeamRow.patient_id).order_by(
            CareTeamRow.clinician_id, CareTeamRow.patient_id
        )
        for clinician_id, patient_id in self.session.execute(stmt):
            out.setdefault(clinician_id, []).append(patient_id)
        return out


class LoginAttemptRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, *, username: str, address: str, at: datetime, succeeded: bool) -> None:
        self.session.execute(
            insert(LoginAttemptRow),
            [
                {
                    "username": username[:128],
                    "address": address[:64],
                    "at": at,
                    "succeeded": succeeded,
                }
            ],
        )

    def recent_failures(self, column: str, key: str, since: datetime) -> list[datetime]:
        """Times of failures for ``key`` in ``column`` (``username`` or ``address``) at or after
        ``since`` and after that key's last success, oldest first."""
        t = LoginAttemptRow.__table__
        col = t.c[column]
        key = key[:128] if column == "username" else key[:64]
        last_ok = self.session.execute(
            select(func.max(t.c.at)).where(col == key, t.c.succeeded.is_(True), t.c.at >= since)
        ).scalar_one()
        start = max(since, last_ok) if last_ok is not None else since
        stmt = (
            select(t.c.at)
            .where(col == key, t.c.succeeded.is_(False), t.c.at >= start)
            .order_by(t.c.at)
        )
        if last_ok is not None:
            stmt = stmt.where(t.c.at > last_ok)
        return list(self.session.scalars(stmt))


@dataclass(frozen=True, slots=True)
class StoredWebSession:
    """One row of ``web_sessions``."""

    token_sha256: str
    username: str
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime


class WebSessionRepo:
    """Browser sessions of the web pages, keyed by the SHA-256 of the cookie's token."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: StoredWebSession) -> None:
        values = {f: getattr(row, f) for f in StoredWebSession.__slots__}
        self.session.execute(insert(WebSessionRow), [values])

    def get(self, token_sha256: str) -> StoredWebSession | None:
        t = WebSessionRow.__table__
        found = (
            self.session.execute(select(t).where(t.c.token_sha256 == token_sha256))
            .mappings()
            .first()
        )
        return None if found is None else StoredWebSession(**dict(found))

    def touch(self, token_sha256: str, at: datetime) -> None:
        self.session.execute(
            update(WebSessionRow)
            .where(WebSessionRow.token_sha256 == token_sha256)
            .values(last_seen_at=at)
        )

    def remove(self, token_sha256: str) -> None:
        self.session.execute(
            delete(WebSessionRow).where(WebSessionRow.token_sha256 == token_sha256)
        )

    def remove_expired(self, now: datetime) -> int:
        """Delete sessions past their absolute expiry; how many were deleted."""
        done = self.session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at <= now))
        return int(getattr(done, "rowcount", 0) or 0)
