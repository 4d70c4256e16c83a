"""Small replicate runs of the validation (the large ones: benchmarks/validate_analysis.py)."""

from __future__ import annotations

from immunospine.analysis.validation import coverage_run, null_run


def test_planted_effects_are_covered() -> None:
    table = coverage_run(replicates=40, seed=0)
    # 40 data sets × 20 coefficients: overall coverage within a few points of 95 %
    assert 0.91 <= table["overall"] <= 0.99


def test_null_patients_are_rarely_flagged() -> None:
    table = null_run(replicates=40, seed=0)
    assert table["per_test_rate"] <= 0.05
    assert table["any_flag_rate"] <= 0.15  # nominal 0.05; 40 patients leave room for chance
