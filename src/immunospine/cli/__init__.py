"""The ``immunospine`` command line: thin wrappers that parse, call a service and print.

Only this package exits: ``main`` turns ``ImmunospineError`` into a message on standard error and
the error's exit code (2 for bad input), with nothing on standard output.
"""

from __future__ import annotations

import sys

import typer

from immunospine.errors import ImmunospineError

app = typer.Typer(
    name="immunospine",
    help="Decision support for chronic back pain that may have an autoimmune cause. "
    "Supports decisions; never a diagnosis.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


# Each module adds its commands to ``app`` when imported; imported on first use of the CLI.
_COMMAND_MODULES = (
    "calc",
    "batch",
    "triage",
    "self_check",
    "db",
    "patient",
    "report",
    "visit",
    "demo",
    "demo_seed",
    "fhir",
    "csv_io",
    "cohort",
    "cohort_screen",
)


def _register() -> None:
    import importlib

    for name in _COMMAND_MODULES:
        importlib.import_module(f"immunospine.cli.{name}")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``immunospine`` script; returns the exit code.

    The command-line library handles its own usage errors (message on standard error, exit 2);
    our errors reach here and become a one-line message and their exit code.
    """
    _register()
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
    sys.exit(main())
