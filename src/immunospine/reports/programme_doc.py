"""``docs/reference/programme.md``: the programme catalogue as a reference page, generated from
``knowledge/programme/data/catalogue.toml`` (registered in ``immunospine.docsgen``)."""

from __future__ import annotations

from immunospine.knowledge.programme.catalogue import Catalogue, catalogue

__all__ = ["render_programme"]

_REGENERATE = "python -m immunospine.docsgen --write"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _status(verified: bool) -> str:
    return "verified" if verified else "**not verified**"


def render_programme(cat: Catalogue | None = None) -> str:
    """The whole page (deterministic: catalogue order, no dates)."""
    c = cat or catalogue()
    g, p = c.goal, c.progression
    out = [
        "# Exercise, physiotherapy and stress-reduction programme",
        "",
        f"<!-- Generated from the programme catalogue by `{_REGENERATE}`. Do not edit. -->",
        "",
        f"Catalogue version {c.version}. The sessions `immunospine plan` draws on, with "
        "their dose, progression, safety notes, contraindications and sources. A plan is "
        "decision support to discuss with a physiotherapist or clinician; it is not a "
        "diagnosis or a prescription. *Verified* means every dose fact of the entry was found "
        "in its sources; what was not is listed under the entry.",
        "",
        "## The dose the plan grows toward",
        "",
        f"- {g.aerobic_moderate_min_per_week} minutes a week of moderate aerobic activity;",
        f"- strength training {g.strength_sessions_per_week} times a week;",
        f"- balance practice {g.balance_sessions_per_week_age_65} times a week from age "
        f"{g.age_for_balance}.",
        "",
        f"Sources: {', '.join(g.sources)} ({_status(g.verified)}).",
        "",
        "## How the plan grows (our operational rules)",
        "",
        "| rule | value |",
        "|---|---|",
        "| aerobic minutes in week 1 (mild / moderate / severe level) | "
        + " / ".join(str(p.aerobic_start_min[b]) for b in ("mild", "moderate", "severe"))
        + " |",
        f"| added each week | {p.aerobic_step_min} minutes, up to the goal |",
        f"| aerobic bouts | {p.aerobic_bout_min}–{p.aerobic_bout_max} minutes |",
        "| second strength session from step (mild / moderate / severe) | "
        + " / ".join(
            str(p.strength_second_session_from_step[b]) for b in ("mild", "moderate", "severe")
        )
        + " |",
        f"| other sessions reach their target dose after | {p.ramp_steps} steps |",
        f"| a week does not count as a step when fewer than this share was logged done | "
        f"{p.hold_if_done_below:.0%} |",
        f"| a flare eases the week when reported in it or this many days before | "
        f"{p.flare_lookback_days} |",
        f"| aerobic minutes during a flare | × {p.flare_aerobic_factor:g} |",
        f"| BASFI limited / severe from | {p.basfi_limited_from:g} / {p.basfi_severe_from:g} |",
        "",
        f"Status: {_status(p.verified)}.",
        *(f"- {u}" for u in p.unverified),
        "",
        "## Sessions",
        "",
        "| id | category | record kind | dose | status |",
        "|---|---|---|---|---|",
    ]
    for s in c.session:
        out.append(
            f"| [`{s.id}`](#{s.id.replace('_', '-')}) | {s.category} | {s.kind} | "
            f"{_cell(s.dose)} | {_status(s.verified)} |"
        )
    for s in c.session:
        offered = "every diagnosis" if "all" in s.for_ else ", ".join(s.for_)
        out += [
            "",
            f"### {s.id}",
            "",
            f"**{s.title}** — {s.category}, logged as `{s.kind}`, {s.intensity} intensity; "
            f"offered for {offered}.",
            "",
            f"- How: {s.how}",
            f"- Dose: {s.dose} (week 1: {s.sessions_start} × {s.minutes_start} min; target: "
            f"{s.sessions_target} × {s.minutes_target} min)",
            f"- Progression: {s.progression}",
        ]
        out += [f"- Safety: {line}" for line in s.safety]
        out += [f"- Left out with {name.replace('_', ' ')}." for name in s.avoid_if]
        out += [
            f"- With {name.replace('_', ' ')}: {text}"
            for name, text in sorted(s.caution_if.items())
        ]
        out.append(f"- Sources: {', '.join(s.sources)} ({_status(s.verified)})")
        out += [f"  - not verified: {u}" for u in s.unverified]
    out += ["", "## Contraindications and safety rules", ""]
    for name, rule in c.contraindications.items():
        out.append(
            f"- **{rule.label}** (`{name}`): {rule.advice} Sources: "
            f"{', '.join(rule.sources)} ({_status(rule.verified)})."
        )
        out += [f"  - not verified: {u}" for u in rule.unverified]
    fall = c.red_flag["new_pain_after_fall"]
    out += [
        "",
        "## Red flag: new pain after a fall",
        "",
        f"When a person reports {fall.label}, there is no plan, only this advice.",
        "",
        f"- With axial spondyloarthritis: {fall.advice_axial}",
        f"- Otherwise: {fall.advice_other}",
        f"- Sources: {', '.join(fall.sources)} ({_status(fall.verified)})",
        *(f"  - not verified: {u}" for u in fall.unverified),
        "",
        "Every red flag of the triage (`red_flags.toml`) also stops the plan and shows its advice.",
        "",
        "## Sources",
        "",
        "| code | source |",
        "|---|---|",
    ]
    for code, src in sorted(c.sources.items()):
        out.append(f"| {code} | {_cell(src.text)} — <{src.url}> |")
    return "\n".join(out) + "\n"
