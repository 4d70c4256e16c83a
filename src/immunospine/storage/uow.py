"""``Database`` and its unit of work: one transaction per write, nothing half-written.

    db = Database.connect("sqlite:///clinic.db")
    with db.transaction() as uow:           # BEGIN … COMMIT, or ROLLBACK on any exception
        uow.records.add(entry)
        uow.audit.append(...)

Driver errors become ``StorageError`` (the message keeps the driver's text, not the SQL values).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from immunospine.errors import StorageError
from immunospine.storage.accounts import CareTeamRepo, LoginAttemptRepo, UserRepo, WebSessionRepo
from immunospine.storage.engine import DEFAULT_BUSY_TIMEOUT_MS, make_engine
from immunospine.storage.repositories import AuditRepo, ClinicQueries, PatientRepo, RecordRepo

__all__ = ["Database", "UnitOfWork"]


class UnitOfWork:
    """The repositories of one open transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.patients = PatientRepo(session)
        self.records = RecordRepo(session)
        self.audit = AuditRepo(session)
        self.clinic = ClinicQueries(session)
        self.users = UserRepo(session)
        self.care_team = CareTeamRepo(session)
        self.login_attempts = LoginAttemptRepo(session)
        self.web_sessions = WebSessionRepo(session)


class Database:
    """An engine plus a session factory; the one entry point to the patient database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # SQLite takes its write lock at BEGIN (IMMEDIATE) and a connection that finds it taken
        # sleeps in SQLite's busy handler (1, 2, 5 … 100 ms steps), so threads of one process
        # (the API's thread pool) would queue by sleeping. They queue on this lock instead and
        # start the moment it is free; other processes still meet the busy timeout.
        self._one_at_a_time: AbstractContextManager[object] = (
            threading.RLock() if engine.dialect.name == "sqlite" else nullcontext()
        )

    @classmethod
    def connect(cls, url: str, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Database:
        return cls(make_engine(url, busy_timeout_ms=busy_timeout_ms))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        try:
            with self._one_at_a_time, self._sessions() as session, session.begin():
                yield UnitOfWork(session)
        except SQLAlchemyError as exc:
            orig = getattr(exc, "orig", None)
            detail = str(orig) if orig is not None else str(exc)
            raise StorageError(
                f"the patient database refused the operation: {detail.splitlines()[0]}"
            ) from exc

    def dispose(self) -> None:
        self.engine.dispose()
