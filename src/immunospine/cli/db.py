"""``immunospine db upgrade|downgrade|current``: migrate the patient database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn

from immunospine.cli import app
from immunospine.errors import FieldProblem, InputError

db_app = typer.Typer(help="Create and migrate the patient database.", no_args_is_help=True)
app.add_typer(db_app, name="db")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH|URL",
        help="the patient database: a SQLite file path (clinic.db, /tmp/x.db) or a URL: "
        "sqlite:///relative/path.db (three slashes: relative to the current folder), "
        "sqlite:////absolute/path.db, postgresql+psycopg://user@host/db; default: "
        "IMMUNOSPINE_DATABASE_URL, else immunospine.db in the user's data directory",
    ),
]
ActorOption = Annotated[
    str, typer.Option("--actor", metavar="NAME", help="who is acting (audit log)")
]


def with_flags(exc: InputError, flags: dict[str, str]) -> InputError:
    """``exc`` with its fields named by the command's flags (``patient.sex`` → ``--sex``)."""
    problems = [
        FieldProblem((flags[p.field],), p.msg, p.code, p.value, p.has_value)
        if p.field in flags
        else p
        for p in exc.problems
    ]
    if problems == list(exc.problems):
        return exc
    lines = [f"{p.field}{_shown(p.value) if p.has_value else ''}: {p.msg}" for p in problems]
    return InputError("; ".join(lines), tuple(problems))


def _shown(value: object) -> str:
    return f" = {json.dumps(value, ensure_ascii=False, default=str)}"


@db_app.command(
    "upgrade",
    help="Create the database if needed and apply every pending migration (one transaction).",
)
def upgrade(db: DbOption = None) -> None:
    from immunospine.services import database

    with database.opened(db, create=True) as handle:
        with Progress(
            TextColumn("migrating"), BarColumn(), console=Console(stderr=True), transient=True
        ) as progress:
            task = progress.add_task("migrate", total=None)

            def report(done: int, total: int) -> None:
                progress.update(task, completed=done, total=max(total, 1))

            applied = database.upgrade(handle, on_progress=report)
        rev = database.current_revision(handle)
    typer.echo(f"database at revision {rev} ({len(applied)} migration(s) applied)")


@db_app.command(
    "downgrade",
    help="Migrate down to an explicit revision (needs --yes). Going to 'base' drops every "
    "table, the audit log included; while rows exist it needs --backup FILE, a new SQLite "
    "file that first receives a full copy of every table (itself a patient database: "
    "--db FILE reads it).",
)
def downgrade(
    to: Annotated[
        str,
        typer.Option(
            "--to",
            "--revision",
            metavar="REVISION",
            help="target revision: 'base' (empty database) or a revision id (see `db current`)",
        ),
    ],
    yes: Annotated[bool, typer.Option("--yes", help="confirm: carry out the downgrade")] = False,
    backup: Annotated[
        Path | None,
        typer.Option(
            "--backup",
            metavar="FILE",
            help="write a SQLite copy of every table (audit log included) to this new file "
            "first; required when the downgrade would drop a table that holds rows",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    from immunospine.services import database

    with database.opened(db, require_current=False) as handle:
        try:
            plan = database.plan_downgrade(handle, to)
        except InputError as exc:
            raise with_flags(exc, {"revision": "--to"}) from None
        rows = ", ".join(f"{n} {table}" for table, n in plan.rows.items() if n) or "no rows"
        if plan.drops_records and backup is None:
            raise InputError.single(
                ("--backup",),
                f"is required: going to {to} would drop "
                + ", ".join(f"{n} {table}" for table, n in plan.lost_rows.items())
                + ("" if "audit_log" not in plan.lost_rows else " (the audit log included)")
                + "; give --backup FILE to copy every table to a new SQLite file first",
                code="missing",
                has_value=False,
            )
        if not yes:
            raise InputError.single(
                ("--yes",),
                f"is required to migrate from {plan.current} down to {to} ({rows} now); "
                "nothing was changed",
                code="missing",
                has_value=False,
            )
        with Console(stderr=True).status("backing up and migrating down"):
            database.downgrade(handle, to, backup_to=backup if plan.rows else None)
        rev = database.current_revision(handle)
    if backup is not None and plan.total_rows:
        typer.echo(f"backed up {plan.total_rows} rows to {backup}")
    typer.echo(f"database at revision {rev or 'base (empty)'}")


@db_app.command("current", help="Show the database's schema revision.")
def current(db: DbOption = None) -> None:
    from immunospine.services import database

    with database.opened(db, require_current=False) as handle:
        typer.echo(database.current_revision(handle) or "base (empty)")
