"""The triage case: strict validation, contradictions named by field, and the other reasoning."""

from __future__ import annotations

import pytest

from immunospine.errors import InputError
from immunospine.knowledge.probability.axspa import LIKELIHOOD_RATIOS
from immunospine.knowledge.reasoning.case import parse_case
from immunospine.knowledge.reasoning.considerations import consider
from immunospine.knowledge.reasoning.explain import DISCLAIMER
from immunospine.services.triage import triage


@pytest.mark.parametrize("data", [[], "age 30", 30, None])
def test_case_must_be_an_object(data: object) -> None:
    with pytest.raises(InputError, match="JSON object"):
        parse_case(data)


def test_pretest_defaults_to_five_percent_and_null_means_default() -> None:
    assert parse_case({"age": 30}).pretest == 0.05
    assert parse_case({"age": 30, "pretest_probability": None}).pretest == 0.05
    assert parse_case({"age": 30, "pretest_probability": 0.2}).pretest == 0.2


@pytest.mark.parametrize(
    ("case", "fields"),
    [
        ({"age": 30, "back_pain": {"age_at_onset": 30.5}}, {"back_pain.age_at_onset"}),
        (
            {"age": 30, "back_pain": {"age_at_onset": 20, "duration_months": 133}},
            {"back_pain.duration_months"},
        ),
        ({"age": 5, "back_pain": {"duration_months": 73}}, {"back_pain.duration_months"}),
        ({"age": 30, "back_pain": {"duration_months": -0.5}}, {"back_pain.duration_months"}),
        (
            {"age": 30, "back_pain": {"morning_stiffness_minutes": -1}},
            {"back_pain.morning_stiffness_minutes"},
        ),
        ({"age": True}, {"age"}),
        ({"age": -1}, {"age"}),
        ({"age": 30, "pretest_probability": 2}, {"pretest_probability"}),
        ({"age": 30, "fibromyalgia": {"fatigue": 7}}, {"fibromyalgia.fatigue"}),
        (
            {
                "age": 30,
                "back_pain": {
                    "alternating_buttock_pain": True,
                    "buttock_pain": False,
                    "age_at_onset": 31,
                },
            },
            {"back_pain.buttock_pain", "back_pain.age_at_onset"},
        ),
    ],
)
def test_bad_or_contradictory_answers_name_their_fields(
    case: dict[str, object], fields: set[str]
) -> None:
    with pytest.raises(InputError) as info:
        parse_case(case)
    assert {p.field for p in info.value.problems} == fields
    for field in fields:
        assert field in str(info.value)


def test_one_year_of_slack_for_whole_year_ages() -> None:
    parse_case({"age": 30, "back_pain": {"age_at_onset": 20, "duration_months": 132}})
    parse_case({"age": 5, "back_pain": {"duration_months": 72}})


def test_unknown_likelihood_multiplier_is_one() -> None:
    assert LIKELIHOOD_RATIOS["hla_b27"].ratio(None) == 1.0


def test_onset_after_45_is_said_in_plain_words() -> None:
    result = triage({"age": 52, "back_pain": {"duration_months": 60, "age_at_onset": 47}})
    assert result.entry.verdict.value == "not_met"
    assert "began at age 47, after 45" in result.explanation
    assert result.to_dict()["axspa"]["entry"]["verdict"] == "not_met"


def test_derived_ibp_is_marked_in_the_contributions() -> None:
    result = triage(
        {
            "age": 30,
            "back_pain": {
                "age_at_onset": 25,
                "insidious_onset": True,
                "improves_with_exercise": True,
                "improves_with_rest": False,
                "night_pain": True,
            },
        }
    ).to_dict()
    row = result["axspa"]["contributions"][0]
    assert row["finding"] == "inflammatory_back_pain"
    assert row["derived_from"] == "ibp_asas"
    assert result["axspa"]["inflammatory_back_pain_source"] == "ibp_asas"


def test_fibromyalgia_not_met_without_widespread_pain_raises_nothing() -> None:
    case = parse_case({"age": 40, "fibromyalgia": {"neck": True, "symptoms_duration_months": 1}})
    assert consider(case, {}, ()) == ()


def test_fibromyalgia_consideration_names_the_criteria_when_met() -> None:
    sites = [
        "neck",
        "lower_back",
        "shoulder_girdle_left",
        "shoulder_girdle_right",
        "hip_left",
        "hip_right",
        "upper_leg_left",
        "lower_arm_right",
    ]
    fibro = {
        **dict.fromkeys(sites, True),
        "fatigue": 2,
        "waking_unrefreshed": 2,
        "cognitive_symptoms": 1,
        "headaches": True,
        "symptoms_duration_months": 6,
    }
    (item,) = consider(parse_case({"age": 40, "fibromyalgia": fibro}), {}, ())
    assert item.condition == "fibromyalgia"
    assert "2016 fibromyalgia criteria" in item.why
    assert "fibromyalgia_acr_2016" in item.to_dict()["calculators"]


def test_rheumatoid_consideration_mentions_neck_pain_when_given() -> None:
    case = parse_case({"age": 40, "back_pain": {"neck_pain": True}})
    (item,) = consider(case, {"peripheral_arthritis": True}, ())
    assert "neck pain" in item.why
    assert item.knowledge_base == ("rheumatoid_arthritis",)


def test_mechanical_is_not_raised_beside_a_red_flag() -> None:
    result = triage(
        {
            "age": 30,
            "findings": {"inflammatory_back_pain": False},
            "red_flags": {"significant_trauma": True},
        }
    )
    assert [c.condition for c in result.considerations] == []


def test_disclaimer_and_text_report() -> None:
    result = triage({"age": 30})
    assert "supports a decision, not a diagnosis" in DISCLAIMER
    assert result.disclaimer == DISCLAIMER
    assert result.urgency == "routine"
    assert result.category == "unlikely"
    from immunospine.reports.triage_text import render_triage_text

    assert render_triage_text(result).endswith(DISCLAIMER + "\n")
