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


def test_within_between_samples_large_cohorts() -> None:
    result = within_between(simulate_cohort(40, 30, seed=6), max_persons=20)
    assert result["model"]["sampled"] and result["model"]["n_persons"] == 20


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
