"""Migrations 0002 (accounts) and 0003 (web sessions) up and down on SQLite and PostgreSQL:
going to 0001 drops the accounts tables and keeps the patient record; going up again restores
empty accounts tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from immunospine.errors import InputError
from immunospine.services import accounts, database
from immunospine.settings import Settings
from immunospine.storage.backup import row_counts
from immunospine.storage.uow import Database
from tests.accounts.fixtures import clinic, settings  # noqa: F401
from tests.storage.dbfixtures import db, db_url  # noqa: F401

ACCOUNT_TABLES = {"users", "care_team", "login_attempts", "web_sessions"}
HEAD = "0003"


def test_down_to_0001_keeps_the_record_and_up_again(
    clinic: Database,  # noqa: F811
    settings: Settings,  # noqa: F811
    tmp_path: Path,
) -> None:
    assert database.current_revision(clinic) == database.head_revision() == HEAD
    before = row_counts(clinic.engine)
    assert before["users"] == 5 and before["care_team"] == 1
    with pytest.raises(InputError, match=r"backup: is required: going to 0001 drops 6 rows"):
        database.downgrade(clinic, "0001")  # the accounts tables hold rows: nothing is dropped
    assert database.current_revision(clinic) == HEAD and row_counts(clinic.engine) == before
    plan = database.downgrade(clinic, "0001", backup_to=tmp_path / "before-0001.db")
    assert plan.current == HEAD and plan.drops_records
    assert plan.dropped == ACCOUNT_TABLES and plan.lost_rows == {"users": 5, "care_team": 1}
    assert (tmp_path / "before-0001.db").stat().st_size > 0
    assert database.current_revision(clinic) == "0001"
    tables = set(inspect(clinic.engine).get_table_names())
    assert not ACCOUNT_TABLES & tables and "patients" in tables
    after = row_counts(clinic.engine)
    assert after == {k: v for k, v in before.items() if k not in ACCOUNT_TABLES}
    database.upgrade(clinic)
    assert database.current_revision(clinic) == HEAD
    assert accounts.list_users(clinic, actor="t") == []
    accounts.add_user(
        clinic, "again", "long enough password", "admin", actor="t", settings=settings
    )
