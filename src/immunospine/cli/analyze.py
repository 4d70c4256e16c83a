"""``immunospine analyze patient|cohort``: what moved with the pain, for one person or a cohort.

The services do the work (``services.analysis``); ``--json`` prints their values for programs,
otherwise the sentences for the patient come first and the technical table for the clinician
after. Heavy modules (numpy, statsmodels, semopy) are imported inside the commands.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

import typer

from immunospine.cli import app
from immunospine.cli.db import ActorOption, DbOption, with_flags
from immunospine.errors import InputError

analyze_app = typer.Typer(
    help="What moved with the pain: lagged associations, discordance and treatment changes for "
    "one patient; within/between-person effects and pain ↔ inflammation for a cohort. "
    "Associations, not causes.",
    no_args_is_help=True,
)
app.add_typer(analyze_app, name="analyze")

JsonOption = Annotated[bool, typer.Option("--json", help="print JSON (for programs)")]
DATE_FORMATS = ["%Y-%m-%d"]


def _echo_json(value: Any) -> None:
    from immunospine.services.json_output import for_output

    typer.echo(json.dumps(for_output(value), ensure_ascii=False))


def _num(value: Any, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _p(value: Any) -> str:
    if value is None:
        return "—"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def render_patient(result: dict[str, Any]) -> str:
    """The single-person analysis for the terminal: sentences, then the technical table."""
    lines = [
        f"Analysis of {result['patient_id']}: {result['n_days']} diary day(s)"
        + (f" from {result['first_day']} to {result['last_day']}" if result["first_day"] else ""),
        "",
        "What the records show:",
    ]
    lines += [f"  - {s}" for s in result["statements"]]
    rows = result["associations"]
    if rows:
        lines += [
            "",
            "Lagged associations (estimate per unit of the factor; 95 % CI; BH q over all tests):",
            f"  {'outcome':<22}{'factor':<22}{'lag':>4}{'estimate':>10}{'95 % CI':>18}"
            f"{'p':>8}{'q':>8}{'n':>6}",
        ]
        for r in rows:
            ci = f"{_num(r['ci_low'])} to {_num(r['ci_high'])}"
            lines.append(
                f"  {r['outcome']:<22}{r['factor']:<22}{r['lag_days']:>4}{_num(r['estimate']):>10}"
                f"{ci:>18}{_p(r['p_value']):>8}{_p(r['q_value']):>8}{r['n']:>6}"
            )
    changes = result["treatment_changes"]
    if changes:
        lines += ["", "Treatment changes (segmented regression, level change at the event):"]
        for c in changes:
            for r in c["results"]:
                what = f"  {c['on']} {c['kind']} {c['what']}: {r['outcome']}"
                if "level_change" in r:
                    lines.append(
                        f"{what} {_num(r['level_change'])} "
                        f"({_num(r['ci_low'])} to {_num(r['ci_high'])}), p {_p(r['p_value'])}"
                    )
                else:
                    lines.append(f"{what}: {r['not_enough_data']}")
    disc = result["discordance"]
    lines += [
        "",
        f"Discordance: {disc['n_visits_assessed']} visit(s) assessed; "
        f"pain high / inflammation low at {disc['pain_high_inflammation_low']['n_visits']}, "
        f"inflammation high / pain low at {disc['inflammation_high_pain_low']['n_visits']}.",
    ]
    if result["not_enough_data"]:
        lines += ["", "Not enough data:"]
        for m in result["not_enough_data"]:
            where = "/".join(x for x in (m["outcome"], m["factor"]) if x) or "diary"
            lines.append(f"  {where}: {m['reason']}")
    lines += ["", result["disclaimer"]]
    return "\n".join(lines)


def render_cohort(result: dict[str, Any]) -> str:
    """The cohort analysis for the terminal."""
    lines = [
        f"Cohort analysis: {result['n_patients']} patient(s)"
        + (f" with {result['condition']}" if result.get("condition") else ""),
    ]
    model = result.get("mixed_model")
    if model:
        lines += [
            "",
            f"Daily pain, random-slopes model ({model['n_persons']} persons, "
            f"{model['n_days']} days; {model['method']}):",
            f"  {'factor':<16}{'within-person':>30}{'between-person':>30}",
        ]
        for w, b in zip(result["within_person"], result["between_person"], strict=True):
            within = f"{_num(w['estimate'])} ({_num(w['ci_low'])} to {_num(w['ci_high'])})"
            between = f"{_num(b['estimate'])} ({_num(b['ci_low'])} to {_num(b['ci_high'])})"
            lines.append(f"  {w['factor']:<16}{within:>30}{between:>30}")
    cl = result.get("cross_lagged")
    if cl:
        fit = result["fit"]
        lines += [
            "",
            f"Cross-lagged (RI-CLPM, {fit['n_persons']} persons × {fit['n_waves']} visits; "
            "BASDAI and ln(1+CRP)):",
        ]
        for key, words in (
            ("pain_to_inflammation", "pain → later inflammation"),
            ("inflammation_to_pain", "inflammation → later pain"),
        ):
            c = cl[key]
            lines.append(
                f"  {words:<28}{_num(c['estimate'], 3)} "
                f"({_num(c['ci_low'], 3)} to {_num(c['ci_high'], 3)}), p {_p(c['p_value'])}"
            )
        lines.append(
            f"  fit: chi2 {_num(fit['chi2'])} on {fit['dof']} df (p {_p(fit['p_value'])}), "
            f"RMSEA {_num(fit['rmsea'], 3)}"
        )
    for m in result["not_enough_data"]:
        lines += ["", f"{m['analysis']}: {m['reason']}"]
    lines += ["", result["note"], result["disclaimer"]]
    return "\n".join(lines)


@analyze_app.command(
    "patient",
    help="What moved with one patient's pain: lagged associations with stress, sleep, "
    "exercise and CRP, discordance of pain and inflammation, treatment changes.",
)
def patient(
    patient_id: Annotated[str, typer.Argument(metavar="ID", help="pseudonymous patient id")],
    since: Annotated[
        datetime | None,
        typer.Option("--since", formats=DATE_FORMATS, metavar="DATE", help="first day analysed"),
    ] = None,
    max_lag: Annotated[
        int, typer.Option("--max-lag", metavar="DAYS", help="longest lag in days (0–14)")
    ] = 3,
    db: DbOption = None,
    as_json: JsonOption = False,
    actor: ActorOption = "cli",
) -> None:
    from immunospine.services import analysis, database

    try:
        with database.opened(db) as handle:
            result = analysis.analyze_patient(
                handle,
                patient_id,
                actor=actor,
                since=since.date() if since else None,
                max_lag=max_lag,
            )
    except InputError as exc:
        raise with_flags(exc, {"max_lag": "--max-lag", "since": "--since"}) from None
    if as_json:
        _echo_json(result)
        return
    typer.echo(render_patient(result))


@analyze_app.command(
    "cohort",
    help="Within- versus between-person effects of stress, sleep and exercise on pain, and "
    "the RI-CLPM of BASDAI and CRP over visits (pain → inflammation and back).",
)
def cohort(
    condition: Annotated[
        str | None,
        typer.Option("--condition", help="only patients with this diagnosis, e.g. axspa"),
    ] = None,
    waves: Annotated[
        int, typer.Option("--waves", metavar="N", help="visits per person in the RI-CLPM (3–12)")
    ] = 4,
    db: DbOption = None,
    as_json: JsonOption = False,
    actor: ActorOption = "cli",
) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from immunospine.services import analysis, database

    try:
        with (
            database.opened(db) as handle,
            Progress(
                TextColumn("reading records"),
                BarColumn(),
                MofNCompleteColumn(),
                console=Console(stderr=True),
                transient=True,
            ) as progress,
        ):
            task = progress.add_task("read", total=None)

            def report(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            result = analysis.analyze_cohort(
                handle, actor=actor, condition=condition, waves=waves, on_progress=report
            )
    except InputError as exc:
        raise with_flags(exc, {"condition": "--condition", "waves": "--waves"}) from None
    if as_json:
        _echo_json(result)
        return
    typer.echo(render_cohort(result))
