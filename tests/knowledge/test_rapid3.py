"""RAPID3: exact FN rounding, band boundaries, the 0.5-step scale, monotonicity."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from immunospine.errors import InputError
from immunospine.knowledge import calculate
from immunospine.knowledge.instruments.rapid3 import STATES, function_score


@pytest.mark.parametrize("item_sum", range(31))
def test_function_score_is_sum_over_three_rounded_half_up(item_sum: int) -> None:
    expected = (Decimal(item_sum) / Decimal(3)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert function_score(item_sum) == expected


@pytest.mark.parametrize(
    ("item_sum", "fn"), [(13, "4.3"), (14, "4.7"), (1, "0.3"), (2, "0.7"), (30, "10")]
)
def test_function_score_examples(item_sum: int, fn: str) -> None:
    assert function_score(item_sum) == Decimal(fn)


@pytest.mark.parametrize(
    ("score", "state"),
    [
        (3.0, "near_remission"),
        (3.1, "low"),
        (6.0, "low"),
        (6.1, "moderate"),
        (12.0, "moderate"),
        (12.1, "high"),
    ],
)
def test_band_boundaries(score: float, state: str) -> None:
    """≤ 3 near remission; 3.1–6 low; 6.1–12 moderate; > 12 high (CamCOPS tests)."""
    assert STATES.classify(score) == state


def test_value_between_circles_is_refused_with_the_scale_named() -> None:
    with pytest.raises(InputError) as info:
        calculate("rapid3", function_items=[0] * 10, pain=2.3, patient_global=1)
    assert "pain" in str(info.value)
    assert "steps of 0.5" in str(info.value)


ITEMS = st.lists(st.integers(0, 3), min_size=10, max_size=10)
HALF_STEPS = st.integers(0, 20).map(lambda n: n / 2)


@given(ITEMS, HALF_STEPS, HALF_STEPS, st.integers(0, 9))
def test_rises_with_each_item(items: list[int], pain: float, pg: float, which: int) -> None:
    worse = list(items)
    worse[which] = min(3, worse[which] + 1)
    low = calculate("rapid3", function_items=items, pain=pain, patient_global=pg)
    high = calculate("rapid3", function_items=worse, pain=pain, patient_global=pg)
    assert low.score is not None and high.score is not None
    assert 0 <= low.score <= high.score <= 30


@given(ITEMS, HALF_STEPS, HALF_STEPS)
def test_score_is_a_whole_number_of_tenths(items: list[int], pain: float, pg: float) -> None:
    score = calculate("rapid3", function_items=items, pain=pain, patient_global=pg).score
    assert score is not None
    assert Decimal(repr(score)) == Decimal(repr(score)).quantize(Decimal("0.1"))
