"""Red-flag screen: every contract item mapped and cited; age prompts; data file checked."""

from __future__ import annotations

from typing import Any

import pytest

from immunospine.knowledge.reasoning import red_flags
from immunospine.knowledge.reasoning._data import load_toml
from immunospine.knowledge.reasoning.case import parse_case
from immunospine.knowledge.reasoning.red_flags import CONTRACT_ITEMS, catalogue, screen

EXPECTED = {
    "saddle_anaesthesia": "cauda_equina",
    "bladder_or_bowel_dysfunction": "cauda_equina",
    "progressive_neurological_deficit": "cauda_equina",
    "history_of_cancer": "malignancy",
    "unexplained_weight_loss": "malignancy",
    "fever_or_systemically_unwell": "infection",
    "intravenous_drug_use": "infection",
    "immunosuppression": "infection",
    "recent_infection": "infection",
    "significant_trauma": "fracture",
    "osteoporosis_or_long_term_steroids": "fracture",
    "thoracic_pain": "malignancy",
    "constant_progressive_non_mechanical_pain": "malignancy",
}


def test_the_13_contract_items_are_mapped_with_action_and_citation() -> None:
    assert set(CONTRACT_ITEMS) == set(EXPECTED)
    for item, suspected in EXPECTED.items():
        flags, _ = screen(parse_case({"age": 35, "red_flags": {item: True}}))
        assert [f.item for f in flags] == [item]
        flag = flags[0]
        assert flag.suspected == suspected
        assert flag.action and flag.citation and flag.label
        assert flag.urgency == ("emergency" if suspected == "cauda_equina" else "urgent")
        assert flag.to_dict()["item"] == item


def test_false_and_unknown_answers_raise_nothing() -> None:
    flags, missing = screen(parse_case({"age": 35, "red_flags": {"history_of_cancer": False}}))
    assert flags == ()
    assert "red_flags.history_of_cancer" not in missing
    assert "red_flags.thoracic_pain" in missing


@pytest.mark.parametrize(
    ("age", "back_pain", "expected"),
    [
        (51, {"duration_months": 12}, "new_back_pain_over_50"),
        (51, {"duration_months": 13}, None),
        (50, {"duration_months": 1}, None),
        (19, {"duration_months": 2}, "new_back_pain_under_20"),
        (20, {"duration_months": 2}, None),
        (70, {"age_at_onset": 70}, "new_back_pain_over_50"),
        (70, {"age_at_onset": 60}, None),
        (35, {"duration_months": 1}, None),
    ],
)
def test_age_prompts(age: int, back_pain: dict[str, Any], expected: str | None) -> None:
    flags, _ = screen(parse_case({"age": age, "back_pain": back_pain}))
    assert [f.item for f in flags] == ([expected] if expected else [])
    if expected:
        assert flags[0].suspected == "malignancy"


def test_age_prompt_needs_the_pain_start() -> None:
    flags, missing = screen(parse_case({"age": 65}))
    assert flags == ()
    assert "back_pain.duration_months" in missing


def test_data_file_must_match_the_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    good = load_toml("red_flags")
    items = {k: v for k, v in good["items"].items() if k != "thoracic_pain"}
    monkeypatch.setattr(red_flags, "load_toml", lambda name: {**good, "items": items})
    catalogue.cache_clear()
    try:
        with pytest.raises(ValueError, match="thoracic_pain"):
            catalogue()
    finally:
        catalogue.cache_clear()


def test_every_item_is_verified_or_says_why_not() -> None:
    """Issue 14: the sources behind each item were read; only thoracic pain was not seen."""
    items = catalogue().items
    unverified = {name for name, item in items.items() if not item.verified}
    assert unverified == {"thoracic_pain"}
    assert "NICE CKS" in items["thoracic_pain"].source_note
    assert all("[M]" not in item.citation for item in items.values())


@pytest.mark.parametrize(
    "extra",
    [{"verified": False}, {"verified": True, "source_note": "why"}, {}],
)
def test_item_needs_a_verified_flag_and_a_note_exactly_when_unverified(
    extra: dict[str, Any],
) -> None:
    base = {"suspected": "fracture", "label": "x", "citation": "y"}
    with pytest.raises(ValueError):
        red_flags.Item.model_validate({**base, **extra})
