"""Opening, migrating and backing up the patient database (``immunospine db …``).

Every face opens the database with ``opened(url)``. By default it must already exist and be
migrated: a read on a mistyped path never creates an empty file, it says how to create the
database instead. Only creating or migrating (``upgrade``) passes ``create=True``.

A database is named by a URL (``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db``,
``postgresql+psycopg://…``) or simply by a file path (``clinic.db``, ``/tmp/x.db``), which means
that SQLite file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from immunospine.errors import InputError, StorageError
from immunospine.settings import Settings, load_settings, sqlite_file_of
from immunospine.storage import backup, migrate
from immunospine.storage.uow import Database

__all__ = [
    "DowngradePlan",
    "current_revision",
    "database_url",
    "downgrade",
    "head_revision",
    "open_database",
    "opened",
    "plan_downgrade",
    "shared_database",
    "upgrade",
]

BASE = "base"
"""The revision below the first one: an empty database."""


def database_url(url: str | None = None, settings: Settings | None = None) -> str:
    """``url`` if given, else ``IMMUNOSPINE_DATABASE_URL``, else the SQLite file default.

    A plain file path becomes the ``sqlite:///`` URL of that file (made absolute).
    """
    return (settings or load_settings()).resolved_database_url(url)


def open_database(
    url: str | None = None, settings: Settings | None = None, *, create: bool = True
) -> Database:
    """A ``Database`` for ``url`` (see ``database_url``); it is not migrated here.

    The low-level door (tests, scripts): it creates a missing SQLite file unless
    ``create=False``. Faces use ``opened``, which refuses a missing database by default.
    """
    s = settings or load_settings()
    resolved = database_url(url, s)
    if not create:
        _require_existing_file(resolved)
    return Database.connect(resolved, busy_timeout_ms=s.sqlite_busy_timeout_ms)


@contextmanager
def opened(
    url: str | None = None,
    settings: Settings | None = None,
    *,
    create: bool = False,
    require_current: bool | None = None,
) -> Iterator[Database]:
    """The database for the length of a ``with`` block; the engine is disposed afterwards.

    ``create=False`` (the default): a SQLite file that does not exist is refused before anything
    is written (``StorageError`` saying to create it), and so is a database whose schema is not
    at this version's revision (``require_current``, default: ``not create``).
    """
    db = open_database(url, settings, create=create)
    try:
        if require_current if require_current is not None else not create:
            _require_current_schema(db, database_url(url, settings))
        yield db
    finally:
        db.dispose()


_shared_lock = threading.Lock()


def shared_database(state: Any) -> Database:
    """The database of a long-running server (the API and the pages): opened on first use from
    ``state.database_url`` and ``state.settings``, then kept on ``state`` and shared by every
    request (SQLAlchemy's pool). A missing or out-of-date database raises ``StorageError``
    naming the command to run, and the next call tries again."""
    db: Database | None = getattr(state, "database", None)
    if db is not None:
        return db
    with _shared_lock:
        db = getattr(state, "database", None)
        if db is None:
            with opened(state.database_url, state.settings):
                pass  # refuses a missing or out-of-date database
            db = open_database(state.database_url, state.settings, create=False)
            state.database = db
    return db


def _require_existing_file(url: str) -> None:
    path = sqlite_file_of(url)
    if path is None or path.exists():
        return
    raise StorageError(
        f"no patient database at {path}{_relative_hint(url, path)}; create it first with "
        "`immunospine db upgrade` (same --db)"
    )


def _relative_hint(url: str, path: Path) -> str:
    rest = url.split(":///", 1)[-1]
    if url.startswith("sqlite:///") and not rest.startswith("/"):
        return (
            f" (sqlite:///{rest} is relative to the current folder; for /{rest} write "
            f"sqlite:////{rest} or just the path /{rest})"
        )
    return ""


def _require_current_schema(db: Database, url: str) -> None:
    current, head = migrate.current_revision(db.engine), migrate.head_revision()
    if current == head:
        return
    where = sqlite_file_of(url) or "this database"
    state = "has no patient tables" if current is None else f"is at revision {current}"
    raise StorageError(
        f"the patient database {where} {state}; this version needs revision {head}: run "
        "`immunospine db upgrade` (same --db)"
    )


def upgrade(
    db: Database,
    revision: str = "head",
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[str]:
    """Apply pending migrations in one transaction; returns the revisions applied."""
    pending = migrate.pending_revisions(db.engine) if revision == "head" else [revision]
    if on_progress:
        on_progress(0, len(pending))
    migrate.upgrade(db.engine, revision)
    if on_progress:
        on_progress(len(pending), len(pending))
    return pending


@dataclass(frozen=True, slots=True)
class DowngradePlan:
    """What a downgrade to ``target`` would do, checked before anything changes.

    ``rows``: rows per table now (audit log included); ``dropped``: the tables the downgrade
    would drop (found by running it in a transaction that is rolled back);
    ``drops_records``: one of them holds rows, so a backup is required.
    """

    current: str | None
    target: str
    rows: dict[str, int]
    dropped: frozenset[str] = frozenset()

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def lost_rows(self) -> dict[str, int]:
        """Rows in the tables the downgrade drops, per table."""
        return {t: n for t, n in self.rows.items() if t in self.dropped and n}

    @property
    def drops_records(self) -> bool:
        return bool(self.lost_rows)


def plan_downgrade(db: Database, target: str) -> DowngradePlan:
    """Check ``target`` (a known revision, or ``base``) against the database's state."""
    known = migrate.all_revisions()
    if target != BASE and target not in known:
        allowed = ", ".join([BASE, *known])
        raise InputError.single(
            ("revision",), f"is not a revision of this database; allowed: {allowed}", target
        )
    current = migrate.current_revision(db.engine)
    if current is None:
        raise StorageError("the database is already empty (no revision): nothing to downgrade")
    rows = backup.row_counts(db.engine)
    dropped = migrate.tables_dropped_by_downgrade(db.engine, target)
    return DowngradePlan(current, target, rows, dropped)


def downgrade(
    db: Database,
    revision: str,
    *,
    backup_to: Path | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> DowngradePlan:
    """Migrate down to ``revision``; going to ``base`` while rows exist needs ``backup_to``.

    The backup (a SQLite copy of every table, see ``storage.backup``) is written and checked
    first; only then are tables dropped. Returns the plan that was carried out.
    """
    plan = plan_downgrade(db, revision)
    if plan.drops_records and backup_to is None:
        raise InputError.single(
            ("backup",),
            f"is required: going to {plan.target} drops "
            f"{sum(plan.lost_rows.values())} rows ({_rows_text(plan.lost_rows)})"
            f"{', the audit log included' if 'audit_log' in plan.lost_rows else ''}; "
            "name a new file to copy every table to first",
            code="missing",
            has_value=False,
        )
    if backup_to is not None and plan.rows:
        backup.backup_to_sqlite(db.engine, backup_to, on_progress=on_progress)
    migrate.downgrade(db.engine, revision)
    return plan


def _rows_text(rows: dict[str, int]) -> str:
    return ", ".join(f"{n} {table}" for table, n in rows.items() if n)


def current_revision(db: Database) -> str | None:
    return migrate.current_revision(db.engine)


def head_revision() -> str:
    return migrate.head_revision()
