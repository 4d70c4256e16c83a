"""Considerations drawn from the whole autoimmune base: the issue's examples, the rule, the order."""

from __future__ import annotations

from typing import Any

import pytest

from immunospine.errors import InputError
from immunospine.knowledge.reasoning import considerations as cons
from immunospine.knowledge.reasoning.case import TriageCase, parse_case
from immunospine.services.triage import triage


def _triage(case: dict[str, Any]) -> dict[str, Any]:
    return triage(case).to_dict()


def _by_condition(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["condition"]: c for c in result["considerations"]}


def _assert_short_and_ordered(result: dict[str, Any]) -> None:
    items = result["considerations"]
    immune = [c for c in items if c["condition"] != "mechanical_back_pain"]
    assert len(immune) <= cons.MAX_CONSIDERATIONS
    flags = [c["red_flag"] for c in immune]
    assert flags == sorted(flags, reverse=True), "red-flag considerations come first"
    for c in items:
        assert c["why"] and c["name"]


def test_numbness_with_bladder_symptoms_in_a_young_woman() -> None:
    result = _triage(
        {
            "age": 28,
            "sex": "female",
            "numbness_or_tingling": True,
            "red_flags": {"bladder_or_bowel_dysfunction": True},
        }
    )
    assert result["urgency"] == "emergency" and result["red_flags"]
    _assert_short_and_ordered(result)
    first = result["considerations"][0]
    assert first["condition"] == "immune_mediated_nerve_or_spinal_cord_disease"
    assert first["red_flag"] and first["mechanisms"] == ["nerve_or_spinal_cord"]
    assert {"numbness_or_weakness", "bladder_or_bowel"} <= set(first["clues"])
    named = set(first["knowledge_base"])
    assert {
        "multiple_sclerosis",
        "neuromyelitis_optica_spectrum_disorder",
        "acute_transverse_myelitis",
    } <= named
    assert "Multiple sclerosis" in first["why"]


def test_weight_loss_with_raised_esr_in_an_older_person() -> None:
    result = _triage(
        {
            "age": 72,
            "sex": "male",
            "findings": {"elevated_crp_or_esr": True},
            "red_flags": {"unexplained_weight_loss": True},
        }
    )
    assert [f["item"] for f in result["red_flags"]] == ["unexplained_weight_loss"]
    _assert_short_and_ordered(result)
    found = _by_condition(result)
    assert {"giant_cell_arteritis", "polymyalgia_rheumatica"} & set(found)
    assert "igg4_related_disease" in found
    igg4 = found["igg4_related_disease"]
    assert igg4["red_flag"] and "referred_pain" in igg4["mechanisms"]
    assert "unexplained weight loss" in igg4["why"] and "a raised CRP or ESR" in igg4["why"]
    assert all(c["red_flag"] for c in result["considerations"])


def test_lupus_with_long_term_steroids_and_new_thoracic_pain() -> None:
    result = _triage(
        {
            "age": 45,
            "sex": "female",
            "known_conditions": ["Lupus"],
            "red_flags": {"osteoporosis_or_long_term_steroids": True, "thoracic_pain": True},
        }
    )
    _assert_short_and_ordered(result)
    first = result["considerations"][0]
    assert first["condition"] == "steroid_or_disease_related_bone_fracture"
    assert first["mechanisms"] == ["treatment_related"] and first["red_flag"]
    assert first["knowledge_base"][0] == "systemic_lupus_erythematosus"
    assert "known:systemic_lupus_erythematosus" in first["clues"]
    assert "systemic lupus erythematosus" in first["why"] and "thoracic" in first["why"]


def test_steroids_without_a_known_disease_name_the_usual_examples() -> None:
    result = _triage({"age": 60, "red_flags": {"osteoporosis_or_long_term_steroids": True}})
    (item,) = result["considerations"]
    assert item["knowledge_base"] == list(cons.BONE_EXAMPLES)
    assert item["why"].startswith("You have thin bones") and "thoracic" not in item["why"]


def test_one_answer_alone_never_raises_a_disease_from_the_base() -> None:
    for case in (
        {"age": 30, "numbness_or_tingling": True},
        {"age": 30, "known_conditions": ["multiple_sclerosis"]},
        {"age": 70, "sex": "female", "red_flags": {"unexplained_weight_loss": True}},
    ):
        assert _triage(case)["considerations"] == [], case


def test_a_known_diagnosis_plus_one_finding_raises_it() -> None:
    result = _triage(
        {"age": 30, "sex": "female", "known_conditions": ["MS"], "numbness_or_tingling": True}
    )
    found = _by_condition(result)
    assert "multiple_sclerosis" in found
    ms = found["multiple_sclerosis"]
    assert ms["mechanisms"] == ["nerve_or_spinal_cord"] and not ms["red_flag"]
    assert "a diagnosis of multiple sclerosis" in ms["why"]


def test_spondyloarthritis_features_alone_raise_nothing_from_the_base() -> None:
    case = {
        "age": 34,
        "sex": "male",
        "back_pain": {"morning_stiffness_minutes": 90, "night_pain": True, "buttock_pain": True},
        "findings": {"elevated_crp_or_esr": True, "anterior_uveitis": True},
    }
    assert _triage(case)["considerations"] == []


def test_the_age_of_a_disease_must_fit() -> None:
    young = {
        "age": 30,
        "findings": {"elevated_crp_or_esr": True},
        "red_flags": {"unexplained_weight_loss": True, "fever_or_systemically_unwell": True},
    }
    assert "giant_cell_arteritis" not in _by_condition(_triage(young))
    old = {**young, "age": 75}
    assert "takayasu_arteritis" not in _by_condition(_triage(old))


def test_the_list_is_short_and_mechanical_pain_comes_last() -> None:
    result = _triage(
        {
            "age": 44,
            "sex": "female",
            "back_pain": {"duration_months": 1, "morning_stiffness_minutes": 60, "neck_pain": True},
            "numbness_or_tingling": True,
            "widespread_pain": True,
            "known_conditions": ["systemic_lupus_erythematosus", "sjogren_disease"],
            "findings": {"peripheral_arthritis": True, "psoriasis": True, "ibd": True},
            "red_flags": {"history_of_cancer": False},
        }
    )
    conditions = [c["condition"] for c in result["considerations"]]
    assert len(conditions) == cons.MAX_CONSIDERATIONS + 1
    assert conditions[-1] == "mechanical_back_pain"
    _assert_short_and_ordered(result)


def test_case_clues_in_plain_words() -> None:
    case = parse_case(
        {
            "age": 47,
            "sex": "other",
            "back_pain": {"alternating_buttock_pain": True},
            "red_flags": {"progressive_neurological_deficit": True, "recent_infection": True},
        }
    )
    clues = cons.case_clues(case, {"anterior_uveitis": True, "ibd": False})
    assert clues == {
        "uveitis": "eye inflammation (uveitis)",
        "buttock_pain": "buttock pain",
        "numbness_or_weakness": "numbness, tingling or weakness",
        "recent_infection": "a recent infection",
    }
    male = cons.case_clues(parse_case({"age": 50, "sex": "male"}), {})
    assert male == {"male": "male sex", "age_50_or_over": "age 50 (50 or over)"}


def test_an_unvalidated_unknown_condition_gives_no_clue() -> None:
    case = TriageCase.model_validate({"age": 45, "known_conditions": ["nothing known"]})
    assert cons.case_clues(case, {}) == {}


def test_unknown_known_condition_is_an_input_error_with_the_nearest_names() -> None:
    with pytest.raises(InputError) as err:
        parse_case({"age": 40, "known_conditions": ["lupus", "multiple sclerosys"]})
    (problem,) = err.value.problems
    assert problem.loc == ("known_conditions", 1)
    assert "nearest: multiple_sclerosis" in str(err.value)
    with pytest.raises(InputError, match="known_conditions"):
        parse_case({"age": 40, "known_conditions": "lupus"})
    with pytest.raises(InputError, match="numbness_or_tingling"):
        parse_case({"age": 40, "numbness_or_tingling": "yes"})


def test_rules_name_their_clues_and_mechanism() -> None:
    case = parse_case({"age": 40, "back_pain": {"neck_pain": True}})
    (item,) = cons.consider(case, {"peripheral_arthritis": True}, ())
    assert item.clues == ("peripheral_arthritis", "neck_pain")
    assert item.mechanisms == ("spinal_inflammation",) and not item.red_flag
    assert item.to_dict()["name"] == "Rheumatoid arthritis of the neck"


def test_polymyalgia_rule_names_age_and_stiffness() -> None:
    case = parse_case({"age": 70, "back_pain": {"morning_stiffness_minutes": 60}})
    (item,) = cons.consider(case, {}, ())
    assert item.condition == "polymyalgia_rheumatica"
    assert item.clues == ("age_50_or_over", "long_morning_stiffness")
    assert item.knowledge_base == ("polymyalgia_rheumatica", "giant_cell_arteritis")
