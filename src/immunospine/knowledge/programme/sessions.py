"""One week's sessions: ``WeekBuilder`` turns a level, a step and whether a flare eases the
week into sessions on days, with the sentences that explain its choices (rules 3–6 of
``planner``), and ``PlannedSession``, one session on one day."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from immunospine.knowledge.programme.catalogue import (
    AXIAL,
    SPONDYLOARTHRITIS,
    Catalogue,
    Session,
)
from immunospine.knowledge.programme.request import PlanRequest

__all__ = ["Band", "PlannedSession", "WeekBuilder", "week_dates"]

Band = Literal["mild", "moderate", "severe"]

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


class WeekBuilder:
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
        for name, rule in sorted(self.cat.contraindications.items()):
            if name in active:
                self.safety.append(rule.advice)
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
            blocked = sorted(c for c in s.avoid_if if c in self.active)
            if blocked:
                self.why.append(
                    f"{s.title} is left out because of "
                    f"{self.cat.contraindications[blocked[0]].label}."
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
