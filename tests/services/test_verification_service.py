"""The unverified-facts service joins the knowledge areas and the concept sets (issue 14)."""

from __future__ import annotations

import pytest

from immunospine.cohort.concepts import all_concept_sets
from immunospine.cohort.verification import concept_set_facts, concept_set_summary
from immunospine.errors import KnowledgeError
from immunospine.services.verification import AREAS, all_unverified, summary, unverified_json


def test_concept_sets_flagged_false_are_listed_with_code_and_set() -> None:
    unverified = [(s, c) for s in all_concept_sets().values() for c in s.concepts if not c.verified]
    facts = concept_set_facts()
    assert len(facts) == len(unverified)
    for fact, (s, c) in zip(facts, unverified, strict=True):
        assert fact.item.startswith(f"{s.name} · {c.vocabulary} ")
        assert c.name in fact.what and s.title in fact.what
        assert fact.reason == c.source and "data engineer" in fact.check
    count = concept_set_summary()
    assert count.items == sum(len(s.concepts) for s in all_concept_sets().values())
    assert (count.unverified, count.facts) == (len(unverified), len(unverified))


def test_every_area_is_counted_and_listed() -> None:
    counts = summary()
    assert [c.area for c in counts] == list(AREAS)
    facts = all_unverified()
    for c in counts:
        assert c.facts == sum(1 for f in facts if f.area == c.area)
    cohort = concept_set_facts()
    assert facts[len(facts) - len(cohort) :] == cohort  # the concept sets come last


@pytest.mark.parametrize("area", ["concept_sets", "red_flags"])
def test_one_area(area: str) -> None:
    data = unverified_json(area)
    assert [c["area"] for c in data["summary"]] == [area]
    assert {f["area"] for f in data["facts"]} <= {area}
    assert len(data["facts"]) == data["summary"][0]["facts"]


def test_unknown_area() -> None:
    with pytest.raises(KnowledgeError, match="allowed: calculators"):
        summary("nope")
    with pytest.raises(KnowledgeError, match="nearest: concept_sets"):
        all_unverified("concept_set")


def test_a_calculator_result_names_its_unverified_facts() -> None:
    from immunospine.knowledge import get_calculator
    from immunospine.services.calculators import result_json, score_json

    result = result_json(score_json("odi", '{"sections": [1, 2, 3, 4, 5, 0, 1, 2, 3, null]}'))
    assert result["unverified"] == list(get_calculator("odi").unverified) != []
    basdai = score_json("basdai", '{"q1": 1, "q2": 2, "q3": 3, "q4": 4, "q5": 5, "q6": 6}')
    assert result_json(basdai)["unverified"] == list(get_calculator("basdai").unverified)
