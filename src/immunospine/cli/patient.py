"""``immunospine patient …``: add and diagnose patients; list, timeline, response, flares, due.

Services do the work and return values; ``reports.record_text`` renders them for the terminal;
``--json`` prints the values for programs. Heavy modules are imported inside the commands.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any

import typer

from immunospine.cli import app
from immunospine.cli.db import ActorOption, DbOption, with_flags
from immunospine.errors import InputError

__all__ = ["patient_app", "with_flags"]  # cli.report adds `patient report` with these

patient_app = typer.Typer(help="Add patients and follow their records.", no_args_is_help=True)
app.add_typer(patient_app, name="patient")

JsonOption = Annotated[bool, typer.Option("--json", help="print JSON (for programs)")]
PatientId = Annotated[str, typer.Argument(metavar="ID", help="pseudonymous patient id")]
DATE_FORMATS = ["%Y-%m-%d"]


def _date(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _today() -> date:
    """The local calendar date (the clinic's "today")."""
    return datetime.now().astimezone().date()


def _echo_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False))


@patient_app.command("add", help="Add a patient (pseudonym, year of birth, sex).")
def add(
    patient_id: PatientId,
    year_of_birth: Annotated[
        int, typer.Option("--year-of-birth", metavar="YYYY", help="four-digit year of birth")
    ],
    sex: Annotated[
        str,
        typer.Option("--sex", metavar="SEX", help="female, male, other or unknown"),
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
    actor: ActorOption = "cli",
) -> None:
    from immunospine.services import database, record

    if sex not in record.SEXES:
        raise InputError.single(("--sex",), f"must be one of: {', '.join(record.SEXES)}", sex)
    try:
        with database.opened(db) as handle:
            patient = record.register_patient(handle, patient_id, year_of_birth, sex, actor=actor)
    except InputError as exc:
        raise with_flags(
            exc,
            {
                "patient.patient_id": "ID",
                "patient.year_of_birth": "--year-of-birth",
                "patient.sex": "--sex",
            },
        ) from None
    if as_json:
        _echo_json(patient.model_dump(mode="json"))
        return
    typer.echo(f"added {patient.patient_id} (born {patient.year_of_birth}, {patient.sex.value})")


@patient_app.command("diagnose", help="Record a diagnosis for a patient.")
def diagnose(
    patient_id: PatientId,
    condition: Annotated[
        str,
        typer.Option(
            "--condition",
            help="axspa, pspa, psa, ra, fibromyalgia, mechanical_back_pain or other",
        ),
    ],
    on: Annotated[
        datetime,
        typer.Option("--on", formats=DATE_FORMATS, metavar="DATE", help="date of diagnosis"),
    ],
    criteria: Annotated[
        list[str] | None,
        typer.Option(
            "--criteria", help="criteria set met, a calculator name (repeatable), e.g. asas_axspa"
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="free-text note")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    actor: ActorOption = "cli",
) -> None:
    from immunospine.services import database, record

    if condition not in record.CONDITIONS:
        raise InputError.single(
            ("--condition",), f"must be one of: {', '.join(record.CONDITIONS)}", condition
        )
    try:
        with database.opened(db) as handle:
            patient = record.diagnose(
                handle,
                patient_id,
                condition,
                on.date(),
                actor=actor,
                criteria_met=criteria or (),
                note=note,
            )
    except InputError as exc:
        raise with_flags(
            exc,
            {
                "diagnosis.condition": "--condition",
                "diagnosis.diagnosed_on": "--on",
                "diagnosis.criteria_met": "--criteria",
                "diagnosis.note": "--note",
            },
        ) from None
    if as_json:
        _echo_json(patient.model_dump(mode="json"))
        return
    typer.echo(f"{patient.patient_id}: {condition} diagnosed on {on.date().isoformat()}")


@patient_app.command("timeline", help="Everything recorded for one patient, in date order.")
def timeline(
    patient_id: PatientId,
    since: Annotated[
        datetime | None,
        typer.Option("--since", formats=DATE_FORMATS, metavar="DATE", help="from this date on"),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            metavar="K,...",
            help="only these kinds (comma-separated): assessment, lab_result, imaging_finding, "
            "medication_course, intervention, diary_entry",
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    actor: ActorOption = "cli",
) -> None:
    from immunospine.reports import record_text
    from immunospine.services import database, record

    kinds = [k.strip() for k in kind.split(",") if k.strip()] if kind is not None else None
    try:
        with database.opened(db) as handle:
            tl = record.timeline(handle, patient_id, actor=actor, since=_date(since), kinds=kinds)
    except InputError as exc:
        raise with_flags(exc, {"kind": "--kind"}) from None
    if as_json:
        _echo_json(tl.to_dict())
        return
    shown_since = since.date().isoformat() if since else None
    patient = tl.patient.model_dump(mode="json")
    typer.echo(record_text.render_timeline(patient, tl.entries, since=shown_since))


@patient_app.command(
    "list",
    help="List every patient: latest target score with its date (stale when older than the "
    "questionnaire schedule), target status, questionnaires due, last flare. Filters combine.",
)
def list_patients(
    off_target: Annotated[
        bool,
        typer.Option("--off-target", help="only patients whose latest score misses the target"),
    ] = False,
    flare_since: Annotated[
        datetime | None,
        typer.Option(
            "--flare-since",
            formats=DATE_FORMATS,
            metavar="DATE",
            help="only patients with a flare on or after DATE (diary-marked, ASDAS worsening, "
            "BASDAI crossing 4)",
        ),
    ] = None,
    due: Annotated[
        bool, typer.Option("--due", help="only patients with a questionnaire due")
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", min=1, metavar="N", help="show at most N (default 50; --json: all)"
        ),
    ] = None,
    today: Annotated[
        datetime | None,
        typer.Option("--today", formats=DATE_FORMATS, metavar="DATE", help="default: today"),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    actor: ActorOption = "cli",
) -> None:
    from immunospine.reports import record_text
    from immunospine.services import clinic_list, database

    shown = limit if limit is not None else (None if as_json else 50)
    with database.opened(db) as handle:
        listing = clinic_list.list_patients(
            handle,
            actor=actor,
            today=_date(today) or _today(),
            off_target=off_target,
            flare_since=_date(flare_since),
            due=due,
            limit=shown,
        )
    if as_json:
        _echo_json(listing.to_dict())
        return
    typer.echo(record_text.render_patient_list(listing.to_dict()))


@patient_app.command(
    "response",
    help="Response between two visits (ASDAS change, BASDAI50, ASAS20/40, ASAS 5/6, EULAR); "
    "default: the last two visits.",
)
def response(
    patient_id: PatientId,
    from_: Annotated[
        datetime | None,
        typer.Option("--from", formats=DATE_FORMATS, metavar="DATE", help="baseline visit date"),
    ] = None,
    to: Annotated[
        datetime | None,
        typer.Option("--to", formats=DATE_FORMATS, metavar="DATE", help="follow-up visit date"),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    actor: ActorOption = "cli",
) -> None:
    from immunospine.reports import record_text
    from immunospine.services import database, tracking

    try:
        with database.opened(db) as handle:
            report = tracking.response_for(
                handle, patient_id, actor=actor, baseline_on=_date(from_), follow_up_on=_date(to)
            )
    except InputError as exc:
        raise with_flags(exc, {"baseline_on": "--from", "response.follow_up_on": "--to"}) from None
    if as_json:
        _echo_json(report.to_dict())
        return
    typer.echo(record_text.render_response(report.to_dict()))


@patient_app.command(
    "flares", help="Flares: ASDAS worsening ≥ 0.9, BASDAI crossing 4, diary-marked flares."
)
def flares(
    patient_id: PatientId,
    db: DbOption = None,
    as_json: JsonOption = False,
    actor: ActorOption = "cli",
) -> None:
    from immunospine.reports import record_text
    from immunospine.services import database, record, tracking

    with database.opened(db) as handle:
        record.get_patient(handle, patient_id, actor=actor)
        events = [e.to_dict() for e in tracking.detect_flares(handle, patient_id, actor=actor)]
    if as_json:
        _echo_json(events)
        return
    typer.echo(record_text.render_flares(patient_id, events))


@patient_app.command("due", help="Questionnaires due for a patient (by the schedule rule).")
def due_questionnaires(
    patient_id: PatientId,
    today: Annotated[
        datetime | None,
        typer.Option("--today", formats=DATE_FORMATS, metavar="DATE", help="default: today"),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    actor: ActorOption = "cli",
) -> None:
    from immunospine.reports import record_text
    from immunospine.services import database, record, tracking

    day = _date(today) or _today()
    with database.opened(db) as handle:
        record.get_patient(handle, patient_id, actor=actor)
        due = tracking.due_questionnaires(handle, actor=actor, today=day, patient_id=patient_id)
    rows = [d.to_dict() for d in due]
    if as_json:
        _echo_json(rows)
        return
    typer.echo(record_text.render_due(patient_id, rows, day.isoformat()))
