"""``immunospine demo seed``: fill a patient database with the synthetic demo clinic."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from immunospine.cli.db import ActorOption, DbOption, with_flags
from immunospine.cli.demo import demo_app
from immunospine.errors import InputError
from immunospine.services import database, demo_clinic


@demo_app.command("seed", help="Fill a patient database with a synthetic clinic (seeded).")
def seed(
    db: DbOption = None,
    patients: Annotated[int, typer.Option("--patients", min=1, help="how many patients")] = 20,
    seed_: Annotated[int, typer.Option("--seed", help="random seed (same seed, same data)")] = 42,
    diary_days: Annotated[
        int, typer.Option("--diary-days", min=0, help="days of daily diary per patient")
    ] = 365,
    actor: ActorOption = "demo-seed",
) -> None:
    with (
        database.opened(db) as handle,
        Progress(
            TextColumn("seeding patients"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as progress,
    ):
        task = progress.add_task("seed", total=patients)

        def report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        try:
            summary = demo_clinic.seed_clinic(
                handle, patients, seed_, actor=actor, diary_days=diary_days, on_progress=report
            )
        except InputError as exc:
            raise with_flags(exc, {"patients": "--patients"}) from None
    detail = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.records.items()))
    typer.echo(f"seeded {summary.patients} synthetic patient(s) (seed {seed_}): {detail}")
