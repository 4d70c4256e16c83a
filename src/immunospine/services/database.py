"""Opening and migrating the patient database (``immunospine db …``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from immunospine.settings import Settings, load_settings
from immunospine.storage import migrate
from immunospine.storage.uow import Database

__all__ = ["database_url", "downgrade", "open_database", "upgrade"]


def database_url(url: str | None = None, settings: Settings | None = None) -> str:
    """``url`` if given, else ``IMMUNOSPINE_DATABASE_URL``, else the SQLite file default."""
    return (settings or load_settings()).resolved_database_url(url)


def open_database(url: str | None = None, settings: Settings | None = None) -> Database:
    """A ``Database`` for ``url`` (see ``database_url``); it is not migrated here."""
    s = settings or load_settings()
    return Database.connect(database_url(url, s), busy_timeout_ms=s.sqlite_busy_timeout_ms)


@contextmanager
def opened(url: str | None = None, settings: Settings | None = None) -> Iterator[Database]:
    """``open_database`` for the length of a ``with`` block; the engine is disposed afterwards."""
    db = open_database(url, settings)
    try:
        yield db
    finally:
        db.dispose()


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


def downgrade(db: Database, revision: str = "base") -> None:
    """Migrate down to ``revision`` (``base``: drop everything). For tests and rollbacks."""
    migrate.downgrade(db.engine, revision)


def current_revision(db: Database) -> str | None:
    return migrate.current_revision(db.engine)
