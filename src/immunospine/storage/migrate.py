"""Run the Alembic migrations of the patient database from code (``immunospine db upgrade``).

All pending revisions run in one transaction, so a failed upgrade leaves the previous schema.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import SQLAlchemyError

from immunospine.errors import StorageError

__all__ = [
    "all_revisions",
    "current_revision",
    "downgrade",
    "head_revision",
    "pending_revisions",
    "tables_dropped_by_downgrade",
    "upgrade",
]

MIGRATIONS = Path(__file__).with_name("migrations")


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:  # pragma: no cover - the package ships revisions
        raise StorageError("no migrations found")
    return head


def all_revisions() -> list[str]:
    """Every revision this version ships, oldest first."""
    script = ScriptDirectory.from_config(_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (``None`` for an empty database)."""
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot read the schema version: {exc}") from exc


def pending_revisions(engine: Engine) -> list[str]:
    """Revisions an ``upgrade`` to head would apply, oldest first."""
    script = ScriptDirectory.from_config(_config())
    current = current_revision(engine)
    revs = [r.revision for r in script.iterate_revisions(head_revision(), current)]
    return list(reversed(revs))


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate up to ``revision`` in one transaction."""
    _run(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Migrate down to ``revision`` (``base``: empty database) in one transaction."""
    _run(engine, "downgrade", revision)


def tables_dropped_by_downgrade(engine: Engine, revision: str) -> frozenset[str]:
    """The tables a downgrade to ``revision`` would drop, found by doing it and rolling back.

    Both SQLite and PostgreSQL run DDL inside a transaction, so the answer is exact for any
    revision (no list of tables per revision to keep in step) and nothing is changed.
    """
    cfg = _config()
    try:
        with engine.connect() as conn:
            trans = conn.begin()
            try:
                before = set(sa_inspect(conn).get_table_names())
                cfg.attributes["connection"] = conn
                command.downgrade(cfg, revision)
                after = set(sa_inspect(conn).get_table_names())
            finally:
                trans.rollback()
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot plan the downgrade to {revision}: {exc}") from exc
    return frozenset(before - after - {"alembic_version"})


def _run(engine: Engine, direction: str, revision: str) -> None:
    cfg = _config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            if direction == "upgrade":
                command.upgrade(cfg, revision)
            else:
                command.downgrade(cfg, revision)
    except SQLAlchemyError as exc:
        raise StorageError(f"database {direction} to {revision} failed: {exc}") from exc
