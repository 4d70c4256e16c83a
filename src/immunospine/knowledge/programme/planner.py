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
   it was eased by a flare, or — once the person logs sessions at all — when fewer than half of
   its due sessions were logged as done.
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

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from immunospine.knowledge.instruments import asdas, odi
from immunospine.knowledge.instruments.basdai import ACTIVE_THRESHOLD as BASDAI_ACTIVE
from immunospine.knowledge.programme.catalogue import (
    AXIAL,
    SPONDYLOARTHRITIS,
    Catalogue,
    Session,
    catalogue,
)
from immunospine.knowledge.programme.request import FALL_RED_FLAG, PlanRequest
from immunospine.knowledge.reasoning import red_flags

__all__ = [
    "DISCLAIMER",
    "PlannedSession",
    "RedFlagAdvice",
    "WeeklyPlan",
    "plan_week",
    "week_dates",
    "weekday_name",
]

DISCLAIMER = (
    "This plan is decision support to discuss with your physiotherapist or clinician; it is not "
    "a diagnosis or a prescription."
)
Band = Literal["mild", "moderate", "severe"]
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
_AEROBIC = ("brisk_walking", "cycling", "swimming")
_CUT_ORDER = (
    "supervised",
    "hydrotherapy",
    "mindfulness",
    "relaxation",
    "posture",
    "aerobic",
    "balance",
    "strength",
    "breathing",
    "mobility",
)
_PRIORITY = {c: i for i, c in enumerate(reversed(_CUT_ORDER))}
_FLARE_CUT_ORDER = (
    "supervised",
    "hydrotherapy",
    "posture",
    "aerobic",
    "balance",
    "strength",
    "mindfulness",
    "relaxation",
    "breathing",
    "mobility",
)
"""During a flare relaxation is kept before aerobic and strength work."""
_DAY_OFFSET = {"strength": 1, "balance": 2, "relaxation": 1, "mindfulness": 1, "supervised": 3}


def weekday_name(day: date) -> str:
    """``Tuesday 1 December`` (English, independent of the machine's locale)."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


def week_dates(programme_start: date, week: int) -> tuple[date, date]:
    """First and last day of programme week ``week``."""
    start = programme_start + timedelta(days=7 * (week - 1))
    return start, start + timedelta(days=6)


@dataclass(frozen=True, slots=True)
class PlannedSession:
    """One session on one day."""

    session: str
    title: str
    kind: str
    category: str
    on: date
    minutes: int
    intensity: str
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "session": self.session,
            "title": self.title,
            "kind": self.kind,
            "category": self.category,
            "on": self.on.isoformat(),
            "minutes": self.minutes,
            "intensity": self.intensity,
            "notes": list(self.notes),
        }


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
    cat = catalogue()
    start, end = week_dates(request.programme_start, request.week)
    goal = {
        "aerobic_minutes_per_week": cat.goal.aerobic_moderate_min_per_week,
        "strength_sessions_per_week": cat.goal.strength_sessions_per_week,
    }
    if request.red_flags:
        return _red_flag_plan(request, cat, start, end, goal)
    level, level_why = _level(request, cat)
    step, step_why = _step(request, cat, level)
    eased, flare_day = _eased(request, cat, request.week)
    week = _Week(request, cat, level, step, eased, request.week)
    why = [
        f"Week {request.week} of your programme, {weekday_name(start)} to {weekday_name(end)}.",
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
        week=request.week,
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
        goal=goal,
    )


def _red_flag_plan(
    request: PlanRequest, cat: Catalogue, start: date, end: date, goal: dict[str, int]
) -> WeeklyPlan:
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
        week=request.week,
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
        goal=goal,
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
        odi_level: Band = {"minimal": "mild", "moderate": "moderate"}.get(band, "severe")  # type: ignore[assignment]
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


def _step(request: PlanRequest, cat: Catalogue, level: Band) -> tuple[int, list[str]]:
    """The progression step of ``request.week``: 1 + the earlier weeks that counted."""
    logging = bool(request.done or request.missed)
    step, flare_weeks, held_weeks = 1, [], []
    for k in range(1, request.week):
        eased, _ = _eased(request, cat, k)
        if eased:
            flare_weeks.append(k)
            continue
        if logging:
            planned = _Week(request, cat, level, step, False, k).sessions
            ratio = _done_ratio(planned, request)
            if ratio is not None and ratio < cat.progression.hold_if_done_below:
                held_weeks.append(k)
                continue
        step += 1
    why = []
    if flare_weeks:
        why.append(f"The build-up paused after the flare in {_weeks(flare_weeks)}.")
    if held_weeks:
        why.append(
            f"The plan did not move up after {_weeks(held_weeks)}, when fewer than half of the "
            "sessions were logged as done; it moves up again after a week you mostly manage."
        )
    if not logging and request.week > 1:
        why.append(
            "No sessions are logged yet, so the plan assumes each week went as planned; log "
            "your sessions so it can adapt to you."
        )
    return step, why


def _weeks(numbers: Sequence[int]) -> str:
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


class _Week:
    """Builds one week's sessions; ``why`` and ``safety`` collect the sentences."""

    def __init__(
        self, request: PlanRequest, cat: Catalogue, level: Band, step: int, eased: bool, week: int
    ) -> None:
        self.r, self.cat, self.level, self.step, self.eased = request, cat, level, step, eased
        self.start, _ = week_dates(request.programme_start, week)
        self.why: list[str] = []
        self.safety: list[str] = []
        self.active = self._contraindications()
        self.sessions = self._build()

    def _contraindications(self) -> set[str]:
        r = self.r
        active = {
            name
            for name, on in (
                ("ankylosed_spine", r.ankylosed_spine),
                ("osteoporosis", r.osteoporosis),
                ("fall_risk", r.fall_risk or (r.age is not None and r.age >= self._old())),
                ("flare", self.eased),
                ("infection_or_open_wound", r.infection_or_open_wound),
            )
            if on
        }
        for name in sorted(active):
            self.safety.append(self.cat.contraindications[name].advice)  # type: ignore[index]
        if self.r.diagnosis in AXIAL:
            self.safety.append(
                "If you fall or are knocked and then have new neck or back pain, go to urgent "
                "care today and say you have axial spondyloarthritis; stop the programme until "
                "a doctor has checked you."
            )
        return active

    def _old(self) -> int:
        return self.cat.goal.age_for_balance

    def _ramp(self, s: Session) -> tuple[int, int]:
        """Minutes per session and sessions per week of ``s`` at this step."""
        share = min(1.0, (self.step - 1) / (self.cat.progression.ramp_steps - 1))
        minutes = round(s.minutes_start + (s.minutes_target - s.minutes_start) * share)
        count = round(s.sessions_start + (s.sessions_target - s.sessions_start) * share)
        return minutes, count

    def _build(self) -> list[PlannedSession]:
        r, by_id = self.r, self.cat.by_id()
        wanted: list[tuple[Session, int, int]] = []  # session, minutes, count
        axial, spa = r.diagnosis in AXIAL, r.diagnosis in SPONDYLOARTHRITIS
        mobility = by_id["spinal_mobility"]
        minutes, _ = self._ramp(mobility)
        wanted.append((mobility, minutes, 7 if axial else 3))
        if spa:
            wanted.append((by_id["chest_breathing"], *self._ramp(by_id["chest_breathing"])))
            wanted.append((by_id["posture_practice"], *self._ramp(by_id["posture_practice"])))
        wanted.append(self._strength(by_id["strength_training"]))
        wanted += self._aerobic(by_id)
        balance = self._balance(by_id["balance_training"])
        if balance is not None:
            wanted.append(balance)
        calm = "mindfulness" if "mindfulness" in r.prefer else "relaxation"
        wanted.append((by_id[calm], *self._ramp(by_id[calm])))
        if r.sleep_problem or "sleep_routine" in r.prefer:
            wanted.append((by_id["sleep_routine"], *self._ramp(by_id["sleep_routine"])))
            self.why.append(
                "An evening wind-down and sleep routine is in the plan because "
                + ("you report poor sleep." if r.sleep_problem else "you asked for it.")
            )
        for extra in ("hydrotherapy", "supervised_physiotherapy"):
            if extra in r.prefer:
                wanted.append((by_id[extra], *self._ramp(by_id[extra])))
        kept = self._filter(wanted)
        planned = self._schedule(kept)
        return self._fit(planned)

    def _strength(self, s: Session) -> tuple[Session, int, int]:
        minutes, _ = self._ramp(s)
        second = self.cat.progression.strength_second_session_from_step[self.level]
        count = 1 if self.eased or self.step < second else self.cat.goal.strength_sessions_per_week
        if count < self.cat.goal.strength_sessions_per_week and not self.eased:
            self.why.append(
                "Strength training once a week for now; a second weekly session (the "
                "recommended dose) is added as you build up."
            )
        return s, minutes, count

    def _aerobic(self, by_id: dict[str, Session]) -> list[tuple[Session, int, int]]:
        rules, goal = self.cat.progression, self.cat.goal.aerobic_moderate_min_per_week
        total = min(
            goal, rules.aerobic_start_min[self.level] + rules.aerobic_step_min * (self.step - 1)
        )
        full = total
        if self.eased:
            total = max(rules.aerobic_bout_min, round(total * rules.flare_aerobic_factor))
        choice = [i for i in self.r.prefer if i in _AEROBIC] or [
            i for i in _AEROBIC if i not in self.r.avoid
        ][:1]
        if not choice:
            self.why.append(
                "No aerobic session is planned because you asked to avoid walking, cycling and "
                "swimming; the recommended 150 minutes a week cannot be reached without one."
            )
            return []
        if full >= goal and not self.eased:
            self.why.append(
                f"This week reaches the recommended {goal} minutes a week of moderate aerobic "
                "activity."
            )
        elif self.eased:
            self.why.append(
                f"This week has {total} minutes of easy aerobic activity, about half of the "
                f"{full} it would have had, while the flare settles."
            )
        else:
            self.why.append(
                f"This week has {total} minutes of moderate aerobic activity, building toward "
                f"the recommended {goal} minutes a week."
            )
        bouts = max(math.ceil(total / rules.aerobic_bout_max), min(5, total // 20), 1)
        bouts = min(7, bouts)
        out = []
        for n, sid in enumerate(choice):
            share = bouts // len(choice) + (1 if n < bouts % len(choice) else 0)
            if share:
                out.append((by_id[sid], total // bouts, share))
        return out

    def _balance(self, s: Session) -> tuple[Session, int, int] | None:
        r = self.r
        old = r.age is not None and r.age >= self._old()
        if not (old or r.ankylosed_spine or r.fall_risk):
            return None
        minutes, count = self._ramp(s)
        count = self.cat.goal.balance_sessions_per_week_age_65 if old else count
        self.why.append(
            "Balance practice is in the plan "
            + (
                "because from age 65 it is recommended three times a week."
                if old
                else "to lower the risk of falls."
            )
        )
        return s, minutes, count

    def _filter(self, wanted: Iterable[tuple[Session, int, int]]) -> list[tuple[Session, int, int]]:
        kept = []
        for s, minutes, count in wanted:
            if s.id in self.r.avoid:
                self.why.append(f"{s.title} is left out because you asked to avoid it.")
                continue
            if not s.offered_for(self.r.diagnosis):
                self.why.append(
                    f"{s.title} is not part of the programme for this diagnosis; ask your "
                    "physiotherapist whether it suits you."
                )
                continue
            blocked = sorted(set(s.avoid_if) & self.active)
            if blocked:
                self.why.append(
                    f"{s.title} is left out because of "
                    f"{self.cat.contraindications[blocked[0]].label}."  # type: ignore[index]
                )
                continue
            kept.append((s, minutes, count))
        return kept

    def _schedule(self, kept: Sequence[tuple[Session, int, int]]) -> list[PlannedSession]:
        planned = []
        used_days: dict[str, int] = {}
        for s, minutes, count in kept:
            notes = tuple(
                text for name, text in sorted(s.caution_if.items()) if name in self.active
            )
            offset = _DAY_OFFSET.get(s.category, 0) + used_days.get(s.category, 0)
            intensity = "light" if self.eased else s.intensity
            for i in range(count):
                day = (offset + math.floor(i * 7 / count)) % 7
                planned.append(
                    PlannedSession(
                        s.id,
                        s.title,
                        s.kind,
                        s.category,
                        self.start + timedelta(days=day),
                        minutes,
                        intensity,
                        notes,
                    )
                )
            used_days[s.category] = used_days.get(s.category, 0) + 1
        planned.sort(key=lambda p: (p.on, _PRIORITY.get(p.category, len(_PRIORITY))))
        return planned

    def _fit(self, planned: list[PlannedSession]) -> list[PlannedSession]:
        budget = self.r.minutes_per_week
        counted = [p for p in planned if p.category != "sleep_routine"]
        total = sum(p.minutes for p in counted)
        if budget is None or total <= budget:
            return planned
        left_out: list[str] = []
        for category in _FLARE_CUT_ORDER if self.eased else _CUT_ORDER:
            while total > budget:
                last = next((p for p in reversed(planned) if p.category == category), None)
                if last is None:
                    break
                planned.remove(last)
                total -= last.minutes
                left_out.append(last.title)
        n = len(left_out)
        self.why.append(
            f"The plan fits your {budget} minutes a week; the full plan for this week would "
            f"take {sum(p.minutes for p in counted)} minutes, so {n} "
            f"{'session was' if n == 1 else 'sessions were'} left out ({_named(left_out)})."
        )
        return planned


def _named(titles: Sequence[str]) -> str:
    counts: dict[str, int] = {}
    for t in titles:
        counts[t] = counts.get(t, 0) + 1
    return "; ".join(f"{t} ×{n}" if n > 1 else t for t, n in counts.items())
