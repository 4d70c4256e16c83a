"""ASDAS: state boundaries on both sides, the CRP floor, monotonicity in CRP."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from immunospine.knowledge import calculate
from immunospine.knowledge.instruments.asdas import STATES, batch_crp, batch_esr


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


@pytest.mark.parametrize("coefficients", ["published", "rounded"])
def test_batch_equals_the_scalar_formula(coefficients: str) -> None:
    """Column scoring (batch_crp / batch_esr) is bit-identical to one call at a time."""
    rows = [
        dict(back_pain=6, morning_stiffness_duration=5, patient_global=6, peripheral_pain=4),
        dict(back_pain=2, morning_stiffness_duration=1, patient_global=2, peripheral_pain=0),
        dict(back_pain=0, morning_stiffness_duration=0, patient_global=0, peripheral_pain=0),
    ]
    crps = [10.0, 0.5, 0.0]  # the second and third rows use the CRP floor of 2 mg/L
    esrs = [25.0, 4.0, 0.0]
    cols = {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}
    option = "rounded" if coefficients == "rounded" else "published"
    crp = batch_crp({**cols, "crp_mg_l": np.array(crps)}, option)
    esr = batch_esr({**cols, "esr_mm_h": np.array(esrs)}, option)
    for i, row in enumerate(rows):
        one = calculate("asdas_crp", **row, crp_mg_l=crps[i], coefficients=coefficients)
        assert crp[i] == one.score
        one = calculate("asdas_esr", **row, esr_mm_h=esrs[i], coefficients=coefficients)
        assert esr[i] == one.score
    assert [STATES.labels[j] for j in STATES.classify_array(crp)] == [
        STATES.classify(v) for v in crp
    ]


def test_classify_array_keeps_the_boundary_sides() -> None:
    """The vectorised classifier puts 1.3, 2.1 and 3.5 on the same side as ``classify``."""
    values = np.array([1.2999999, 1.3, 2.0999999, 2.1, 3.5, 3.5000001])
    assert [STATES.labels[j] for j in STATES.classify_array(values)] == [
        "inactive",
        "low",
        "low",
        "high",
        "high",
        "very_high",
    ]
