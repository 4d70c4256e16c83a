"""Database fixtures for the record tests: SQLite (a temp file) and PostgreSQL (own schema).

PostgreSQL comes from ``IMMUNOSPINE_TEST_POSTGRES_URL`` (default: the local trust-auth server)
and is skipped, with the reason, when it does not answer. Each test gets a freshly created,
uniquely named schema (``search_path`` set through the URL) that is dropped afterwards, so
pytest-xdist workers never collide.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from immunospine.services import database
from immunospine.storage.uow import Database

PG_URL = os.environ.get(
    "IMMUNOSPINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@cache
def postgres_unavailable() -> str | None:
    """Why PostgreSQL cannot be used, or ``None`` when it answers."""
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        return f"PostgreSQL at IMMUNOSPINE_TEST_POSTGRES_URL did not answer: {exc}".splitlines()[0]
    return None


def _schema_url(schema: str) -> str:
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'record.db'}"
        return
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason=reason)
    schema = f"t_{uuid.uuid4().hex[:20]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _schema_url(schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A migrated, empty patient database on each backend."""
    handle = Database.connect(db_url)
    database.upgrade(handle)
    try:
        yield handle
    finally:
        handle.dispose()
