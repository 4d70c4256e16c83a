"""Copy a whole patient database into a new SQLite file (written before a destructive downgrade).

The copy is itself a patient database at the same schema revision: every table, the append-only
audit log included, row for row, so ``--db backup.db`` reads it with every command. Rows are
streamed in chunks, so memory stays flat however large the diary is. The source must be at the
head revision (the copy uses this version's table definitions).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from pathlib import Path

from sqlalchemy import Engine, func, insert, inspect, select

from immunospine.errors import InputError, StorageError
from immunospine.storage import migrate
from immunospine.storage.engine import make_engine
from immunospine.storage.tables import Base

__all__ = ["backup_to_sqlite", "row_counts"]

CHUNK_ROWS = 5_000


def row_counts(engine: Engine) -> dict[str, int]:
    """``{table: rows}`` for every table of the patient record that exists (audit log included)."""
    present = set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        return {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in Base.metadata.sorted_tables
            if t.name in present
        }


def backup_to_sqlite(
    source: Engine, path: Path, *, on_progress: Callable[[int], None] | None = None
) -> dict[str, int]:
    """Write every row of ``source`` into a new SQLite database at ``path``; returns row counts.

    Refuses an existing ``path`` (a backup never overwrites). The copy's counts are checked
    against the source's before returning; on any failure the partial file is removed.
    """
    if path.exists():
        raise InputError.single(
            ("backup",),
            "already exists; a backup never overwrites a file",
            str(path),
            code="exists",
        )
    revision = migrate.current_revision(source)
    if revision != migrate.head_revision():
        raise StorageError(
            f"a backup copies databases at revision {migrate.head_revision()}; this one is at "
            f"{revision or 'base (empty)'}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    target = make_engine(f"sqlite:///{path.resolve()}")
    try:
        migrate.upgrade(target)
        copied = 0
        with source.connect() as src, target.begin() as dst:
            for table in Base.metadata.sorted_tables:
                rows = src.execution_options(yield_per=CHUNK_ROWS).execute(select(table))
                it = (dict(r) for r in rows.mappings())
                while chunk := list(islice(it, CHUNK_ROWS)):
                    dst.execute(insert(table), chunk)
                    copied += len(chunk)
                    if on_progress:
                        on_progress(copied)
        expected, written = row_counts(source), row_counts(target)
        if expected != written:  # pragma: no cover - a copy that lost rows is never kept
            raise StorageError(f"the backup's row counts {written} differ from {expected}")
    except BaseException:
        target.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    target.dispose()
    return written
