"""``immunospine demo``: what ``make run`` shows — the whole path on synthetic data.

``demo`` is a group: without a subcommand it runs the demo; ``demo seed`` (``cli.demo_seed``)
fills a database with the synthetic clinic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from immunospine.cli import app
from immunospine.errors import InputError

demo_app = typer.Typer(
    help="Run the demo on synthetic data (what `make run` shows); `demo seed` fills a database.",
    invoke_without_command=True,
)
app.add_typer(demo_app, name="demo")


@demo_app.callback()
def demo(
    ctx: typer.Context,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="folder the demo owns and recreates on each run"),
    ] = Path("demo-output"),
    patients: Annotated[
        int, typer.Option("--clinic-patients", min=1, help="patients in the synthetic clinic")
    ] = 40,
    population: Annotated[
        int, typer.Option("--population", min=1000, help="persons in the synthetic OMOP data")
    ] = 50_000,
    seed: Annotated[int, typer.Option("--seed", help="random seed (same seed, same data)")] = 2026,
) -> None:
    """Run the demo on synthetic data (what `make run` shows)."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.console import Console

    from immunospine.reports.demo_text import render_demo
    from immunospine.services import demo as demo_service

    console = Console(stderr=True)
    try:
        demo_service.prepare_output(out)
    except InputError as exc:  # the service names the field; the command names its option
        problem = exc.problems[0]
        raise InputError.single(("--out",), problem.msg, problem.value) from None
    with console.status("starting the demo") as status:
        report = demo_service.run_demo(
            out,
            clinic_patients=patients,
            population=population,
            seed=seed,
            on_step=lambda text: status.update(text),
        )
    typer.echo(render_demo(report))
