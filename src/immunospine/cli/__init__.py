"""The ``immunospine`` command line: thin wrappers that parse, call a service and print.

Only this package exits: ``main`` turns ``ImmunospineError`` into a message on standard error and
the error's exit code (2 for bad input), with nothing on standard output.

Start-up is kept short: each top-level command lives in the modules named in ``COMMANDS`` and
those are imported only when that command runs (``immunospine --help`` imports none of them;
``immunospine calc NAME`` imports ``cli.calc`` alone). A command module adds its commands to
``app`` (or to its own sub-app) when imported. A new top-level command needs an entry in
``COMMANDS``; a test checks the table against what the modules register.
"""

from __future__ import annotations

import gc
import importlib
import re
import sys
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup, TyperOption

from immunospine.errors import ImmunospineError, validation_problems

__all__ = ["COMMANDS", "Command", "app", "main", "register_all", "run"]


@dataclass(frozen=True, slots=True)
class Command:
    """A top-level command: the modules that define it and its line in ``immunospine --help``."""

    modules: tuple[str, ...]
    summary: str


COMMANDS: dict[str, Command] = {
    "calc": Command(
        ("calc",),
        "Score one calculator from a JSON object, or list every calculator (--list).",
    ),
    "calc-batch": Command(("batch",), "Score every row of a CSV or Parquet file."),
    "triage": Command(
        ("triage",),
        "Triage chronic back pain: red flags, inflammatory back pain, probability of axial "
        "spondyloarthritis, referral and next tests.",
    ),
    "self-check": Command(
        ("self_check",),
        "Answer plain-language questions about your back pain and get advice plus a one-page "
        "summary for your doctor (HTML and PDF).",
    ),
    "db": Command(("db",), "Create and migrate the patient database."),
    "serve": Command(
        ("serve",), "Serve the HTTP API (calculators, triage; docs at /api/docs) until stopped."
    ),
    "patient": Command(
        ("patient", "report", "patient_options"), "Add patients and follow their records."
    ),
    "visit": Command(("visit",), "Record clinic visits."),
    "plan": Command(
        ("plan",),
        "The exercise, physiotherapy and stress-reduction programme: the week's plan, sessions "
        "done or missed, what is due today, a calendar file.",
    ),
    "treatment": Command(
        ("treatment",),
        "Treatment options by disease and severity, from published guidelines: options to "
        "discuss with your clinician, never a prescription.",
    ),
    "knowledge": Command(
        ("knowledge", "knowledge_unverified"),
        "The knowledge base: autoimmune diseases that can involve the back, how, and the "
        "sources behind each entry.",
    ),
    "demo": Command(
        ("demo", "demo_seed"),
        "Run the demo on synthetic data (what `make run` shows); `demo seed` fills a database.",
    ),
    "fhir": Command(("fhir",), "Export and import FHIR R4 Bundles."),
    "csv": Command(("csv_io",), "Export and import records as CSV (docs/reference/csv-format.md)."),
    "user": Command(("user",), "Add user accounts and put patients in clinicians' care teams."),
    "analyze": Command(
        ("analyze",),
        "What moved with the pain: lagged associations, discordance and treatment changes for "
        "one patient; within/between-person effects and pain ↔ inflammation for a cohort.",
    ),
    "cohort": Command(
        ("cohort", "cohort_screen", "cohort_concepts"),
        "Population case-finding over OMOP CDM data: synthetic data, screening, evaluation. How "
        "to read the results: docs/case-finding.md.",
    ),
}


class _Placeholder(TyperCommand):
    """Stands for a command whose module is not imported yet: its name and summary only."""


def _plain_help(command: Any) -> None:
    """Plain help for ``command`` and everything under it: flags without ``<bool>`` and the like.

    Typer's rich help prints a type for every option, flags included (``--json <bool>``); the
    plain format writes ``--json`` alone and needs no rich at start-up.
    """
    command.rich_markup_mode = None
    for param in getattr(command, "params", ()):
        if isinstance(param, TyperOption) and param.metavar is None and not param.is_flag:
            param.metavar = _metavar(param.display_type(None))  # type: ignore[arg-type]
    for sub in getattr(command, "commands", {}).values():
        _plain_help(sub)


_METAVARS = {"str": "TEXT", "int": "INTEGER", "float": "NUMBER", "path": "PATH", "file": "FILE"}


def _metavar(shown: str) -> str:
    """Typer's ``<list[str]>`` or ``<int>`` as a plain metavar: ``TEXT``, ``INTEGER``, ``[a|b]``."""
    inner = shown.strip("<>")
    if inner.startswith("list[") and inner.endswith("]"):
        inner = inner[5:-1]  # a repeatable option: the help says so
    if "|" in inner:
        return f"[{inner}]"
    return _METAVARS.get(inner, inner.upper())


class _LazyGroup(TyperGroup):
    """The root group: lists every command at once, imports a command's modules when it runs."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        registered = dict(self.commands)
        self.commands = {}
        for name, entry in COMMANDS.items():
            if name in registered:
                self.commands[name] = registered.pop(name)
                self.commands[name].short_help = entry.summary  # the same listing either way
            else:
                self.commands[name] = _Placeholder(
                    name, help=entry.summary, short_help=entry.summary, rich_markup_mode=None
                )
        self.commands.update(registered)
        _plain_help(self)

    def resolve_command(
        self, ctx: Any, args: list[str]
    ) -> tuple[str | None, Any | None, list[str]]:
        if args and isinstance(self.commands.get(args[0]), _Placeholder):
            self.commands[args[0]] = _load(args[0])
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except typer.BadParameter as exc:
            _plain_words(exc)
            raise


def _plain_words(exc: typer.BadParameter) -> None:
    """A bad option value in our words: typer passes pydantic's own ("Input should be a valid
    integer, unable to parse string as an integer"); the one translator says it as everywhere
    else ("must be a whole number")."""
    cause = exc.__cause__
    if cause is not None and type(cause).__name__ == "ValidationError":
        problems = validation_problems(cause)  # type: ignore[arg-type]
        if problems:
            exc.message = _date_formats(problems[0].msg)


_STRFTIME = {"%Y": "YYYY", "%m": "MM", "%d": "DD", "%H": "hh", "%M": "mm", "%S": "ss"}


def _date_formats(msg: str) -> str:
    """``does not match the formats "%Y-%m-%d"`` → ``must be a date as YYYY-MM-DD``."""
    match = re.search(r"does not match the formats? (.*)$", msg)
    if match is None:
        return msg
    forms = re.findall(r'"([^"]+)"', match.group(1))
    for code, words in _STRFTIME.items():
        forms = [f.replace(code, words) for f in forms]
    return msg[: match.start()] + "must be a date as " + " or ".join(forms)


def _load(name: str) -> Any:
    """Import the modules of command ``name`` and return its real command."""
    for module in COMMANDS[name].modules:
        importlib.import_module(f"immunospine.cli.{module}")
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    _plain_help(command)
    return command


def register_all() -> None:
    """Import every command module (for the generated reference and the tests)."""
    for entry in COMMANDS.values():
        for module in entry.modules:
            importlib.import_module(f"immunospine.cli.{module}")


app = typer.Typer(
    name="immunospine",
    help="Decision support for chronic back pain that may have an autoimmune cause. "
    "Supports decisions; never a diagnosis.",
    cls=_LazyGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _show_version(value: bool) -> None:
    if value:
        from immunospine.version import __version__

        typer.echo(f"immunospine {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", is_eager=True, callback=_show_version
        ),
    ] = False,
) -> None:
    """Decision support for chronic back pain that may have an autoimmune cause."""
    _resume_gc()


_gc_paused = False


def _pause_gc() -> None:
    """Start-up: no cyclic garbage collection while the command's modules are imported.

    Importing pydantic, typer and the knowledge core creates many long-lived objects and each
    collection pass walks them all; pausing saves about a third of the start-up time of
    ``immunospine calc``. ``_resume_gc`` freezes what start-up built (later passes skip it) and
    turns collection back on before the command's own work, so long commands behave as usual.
    """
    global _gc_paused
    if gc.isenabled():
        gc.disable()
        _gc_paused = True


def _resume_gc() -> None:
    global _gc_paused
    if _gc_paused:
        gc.freeze()
        gc.enable()
        _gc_paused = False


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``immunospine`` script; returns the exit code.

    The command-line library handles its own usage errors (message on standard error, exit 2);
    our errors reach here and become a one-line message and their exit code.
    """
    try:
        app(args=argv, standalone_mode=True, prog_name="immunospine")
    except ImmunospineError as exc:
        sys.stderr.write(f"Error: {exc}\n")
        return exc.exit_code
    except SystemExit as exc:
        code = exc.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        sys.stderr.write(f"{code}\n")
        return 1
    return 0


def run() -> None:  # pragma: no cover - console-script shim
    _pause_gc()
    code = main()
    gc.freeze()  # the interpreter's shutdown need not walk every object again
    sys.exit(code)
