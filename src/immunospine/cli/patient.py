"""``immunospine patient timeline ID`` and ``immunospine patient list --off-target``."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

from immunospine.cli import app
from immunospine.cli.db import ActorOption, DbOption
from immunospine.errors import InputError
from immunospine.records import TimelineEntry
from immunospine.services import database, record, tracking

patient_app = typer.Typer(help="Look at patients' records.", no_args_is_help=True)
app.add_typer(patient_app, name="patient")

JsonOption = Annotated[bool, typer.Option("--json", help="print JSON")]


@patient_app.command("timeline", help="Everything recorded for one patient, in date order.")
def timeline(
    patient_id: Annotated[str, typer.Argument(metavar="ID", help="pseudonymous patient id")],
    db: DbOption = None,
    as_json: JsonOption = False,
    actor: ActorOption = "cli",
) -> None:
    with database.opened(db) as handle, Console(stderr=True).status("reading timeline"):
        tl = record.timeline(handle, patient_id, actor=actor)
    if as_json:
        typer.echo(json.dumps(tl.to_dict(), ensure_ascii=False))
        return
    p = tl.patient
    dx = ", ".join(f"{d.condition.value} ({d.diagnosed_on.isoformat()})" for d in p.diagnoses)
    typer.echo(f"{p.patient_id}  born {p.year_of_birth}  {p.sex.value}  {dx or 'no diagnosis'}")
    for entry in tl.entries:
        typer.echo(f"{entry.on.isoformat()}  {entry.kind:<17}  {_summary(entry)}")


def _summary(entry: TimelineEntry) -> str:
    r = entry.record.model_dump(mode="json", exclude={"id", "patient_id"})
    match entry.kind:
        case "assessment":
            score = r["score"]
            shown = "" if score is None else f" {score:.2f}"
            cat = f" ({r['category']})" if r["category"] else ""
            return f"{r['calculator']}{shown}{cat}"
        case "lab_result":
            value = (
                r["value"]
                if r["value"] is not None
                else ("positive" if r["positive"] else "negative")
            )
            return f"{r['test']} {value} {r['unit'] or ''}".rstrip()
        case "diary_entry":
            parts = [
                f"{k}={v}" for k, v in r.items() if v not in (None, False) and k != "recorded_at"
            ]
            time = entry.at.strftime("%H:%M") if entry.at else ""
            return f"{time} " + " ".join(parts)
        case _:
            return ", ".join(f"{k}={v}" for k, v in r.items() if v is not None)


@patient_app.command("list", help="List patients; --off-target lists those missing their target.")
def list_patients(
    off_target: Annotated[
        bool, typer.Option("--off-target", help="patients whose latest score misses the target")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
    actor: ActorOption = "cli",
) -> None:
    if not off_target:
        raise InputError.single(
            ("--off-target",),
            "is required (the only listing so far)",
            context="patient list",
            has_value=False,
            code="missing",
        )
    with (
        database.opened(db) as handle,
        Console(stderr=True).status("computing treat-to-target status"),
    ):
        rows = tracking.off_target(handle, actor=actor)
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in rows], ensure_ascii=False))
        return
    for r in rows:
        on = r.assessed_on.isoformat() if r.assessed_on else "-"
        score = f"{r.score:.2f}" if r.score is not None else "-"
        typer.echo(f"{r.patient_id}  {r.target}  {r.calculator}  {score}  {on}")
