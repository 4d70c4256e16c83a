"""``immunospine db upgrade|downgrade|current``: migrate the patient database."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn

from immunospine.cli import app
from immunospine.services import database

db_app = typer.Typer(help="Create and migrate the patient database.", no_args_is_help=True)
app.add_typer(db_app, name="db")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="database URL (sqlite:///PATH or postgresql+psycopg://…); default: "
        "IMMUNOSPINE_DATABASE_URL, else immunospine.db in the user's data directory",
    ),
]
ActorOption = Annotated[str, typer.Option("--actor", help="who is acting (audit log)")]


@db_app.command("upgrade", help="Apply every pending migration (one transaction).")
def upgrade(db: DbOption = None) -> None:
    with database.opened(db) as handle:
        with Progress(
            TextColumn("migrating"), BarColumn(), console=Console(stderr=True), transient=True
        ) as progress:
            task = progress.add_task("migrate", total=None)

            def report(done: int, total: int) -> None:
                progress.update(task, completed=done, total=max(total, 1))

            applied = database.upgrade(handle, on_progress=report)
        rev = database.current_revision(handle)
    typer.echo(f"database at revision {rev} ({len(applied)} migration(s) applied)")


@db_app.command("downgrade", help="Migrate down (default: to an empty database).")
def downgrade(
    db: DbOption = None,
    revision: Annotated[str, typer.Option(help="target revision")] = "base",
) -> None:
    with database.opened(db) as handle:
        database.downgrade(handle, revision)
        rev = database.current_revision(handle)
    typer.echo(f"database at revision {rev or 'base (empty)'}")


@db_app.command("current", help="Show the database's schema revision.")
def current(db: DbOption = None) -> None:
    with database.opened(db) as handle:
        typer.echo(database.current_revision(handle) or "base (empty)")
