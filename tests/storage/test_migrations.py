"""Migrations up and down from empty on SQLite and PostgreSQL; the schema matches the ORM."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from immunospine.errors import InputError
from immunospine.storage import migrate
from immunospine.storage.engine import make_engine
from immunospine.storage.tables import Base
from tests.storage.dbfixtures import db_url  # noqa: F401

TABLES = {t.name for t in Base.metadata.sorted_tables}


def test_up_down_up_from_empty(db_url: str) -> None:  # noqa: F811
    engine = make_engine(db_url)
    try:
        assert migrate.current_revision(engine) is None
        assert migrate.pending_revisions(engine) == migrate.all_revisions()
        assert migrate.all_revisions()[-1] == migrate.head_revision()
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert set(inspect(engine).get_table_names()) >= TABLES
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(ctx, Base.metadata) == []
        migrate.downgrade(engine)
        assert migrate.current_revision(engine) is None
        assert not TABLES & set(inspect(engine).get_table_names())
        migrate.upgrade(engine)  # and up again: the downgrade left nothing behind
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()


def test_sqlite_pragmas(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/sub/dir/x.db")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    engine.dispose()


@pytest.mark.parametrize("url", ["mysql://x/y", "not a url"])
def test_unsupported_urls_are_input_errors(url: str) -> None:
    with pytest.raises(InputError) as exc:
        make_engine(url)
    assert exc.value.problems[0].loc == ("database",)  # a field, not a command-line flag
