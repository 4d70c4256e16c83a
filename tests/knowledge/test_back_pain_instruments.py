"""RMDQ, STarT Back and the pain NRS: the rules checked against independent restatements."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from immunospine.knowledge import calculate
from immunospine.knowledge.instruments.pain_nrs import SNOMED_CT

BOTHERSOMENESS = ("not_at_all", "slightly", "moderately", "very_much", "extremely")


@given(st.lists(st.booleans(), min_size=24, max_size=24))
def test_rmdq_is_the_number_ticked(items: list[bool]) -> None:
    assert calculate("rmdq", items=items).score == items.count(True)


def _keele(items: tuple[int, ...], bothersomeness: str) -> tuple[int, int, str]:
    """Hill 2008 / keele.ac.uk restated: total ≤ 3 low; subscale ≥ 4 high; else medium."""
    item9 = int(bothersomeness in ("very_much", "extremely"))
    total = sum(items) + item9
    subscale = items[4] + items[5] + items[6] + items[7] + item9
    if total <= 3:
        return total, subscale, "low"
    return total, subscale, "high" if subscale >= 4 else "medium"


@pytest.mark.parametrize("bothersomeness", BOTHERSOMENESS)
def test_start_back_every_answer_pattern(bothersomeness: str) -> None:
    for items in itertools.product((0, 1), repeat=8):
        total, subscale, category = _keele(items, bothersomeness)
        result = calculate("start_back", items=list(items), bothersomeness=bothersomeness)
        assert result.score == total
        assert result.components["psychosocial_subscale"] == subscale
        assert result.category == category, (items, bothersomeness)


@pytest.mark.parametrize(
    ("pain", "category"),
    [
        (0, "no_pain"),
        (1, "mild"),
        (2, "mild"),
        (3, "mild"),
        (4, "moderate"),
        (5, "moderate"),
        (6, "moderate"),
        (7, "severe"),
        (8, "severe"),
        (9, "severe"),
        (10, "excruciating"),
    ],
)
def test_pain_nrs_every_value(pain: int, category: str) -> None:
    """HL7 score catalogue bands: 0 / 1–3 / 4–6 / 7–9 / 10."""
    result = calculate("pain_nrs", pain=pain)
    assert result.score == pain
    assert result.category == category
    assert result.components["snomed_ct_interpretation"] == SNOMED_CT[category]


def test_pain_nrs_interpretation_names_the_clinically_important_change() -> None:
    text = calculate("pain_nrs", pain=5).interpretation
    assert "2 points" in text
    assert "30 %" in text
    assert "Farrar 2001" in text
