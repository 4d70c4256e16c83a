"""Adherence: done vs due per planned week, extras, streaks, missed reasons."""

from __future__ import annotations

from datetime import date

from immunospine.knowledge.programme.adherence import adherence
from immunospine.knowledge.programme.planner import WeeklyPlan, plan_week
from immunospine.knowledge.programme.request import DoneSession, MissedSession, parse_request

START = "2026-11-30"


def _plans(weeks: int) -> list[WeeklyPlan]:
    return [
        plan_week(
            parse_request({"diagnosis": "ra", "programme_start": START, "week": w, "basfi": 1})
        )
        for w in range(1, weeks + 1)
    ]


def _done(sid: str, day: str, minutes: int | None = 20) -> DoneSession:
    return DoneSession(session=sid, on=date.fromisoformat(day), minutes=minutes)


def test_done_vs_due_moves_within_the_week_and_counts_extras() -> None:
    plans = _plans(1)
    # ra, mild, week 1: mobility ×3, strength ×1, walking 3×20, relaxation ×3 = 10 sessions
    assert len(plans[0].sessions) == 10
    done = [
        _done("brisk_walking", "2026-12-01"),  # planned on Mon/Wed/Fri-ish: same week counts
        _done("brisk_walking", "2026-12-02"),
        _done("brisk_walking", "2026-12-03"),
        _done("brisk_walking", "2026-12-05"),  # a fourth: extra
        _done("strength_training", "2026-12-08"),  # next week: not in week 1
    ]
    result = adherence(plans, done, [], today=date(2026, 12, 6))
    assert (result.due, result.done, result.extra) == (10, 3, 1)
    assert result.by_session["brisk_walking"] == (3, 3)
    assert result.ratio == 0.3
    assert result.to_dict()["ratio"] == 0.3


def test_only_sessions_up_to_today_are_due_and_unlogged_weeks_are_not_zero() -> None:
    plans = _plans(2)
    before = adherence(plans, [], [], today=date(2026, 11, 29))
    assert before.due == 0
    assert before.ratio is None
    assert before.to_dict()["ratio"] is None
    nothing = adherence(plans, [], [], today=date(2026, 12, 13))
    assert (nothing.due, nothing.ratio, nothing.unlogged_weeks) == (0, None, (1, 2))
    missed_only = [MissedSession(session="relaxation", on=date(2026, 11, 30), reason="flu")]
    first_day = adherence(plans, [], missed_only, today=date(2026, 11, 30))
    assert 0 < first_day.due < len(plans[0].sessions)
    assert first_day.ratio == 0
    assert first_day.to_dict()["unlogged_weeks"] == []  # week 2 is still to come


def test_streaks_and_reasons() -> None:
    days = ["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-05", "2026-12-06"]
    done = [_done("spinal_mobility", d, None) for d in days]
    missed = [
        MissedSession(session="brisk_walking", on=date(2026, 12, 4), reason="Too tired "),
        MissedSession(session="strength_training", on=date(2026, 12, 4), reason="too tired"),
        MissedSession(session="relaxation", on=date(2026, 12, 4), reason="no time"),
    ]
    result = adherence(_plans(1), done, missed, today=date(2026, 12, 6))
    assert (result.current_streak_days, result.longest_streak_days) == (2, 3)
    assert result.missed == 3
    assert result.missed_reasons == (("too tired", 2), ("no time", 1))
    data = result.to_dict()
    assert data["missed_reasons"][0] == {"reason": "too tired", "count": 2}
    assert data["by_session"]["spinal_mobility"]["done"] >= 1
    # the current streak may end yesterday; a gap of two days ends it
    assert adherence(_plans(1), done, [], today=date(2026, 12, 7)).current_streak_days == 2
    assert adherence(_plans(1), done, [], today=date(2026, 12, 8)).current_streak_days == 0
