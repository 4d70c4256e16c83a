"""``immunospine visit record``: one clinic visit (labs and questionnaires) in one step."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from immunospine.cli import app
from immunospine.cli._io import read_json_text
from immunospine.cli.db import ActorOption, DbOption, with_flags
from immunospine.errors import InputError

visit_app = typer.Typer(help="Record clinic visits.", no_args_is_help=True)
app.add_typer(visit_app, name="visit")


@visit_app.command(
    "record",
    help='Record one visit from a JSON object (FILE or standard input): {"labs": {"crp_mg_l": '
    '12, "esr_mm_h": 30}, "assessments": {"basdai": {"q1": 5, ...}, "asdas_crp": {...}}}. '
    "Labs: crp_mg_l, esr_mm_h, rf_iu_ml, anti_ccp_u_ml, hla_b27 (true/false); each fills the "
    "calculator inputs of that name and is stored as a lab result. Prints the scores, the "
    "change since the previous visit and the treat-to-target status. All or nothing.",
)
def record_visit(
    patient_id: Annotated[str, typer.Argument(metavar="PATIENT_ID", help="pseudonymous id")],
    on: Annotated[
        datetime,
        typer.Option("--on", formats=["%Y-%m-%d"], metavar="DATE", help="the visit date"),
    ],
    input_: Annotated[
        Path | None,
        typer.Option("--input", metavar="FILE", help="the visit JSON (default: standard input)"),
    ] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON (for programs)")] = False,
    actor: ActorOption = "cli",
) -> None:
    from immunospine.reports import record_text
    from immunospine.services import database
    from immunospine.services import visit as visits

    text = read_json_text(input_, context="visit record", what="visit")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.single(
            ("--input",),
            f"is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            str(input_) if input_ else "standard input",
        ) from None
    try:
        with database.opened(db) as handle:
            result = visits.record_visit(handle, patient_id, on.date(), data, actor=actor)
    except InputError as exc:
        raise with_flags(exc, {"on": "--on"}) from None
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    typer.echo(record_text.render_visit(result.to_dict()))
