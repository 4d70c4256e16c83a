"""Adherence to the plan: sessions done vs planned, streaks, reasons for missed sessions.

**Rule**: within each planned week, a session id planned ``n`` times and logged as done ``m``
times in that week counts ``min(n, m)`` as done (the day may move within the week); only
sessions planned on or before ``today`` are due. Done sessions beyond the plan are counted
apart (``extra``). A week in which nothing was logged (neither done nor missed) is not read as
nothing done: it is left out of ``due`` and ``done`` and listed in ``unlogged_weeks``. A
streak is a run of consecutive days with at least one session done; the current streak ends
today or yesterday. Missed-session reasons are counted as written (case
and surrounding spaces ignored), most frequent first.

With nothing due the ratio is ``None`` (not zero). No validated adherence questionnaire is
built in: the Exercise Adherence Rating Scale (EARS) exists but was validated in chronic low
back pain, not in axSpA or RA (treatment.md §7.6).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from immunospine.knowledge.programme.planner import WeeklyPlan
from immunospine.knowledge.programme.request import DoneSession, MissedSession

__all__ = ["Adherence", "adherence"]


@dataclass(frozen=True, slots=True)
class Adherence:
    """Adherence over the given weeks up to ``today``."""

    today: date
    due: int
    done: int
    extra: int
    by_session: dict[str, tuple[int, int]]
    """session id → (due, done)"""
    current_streak_days: int
    longest_streak_days: int
    missed: int
    missed_reasons: tuple[tuple[str, int], ...]
    unlogged_weeks: tuple[int, ...] = ()

    @property
    def ratio(self) -> float | None:
        return self.done / self.due if self.due else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "due": self.due,
            "done": self.done,
            "ratio": None if self.ratio is None else round(self.ratio, 3),
            "extra": self.extra,
            "by_session": {
                k: {"due": d, "done": n} for k, (d, n) in sorted(self.by_session.items())
            },
            "current_streak_days": self.current_streak_days,
            "longest_streak_days": self.longest_streak_days,
            "missed": self.missed,
            "missed_reasons": [{"reason": r, "count": n} for r, n in self.missed_reasons],
            "unlogged_weeks": list(self.unlogged_weeks),
        }


def adherence(
    plans: Sequence[WeeklyPlan],
    done: Sequence[DoneSession],
    missed: Sequence[MissedSession],
    *,
    today: date,
) -> Adherence:
    """Adherence to ``plans`` (weeks) given the sessions logged (see the module docstring)."""
    due_total = done_total = extra = 0
    by_session: dict[str, list[int]] = {}
    unlogged: list[int] = []
    for plan in plans:
        if plan.week_start > today:
            continue  # a week still to come
        last = min(plan.week_end, today)
        days = [d.on for d in done] + [m.on for m in missed]
        if not any(plan.week_start <= day <= last for day in days):
            unlogged.append(plan.week)
            continue
        due: dict[str, int] = {}
        for p in plan.sessions:
            if p.on <= today:
                due[p.session] = due.get(p.session, 0) + 1
        logged: dict[str, int] = {}
        for d in done:
            if plan.week_start <= d.on <= last:
                logged[d.session] = logged.get(d.session, 0) + 1
        for sid in sorted(set(due) | set(logged)):
            n, m = due.get(sid, 0), logged.get(sid, 0)
            row = by_session.setdefault(sid, [0, 0])
            row[0] += n
            row[1] += min(n, m)
            due_total += n
            done_total += min(n, m)
            extra += max(0, m - n)
    current, longest = _streaks({d.on for d in done if d.on <= today}, today)
    reasons: dict[str, int] = {}
    for miss in missed:
        key = miss.reason.strip().casefold()
        reasons[key] = reasons.get(key, 0) + 1
    return Adherence(
        today=today,
        due=due_total,
        done=done_total,
        extra=extra,
        by_session={k: (v[0], v[1]) for k, v in by_session.items()},
        current_streak_days=current,
        longest_streak_days=longest,
        missed=len(missed),
        missed_reasons=tuple(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
        unlogged_weeks=tuple(unlogged),
    )


def _streaks(days: set[date], today: date) -> tuple[int, int]:
    longest = 0
    for day in days:
        if day - timedelta(days=1) in days:
            continue  # not the start of a run
        length = 1
        while day + timedelta(days=length) in days:
            length += 1
        longest = max(longest, length)
    end = today if today in days else today - timedelta(days=1)
    current = 0
    while end - timedelta(days=current) in days:
        current += 1
    return current, longest
