"""ASDAS: state boundaries on both sides, the CRP floor, monotonicity in CRP."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from immunospine.knowledge import calculate
from immunospine.knowledge.instruments.asdas import STATES


@pytest.mark.parametrize(
    ("score", "state"),
    [
        (1.29, "inactive"),
        (1.2999999, "inactive"),
        (1.3, "low"),
        (2.09, "low"),
        (2.0999999, "low"),
        (2.1, "high"),
        (3.5, "high"),
        (3.5000001, "very_high"),
        (3.51, "very_high"),
        (0.0, "inactive"),
    ],
)
def test_state_boundaries(score: float, state: str) -> None:
    """clinical.md A9: inactive < 1.3 ≤ low < 2.1 ≤ high ≤ 3.5 < very high."""
    assert STATES.classify(score) == state


NRS = st.floats(0, 10)


@given(NRS, NRS, NRS, NRS, st.floats(0, 300), st.floats(0, 300))
def test_asdas_crp_rises_with_crp(
    bp: float, dur: float, pg: float, pp: float, a: float, b: float
) -> None:
    lo, hi = sorted((a, b))
    base = {
        "back_pain": bp,
        "morning_stiffness_duration": dur,
        "patient_global": pg,
        "peripheral_pain": pp,
    }
    assert (
        calculate("asdas_crp", **base, crp_mg_l=lo).score
        <= calculate(  # type: ignore[operator]
            "asdas_crp", **base, crp_mg_l=hi
        ).score
    )


@given(st.floats(0, 1.9999))
def test_crp_below_two_counts_as_two(crp: float) -> None:
    base = {
        "back_pain": 3,
        "morning_stiffness_duration": 3,
        "patient_global": 3,
        "peripheral_pain": 3,
    }
    assert (
        calculate("asdas_crp", **base, crp_mg_l=crp).score
        == calculate("asdas_crp", **base, crp_mg_l=2.0).score
    )
