"""``immunospine user add|assign|list``: accounts for the HTTP API and the web pages.

Passwords are read from standard input (``--password-stdin``) or asked twice on a terminal
without echo; they are never printed, logged or put in an error message. ``user list`` never
shows hashes.
"""

from __future__ import annotations

import getpass
import json
import sys
from typing import Annotated

import typer

from immunospine.cli import app
from immunospine.cli.db import ActorOption, DbOption, with_flags
from immunospine.errors import InputError

__all__ = ["user_app"]

user_app = typer.Typer(
    help="Add user accounts and put patients in clinicians' care teams. Accounts sign in to "
    "the HTTP API and the web pages; their role and care team decide which records they see.",
    no_args_is_help=True,
)
app.add_typer(user_app, name="user")

FLAGS = {"username": "USERNAME", "role": "--role", "patient_id": "--patient-id"}


def _read_password(from_stdin: bool) -> str:
    """The new password: the first line of standard input, or typed twice on a terminal."""
    if from_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise InputError.single(
            ("--password-stdin",),
            "is needed when standard input is not a terminal: pipe the password in with "
            "--password-stdin",
            code="missing",
            has_value=False,
        )
    first = getpass.getpass("Password (at least 12 characters): ", stream=sys.stderr)
    second = getpass.getpass("Password again: ", stream=sys.stderr)
    if first != second:
        raise InputError.single(
            ("password",), "the two entries differ; nothing was saved", has_value=False
        )
    return first


@user_app.command(
    "add",
    help="Add a user. A patient user is linked to one patient record (--patient-id); a "
    "clinician sees the patients of their care team (`user assign`); an admin manages users "
    "and reads the audit log. The password (at least 12 characters, stored as an Argon2id "
    "hash) is asked twice on a terminal, or read from standard input with --password-stdin.",
)
def add(
    username: Annotated[
        str,
        typer.Argument(metavar="USERNAME", help='3–64 characters, each a–z, 0–9, ".", "_" or "-"'),
    ],
    role: Annotated[
        str, typer.Option("--role", metavar="[patient|clinician|admin]", help="the user's role")
    ],
    patient_id: Annotated[
        str | None,
        typer.Option(
            "--patient-id",
            metavar="ID",
            help="the patient record of a patient user (required for --role patient only)",
        ),
    ] = None,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin", help="read the password from the first line of standard input"
        ),
    ] = False,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON (for programs)")] = False,
    actor: ActorOption = "cli",
) -> None:
    from immunospine.services import accounts, database

    password = _read_password(password_stdin)
    try:
        with database.opened(db) as handle:
            user = accounts.add_user(handle, username, password, role, patient_id, actor=actor)
    except InputError as exc:
        raise with_flags(exc, FLAGS) from None
    if as_json:
        typer.echo(json.dumps(user.as_dict(), ensure_ascii=False))
        return
    linked = f", patient {user.patient_id}" if user.patient_id else ""
    typer.echo(f"added user {user.username} ({user.role}{linked})")


@user_app.command("assign", help="Put a patient in a clinician's care team.")
def assign(
    clinician_username: Annotated[
        str, typer.Argument(metavar="CLINICIAN_USERNAME", help="a user with role clinician")
    ],
    patient_id: Annotated[str, typer.Argument(metavar="PATIENT_ID", help="the patient's id")],
    db: DbOption = None,
    actor: ActorOption = "cli",
) -> None:
    from immunospine.services import accounts, database

    try:
        with database.opened(db) as handle:
            added = accounts.assign(handle, clinician_username, patient_id, actor=actor)
    except InputError as exc:
        raise with_flags(exc, {"clinician_username": "CLINICIAN_USERNAME"}) from None
    state = "added to" if added else "already in"
    typer.echo(f"patient {patient_id} {state} the care team of {clinician_username}")


@user_app.command("list", help="List users, their roles and care teams (never passwords).")
def list_users(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON (for programs)")] = False,
    actor: ActorOption = "cli",
) -> None:
    from immunospine.services import accounts, database

    with database.opened(db) as handle:
        users = accounts.list_users(handle, actor=actor)
    if as_json:
        typer.echo(json.dumps([u.as_dict() for u in users], ensure_ascii=False))
        return
    if not users:
        typer.echo("no users yet: add one with `immunospine user add`")
        return
    for u in users:
        extra = f"  patient {u.patient_id}" if u.patient_id else ""
        if u.role == "clinician":
            extra = f"  care team: {', '.join(u.care_team) or '(none)'}"
        state = "  (disabled)" if u.disabled else ""
        typer.echo(f"{u.username:<24} {u.role:<10}{extra}{state}")
