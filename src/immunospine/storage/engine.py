"""``make_engine(url)``: one engine factory for SQLite (embedded default) and PostgreSQL.

SQLite connections get ``journal_mode=WAL`` (readers never block the writer),
``foreign_keys=ON``, ``synchronous=FULL`` (a committed entry survives a crash) and a busy
timeout, and every transaction starts with ``BEGIN IMMEDIATE``: each of our transactions writes
(reads write an audit entry), so taking the write lock up front lets a second writer wait for the
busy timeout instead of failing on a lock upgrade. PostgreSQL is the same code with a
``postgresql+psycopg://`` URL; pass ``options=-csearch_path=NAME`` in the URL to use a schema.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from immunospine.errors import InputError

__all__ = ["DEFAULT_BUSY_TIMEOUT_MS", "is_sqlite", "make_engine"]

DEFAULT_BUSY_TIMEOUT_MS = 30_000


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Engine:
    """An engine for ``url`` (``sqlite:///path`` or ``postgresql+psycopg://…``).

    The parent folder of a SQLite file is created when missing. Other schemes raise
    ``InputError`` on field ``database`` naming the URL's scheme (faces map it to their
    own option, e.g. ``--db``).
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError.single(
            ("database",), "is not a database URL", url, code="invalid_url"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": busy_timeout_ms / 1000})
        _configure_sqlite(engine, busy_timeout_ms, in_memory=database in ("", ":memory:"))
        return engine
    if backend == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True)
    raise InputError.single(
        ("database",),
        f"database {backend!r} is not supported; use a SQLite file path, sqlite:/// or "
        "postgresql+psycopg://",
        parsed.render_as_string(hide_password=True),
        code="unsupported_database",
    )


def _configure_sqlite(engine: Engine, busy_timeout_ms: int, *, in_memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        try:
            if not in_memory:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
