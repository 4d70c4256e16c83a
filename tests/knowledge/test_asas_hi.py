"""ASAS HI: each item agreed adds one point; band boundaries; no missing items."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from immunospine.errors import InputError
from immunospine.knowledge import calculate
from immunospine.knowledge.instruments.asas_hi import STATES


@pytest.mark.parametrize(
    ("score", "state"),
    [(5.0, "good"), (5.5, "moderate"), (11.5, "moderate"), (12.0, "poor")],
)
def test_band_boundaries(score: float, state: str) -> None:
    """good ≤ 5.0; ≥ 12.0 poor (Kiltz 2018); between is moderate."""
    assert STATES.classify(score) == state


@given(st.lists(st.booleans(), min_size=17, max_size=17), st.integers(0, 16))
def test_agreeing_with_one_more_item_adds_one(items: list[bool], which: int) -> None:
    before = calculate("asas_hi", items=items).score
    flipped = list(items)
    flipped[which] = True
    after = calculate("asas_hi", items=flipped).score
    assert before is not None and after is not None
    assert after - before == (0 if items[which] else 1)
    assert 0 <= before <= after <= 17


def test_unanswered_item_is_refused() -> None:
    """No published missing-item rule, so an unanswered item is an error, not a zero."""
    with pytest.raises(InputError) as info:
        calculate("asas_hi", items=[True] * 3 + [None] + [False] * 13)
    assert "items[3]" in {p.field for p in info.value.problems}
