"""The demo web site of ``make run``: demo users on a seeded clinic, and their logins.

Three users are made on a seeded demo clinic: an admin, a clinician whose care team holds every
patient, and a patient user linked to the first patient off target (so their home has something
to show). Passwords are random unless given (the browser tests give their own), are printed once
by the face, and exist only in this synthetic database.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from immunospine.services import accounts, tracking
from immunospine.settings import Settings
from immunospine.storage.uow import Database

__all__ = ["DEMO_USERNAMES", "DemoLogin", "DemoSite", "create_demo_users", "prepare_site"]

DEMO_USERNAMES: Mapping[str, str] = {
    "admin": "demo-admin",
    "clinician": "demo-clinician",
    "patient": "demo-patient",
}
ACTOR = "demo-site"


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """One demo user: what to type on ``/login``, and what they see."""

    role: str
    username: str
    password: str
    patient_id: str | None = None


def _patient_for_demo(db: Database) -> str:
    """The first patient off target on ASDAS (else on any target, else the first patient): the
    demo patient's record, so their pages and the clinician's have something to show."""
    statuses = tracking.off_target(db, actor=ACTOR)
    off = [s.patient_id for s in statuses if s.status == "off_target"]
    on_asdas = [
        s.patient_id
        for s in statuses
        if s.status == "off_target" and (s.calculator or "").startswith("asdas")
    ]
    off = on_asdas + off
    if off:
        return off[0]
    with db.transaction() as uow:
        ids = uow.patients.ids()
    if not ids:
        from immunospine.errors import InputError

        raise InputError.single(("patients",), "the database holds no patient to link", 0)
    return str(ids[0])


def create_demo_users(
    db: Database,
    *,
    settings: Settings | None = None,
    passwords: Mapping[str, str] | None = None,
) -> list[DemoLogin]:
    """Create the demo admin, clinician (every patient in the care team) and patient."""
    chosen = dict(passwords or {})
    patient_id = _patient_for_demo(db)
    logins = []
    for role, username in DEMO_USERNAMES.items():
        password = chosen.get(role) or secrets.token_urlsafe(12)
        accounts.add_user(
            db,
            username,
            password,
            role,
            patient_id=patient_id if role == "patient" else None,
            actor=ACTOR,
            settings=settings,
        )
        logins.append(
            DemoLogin(role, username, password, patient_id if role == "patient" else None)
        )
    with db.transaction() as uow:
        every = uow.patients.ids()
    for pid in every:
        accounts.assign(db, DEMO_USERNAMES["clinician"], pid, actor=ACTOR)
    return logins


@dataclass(frozen=True, slots=True)
class DemoSite:
    """A ready demo web site: its database and the demo logins."""

    database_url: str
    patients: int
    logins: tuple[DemoLogin, ...]


def prepare_site(
    path: Path,
    *,
    patients: int = 40,
    seed: int = 2026,
    settings: Settings | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> DemoSite:
    """A fresh SQLite demo clinic at ``path`` whose records run up to today, with demo users.

    An earlier file at ``path`` is replaced (it holds only synthetic data the demo made).
    """
    from immunospine.services import database, demo_clinic

    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{path}"
    today = datetime.now().astimezone().date()
    with database.opened(url, settings, create=True) as db:
        database.upgrade(db)
        demo_clinic.seed_clinic(db, patients, seed, actor=ACTOR, end=today, on_progress=on_progress)
        logins = create_demo_users(db, settings=settings)
    return DemoSite(url, patients, tuple(logins))
