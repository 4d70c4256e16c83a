"""BASDAI: the conventional "active disease" threshold kept beside the (category-free) score."""

from __future__ import annotations

import pytest

from immunospine.knowledge import calculate
from immunospine.knowledge.instruments.basdai import ACTIVE_BANDS, ACTIVE_THRESHOLD


@pytest.mark.parametrize(
    ("value", "label"),
    [(3.8, "not_active"), (3.9999, "not_active"), (4.0, "active"), (4.0001, "active")],
)
def test_active_threshold_camcops_boundaries(value: float, label: str) -> None:
    """clinical.md §4a [S CamCOPS tests]: 3.8 → not active, 4.0 → active (BASDAI ≥ 4)."""
    assert ACTIVE_THRESHOLD == 4.0
    assert ACTIVE_BANDS.classify(value) == label


def test_basdai_has_no_category() -> None:
    """The contract gives BASDAI no categories: the ≥ 4 threshold is not a state system."""
    result = calculate("basdai", q1=4, q2=4, q3=4, q4=4, q5=4, q6=4)
    assert result.score == 4.0
    assert result.category is None
