"""Plain-text views of the programme for the terminal: the week's plan, today's list, a logged
session. Rendering only: each function takes the ``to_dict()`` a service returned."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

__all__ = ["render_logged", "render_plan", "render_today"]

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{_DAYS[d.weekday()]} {d.day:>2} {_MONTHS[d.month - 1]}"


def render_plan(plan: Mapping[str, Any]) -> str:
    """The week's plan (``PatientPlan.to_dict()``)."""
    head = (
        f"{plan['patient_id']} · programme week {plan['week']} "
        f"({_day(plan['week_start'])} – {_day(plan['week_end'])}) · {plan['diagnosis']}"
    )
    out = [head, ""]
    if plan["status"] == "red_flag":
        out.append("NO PLAN THIS WEEK: a red flag is open.")
        for flag in plan["red_flags"]:
            out += [f"  ! {flag['label']} ({flag['urgency']})", f"    {flag['advice']}"]
        out += ["", plan["not_a_diagnosis"]]
        return "\n".join(out)
    if plan["eased"]:
        out[0] += " · eased for a flare"
    out.append("Why this plan")
    out += [f"  - {line}" for line in plan["explanations"]]
    out += ["", "Sessions"]
    width = max((len(s["title"]) for s in plan["sessions"]), default=0)
    for s in plan["sessions"]:
        out.append(
            f"  {_day(s['on'])}  {s['title']:<{width}}  {s['minutes']:>3} min  {s['intensity']}"
        )
        out += [f"{'':14}note: {n}" for n in s["notes"]]
    t, g = plan["totals"], plan["goal"]
    out += [
        "",
        f"This week: {t['sessions']} sessions, {t['minutes']} min; aerobic "
        f"{t['aerobic_minutes']} of {g['aerobic_minutes_per_week']} min; strength "
        f"{t['strength_sessions']} of {g['strength_sessions_per_week']} sessions.",
        _adherence(plan["adherence"]),
    ]
    if plan["safety"]:
        out += ["", "Safety"] + [f"  - {line}" for line in plan["safety"]]
    out += [
        "",
        f"Sources: {', '.join(plan['sources'])}. Not yet verified: {len(plan['unverified'])} "
        "facts (listed with --json and in docs/reference/programme.md).",
        f"{plan['not_a_diagnosis']} {plan['disclaimer']}",
    ]
    return "\n".join(out)


def _adherence(a: Mapping[str, Any]) -> str:
    if a["ratio"] is None:
        text = "Adherence: no sessions logged yet"
    else:
        text = (
            f"Adherence: {a['done']} of {a['due']} due sessions logged as done ({a['ratio']:.0%})"
        )
    if a["unlogged_weeks"]:
        weeks = ", ".join(str(w) for w in a["unlogged_weeks"])
        text += f"; nothing logged in week{'s' if len(a['unlogged_weeks']) > 1 else ''} {weeks}"
    text += f"; streak {a['current_streak_days']} days (longest {a['longest_streak_days']})"
    if a["missed_reasons"]:
        reasons = ", ".join(f"{r['reason']} ×{r['count']}" for r in a["missed_reasons"])
        text += f"; missed: {reasons}"
    return text + "."


def render_today(patient_id: str, items: Sequence[Mapping[str, Any]], today: str) -> str:
    """Today's list (``plan.today_list``)."""
    if not items:
        return f"{patient_id}: nothing due on {today}"
    out = [f"{patient_id} · due on {_day(today)}"]
    for i in items:
        mark = {"red_flag": "!", "questionnaire": "?"}.get(i["type"], "x" if i["done"] else " ")
        out.append(f"  [{mark}] {i['title']} — {i['detail']}")
    return "\n".join(out)


def render_logged(stored: Mapping[str, Any]) -> str:
    """One logged session (the intervention as stored)."""
    note = stored.get("note") or ""
    if note.startswith("missed: "):
        return (
            f"{stored['patient_id']}: {stored['activity']} on {stored['performed_on']} logged as "
            f"missed ({note[len('missed: ') :]})"
        )
    minutes = f", {stored['duration_min']} min" if stored.get("duration_min") else ""
    return (
        f"{stored['patient_id']}: {stored['activity']} done on {stored['performed_on']}"
        f"{minutes} (intervention {stored['id']}, {stored['kind']})"
    )
