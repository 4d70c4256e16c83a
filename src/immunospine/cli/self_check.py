"""``immunospine self-check``: plain-language questions in the terminal, then a one-page summary.

The questions, their checks and the case they make live in ``services.self_check``; the triage in
``services.triage``; where the summary goes in ``services.summary``; its words in
``reports.triage_summary`` and ``reports.self_check_text``. This module only asks, prints and
saves. The summary's folder is checked before the first question, so no answer is lost to an
unwritable folder. "q" (or Ctrl-D) quits with exit code 1, Ctrl-C with 130; nothing is written.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from immunospine.cli import app
from immunospine.errors import InputError

if TYPE_CHECKING:
    from rich.console import Console

    from immunospine.reports.model import Report
    from immunospine.services.self_check import Question, Session
    from immunospine.services.summary import SummaryTarget

QUIT_EXIT = 1
"""Exit code when the person quits with q or Ctrl-D."""
INTERRUPT_EXIT = 130
"""Exit code for Ctrl-C (128 + SIGINT, as shells report it)."""
QUIT_TEXT = "You stopped the self-check. Nothing was saved."
_TONES = {"strong": "bold", "muted": "dim"}


class _Quit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def _intro(total: int) -> str:
    return (
        f"This self-check asks about your back pain and your health, in {total} short questions\n"
        "(fewer when a follow-up question does not apply to your answers).\n"
        "It ends with advice and a one-page summary you can take to your doctor.\n"
        'Type d for "don\'t know", b to go back one question, q to quit (nothing is saved).'
    )


def _ask(console: Console, session: Session, question: Question, section: str) -> str:
    if question.section != section:
        console.print(f"\n[bold]{question.section}[/bold]")
    n, m = session.progress()
    console.print(f"\nQuestion {n} of {m}: {question.text}")
    console.print(f"  Why we ask: {question.why}", style="dim")
    console.print(f"  ({question.hint()})", style="dim")
    return console.input("> ")


def _run_questions(console: Console, session: Session) -> None:
    """Ask until the session is over; ``_Quit`` when the person quits."""
    from rich.panel import Panel

    section = ""
    skipped = len(session.skipped())
    while (question := session.current) is not None:
        now_skipped = len(session.skipped())
        if now_skipped > skipped:
            n = now_skipped - skipped
            console.print(
                f"(Skipping {n} follow-up question{'s' if n > 1 else ''} that "
                f"{'do' if n > 1 else 'does'} not apply after your answer.)",
                style="dim",
            )
        skipped = now_skipped
        try:
            typed = _ask(console, session, question, section)
        except EOFError:
            console.print()
            raise _Quit(QUIT_EXIT) from None
        except KeyboardInterrupt:
            console.print()
            raise _Quit(INTERRUPT_EXIT) from None
        section = question.section
        reply = session.submit(typed)
        if reply.status == "quit":
            raise _Quit(QUIT_EXIT)
        if reply.status == "invalid":
            console.print(reply.message, style="yellow")
        elif reply.status == "back":
            console.print("Going back one question.", style="dim")
            section = ""
            skipped = len(session.skipped())
        if reply.alert:
            console.print(
                Panel(
                    reply.alert + "\nThe remaining questions are optional: you can stop (q) and "
                    "go now, or finish them to get a summary to take with you.",
                    title="Emergency",
                    style="bold red",
                )
            )


def _print_report(console: Console, report: Report) -> None:
    from rich.panel import Panel

    from immunospine.reports.self_check_text import report_lines
    from immunospine.reports.triage_summary import ANSWERS_HEADING

    # the answers were just typed, so they are not repeated
    for line in report_lines(report, leave_out=(ANSWERS_HEADING,)):
        if line.tone == "alert":
            console.print(Panel(line.text, style="bold red"))
        elif line.tone == "boxed":
            console.print()
            console.print(Panel(line.text, style="bold"))
        elif line.tone == "heading":
            console.print(f"\n[bold underline]{line.text}[/bold underline]")
        else:
            console.print(line.text, style=_TONES.get(line.tone))


def _plan(out_dir: Path, *, pdf: bool, overwrite: bool) -> SummaryTarget:
    from immunospine.services import summary

    try:
        return summary.plan_summary(out_dir, pdf=pdf, overwrite=overwrite)
    except InputError as exc:  # the service names the field; the command names its option
        problem = exc.problems[0]
        raise InputError.single(
            ("--out-dir",), problem.msg, problem.value, context="self-check"
        ) from None


@app.command(
    "self-check",
    help="Answer plain-language questions about your back pain and get advice plus a one-page "
    "summary for your doctor (HTML and PDF). Supports a decision; it is not a diagnosis. "
    "The folder is checked before the first question. An earlier summary is kept: the new one "
    "is written as immunospine-summary-2.html (-3, ...) unless --overwrite is given. "
    "Exit codes: 0 done, 1 quit with q or Ctrl-D, 2 bad option, 130 Ctrl-C.",
)
def self_check(
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out-dir",
            "-o",
            "--out",
            help="folder for the summary (default: current folder; created if missing)",
        ),
    ] = Path(),
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="write the HTML summary only")] = False,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite",
            help="replace immunospine-summary.html/.pdf instead of writing the next free name",
        ),
    ] = False,
) -> None:
    from rich.console import Console

    from immunospine.reports.triage_summary import build_summary
    from immunospine.reports.wording import NOT_A_DIAGNOSIS
    from immunospine.services import summary, triage
    from immunospine.services.self_check import QUESTIONS, Session
    from immunospine.version import __version__

    target = _plan(out_dir, pdf=not no_pdf, overwrite=overwrite)
    console = Console(highlight=False)
    console.print("[bold]immunospine self-check[/bold]")
    console.print(_intro(len(QUESTIONS)))
    console.print(NOT_A_DIAGNOSIS, style="bold")
    session = Session()
    try:
        _run_questions(console, session)
    except _Quit as stop:
        console.print(QUIT_TEXT)
        raise typer.Exit(stop.code) from None
    if session.stopped:
        console.print(f"\n{session.stopped}")
        return
    result = triage.triage(session.case())
    today = datetime.now(UTC).astimezone().date()
    report = build_summary(session.rows(), result, on=today, version=__version__)
    console.print("\n[bold]Your result[/bold]")
    _print_report(console, report)
    try:
        paths = summary.write_summary(report, target)
    except KeyboardInterrupt:
        console.print("\nStopped before the summary was saved.")
        raise typer.Exit(INTERRUPT_EXIT) from None
    if paths[0].stem != summary.BASENAME:
        console.print("An earlier summary in this folder was kept; this one has a new name.")
    console.print("Your summary for your doctor is saved here:")
    for path in paths:
        console.print(f"  {path.resolve()}", soft_wrap=True)
