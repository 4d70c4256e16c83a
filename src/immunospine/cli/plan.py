"""``immunospine plan …``: the exercise, physiotherapy and stress-reduction programme.

``plan show`` prints the week's plan (``--json`` for programs, ``--ics FILE`` writes the week
as an iCalendar file a phone can import); ``plan log`` records a session done or missed;
``plan today`` lists what is due today (questionnaires and sessions). Heavy modules are imported
inside the commands.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from immunospine.cli import app
from immunospine.cli.db import ActorOption, DbOption
from immunospine.errors import FieldProblem, InputError

__all__ = ["plan_app"]

plan_app = typer.Typer(
    help="The exercise, physiotherapy and stress-reduction programme: the week's plan, "
    "sessions done or missed, what is due today, a calendar file.",
    no_args_is_help=True,
)
app.add_typer(plan_app, name="plan")

JsonOption = Annotated[bool, typer.Option("--json", help="print JSON (for programs)")]
PatientId = Annotated[str, typer.Argument(metavar="ID", help="pseudonymous patient id")]
DATE_FORMATS = ["%Y-%m-%d"]
TodayOption = Annotated[
    datetime | None,
    typer.Option("--today", formats=DATE_FORMATS, metavar="DATE", help="default: today"),
]
WeekOption = Annotated[
    int | None,
    typer.Option("--week", metavar="N", help="programme week (default: the week of today)"),
]
StartOption = Annotated[
    datetime | None,
    typer.Option(
        "--start",
        formats=DATE_FORMATS,
        metavar="DATE",
        help="first day of week 1 (default: the Monday of the first logged session)",
    ),
]
MinutesOption = Annotated[
    int | None,
    typer.Option("--minutes", metavar="M", help="minutes available per week (10–1680)"),
]
PreferOption = Annotated[
    list[str] | None,
    typer.Option("--prefer", metavar="SESSION", help="a preferred session id (repeatable)"),
]
AvoidOption = Annotated[
    list[str] | None,
    typer.Option("--avoid", metavar="SESSION", help="a session id to leave out (repeatable)"),
]
FusedOption = Annotated[
    bool | None,
    typer.Option("--fused-spine/--no-fused-spine", help="spine fused or syndesmophytes"),
]
OsteoporosisOption = Annotated[
    bool | None, typer.Option("--osteoporosis/--no-osteoporosis", help="thin bones")
]
FallOption = Annotated[
    bool | None, typer.Option("--fall-risk/--no-fall-risk", help="a raised risk of falling")
]
RedFlagOption = Annotated[
    list[str] | None,
    typer.Option(
        "--red-flag",
        metavar="ID",
        help="an open red flag, e.g. new_pain_after_fall (repeatable): no plan, the advice",
    ),
]
_FLAGS = {
    "week": "--week",
    "minutes_per_week": "--minutes",
    "prefer": "--prefer",
    "avoid": "--avoid",
    "red_flags": "--red-flag",
    "session": "--session",
    "minutes": "--minutes",
    "reason": "--reason",
    "body.duration_min": "--minutes",
    "body.performed_on": "--on",
}


def _flagged(exc: InputError) -> InputError:
    """``exc`` with fields named by this command's flags (``prefer[1]`` → ``--prefer``)."""
    problems = []
    for p in exc.problems:
        flag = _FLAGS.get(p.field) or _FLAGS.get(p.field.split("[", 1)[0])
        problems.append(FieldProblem((flag,), p.msg, p.code, p.value, p.has_value) if flag else p)
    return InputError.from_problems(problems)


def _today() -> Any:
    return datetime.now().astimezone().date()


def _echo_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False))


def _options(**given: Any) -> Any:
    from immunospine.services import plan

    start = given["start"]
    return plan.Options(
        week=given.get("week"),
        start=start.date() if start else None,
        minutes_per_week=given["minutes"],
        prefer=tuple(given["prefer"] or ()),
        avoid=tuple(given["avoid"] or ()),
        ankylosed_spine=given["fused_spine"],
        osteoporosis=given["osteoporosis"],
        fall_risk=given["fall_risk"],
        red_flags=tuple(given["red_flag"] or ()),
    )


@plan_app.command("show", help="The week's plan: sessions by day, why, safety, adherence so far.")
def show(
    patient_id: PatientId,
    week: WeekOption = None,
    start: StartOption = None,
    minutes: MinutesOption = None,
    prefer: PreferOption = None,
    avoid: AvoidOption = None,
    fused_spine: FusedOption = None,
    osteoporosis: OsteoporosisOption = None,
    fall_risk: FallOption = None,
    red_flag: RedFlagOption = None,
    ics: Annotated[
        Path | None,
        typer.Option("--ics", metavar="FILE", help="also write the week as an iCalendar file"),
    ] = None,
    today: TodayOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    actor: ActorOption = "cli",
) -> None:
    from immunospine.reports import plan_text
    from immunospine.services import database, plan

    options = _options(
        week=week,
        start=start,
        minutes=minutes,
        prefer=prefer,
        avoid=avoid,
        fused_spine=fused_spine,
        osteoporosis=osteoporosis,
        fall_risk=fall_risk,
        red_flag=red_flag,
    )
    day = today.date() if today else _today()
    try:
        with database.opened(db) as handle:
            result = plan.plan_for(handle, patient_id, actor=actor, today=day, options=options)
    except InputError as exc:
        raise _flagged(exc) from None
    if ics is not None:
        ics.write_text(plan.plan_ics(result), encoding="utf-8", newline="")
    if as_json:
        _echo_json(result.to_dict())
        return
    typer.echo(plan_text.render_plan(result.to_dict()))
    if ics is not None:
        typer.echo(f"wrote {ics} ({len(result.plan.sessions)} events)")


@plan_app.command("log", help="Record a programme session as done (or --missed with --reason).")
def log(
    patient_id: PatientId,
    session: Annotated[
        str, typer.Option("--session", metavar="SESSION", help="session id (see plan show)")
    ],
    minutes: Annotated[
        int | None, typer.Option("--minutes", metavar="M", help="how long, in minutes")
    ] = None,
    on: Annotated[
        datetime | None,
        typer.Option("--on", formats=DATE_FORMATS, metavar="DATE", help="default: today"),
    ] = None,
    missed: Annotated[bool, typer.Option("--missed", help="the session was missed")] = False,
    reason: Annotated[
        str | None, typer.Option("--reason", metavar="TEXT", help="why it was missed")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    actor: ActorOption = "cli",
) -> None:
    from immunospine.reports import plan_text
    from immunospine.services import database, plan

    day = on.date() if on else _today()
    try:
        with database.opened(db) as handle:
            stored = plan.log_session(
                handle,
                patient_id,
                session,
                actor=actor,
                on=day,
                minutes=minutes,
                missed=missed,
                reason=reason,
            )
    except InputError as exc:
        raise _flagged(exc) from None
    if as_json:
        _echo_json(stored)
        return
    typer.echo(plan_text.render_logged(stored))


@plan_app.command(
    "today",
    help="What is due today: questionnaires and the plan's sessions (the plan options as for "
    "plan show).",
)
def today_command(
    patient_id: PatientId,
    start: StartOption = None,
    minutes: MinutesOption = None,
    prefer: PreferOption = None,
    avoid: AvoidOption = None,
    fused_spine: FusedOption = None,
    osteoporosis: OsteoporosisOption = None,
    fall_risk: FallOption = None,
    red_flag: RedFlagOption = None,
    today: TodayOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    actor: ActorOption = "cli",
) -> None:
    from immunospine.reports import plan_text
    from immunospine.services import database, plan

    options = _options(
        start=start,
        minutes=minutes,
        prefer=prefer,
        avoid=avoid,
        fused_spine=fused_spine,
        osteoporosis=osteoporosis,
        fall_risk=fall_risk,
        red_flag=red_flag,
    )
    day = today.date() if today else _today()
    try:
        with database.opened(db) as handle:
            items = plan.today_list(handle, patient_id, actor=actor, today=day, options=options)
    except InputError as exc:
        raise _flagged(exc) from None
    if as_json:
        _echo_json(items)
        return
    typer.echo(plan_text.render_today(patient_id, items, day.isoformat()))
