"""Response definitions: properties over random visits, traces and the zero-baseline rule."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from immunospine.errors import InputError
from immunospine.knowledge import Verdict, calculate
from immunospine.knowledge.instruments.asdas import (
    CLINICALLY_IMPORTANT_IMPROVEMENT,
    CLINICALLY_IMPORTANT_WORSENING,
    MAJOR_IMPROVEMENT,
)
from immunospine.knowledge.response.asdas_response import CHANGE_BANDS

NRS = st.floats(0, 10).map(lambda v: round(v, 1))
VISIT = st.fixed_dictionaries(
    {
        "patient_global": NRS,
        "back_pain": NRS,
        "basfi": NRS,
        "basdai_q5": NRS,
        "basdai_q6": NRS,
    }
)
WORKED_BASELINE = {"patient_global": 6, "back_pain": 7, "basfi": 5, "basdai_q5": 6, "basdai_q6": 6}
WORKED_FOLLOW_UP = {
    "patient_global": 3,
    "back_pain": 4,
    "basfi": 4.5,
    "basdai_q5": 3,
    "basdai_q6": 3,
}


@given(VISIT, VISIT)
def test_asas40_implies_asas20(baseline: dict[str, Any], follow_up: dict[str, Any]) -> None:
    asas40 = calculate("asas40", baseline=baseline, follow_up=follow_up)
    asas20 = calculate("asas20", baseline=baseline, follow_up=follow_up)
    if asas40.verdict is Verdict.MET:
        assert asas20.verdict is Verdict.MET
    assert asas40.score is not None and asas20.score is not None
    assert 0 <= asas40.score <= asas20.score <= 4


@given(VISIT)
def test_no_change_is_never_a_response(visit: dict[str, Any]) -> None:
    for name in ("asas20", "asas40"):
        result = calculate(name, baseline=visit, follow_up=visit)
        assert result.verdict is Verdict.NOT_MET
        assert result.score == 0


def test_worked_example_trace_names_the_domains() -> None:
    result = calculate("asas20", baseline=WORKED_BASELINE, follow_up=WORKED_FOLLOW_UP)
    assert result.because == (
        "3 of 4 domains improved by ≥ 20 % and ≥ 1 unit (need 3): patient_global, back_pain, "
        "inflammation",
        "remaining domain worse by ≥ 20 % and ≥ 1 unit: none",
    )
    asas40 = calculate("asas40", baseline=WORKED_BASELINE, follow_up=WORKED_FOLLOW_UP)
    assert asas40.because[0].startswith("3 of 4 domains improved by ≥ 40 % and ≥ 2 units")


def test_all_domains_improved_has_no_remaining_domain_line() -> None:
    better = dict.fromkeys(WORKED_BASELINE, 1)
    result = calculate("asas20", baseline=WORKED_BASELINE, follow_up=better)
    assert len(result.because) == 1


def test_two_remaining_domains_are_both_reported() -> None:
    follow_up = {**WORKED_FOLLOW_UP, "back_pain": 9}
    result = calculate("asas20", baseline=WORKED_BASELINE, follow_up=follow_up)
    assert result.verdict is Verdict.NOT_MET
    assert result.because[1] == "remaining domains worse by ≥ 20 % and ≥ 1 unit: back_pain"


def test_zero_baseline_domain_reports_undefined_relative_change() -> None:
    baseline = {**WORKED_BASELINE, "patient_global": 0}
    follow_up = {**WORKED_FOLLOW_UP, "patient_global": 0, "basfi": 2}
    result = calculate("asas20", baseline=baseline, follow_up=follow_up)
    assert result.components["patient_global"]["relative_improvement_percent"] is None
    assert result.components["patient_global"]["improved"] is False
    assert result.verdict is Verdict.MET


@given(VISIT, VISIT, st.floats(0, 300), st.floats(0, 300), st.floats(0, 30), st.floats(0, 30))
def test_asas_5of6_score_counts_improved_domains(
    baseline: dict[str, Any],
    follow_up: dict[str, Any],
    crp_before: float,
    crp_after: float,
    flexion_before: float,
    flexion_after: float,
) -> None:
    result = calculate(
        "asas_5of6",
        baseline={**baseline, "crp_mg_l": crp_before, "lateral_spinal_flexion_cm": flexion_before},
        follow_up={**follow_up, "crp_mg_l": crp_after, "lateral_spinal_flexion_cm": flexion_after},
    )
    improved = [v for k, v in result.components.items() if isinstance(v, dict) and v["improved"]]
    assert result.score == len(improved)
    assert (result.verdict is Verdict.MET) == (len(improved) >= 5)


@given(VISIT)
def test_partial_remission_below_2_is_stricter(visit: dict[str, Any]) -> None:
    lenient = calculate("asas_partial_remission", **visit)
    strict = calculate("asas_partial_remission", **visit, threshold_rule="below_2")
    assert strict.score is not None and lenient.score is not None
    assert strict.score <= lenient.score
    if strict.verdict is Verdict.MET:
        assert lenient.verdict is Verdict.MET


def test_partial_remission_trace_names_the_domains_above_2() -> None:
    result = calculate(
        "asas_partial_remission", patient_global=2, back_pain=3, basfi=1, basdai_q5=1, basdai_q6=1
    )
    assert result.because == (
        "3 of 4 domains ≤ 2: patient_global, basfi, inflammation",
        "not ≤ 2: back_pain 3",
    )


@given(NRS, NRS, NRS)
def test_basdai50_lower_follow_up_never_loses_the_response(
    baseline: float, follow_up: float, lower: float
) -> None:
    lower = min(lower, follow_up)
    first = calculate("basdai50", baseline={"basdai": baseline}, follow_up={"basdai": follow_up})
    better = calculate("basdai50", baseline={"basdai": baseline}, follow_up={"basdai": lower})
    if first.verdict is Verdict.MET:
        assert better.verdict is Verdict.MET
    assert first.components["basdai50"] <= first.components["asas_50_percent_or_2_units"]


def test_basdai50_zero_baseline_has_no_score() -> None:
    result = calculate("basdai50", baseline={"basdai": 0}, follow_up={"basdai": 0})
    assert result.score is None
    assert result.verdict is Verdict.NOT_MET
    assert "undefined (baseline 0)" in result.because[0]


ASDAS = st.floats(0, 8).map(lambda v: round(v, 3))


@given(ASDAS, ASDAS)
def test_asdas_response_category_agrees_with_flags(baseline: float, follow_up: float) -> None:
    result = calculate(
        "asdas_response", baseline={"asdas": baseline}, follow_up={"asdas": follow_up}
    )
    flags = result.components
    expected = (
        "major_improvement"
        if flags["major_improvement"]
        else "clinically_important_improvement"
        if flags["clinically_important_improvement"]
        else "clinically_important_worsening"
        if flags["clinically_important_worsening"]
        else "no_important_change"
    )
    assert result.category == expected
    assert (result.verdict is Verdict.MET) == flags["clinically_important_improvement"]


def test_asdas_response_bands_use_the_asdas_module_thresholds() -> None:
    assert CHANGE_BANDS.cutoffs == (
        -MAJOR_IMPROVEMENT,
        -CLINICALLY_IMPORTANT_IMPROVEMENT,
        CLINICALLY_IMPORTANT_WORSENING,
    )


RANK = {"none": 0, "moderate": 1, "good": 2}
DAS28 = st.floats(0, 10).map(lambda v: round(v, 2))


@given(DAS28, DAS28, DAS28)
def test_eular_lower_follow_up_never_gives_a_worse_response(
    baseline: float, follow_up: float, lower: float
) -> None:
    lower = min(lower, follow_up)
    first = calculate(
        "eular_response", baseline={"das28": baseline}, follow_up={"das28": follow_up}
    )
    better = calculate("eular_response", baseline={"das28": baseline}, follow_up={"das28": lower})
    assert first.category is not None and better.category is not None
    assert RANK[better.category] >= RANK[first.category]
    assert (first.verdict is Verdict.MET) == (first.category != "none")


@pytest.mark.parametrize("name", ["asdas_response", "eular_response"])
def test_mismatched_variant_message_names_both(name: str) -> None:
    key, first, second = (
        ("asdas", "asdas_crp", "asdas_esr")
        if name == "asdas_response"
        else ("das28", "das28_esr", "das28_crp")
    )
    with pytest.raises(InputError) as info:
        calculate(
            name,
            baseline={key: 3.0, "variant": first},
            follow_up={key: 2.0, "variant": second},
        )
    assert [p.field for p in info.value.problems] == ["follow_up.variant"]
    assert first in str(info.value)
    assert second in str(info.value)


def test_eular_response_accepts_any_das28_the_das28_calculators_return() -> None:
    from immunospine.knowledge import calculate

    low = calculate(
        "das28_esr",
        tender_joints_28=0,
        swollen_joints_28=0,
        esr_mm_h=0.5,
        patient_global_health=0,
    ).score
    assert low is not None and low < 0
    result = calculate("eular_response", baseline={"das28": 5.0}, follow_up={"das28": low})
    assert result.category == "good"
