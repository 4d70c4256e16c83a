"""The cohort analysis: within/between effects and the RI-CLPM find planted effects."""

from __future__ import annotations

import pandas as pd

from immunospine.analysis.cohort import riclpm, within_between
from immunospine.analysis.simulate import simulate_cohort, simulate_panel


def test_within_and_between_differ_as_planted() -> None:
    result = within_between(simulate_cohort(200, 40, seed=5))
    within = {r["factor"]: r for r in result["within_person"]}
    between = {r["factor"]: r for r in result["between_person"]}
    assert within["stress_nrs"]["ci_low"] <= 0.3 <= within["stress_nrs"]["ci_high"]
    assert within["sleep_hours"]["ci_low"] <= -0.3 <= within["sleep_hours"]["ci_high"]
    # person means carry a little day-to-day noise, which pulls between a bit toward within
    assert abs(between["stress_nrs"]["estimate"] - 0.6) < 0.15
    assert between["stress_nrs"]["ci_low"] > within["stress_nrs"]["ci_high"]
    assert result["model"]["n_persons"] == 200


def test_two_stage_agrees_with_reml() -> None:
    frame = simulate_cohort(150, 40, seed=6)
    reml = within_between(frame)
    fast = within_between(frame, max_persons=100)
    assert "Swamy" in fast["model"]["method"] and fast["model"]["n_persons"] == 150
    for part in ("within_person", "between_person"):
        for a, b in zip(reml[part], fast[part], strict=True):
            assert abs(a["estimate"] - b["estimate"]) < 0.05, (part, a, b)
            assert 0.7 < (a["ci_high"] - a["ci_low"]) / (b["ci_high"] - b["ci_low"]) < 1.4


def test_two_stage_recovers_planted_effects_in_a_large_cohort() -> None:
    result = within_between(simulate_cohort(2000, 60, seed=7))
    within = {r["factor"]: r for r in result["within_person"]}
    assert within["stress_nrs"]["ci_low"] <= 0.3 <= within["stress_nrs"]["ci_high"]
    assert within["exercise_min"]["ci_low"] <= -0.05 <= within["exercise_min"]["ci_high"]
    assert abs(within["stress_nrs"]["slope_sd"] - 0.1) < 0.03


def test_too_few_persons_is_not_enough_data() -> None:
    result = within_between(simulate_cohort(3, 30, seed=1))
    assert result["within_person"] == []
    assert result["not_enough_data"]["reason"].startswith("not enough data")


def test_riclpm_recovers_a_one_way_link() -> None:
    panel = simulate_panel(600, 4, pain_to_inflammation=0.0, inflammation_to_pain=0.3, seed=4)
    result = riclpm(panel)
    up = result["cross_lagged"]["inflammation_to_pain"]
    back = result["cross_lagged"]["pain_to_inflammation"]
    assert up["ci_low"] <= 0.3 <= up["ci_high"] and up["p_value"] < 0.05
    assert back["ci_low"] <= 0.0 <= back["ci_high"]
    assert result["fit"]["n_persons"] == 600 and result["fit"]["n_waves"] == 4


def test_riclpm_needs_persons() -> None:
    empty = pd.DataFrame(columns=["person", "wave", "pain", "inflammation"])
    result = riclpm(empty)
    assert (
        result["cross_lagged"] is None and "not enough data" in result["not_enough_data"]["reason"]
    )


def test_a_factor_everyone_does_alike_has_no_between_effect() -> None:
    frame = simulate_cohort(60, 42, seed=8)
    frame["exercise_min"] = (frame["day"] % 7 == 0) * 30.0  # the same weekly bout for all
    for fit in (within_between(frame), within_between(frame, max_persons=10)):
        between = {r["factor"]: r for r in fit["between_person"]}
        assert between["exercise_min"]["estimate"] is None
        assert "differ too little" in between["exercise_min"]["not_enough_data"]
        assert between["stress_nrs"]["estimate"] is not None
