"""``immunospine self-check``: plain-language questions in the terminal, then a one-page summary.

The questions, their checks and the case they make live in ``services.self_check``; the triage in
``services.triage``; the summary in ``services.summary``. This module only asks, prints and saves.
"q" (or Ctrl-D / Ctrl-C) quits without writing anything.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.panel import Panel

from immunospine.cli import app
from immunospine.reports.model import BarChart, Bullets, Paragraph, Report, Table
from immunospine.services import summary, triage
from immunospine.services.self_check import Question, Session

INTRO = (
    "This self-check asks about your back pain and your health, in about 40 short questions.\n"
    "It ends with advice and a one-page summary you can take to your doctor.\n"
    'Type d for "don\'t know", b to go back one question, q to quit (nothing is saved).'
)
QUIT_TEXT = "You stopped the self-check. Nothing was saved."


def _ask(console: Console, session: Session, question: Question, section: str) -> str:
    if question.section != section:
        console.print(f"\n[bold]{question.section}[/bold]")
    n, m = session.progress()
    console.print(f"\nQuestion {n} of {m}: {question.text}")
    console.print(f"  Why we ask: {question.why}", style="dim")
    console.print(f"  ({question.hint()})", style="dim")
    return console.input("> ")


def _run_questions(console: Console, session: Session) -> bool:
    """Ask until the session is over; ``False`` if the person quit."""
    section = ""
    while (question := session.current) is not None:
        try:
            typed = _ask(console, session, question, section)
        except (EOFError, KeyboardInterrupt):
            console.print()
            return False
        section = question.section
        reply = session.submit(typed)
        if reply.status == "quit":
            return False
        if reply.status == "invalid":
            console.print(reply.message, style="yellow")
        elif reply.status == "back":
            console.print("Going back one question.", style="dim")
            section = ""
        if reply.alert:
            console.print(
                Panel(
                    reply.alert + "\nThe remaining questions are optional: you can stop (q) and "
                    "go now, or finish them to get a summary to take with you.",
                    title="Emergency",
                    style="bold red",
                )
            )
    return True


def _print_report(console: Console, report: Report) -> None:
    if report.alert:
        console.print(Panel(report.alert, style="bold red"))
    for section in report.sections:
        if section.heading == summary.HEADINGS[-1]:  # the answers were just typed; not repeated
            continue
        console.print(f"\n[bold underline]{section.heading}[/bold underline]")
        for block in section.blocks:
            if isinstance(block, Paragraph):
                console.print(block.text, style={"strong": "bold", "muted": "dim"}.get(block.tone))
            elif isinstance(block, Bullets):
                for item in block.items:
                    console.print(f"  - {item}")
            elif isinstance(block, BarChart):
                reasons = ", ".join(f"{b.label} ({b.note})" for b in block.bars)
                console.print(f"What changed the chance most: {reasons}.")
            elif isinstance(block, Table):
                for row in block.rows:
                    console.print("  " + ": ".join(row))
    console.print()
    console.print(Panel(report.disclaimer, style="bold"))


@app.command(
    "self-check",
    help="Answer plain-language questions about your back pain and get advice plus a one-page "
    "summary for your doctor (HTML and PDF). Supports a decision; it is not a diagnosis.",
)
def self_check(
    out_dir: Annotated[
        Path, typer.Option("--out-dir", help="folder for the summary (default: current folder)")
    ] = Path(),
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="write the HTML summary only")] = False,
) -> None:
    console = Console(highlight=False)
    console.print("[bold]immunospine self-check[/bold]")
    console.print(INTRO)
    console.print(summary.NOT_A_DIAGNOSIS, style="bold")
    session = Session()
    if not _run_questions(console, session):
        console.print(QUIT_TEXT)
        return
    if session.stopped:
        console.print(f"\n{session.stopped}")
        return
    assessment = triage.triage(session.case()).to_dict()
    today = datetime.now(UTC).astimezone().date()
    report = summary.build_summary(session.rows(), assessment, on=today)
    console.print("\n[bold]Your result[/bold]")
    _print_report(console, report)
    paths = summary.write_summary(report, out_dir, pdf=not no_pdf)
    console.print("Your summary for your doctor is saved here:")
    for path in paths:
        console.print(f"  {path.resolve()}", soft_wrap=True)
