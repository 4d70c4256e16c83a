"""One person's analysis: the JSON names, bad input says "not enough data", planted effects found."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta

import pytest

from immunospine.analysis.person import analyze_person
from immunospine.analysis.series import patient_data
from immunospine.analysis.simulate import PersonSpec, simulate_timeline
from immunospine.records import DiaryEntry, Patient, Timeline, entry_of

ASSOCIATION_KEYS = {
    "outcome",
    "factor",
    "lag_days",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "q_value",
    "n",
}


def _timeline(entries: list[DiaryEntry]) -> Timeline:
    patient = Patient(patient_id="p1", year_of_birth=1980)
    return Timeline(
        patient=patient,
        entries=tuple(sorted((entry_of(e) for e in entries), key=lambda e: e.sort_key())),
    )


def _diary(day: date, **values: float) -> DiaryEntry:
    at = datetime.combine(day, time(9), tzinfo=UTC)
    return DiaryEntry(patient_id="p1", recorded_at=at, **values)  # type: ignore[arg-type]


def test_json_names_and_recovery() -> None:
    result = analyze_person(patient_data(simulate_timeline(PersonSpec(), seed=1)))
    assert {
        "patient_id",
        "n_days",
        "associations",
        "discordance",
        "treatment_changes",
        "not_enough_data",
        "statements",
    } <= set(result)
    assert result["associations"]
    for row in result["associations"]:
        assert set(row) >= ASSOCIATION_KEYS
    by = {(a["outcome"], a["factor"], a["lag_days"]): a for a in result["associations"]}
    sleep = by[("pain_nrs", "sleep_hours", 1)]
    assert sleep["ci_low"] <= -0.4 <= sleep["ci_high"] and sleep["q_value"] < 0.05
    stress = by[("pain_nrs", "stress_nrs", 0)]
    assert stress["ci_low"] <= 0.3 <= stress["ci_high"]
    assert any("slept 1 hour longer" in s and "lower" in s for s in result["statements"])
    assert "not proof" in result["statements"][-1]


def test_no_diary_is_not_enough_data() -> None:
    result = analyze_person(patient_data(_timeline([])))
    assert result["associations"] == [] and result["n_days"] == 0
    assert result["not_enough_data"][0]["reason"].startswith("not enough data")


def test_one_day_is_not_enough_data() -> None:
    result = analyze_person(
        patient_data(_timeline([_diary(date(2026, 1, 1), pain_nrs=5, stress_nrs=3)]))
    )
    assert result["associations"] == []
    assert any(m["outcome"] == "pain_nrs" for m in result["not_enough_data"])


def test_constant_factor_is_not_enough_data() -> None:
    start = date(2026, 1, 1)
    entries = [
        _diary(
            start + timedelta(days=k),
            pain_nrs=float(k % 7),
            stress_nrs=4.0,
            sleep_hours=6 + (k % 3),
        )
        for k in range(120)
    ]
    result = analyze_person(patient_data(_timeline(entries)))
    stress = [
        m
        for m in result["not_enough_data"]
        if m["outcome"] == "pain_nrs" and m["factor"] == "stress_nrs"
    ]
    assert stress and "hardly varies" in stress[0]["reason"]
    assert all(a["factor"] != "stress_nrs" for a in result["associations"])
    assert all(math.isfinite(a["estimate"]) for a in result["associations"])


def test_gaps_leave_too_few_lagged_days() -> None:
    start = date(2026, 1, 1)
    # every other day only: no day has its previous day, so lags 1..3 are never complete
    entries = [
        _diary(start + timedelta(days=2 * k), pain_nrs=float(k % 5), stress_nrs=float(k % 4))
        for k in range(80)
    ]
    result = analyze_person(patient_data(_timeline(entries)), max_lag=3)
    assert result["associations"] == []
    assert any("over lags 0–3" in m["reason"] for m in result["not_enough_data"])


def test_treatment_change_is_found() -> None:
    spec = PersonSpec(effects={}, treatment_day=200, treatment_level=-2.0, n_days=400)
    result = analyze_person(patient_data(simulate_timeline(spec, seed=3)))
    change = next(c for c in result["treatment_changes"] if c["kind"] == "start")
    pain = change["results"][0]
    assert pain["ci_low"] <= -2.0 <= pain["ci_high"] and pain["ci_high"] < 0
    assert "lower" in change["text"]


def test_treatment_without_visits_in_the_period() -> None:
    spec = PersonSpec(treatment_day=30, n_days=200)
    timeline = simulate_timeline(spec, seed=4)
    since = timeline.entries[-1].on - timedelta(days=100)  # after the start, no CRP before
    result = analyze_person(patient_data(timeline, since=since + timedelta(days=1)))
    change = next(c for c in result["treatment_changes"] if c["kind"] == "start")
    assert all("not_enough_data" in r for r in change["results"])
    no_visits = analyze_person(
        patient_data(
            Timeline(
                patient=timeline.patient,
                entries=tuple(e for e in timeline.entries if e.kind != "lab_result"),
            )
        )
    )
    assert no_visits["discordance"]["n_visits_assessed"] == 0
    assert any(
        "no visit" in r.get("not_enough_data", "")
        for c in no_visits["treatment_changes"]
        for r in c["results"]
    )


@pytest.mark.parametrize("max_lag", [0, 1])
def test_max_lag_bounds_the_lags(max_lag: int) -> None:
    result = analyze_person(patient_data(simulate_timeline(PersonSpec(), seed=2)), max_lag=max_lag)
    assert max(a["lag_days"] for a in result["associations"]) == max_lag
