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
    serve: Annotated[
        bool,
        typer.Option(
            "--serve",
            help="then seed a demo clinic up to today with demo users (admin, clinician, "
            "patient), print their logins and serve the web app until Ctrl-C",
        ),
    ] = False,
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="port of the web app (--serve)")
    ] = 8000,
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
    if serve:
        _serve_site(out, clinic_patients=patients, seed=seed, port=port)


def _serve_site(out: Path, *, clinic_patients: int, seed: int, port: int) -> None:
    """Seed the web demo, print where it is and who may sign in, and serve it."""
    import socket

    import uvicorn
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from immunospine.api import served_app
    from immunospine.services import demo_site
    from immunospine.settings import load_settings

    with socket.socket() as probe:  # say so now, before seeding, if the port is taken
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise InputError.single(
                ("--port",), "is in use on 127.0.0.1; stop what uses it or pick another", port
            ) from None
    settings = load_settings()
    with Progress(
        TextColumn("seeding the web demo clinic"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("seed", total=clinic_patients)
        site = demo_site.prepare_site(
            out / "site.db",
            patients=clinic_patients,
            seed=seed,
            settings=settings,
            on_progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    address = f"http://127.0.0.1:{port}"
    typer.echo("")
    typer.echo(f"The web app: {address}/  (a synthetic clinic of {site.patients} patients)")
    typer.echo("Demo logins (synthetic data only; new passwords on every run):")
    for login in site.logins:
        extra = f"  patient record {login.patient_id}" if login.patient_id else ""
        typer.echo(f"  {login.role:<10} {login.username:<16} {login.password}{extra}")
    typer.echo(f"Anyone (no login): {address}/check  ·  API docs: {address}/api/docs")
    typer.echo("Stop with Ctrl-C.")
    uvicorn.run(
        served_app(settings, database_url=site.database_url),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
