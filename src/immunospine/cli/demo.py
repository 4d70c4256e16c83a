"""``immunospine demo``: what ``make run`` shows — a synthetic patient scored end to end."""

from __future__ import annotations

import typer

from immunospine.cli import app
from immunospine.services import demo as demo_service


@app.command("demo", help="Run the demo on synthetic data (what `make run` shows).")
def demo() -> None:
    typer.echo(demo_service.render_text(demo_service.sample_patient_report()))
