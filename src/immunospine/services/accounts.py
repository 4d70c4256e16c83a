"""Accounts: users with Argon2id password hashes, roles, care teams, and signing in.

Roles (web-contract.md): a ``patient`` user is linked to exactly one patient record, a
``clinician`` sees the patients of their care team, an ``admin`` manages users and reads the
audit log. Passwords are at least 12 characters, hashed with Argon2id (argon2-cffi; cost from
``Settings.argon2_*``, and a stored hash is renewed at the next sign-in when the cost changes);
no message ever contains one.

``authenticate`` answers an unknown username and a wrong password with the same
``Unauthorized`` message, after the same amount of work (an unknown user is checked against a
dummy hash). Every attempt is kept in ``login_attempts`` (shared by all server processes) and
in the audit log (action ``login``, never the password). Rate limiting, per username and per
network address, counts the failures within ``login_window_seconds`` since that key's last
success: from ``login_slow_after_failures`` on, each attempt first waits
``login_slow_delay_ms``; at ``login_max_failures_per_username`` (or ``…_per_address``) attempts
are refused with ``RateLimited`` (HTTP 429) until the oldest failure leaves the window, and a
refused attempt does not check the password.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, cast

from immunospine.errors import (
    Conflict,
    FieldProblem,
    InputError,
    MissingExtraError,
    NotFound,
    RateLimited,
    Unauthorized,
)
from immunospine.services.record import audit, audit_entry, check_actor
from immunospine.settings import Settings, load_settings
from immunospine.storage.uow import Database

if TYPE_CHECKING:  # pragma: no cover
    from argon2 import PasswordHasher

    from immunospine.storage.accounts import StoredUser

__all__ = [
    "MIN_PASSWORD_CHARS",
    "ROLES",
    "SIGN_IN_FAILED",
    "Principal",
    "Role",
    "UserSummary",
    "add_user",
    "assign",
    "authenticate",
    "check_password",
    "list_users",
    "principal_of",
    "set_disabled",
]

Role = Literal["patient", "clinician", "admin"]
ROLES: tuple[Role, ...] = ("patient", "clinician", "admin")
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024
USERNAME = re.compile(r"[a-z0-9._-]{3,64}")
USERNAME_RULE = 'must be 3–64 characters, each a–z, 0–9, ".", "_" or "-"'
SIGN_IN_FAILED = "wrong username or password"
"""The one message for an unknown user, a wrong password and a disabled account."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is acting, as the faces pass it to the services: a signed-in user."""

    username: str
    role: Role
    patient_id: str | None = None


@dataclass(frozen=True, slots=True)
class UserSummary:
    """A user as listed (never the hash); ``care_team``: a clinician's patients."""

    username: str
    role: Role
    patient_id: str | None
    created_at: datetime
    disabled: bool
    care_team: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "role": self.role,
            "patient_id": self.patient_id,
            "created_at": self.created_at.isoformat(),
            "disabled": self.disabled,
            "care_team": list(self.care_team),
        }


def _summary(user: StoredUser, care_team: tuple[str, ...] = ()) -> UserSummary:
    role = cast(Role, user.role)
    return UserSummary(
        user.username, role, user.patient_id, user.created_at, user.disabled, care_team
    )


# --- passwords ---------------------------------------------------------------------------


@cache
def _hasher_for(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    try:
        from argon2 import PasswordHasher, Type
    except ImportError:  # pragma: no cover - the api extra is installed in development
        raise MissingExtraError("api", feature="accounts (password hashing)") from None
    return PasswordHasher(
        time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID
    )


def _hasher(settings: Settings) -> PasswordHasher:
    return _hasher_for(
        settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism
    )


@cache
def _dummy_hash(time_cost: int, memory_kib: int, parallelism: int) -> str:
    """A hash of no one's password: an unknown user costs the same verification."""
    return _hasher_for(time_cost, memory_kib, parallelism).hash("no such user; timing only")


def _verify(settings: Settings, password_hash: str | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher(settings)
    if password_hash is None:
        password_hash = _dummy_hash(
            settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism
        )
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password(password: str) -> str:
    """``password`` if long enough; the error names the field, never the value."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_CHARS:
        raise InputError.single(
            ("password",),
            f"must be at least {MIN_PASSWORD_CHARS} characters",
            code="too_short",
            has_value=False,
        )
    if len(password) > MAX_PASSWORD_CHARS:
        raise InputError.single(
            ("password",),
            f"must be at most {MAX_PASSWORD_CHARS} characters",
            code="too_long",
            has_value=False,
        )
    return password


def _check_username(username: str) -> str:
    if not isinstance(username, str) or not USERNAME.fullmatch(username):
        raise InputError.single(("username",), USERNAME_RULE, username, code="invalid_username")
    return username


def _check_role(role: str, patient_id: str | None) -> Role:
    if role not in ROLES:
        raise InputError.single(("role",), f"must be one of: {', '.join(ROLES)}", role)
    if role == "patient" and not patient_id:
        raise InputError.single(
            ("patient_id",),
            "is required for a patient user (the one patient record they may see)",
            code="missing",
            has_value=False,
        )
    if role != "patient" and patient_id is not None:
        raise InputError.single(
            ("patient_id",),
            f"is only for a patient user; a {role} is not linked to a patient record",
            patient_id,
        )
    return role


# --- managing users ----------------------------------------------------------------------


def add_user(
    db: Database,
    username: str,
    password: str,
    role: str,
    patient_id: str | None = None,
    *,
    actor: str,
    settings: Settings | None = None,
) -> UserSummary:
    """Create a user; ``Conflict`` if the username is taken.

    A patient user names an existing patient record (``patient_id``); other roles name none.
    """
    check_actor(actor)
    _check_username(username)
    checked_role = _check_role(role, patient_id)
    password_hash = _hasher(settings or load_settings()).hash(check_password(password))
    now = datetime.now(UTC)
    with db.transaction() as uow:
        if uow.users.get(username) is not None:
            raise Conflict(
                (FieldProblem(("username",), "is taken", "conflict", username, True),), "user"
            )
        if patient_id is not None and not uow.patients.birth_years([patient_id]):
            raise InputError.single(
                ("patient_id",), "is not a patient in this database", patient_id, code="unknown"
            )
        uow.users.add(
            username=username,
            password_hash=password_hash,
            role=checked_role,
            patient_id=patient_id,
            created_at=now,
        )
        audit(uow, actor, "create", patient_id, "user", None, f"{username} ({checked_role})")
    return UserSummary(username, checked_role, patient_id, now, disabled=False)


def assign(db: Database, clinician_username: str, patient_id: str, *, actor: str) -> bool:
    """Put ``patient_id`` in the care team of a clinician; ``False`` if it already was."""
    check_actor(actor)
    with db.transaction() as uow:
        user = uow.users.get(clinician_username)
        if user is None:
            raise NotFound(f"user {clinician_username!r} not found")
        if user.role != "clinician":
            raise InputError.single(
                ("clinician_username",),
                f"is a {user.role} user; only clinicians have a care team",
                clinician_username,
                code="not_clinician",
            )
        if not uow.patients.birth_years([patient_id]):
            raise NotFound(f"patient {patient_id!r} not found")
        if uow.care_team.has(user.id, patient_id):
            return False
        uow.care_team.add(user.id, patient_id, datetime.now(UTC))
        audit(uow, actor, "create", patient_id, "care_team", None, f"clinician {user.username}")
    return True


def list_users(db: Database, *, actor: str) -> list[UserSummary]:
    """Every user by username, each clinician with their care team (audited read)."""
    check_actor(actor)
    with db.transaction() as uow:
        users = uow.users.all()
        teams = uow.care_team.teams()
        audit(uow, actor, "read", None, "users")
    return [_summary(u, tuple(teams.get(u.id, ()))) for u in users]


def set_disabled(db: Database, username: str, disabled: bool, *, actor: str) -> None:
    """Disable (or re-enable) a user: a disabled user cannot sign in and their tokens stop."""
    check_actor(actor)
    with db.transaction() as uow:
        user = uow.users.get(username)
        if user is None:
            raise NotFound(f"user {username!r} not found")
        uow.users.set_disabled(user.id, disabled)
        state = "disabled" if disabled else "enabled"
        audit(uow, actor, "update", user.patient_id, "user", None, f"{username} {state}")


def principal_of(db: Database, username: str) -> Principal:
    """The current ``Principal`` of ``username``; ``Unauthorized`` if gone or disabled."""
    with db.transaction() as uow:
        user = uow.users.get(username)
    if user is None or user.disabled:
        raise Unauthorized("the sign-in is no longer valid; sign in again")
    return Principal(user.username, cast(Role, user.role), user.patient_id)


# --- signing in --------------------------------------------------------------------------


def authenticate(
    db: Database,
    username: str,
    password: str,
    address: str,
    *,
    settings: Settings | None = None,
) -> Principal:
    """The ``Principal`` of a correct username and password (``address``: the client's).

    ``Unauthorized`` with ``SIGN_IN_FAILED`` for an unknown user, a wrong password or a
    disabled account alike; ``RateLimited`` after too many recent failures (module docstring).
    """
    s = settings or load_settings()
    name = username if isinstance(username, str) else ""
    where = (address or "unknown")[:64]
    now = datetime.now(UTC)
    with db.transaction() as uow:
        since = now - timedelta(seconds=s.login_window_seconds)
        by_name = uow.login_attempts.recent_failures("username", name, since)
        by_address = uow.login_attempts.recent_failures("address", where, since)
        user = uow.users.get(name)
    wait = _refusal_wait(s, now, by_name, by_address)
    if wait is not None:
        _record(db, name, where, now, outcome="refused: too many failed sign-ins")
        raise RateLimited(
            f"too many failed sign-ins; try again in {wait} seconds", retry_after_seconds=wait
        )
    if max(len(by_name), len(by_address)) >= s.login_slow_after_failures:
        time.sleep(s.login_slow_delay_ms / 1000)
    usable = user is not None and not user.disabled
    ok = _verify(s, user.password_hash if usable and user else None, password or "") and usable
    _record(db, name, where, now, outcome="succeeded" if ok else "failed", succeeded=ok)
    if not ok or user is None:
        raise Unauthorized(SIGN_IN_FAILED)
    if _hasher(s).check_needs_rehash(user.password_hash):
        new_hash = _hasher(s).hash(password)
        with db.transaction() as uow:
            uow.users.set_hash(user.id, new_hash)
    return Principal(user.username, cast(Role, user.role), user.patient_id)


def _refusal_wait(
    s: Settings, now: datetime, by_name: list[datetime], by_address: list[datetime]
) -> int | None:
    """Seconds until an attempt is allowed again, or ``None`` if it is allowed now."""
    waits = []
    for failures, limit in (
        (by_name, s.login_max_failures_per_username),
        (by_address, s.login_max_failures_per_address),
    ):
        if len(failures) >= limit:
            frees_at = failures[len(failures) - limit] + timedelta(seconds=s.login_window_seconds)
            waits.append(max(1, math.ceil((frees_at - now).total_seconds())))
    return max(waits) if waits else None


def _record(
    db: Database, name: str, address: str, at: datetime, *, outcome: str, succeeded: bool = False
) -> None:
    """The attempt in ``login_attempts`` (unless refused) and in the audit log."""
    actor = name[:128] if name.strip() else "(no username)"
    with db.transaction() as uow:
        if not outcome.startswith("refused"):
            uow.login_attempts.add(username=name, address=address, at=at, succeeded=succeeded)
        entry = audit_entry(actor, "login", None, "sign_in", None, f"{outcome} from {address}")
        uow.audit.append([entry])
