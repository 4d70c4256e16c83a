"""BASFI: the mean of ten items, in range, monotone, and batch = scalar."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from immunospine.knowledge import calculate
from immunospine.knowledge.instruments.basfi import ITEMS, batch_score

ITEM_VALUES = st.lists(st.floats(0, 10), min_size=10, max_size=10)


@given(ITEM_VALUES, st.integers(0, 9), st.floats(0, 10))
def test_in_range_and_rises_with_each_item(
    values: list[float], which: int, increase: float
) -> None:
    worse = list(values)
    worse[which] = min(10.0, worse[which] + increase)
    low = calculate("basfi", **dict(zip(ITEMS, values, strict=True))).score
    high = calculate("basfi", **dict(zip(ITEMS, worse, strict=True))).score
    assert low is not None and high is not None
    assert 0 <= low <= high <= 10


@given(st.lists(ITEM_VALUES, min_size=1, max_size=5))
def test_batch_equals_scalar(rows: list[list[float]]) -> None:
    cols = {name: np.array([r[i] for r in rows]) for i, name in enumerate(ITEMS)}
    scalar = [calculate("basfi", **dict(zip(ITEMS, r, strict=True))).score for r in rows]
    np.testing.assert_allclose(batch_score(cols), scalar, rtol=1e-12, atol=1e-12)
