"""One week of the programme: ``plan_week(request)`` → ``WeeklyPlan``.

**Rule** (the dose from ``catalogue.toml [goal]``, WHO 2020 and EULAR 2018; the steps from
``[progression]``, our own operational choices, marked unverified):

1. An open red flag → no plan; the red-flag advice instead (``status = "red_flag"``).
2. The starting level (mild, moderate, severe) comes from function — BASFI (limited from 4,
   severe from 7; operational, BASFI has no published cut-off) and ODI (its published bands) —
   the worse of the two; with neither on record the plan starts at the middle level and says
   so. High disease activity (BASDAI ≥ 4 or ASDAS ≥ 2.1) starts one level gentler.
3. The plan grows one step a week: aerobic minutes from the level's start by 15 a week up to
   150, the second strength session from a level-dependent step, every other session from its
   start dose to its target dose over ``ramp_steps`` steps. A week does not count as a step when
   it was eased by a flare, or when sessions were logged in it and fewer than half of its
   sessions were logged as done (a week with nothing logged counts as planned, and is named).
4. A flare reported in the week or the 7 days before it eases the week: aerobic minutes halved,
   one light strength session, mobility, breathing and relaxation kept.
5. Preferences choose among equivalent sessions (the aerobic activity, mindfulness over
   relaxation) and add hydrotherapy or supervised physiotherapy; ``avoid`` removes a session.
   Contraindications remove sessions (``avoid_if``) or add cautions (``caution_if``).
6. Over the person's minutes per week, sessions are cut lowest priority first (supervised,
   pool, stress reduction, posture, aerobic bouts, balance, strength, breathing, mobility); the
   evening sleep routine takes no exercise time and is not cut.

Every choice is explained in a sentence (``explanations``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from immunospine.knowledge.instruments import asdas, odi
from immunospine.knowledge.instruments.basdai import ACTIVE_THRESHOLD as BASDAI_ACTIVE
from immunospine.knowledge.programme.catalogue import (
    AXIAL,
    Catalogue,
    catalogue,
)
from immunospine.knowledge.programme.request import FALL_RED_FLAG, PlanRequest
from immunospine.knowledge.programme.sessions import (
    Band,
    PlannedSession,
    WeekBuilder,
    week_dates,
)
from immunospine.knowledge.reasoning import red_flags

__all__ = [
    "DISCLAIMER",
    "PlannedSession",
    "RedFlagAdvice",
    "WeeklyPlan",
    "plan_week",
    "plan_weeks",
    "week_dates",
    "weekday_name",
]

DISCLAIMER = (
    "This plan is decision support to discuss with your physiotherapist or clinician; it is not "
    "a diagnosis or a prescription."
)
_BANDS: tuple[Band, ...] = ("mild", "moderate", "severe")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def weekday_name(day: date) -> str:
    """``Tuesday 1 December`` (English, independent of the machine's locale)."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


@dataclass(frozen=True, slots=True)
class RedFlagAdvice:
    """An open red flag and what to do about it."""

    item: str
    label: str
    advice: str
    urgency: str

    def to_dict(self) -> dict[str, str]:
        return {
            "item": self.item,
            "label": self.label,
            "advice": self.advice,
            "urgency": self.urgency,
        }


@dataclass(frozen=True, slots=True)
class WeeklyPlan:
    """The plan for one programme week, or the red-flag advice instead of one."""

    status: Literal["plan", "red_flag"]
    diagnosis: str
    week: int
    week_start: date
    week_end: date
    level: Band | None
    step: int
    eased: bool
    sessions: tuple[PlannedSession, ...]
    explanations: tuple[str, ...]
    safety: tuple[str, ...]
    red_flags: tuple[RedFlagAdvice, ...] = ()
    sources: tuple[str, ...] = ()
    unverified: tuple[str, ...] = ()
    goal: dict[str, int] = field(default_factory=dict)

    @property
    def aerobic_minutes(self) -> int:
        return sum(s.minutes for s in self.sessions if s.category == "aerobic")

    def count(self, category: str) -> int:
        return sum(1 for s in self.sessions if s.category == category)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "diagnosis": self.diagnosis,
            "week": self.week,
            "week_start": self.week_start.isoformat(),
            "week_end": self.week_end.isoformat(),
            "level": self.level,
            "step": self.step,
            "eased": self.eased,
            "sessions": [s.to_dict() for s in self.sessions],
            "totals": {
                "sessions": len(self.sessions),
                "minutes": sum(s.minutes for s in self.sessions),
                "aerobic_minutes": self.aerobic_minutes,
                "strength_sessions": self.count("strength"),
            },
            "goal": dict(self.goal),
            "explanations": list(self.explanations),
            "safety": list(self.safety),
            "red_flags": [r.to_dict() for r in self.red_flags],
            "sources": list(self.sources),
            "unverified": list(self.unverified),
            "disclaimer": DISCLAIMER,
        }


def plan_week(request: PlanRequest) -> WeeklyPlan:
    """The plan for ``request.week`` (see the module docstring for the rule)."""
    return plan_weeks(request)[-1]


def plan_weeks(request: PlanRequest) -> list[WeeklyPlan]:
    """The plans of weeks 1 to ``request.week``, in one pass (each week's step builds on the
    weeks before it, so this is linear where planning each week alone would be quadratic)."""
    cat = catalogue()
    if request.red_flags:
        return [_red_flag_plan(request, cat, w) for w in range(1, request.week + 1)]
    level, level_why = _level(request, cat)
    return [
        _plan(request, cat, week, level, level_why, step, step_why)
        for week, (step, step_why) in enumerate(_steps(request, cat, level), start=1)
    ]


def _plan(
    request: PlanRequest,
    cat: Catalogue,
    number: int,
    level: Band,
    level_why: Sequence[str],
    step: int,
    step_why: Sequence[str],
) -> WeeklyPlan:
    start, end = week_dates(request.programme_start, number)
    eased, flare_day = _eased(request, cat, number)
    week = WeekBuilder(request, cat, level, step, eased, number)
    why = [
        f"Week {number} of your programme, {weekday_name(start)} to {weekday_name(end)}.",
        *level_why,
        *step_why,
    ]
    if flare_day is not None:
        why.append(
            f"Fewer and gentler sessions this week because you reported a flare on "
            f"{weekday_name(flare_day)}: shorter aerobic sessions, one light strength session, "
            "and mobility, breathing and relaxation kept."
        )
    why += week.why
    used = {s.session for s in week.sessions}
    by_id = cat.by_id()
    sources = sorted(
        {*cat.goal.sources, *cat.progression.sources}.union(*(by_id[i].sources for i in used))
    )
    unverified = [*cat.progression.unverified]
    for i in sorted(used):
        unverified += [f"{i}: {u}" for u in by_id[i].unverified]
    return WeeklyPlan(
        status="plan",
        diagnosis=request.diagnosis,
        week=number,
        week_start=start,
        week_end=end,
        level=level,
        step=step,
        eased=eased,
        sessions=tuple(week.sessions),
        explanations=tuple(why),
        safety=tuple(week.safety),
        sources=tuple(sources),
        unverified=tuple(unverified),
        goal=_goal(cat),
    )


def _goal(cat: Catalogue) -> dict[str, int]:
    return {
        "aerobic_minutes_per_week": cat.goal.aerobic_moderate_min_per_week,
        "strength_sessions_per_week": cat.goal.strength_sessions_per_week,
    }


def _red_flag_plan(request: PlanRequest, cat: Catalogue, number: int) -> WeeklyPlan:
    start, end = week_dates(request.programme_start, number)
    advice = []
    for item in request.red_flags:
        if item == FALL_RED_FLAG:
            rule = cat.red_flag["new_pain_after_fall"]
            axial = request.diagnosis in AXIAL
            text = rule.advice_axial if axial else rule.advice_other
            advice.append(RedFlagAdvice(item, rule.label, text, "urgent"))
            continue
        data = red_flags.catalogue()
        found = data.items[item]
        condition = data.conditions[found.suspected]
        advice.append(RedFlagAdvice(item, found.label, condition.action, condition.urgency))
    return WeeklyPlan(
        status="red_flag",
        diagnosis=request.diagnosis,
        week=number,
        week_start=start,
        week_end=end,
        level=None,
        step=0,
        eased=False,
        sessions=(),
        explanations=(
            "No exercise plan while a red flag is open: follow the advice below first, and "
            "restart the programme once a doctor has checked you.",
        ),
        safety=(),
        red_flags=tuple(advice),
        goal=_goal(cat),
    )


def _level(request: PlanRequest, cat: Catalogue) -> tuple[Band, list[str]]:
    rules = cat.progression
    found: list[tuple[Band, str]] = []
    if request.basfi is not None:
        basfi: Band = (
            "severe"
            if request.basfi >= rules.basfi_severe_from
            else "moderate"
            if request.basfi >= rules.basfi_limited_from
            else "mild"
        )
        found.append((basfi, f"BASFI {request.basfi:g}"))
    if request.odi is not None:
        band = odi.BANDS.classify(request.odi)
        odi_level: Band = (
            "mild" if band == "minimal" else "moderate" if band == "moderate" else "severe"
        )
        found.append((odi_level, f"ODI {request.odi:g} %"))
    if not found:
        level: Band = "moderate"
        why = [
            "There is no BASFI or ODI on record, so the plan starts at the middle level; a "
            "function questionnaire would let it fit you better."
        ]
    else:
        level, shown = max(found, key=lambda f: _BANDS.index(f[0]))
        why = [f"Your starting level is {level}, from your function score ({shown})."]
    active = _high_activity(request)
    if active is not None and level != "severe":
        level = _BANDS[_BANDS.index(level) + 1]
        why.append(
            f"Your disease activity is high ({active}), so the starting level is one gentler "
            f"({level})."
        )
    return level, why


def _high_activity(request: PlanRequest) -> str | None:
    if request.basdai is not None and request.basdai >= BASDAI_ACTIVE:
        return f"BASDAI {request.basdai:g}"
    if request.asdas is not None and asdas.STATES.classify(request.asdas) in ("high", "very_high"):
        return f"ASDAS {request.asdas:g}"
    return None


def _eased(request: PlanRequest, cat: Catalogue, week: int) -> tuple[bool, date | None]:
    """Whether ``week`` is eased, and the latest flare day that eases it."""
    start, end = week_dates(request.programme_start, week)
    since = start - timedelta(days=cat.progression.flare_lookback_days)
    days = [d for d in request.flare_dates if since <= d <= end]
    return (True, max(days)) if days else (False, None)


def _steps(request: PlanRequest, cat: Catalogue, level: Band) -> list[tuple[int, list[str]]]:
    """Each week's progression step (1 + the earlier weeks that counted) and why.

    A week with nothing logged (neither done nor missed) is not read as nothing done: it counts
    as planned, and the explanation says so.
    """
    out: list[tuple[int, list[str]]] = []
    step = 1
    flare_weeks: list[int] = []
    held_weeks: list[int] = []
    unlogged: list[int] = []
    days = [d.on for d in request.done] + [m.on for m in request.missed]
    for k in range(1, request.week):  # the last week's own outcome moves no later week
        out.append((step, _step_why(flare_weeks, held_weeks, unlogged)))
        eased, _ = _eased(request, cat, k)
        if eased:
            flare_weeks.append(k)
            continue
        start, end = week_dates(request.programme_start, k)
        if not any(start <= day <= end for day in days):
            unlogged.append(k)
        else:
            planned = WeekBuilder(request, cat, level, step, False, k).sessions
            ratio = _done_ratio(planned, request)
            if ratio is not None and ratio < cat.progression.hold_if_done_below:
                held_weeks.append(k)
                continue
        step += 1
    out.append((step, _step_why(flare_weeks, held_weeks, unlogged)))
    return out


def _step_why(flare_weeks: list[int], held_weeks: list[int], unlogged: list[int]) -> list[str]:
    why = []
    if flare_weeks:
        why.append(f"The build-up paused after the flare in {_weeks(flare_weeks)}.")
    if held_weeks:
        why.append(
            f"The plan did not move up after {_weeks(held_weeks)}, when fewer than half of the "
            "sessions were logged as done; it moves up again after a week you mostly manage."
        )
    if unlogged:
        why.append(
            f"No sessions were logged in {_weeks(unlogged)}, so the plan assumes "
            f"{'it' if len(unlogged) == 1 else 'they'} went as planned; log your sessions so "
            "it can adapt to you."
        )
    return why


MAX_WEEKS_LISTED = 6
"""Longer lists of weeks are summed up: a person reads "12 weeks, most recently weeks 40, 43
and 44", not every number of a long programme."""


def _weeks(numbers: Sequence[int]) -> str:
    if len(numbers) > MAX_WEEKS_LISTED:
        last = [str(n) for n in numbers[-3:]]
        return f"{len(numbers)} weeks, most recently weeks {', '.join(last[:-1])} and {last[-1]}"
    return ("week " if len(numbers) == 1 else "weeks ") + ", ".join(str(n) for n in numbers)


def _done_ratio(planned: Sequence[PlannedSession], request: PlanRequest) -> float | None:
    if not planned:
        return None
    first, last = planned[0].on, planned[0].on
    for p in planned:
        first, last = min(first, p.on), max(last, p.on)
    wanted: dict[str, int] = {}
    for p in planned:
        wanted[p.session] = wanted.get(p.session, 0) + 1
    done: dict[str, int] = {}
    for d in request.done:
        if first <= d.on <= last:
            done[d.session] = done.get(d.session, 0) + 1
    matched = sum(min(n, done.get(s, 0)) for s, n in wanted.items())
    return matched / len(planned)
