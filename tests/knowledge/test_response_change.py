"""The shared change arithmetic: robust comparisons, zero and tiny baselines."""

from __future__ import annotations

from immunospine.knowledge.response._change import DomainChange, settle


def test_settle_removes_float_noise_only() -> None:
    assert 3.3 - 2.2 != 1.1
    assert settle(3.3 - 2.2) == 1.1
    assert settle(1.23456789) == 1.234568


def test_lower_is_better_by_default() -> None:
    change = DomainChange("pain", 8.0, 6.0)
    assert change.improvement == 2.0
    assert change.improvement_percent == 25.0
    assert not change.worsened


def test_higher_is_better_for_mobility() -> None:
    change = DomainChange("flexion", 10.0, 8.0, higher_is_better=True)
    assert change.improvement == -2.0
    assert change.improvement_percent == -20.0
    assert change.worsened


def test_zero_baseline_has_no_relative_change_and_never_improves() -> None:
    change = DomainChange("crp", 0.0, 0.0)
    assert change.improvement_percent is None
    assert not change.improved_by(percent=20.0)
    assert not change.worsened_by(percent=20.0, units=1.0)


def test_rise_from_zero_is_a_relative_worsening_when_the_absolute_arm_holds() -> None:
    assert DomainChange("global", 0.0, 1.0).worsened_by(percent=20.0, units=1.0)
    assert not DomainChange("global", 0.0, 0.9).worsened_by(percent=20.0, units=1.0)


def test_worsening_needs_both_arms() -> None:
    assert DomainChange("basfi", 5.0, 6.0).worsened_by(percent=20.0, units=1.0)
    assert not DomainChange("basfi", 6.0, 7.0).worsened_by(percent=20.0, units=1.0)
    assert not DomainChange("basfi", 1.0, 1.9).worsened_by(percent=20.0, units=1.0)


def test_relative_change_from_a_subnormal_baseline_is_reported_as_undefined() -> None:
    change = DomainChange("global", 5e-324, 10.0)
    assert change.improvement_percent is None
    assert change.worsened_by(percent=20.0, units=1.0)


def test_component_lists_both_values_and_both_changes() -> None:
    assert DomainChange("pain", 7.0, 5.6).as_component() == {
        "baseline": 7.0,
        "follow_up": 5.6,
        "absolute_improvement": 1.4,
        "relative_improvement_percent": 20.0,
    }
