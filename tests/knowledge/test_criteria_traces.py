"""What the criteria say about themselves: null categories, traces and unverified facts.

The case files cannot express ``null`` (TOML has none), so open categories are checked here.
"""

from __future__ import annotations

from typing import Any

import pytest

from immunospine.knowledge import Verdict, calculate, get_calculator

AMOR_ALL_ABSENT: dict[str, Any] = dict.fromkeys(get_calculator("amor").inputs.model_fields, False)


def test_amor_category_stays_open_while_probable_is_reachable() -> None:
    inputs = {**AMOR_ALL_ABSENT, "hla_b27": True, "nsaid_response": True}
    del inputs["urethritis_or_cervicitis_before_arthritis"]
    result = calculate("amor", **inputs)
    assert result.verdict is Verdict.NOT_MET
    assert result.score == 4
    assert result.category is None
    assert result.components["points_max_possible"] == 5


def test_amor_indeterminate_has_no_category() -> None:
    result = calculate("amor", hla_b27=True, nsaid_response=True, iritis=False)
    assert result.verdict is Verdict.INDETERMINATE
    assert result.category is None


def test_modified_new_york_without_grades_or_clinical_criteria() -> None:
    result = calculate(
        "modified_new_york",
        low_back_pain_over_3_months_better_with_exercise_not_rest=False,
        lumbar_motion_limited_sagittal_and_frontal=False,
        chest_expansion_limited=False,
    )
    assert result.verdict is Verdict.NOT_MET  # no clinical criterion: never definite
    assert result.missing == ()
    assert result.category is None  # radiological alone would be probable AS


def test_asas_axspa_indeterminate_has_no_category() -> None:
    result = calculate("asas_axspa", back_pain_duration_months=12, age_at_onset_years=30)
    assert result.verdict is Verdict.INDETERMINATE
    assert result.category is None


def test_asas_axspa_trace_names_arm_and_features() -> None:
    result = calculate(
        "asas_axspa",
        back_pain_duration_months=12,
        age_at_onset_years=30,
        hla_b27=True,
        inflammatory_back_pain=True,
        nsaid_response=True,
    )
    trace = " | ".join(result.because)
    assert "clinical arm met" in trace
    assert "inflammatory back pain" in trace
    assert "good NSAID response" in trace


def test_berlin_default_threshold_and_likelihood_ratio() -> None:
    result = calculate("ibp_berlin", alternating_buttock_pain=True, morning_stiffness_minutes=45)
    assert result.verdict is Verdict.MET
    assert result.components == {"threshold": 2, "positive_likelihood_ratio": 3.7}


def test_ra_reports_the_second_test_that_was_not_done() -> None:
    result = calculate(
        "acr_eular_ra_2010",
        synovitis_in_at_least_one_joint=True,
        other_disease_better_explains_synovitis=False,
        small_joints_involved=12,
        acpa="high_positive",
        esr_abnormal=False,
        symptom_duration_weeks=10,
    )
    assert result.verdict is Verdict.MET
    assert result.score == 9
    assert result.components["untested_second_test"] == ["rheumatoid_factor", "crp_abnormal"]


def test_ra_unknown_target_population_is_insufficient_data() -> None:
    result = calculate("acr_eular_ra_2010", small_joints_involved=12, symptom_duration_weeks=10)
    assert result.verdict is Verdict.INDETERMINATE
    assert result.category == "insufficient_data"
    assert set(result.missing) == {
        "synovitis_in_at_least_one_joint",
        "other_disease_better_explains_synovitis",
    }


def test_fibromyalgia_components_show_reachable_maximum() -> None:
    result = calculate("fibromyalgia_acr_2016", neck=True, fatigue=2)
    assert result.components["wpi"] == 1
    assert result.components["wpi_max_possible"] == 19
    assert result.components["sss"] == 2
    assert result.components["sss_max_possible"] == 11
    assert result.verdict is Verdict.INDETERMINATE


@pytest.mark.parametrize(
    "name", ["ibp_berlin", "asas_pspa", "acr_eular_ra_2010", "asas_axspa", "amor"]
)
def test_facts_from_memory_are_listed_as_unverified(name: str) -> None:
    assert get_calculator(name).unverified


def test_every_criteria_result_has_a_verdict_in_json() -> None:
    out = calculate("caspar", inflammatory_articular_disease=False).to_dict()
    assert out["verdict"] == "not_met"
    assert out["because"] == ["entry not met: no inflammatory articular disease"]
    assert out["missing"] == []


def test_asas_axspa_categories_are_the_labels_of_clinical_md() -> None:
    """clinical.md §2a: not_applicable / imaging_arm / clinical_arm / both / not_classified."""
    assert set(get_calculator("asas_axspa").categories) == {
        "not_applicable",
        "imaging_arm",
        "clinical_arm",
        "both",
        "not_classified",
    }
